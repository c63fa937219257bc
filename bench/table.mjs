// The benchmark's Markdown: the machine, one row per corpus, the peers' ratios and the targets.

const n = (x) => (typeof x === 'number' ? x.toLocaleString('en-US') : String(x));
const s = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms} ms`);

/** A re-run's time, its share of the cold run and the index it built (stats.cache.index). */
const rerun = (run, ratio) => `${s(run.wallMs)} (${Math.round(ratio * 100)}%${run.cache?.index ? `, ${run.cache.index}` : ''})`;

export function renderMarkdown(report) {
  const m = report.machine;
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; ${m.astGrep}; ${m.ripgrep}; ${m.python}.`,
    `Load average when the run started: ${m.loadAverage.join(', ')}. Card: ${report.card.claims} claims (generated). Run ${report.generatedAt}.`,
    '',
    '| Corpus | Files (Python) | MB | CardCheck cold | Worker peak RSS | Host growth | Largest msg | Msgs/s | Re-run: unseen edit | Re-run: stated setting edited | ast-grep scan | ripgrep | cold ÷ ast-grep | cold ÷ rg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of report.results) {
    lines.push(`| ${r.label} | ${n(r.files)} (${n(r.pythonFiles)}) | ${r.megabytes} | ${s(r.cold.wallMs)} | ${r.cold.workerPeakRssMb} MB | ${r.cold.hostRssGrowthMb} MB | ${n(r.cold.largestMessageBytes)} B | ${n(r.cold.messagesPerSecond)} | ${rerun(r.warm, r.ratios.warmVsCold)} | ${rerun(r.warmSeen, r.ratios.warmSeenVsCold)} | ${s(r.astGrep.ms)} | ${s(r.ripgrep.ms)} | ${r.ratios.coldVsAstGrep}× | ${r.ratios.coldVsRipgrep}× |`);
  }
  lines.push('', 'Re-runs: time (the median of three, each from the cache of the unedited workspace), share of the cold run, and the fact index built: none (every verdict handed back), scoped (only the facts the claims decided again look up) or whole. Each finds its worker loaded, started after the previous run as the extension does (setting keepWorkerReady, on by default).');
  const forked = report.results.filter((r) => r.warmForked);
  if (forked.length > 0) lines.push('', `The unseen-edit re-run with its worker forked on demand instead: ${forked.map((r) => `${r.label} ${rerun(r.warmForked, r.ratios.warmForkedVsCold)}`).join('; ')}.`);
  lines.push('', '| Corpus | Target | Value | Result |', '|---|---|---:|---|');
  for (const r of report.results) for (const t of r.targets) lines.push(`| ${r.label} | ${t.name} | ${t.value} | ${t.pass ? 'pass' : '**FAIL**'} |`);
  lines.push('');
  return `${lines.join('\n')}\n`;
}
