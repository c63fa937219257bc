// The targets (they are reported, not enforced) and how a corpus's results meet them.

export const TARGETS = {
  stdlibRssMb: 150,
  largeRssMb: 250,
  largeFiles: 50000,
  timeRatio: 1.5,
  hostGrowthMb: 20,
  messageBytes: 16 * 1024,
  rerunFraction: 0.1,
  rerunMsAt10k: 1000,
};

/** Pass/fail per target for one corpus's results. Ratios are checked exact (a rounded 0.1 can hide 10.4%). */
export function targetsOf(r) {
  const t = [];
  if (r.corpus === 'stdlib') t.push({ name: `worker peak RSS ≤ ${TARGETS.stdlibRssMb} MB (stdlib)`, value: r.cold.workerPeakRssMb, pass: r.cold.workerPeakRssMb <= TARGETS.stdlibRssMb });
  if (r.files >= TARGETS.largeFiles * 0.9) t.push({ name: `worker peak RSS ≤ ${TARGETS.largeRssMb} MB (50k files)`, value: r.cold.workerPeakRssMb, pass: r.cold.workerPeakRssMb <= TARGETS.largeRssMb });
  const vsAstGrep = r.cold.wallMs / Math.max(1, r.astGrep.ms);
  t.push({ name: `time ≤ ${TARGETS.timeRatio}× ast-grep scan`, value: round(vsAstGrep, 2), pass: vsAstGrep <= TARGETS.timeRatio });
  t.push({ name: `host growth ≤ ${TARGETS.hostGrowthMb} MB (${r.claims}-claim run)`, value: r.cold.hostRssGrowthMb, pass: r.cold.hostRssGrowthMb <= TARGETS.hostGrowthMb });
  const runs = [r.cold, r.warm, r.warmSeen];
  const largest = Math.max(...runs.map((x) => x.largestMessageBytes));
  t.push({ name: 'no message over 16 KB', value: largest, pass: largest <= TARGETS.messageBytes && runs.every((x) => x.messagesOver16k === 0) });
  const at10k = r.files >= 9000 && r.files <= 11000;
  const bound = `≤ ${TARGETS.rerunFraction * 100}% of cold${at10k ? ' and ≤ 1 s' : ''}`;
  const rerun = (name, x) => {
    const share = x.wallMs / Math.max(1, r.cold.wallMs);
    t.push({ name: `${name} ${bound}`, value: round(share, 3), pass: share <= TARGETS.rerunFraction && (!at10k || x.wallMs <= TARGETS.rerunMsAt10k) });
  };
  rerun('re-run after an edit the card cannot see', r.warm);
  rerun('re-run after an edit of a setting the card states', r.warmSeen);
  for (const x of runs) if (x.outcome !== 'done') t.push({ name: 'run completed', value: x.outcome, pass: false });
  return t;
}

function round(n, digits) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
