// An SVG chart of time and memory against workspace size (generated corpora, log scale in x):
// CardCheck cold and re-run time, the ast-grep scan and ripgrep, and the worker's peak RSS.

const W = 760;
const H = 340;
const PAD = { left: 60, right: 20, top: 40, bottom: 50 };
const COLORS = { cold: '#1f77b4', warm: '#2ca02c', warmSeen: '#17becf', astGrep: '#ff7f0e', rg: '#9467bd', rss: '#d62728' };

export function renderChart(report) {
  const rows = report.results.filter((r) => r.corpus.startsWith('gen-')).sort((a, b) => a.files - b.files);
  const panelW = (W - PAD.left - PAD.right - 60) / 2;
  const time = panel(rows, 'Time (s)', PAD.left, panelW, [
    ['CardCheck cold', COLORS.cold, (r) => r.cold.wallMs / 1000],
    ['re-run, unseen edit', COLORS.warm, (r) => r.warm.wallMs / 1000],
    ['re-run, stated setting edited', COLORS.warmSeen, (r) => r.warmSeen.wallMs / 1000],
    ['ast-grep scan', COLORS.astGrep, (r) => r.astGrep.ms / 1000],
    ['ripgrep', COLORS.rg, (r) => r.ripgrep.ms / 1000],
  ]);
  const mem = panel(rows, 'Worker peak RSS (MB)', PAD.left + panelW + 60, panelW, [
    ['worker peak RSS', COLORS.rss, (r) => r.cold.workerPeakRssMb],
  ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">CardCheck: time and memory against workspace size (${escapeXml(report.machine.cpu)}, ${report.machine.cores} cores)</text>
${time}
${mem}
</svg>
`;
}

function panel(rows, title, x0, width, series) {
  const y0 = PAD.top;
  const height = H - PAD.top - PAD.bottom;
  if (rows.length === 0) return `<text x="${x0}" y="${y0 + 20}">no generated corpora</text>`;
  const xs = rows.map((r) => Math.log10(r.files));
  const xMin = Math.min(...xs) - 0.15;
  const xMax = Math.max(...xs) + 0.15;
  const yMax = niceMax(Math.max(...series.flatMap(([, , f]) => rows.map(f))));
  const px = (v) => x0 + ((Math.log10(v) - xMin) / (xMax - xMin)) * width;
  const py = (v) => y0 + height - (v / yMax) * height;
  const out = [`<text x="${x0 + width / 2}" y="${y0 - 8}" text-anchor="middle" font-weight="bold">${title}</text>`];
  out.push(`<line x1="${x0}" y1="${y0 + height}" x2="${x0 + width}" y2="${y0 + height}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + height}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(`<line x1="${x0 - 4}" y1="${py(v)}" x2="${x0 + width}" y2="${py(v)}" stroke="#ddd"/><text x="${x0 - 6}" y="${py(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  for (const r of rows) out.push(`<text x="${px(r.files)}" y="${y0 + height + 16}" text-anchor="middle">${r.files.toLocaleString('en-US')}</text>`);
  out.push(`<text x="${x0 + width / 2}" y="${y0 + height + 34}" text-anchor="middle">files (log scale)</text>`);
  series.forEach(([name, color, f], i) => {
    const pts = rows.map((r) => `${px(r.files).toFixed(1)},${py(f(r)).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    for (const r of rows) out.push(`<circle cx="${px(r.files).toFixed(1)}" cy="${py(f(r)).toFixed(1)}" r="3" fill="${color}"/>`);
    out.push(`<rect x="${x0 + 8}" y="${y0 + 6 + i * 15}" width="10" height="10" fill="${color}"/><text x="${x0 + 22}" y="${y0 + 15 + i * 15}">${name}</text>`);
  });
  return out.join('\n');
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v) {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(0) : v.toFixed(1);
}

function escapeXml(s) {
  return String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
}
