#!/usr/bin/env node
// `npm run bench` — see bench/README.md. Not part of `npm test`.
//
//   node bench/run.mjs [--sizes 1000,10000,50000] [--no-stdlib] [--dir DIR] [--claims 300]
//                      [--heap-mb 1536] [--out bench/results]
//
// For each corpus (the python3 standard library, generated workspaces of each size) and a
// generated 300-claim card: ripgrep over the same files for the card's key names, the ast-grep
// CLI scan of the engine's Python rules over the same Python files, then CardCheck through the
// extension's worker (cold, with a fresh fact cache), then again after editing one file (warm).
// Writes bench/results/*.json, results.md and chart.svg, and prints the table with pass/fail.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildVendorBundles, vendorBundlesPlugin } from '../scripts/vendorBundles.mjs';
import { asciiBundlePlugin } from '../scripts/asciiBundle.mjs';
import { generatedCard, generatedWorkspace, pythonStdlib } from './corpora.mjs';
import { renderChart } from './chart.mjs';
import { renderMarkdown } from './table.mjs';
import { TARGETS, targetsOf } from './targets.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,50000' },
    'no-stdlib': { type: 'boolean', default: false },
    dir: { type: 'string', default: process.env.CARDCHECK_BENCH_DIR ?? path.join(os.tmpdir(), 'cardcheck-bench') },
    claims: { type: 'string', default: '300' },
    // The extension's default worker heap cap (setting cardcheck.workerMemoryMb).
    'heap-mb': { type: 'string', default: '1536' },
    out: { type: 'string', default: path.join(REPO, 'bench', 'results') },
  },
});

const log = (s) => process.stderr.write(`bench: ${s}\n`);

async function main() {
  const benchDir = path.resolve(args.dir);
  await mkdir(benchDir, { recursive: true });
  log(`corpora and caches in ${benchDir}`);

  // The bench bundles its own worker (as esbuild.config.mjs bundles dist/worker.js): a rebuild
  // of dist/ during a long run must not change the engine between the cold and the warm run.
  const tools = await bundleTools();
  const worker = tools.worker;
  const machine = machineInfo();
  const astGrep = path.join(REPO, 'node_modules', '.bin', 'ast-grep');
  const rulesFile = path.join(benchDir, 'python-rules.yml');
  await writeFile(rulesFile, tools.engine.pythonRulesYaml());

  const card = await generatedCard(benchDir, Number(args.claims));
  const keys = await tools.engine.cardKeyPattern(card);
  log(`card ${card}: ${keys.claims} claims on ${keys.keys.length} keys`);

  const corpora = [];
  if (!args['no-stdlib']) {
    const std = pythonStdlib();
    corpora.push({ name: 'stdlib', label: `Python ${std.version} stdlib`, root: std.dir });
  }
  for (const n of args.sizes.split(',').map((s) => Number(s.trim())).filter((n) => n > 0)) {
    corpora.push({ name: `gen-${n}`, label: `generated ${n.toLocaleString('en-US')} files`, root: await generatedWorkspace(benchDir, n, log) });
  }

  const results = [];
  for (const corpus of corpora) {
    log(`== ${corpus.label} (${corpus.root})`);
    const files = await tools.engine.filesOfRun(corpus.root, card);
    const bytes = sumSizes(files.read);
    log(`${files.read.length} files read by CardCheck (${files.python.length} Python), ${(bytes / 1e6).toFixed(1)} MB`);

    // Warm the page cache so no tool pays the first read alone.
    await timed('rg', ['-c', 'zzzz-warm-up', '--no-messages'], files.read);

    const rg = await timed('rg', ['--count-matches', '--no-filename', '--no-messages', '-e', keys.pattern], files.read);
    log(`ripgrep: ${rg.ms} ms, ${rg.lines} files with matches`);
    const sg = await timed(astGrep, ['scan', '--rule', rulesFile, '--json=stream'], files.python);
    log(`ast-grep scan: ${sg.ms} ms, ${sg.lines} matches`);

    const cacheDir = path.join(benchDir, `cache-${corpus.name}`);
    await rm(cacheDir, { recursive: true, force: true });
    const cold = await host(tools.host, { worker, card, root: corpus.root, cacheDir, heapMb: Number(args['heap-mb']) });
    log(`CardCheck cold: ${fmtRun(cold)}`);

    // Two re-runs after one edit each: one the card cannot see (no word of it or of its file is
    // the card's), one of a setting the card states (its claims must be decided again).
    const cardWords = new Set(await tools.engine.cardWords(card));
    // The card's filter keeps a numeric fact that shares a word of three or more letters with the
    // card (its own or its file's); the line's words must not reach the vocabulary either.
    const unseenBy = (text, minLength) => !tools.engine.wordsOf(text).some((w) => w.length >= minLength && cardWords.has(w));
    if (!unseenBy(UNSEEN_LINE, 1)) throw new Error(`the card uses a word of "${UNSEEN_LINE}": pick another line for the unseen edit`);
    // A re-run finds its worker loaded, as in the extension after a run (setting keepWorkerReady,
    // on by default); `ready: false` forks it on demand, as for a first run.
    const job = (ready) => ({ worker, card, root: corpus.root, cacheDir, heapMb: Number(args['heap-mb']), ready });
    // A re-run is timed RERUNS times, each time from the unedited workspace's cache (a run after
    // the edit is undone brings it back), and the median is kept: one sample on this kind of
    // machine varies by a third. Every time goes to the JSON (`wallMsRuns`).
    const rerun = async (pythonFiles, line, ready = true) => {
      const runs = [];
      let edited;
      for (let i = 0; i < RERUNS; i++) {
        const edit = await appendLine(pythonFiles, line);
        edited = edit.file;
        try {
          runs.push(await host(tools.host, job(ready)));
        } finally {
          await edit.restore();
        }
        await host(tools.host, job(true));
      }
      const median = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)];
      return { ...median, wallMsRuns: runs.map((r) => r.wallMs), editedFile: path.relative(corpus.root, edited) };
    };
    const runsOf = (r) => `median of ${r.wallMsRuns.join(', ')} ms: ${fmtRun(r)}`;
    const unseenFiles = files.python.filter((f) => unseenBy(path.relative(corpus.root, f), 3));
    const warm = await rerun(unseenFiles, UNSEEN_LINE);
    log(`CardCheck after an edit the card cannot see (${warm.editedFile}): ${runsOf(warm)}`);
    const warmForked = await rerun(unseenFiles, UNSEEN_LINE, false);
    log(`CardCheck after the same edit, its worker forked on demand: ${runsOf(warmForked)}`);
    const warmSeen = await rerun(files.python, SEEN_LINE);
    log(`CardCheck after an edit of a setting the card states (${warmSeen.editedFile}): ${runsOf(warmSeen)}`);

    const result = {
      corpus: corpus.name,
      label: corpus.label,
      files: files.read.length,
      pythonFiles: files.python.length,
      megabytes: Math.round(bytes / 1e5) / 10,
      claims: keys.claims,
      ripgrep: { ms: rg.ms, filesWithMatches: rg.lines },
      astGrep: { ms: sg.ms, matches: sg.lines },
      cold,
      warm: { ...warm, line: UNSEEN_LINE },
      warmForked: { ...warmForked, line: UNSEEN_LINE },
      warmSeen: { ...warmSeen, line: SEEN_LINE },
      ratios: {
        coldVsAstGrep: round2(cold.wallMs / Math.max(1, sg.ms)),
        coldVsRipgrep: round2(cold.wallMs / Math.max(1, rg.ms)),
        warmVsCold: round2(warm.wallMs / Math.max(1, cold.wallMs)),
        warmForkedVsCold: round2(warmForked.wallMs / Math.max(1, cold.wallMs)),
        warmSeenVsCold: round2(warmSeen.wallMs / Math.max(1, cold.wallMs)),
      },
    };
    result.targets = targetsOf(result);
    results.push(result);
    await mkdir(args.out, { recursive: true });
    await writeFile(path.join(args.out, `${corpus.name}.json`), `${JSON.stringify({ machine, result }, null, 2)}\n`);
  }

  const report = { generatedAt: new Date().toISOString(), machine, card: { claims: keys.claims, keys: keys.keys }, targets: TARGETS, results };
  await mkdir(args.out, { recursive: true });
  await writeFile(path.join(args.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const md = renderMarkdown(report);
  await writeFile(path.join(args.out, 'results.md'), md);
  await writeFile(path.join(args.out, 'chart.svg'), renderChart(report));
  process.stdout.write(`\n${md}\n`);
  log(`wrote ${path.relative(REPO, args.out)}/{latest.json,results.md,chart.svg}`);
}

/** Bundles the bench's TypeScript helpers next to node_modules, so native packages resolve. */
async function bundleTools() {
  const dir = path.join(REPO, 'node_modules', '.cache', 'cardcheck-bench');
  await mkdir(dir, { recursive: true });
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', '@ast-grep/*', 'koffi'], logLevel: 'warning', plugins: [asciiBundlePlugin] };
  await build({ ...common, entryPoints: [path.join(REPO, 'bench', 'benchHost.ts')], outfile: path.join(dir, 'benchHost.js') });
  await build({ ...common, entryPoints: [path.join(REPO, 'bench', 'engineTools.ts')], outfile: path.join(dir, 'engineTools.js') });
  const workerEntry = path.join(REPO, 'src', 'worker', 'main.ts');
  if (!existsSync(workerEntry)) throw new Error(`no ${workerEntry}: the worker entry is missing`);
  await build({ ...common, entryPoints: [workerEntry], outfile: path.join(dir, 'worker.js'), sourcemap: true, plugins: [vendorBundlesPlugin, ...common.plugins] });
  await buildVendorBundles(build, dir, common);
  // The worker's extraction pool loads its threads from next to worker.js.
  await build({ ...common, entryPoints: [path.join(REPO, 'src', 'engine', 'facts', 'extractionThread.ts')], outfile: path.join(dir, 'extractionThread.js'), sourcemap: true });
  const require = createRequire(import.meta.url);
  return { host: path.join(dir, 'benchHost.js'), worker: path.join(dir, 'worker.js'), engine: require(path.join(dir, 'engineTools.js')) };
}

/** One verification through the extension's worker protocol, measured by benchHost. */
function host(script, job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`benchHost exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line));
    });
  });
}

/**
 * Runs `cmd args... files` with the files split into command lines of bounded length (50k paths
 * do not fit one), one after the other; returns the total wall time and the lines of output.
 */
async function timed(cmd, baseArgs, files) {
  const chunks = [];
  let cur = [];
  let len = 0;
  for (const f of files) {
    if (len + f.length > 100_000 && cur.length > 0) {
      chunks.push(cur);
      cur = [];
      len = 0;
    }
    cur.push(f);
    len += f.length + 1;
  }
  if (cur.length > 0) chunks.push(cur);
  let ms = 0;
  let lines = 0;
  for (const chunk of chunks) {
    const started = performance.now();
    lines += await new Promise((resolve, reject) => {
      const child = spawn(cmd, [...baseArgs, ...chunk], { stdio: ['ignore', 'pipe', 'ignore'] });
      let n = 0;
      // Count lines as they stream: ast-grep's JSON for a large corpus runs to gigabytes.
      child.stdout.on('data', (d) => {
        for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) n++;
      });
      child.on('error', reject);
      child.on('close', () => resolve(n));
    });
    ms += performance.now() - started;
  }
  return { ms: Math.round(ms), lines };
}

/** A new setting no card word names (socket, backlog), for the re-run the card cannot see. */
const UNSEEN_LINE = 'socket_backlog = 12345';
/** Times each re-run is measured (the median is reported). */
const RERUNS = 3;
/** A setting every generated card states, with a value none of them does. */
const SEEN_LINE = 'learning_rate = 0.0123';

/** Appends `line` to the middle file of `pythonFiles` (as a user's edit would), and can put it back. */
async function appendLine(pythonFiles, line) {
  if (pythonFiles.length === 0) throw new Error(`no Python file to append "${line}" to`);
  const file = pythonFiles[Math.floor(pythonFiles.length / 2)];
  const original = await readFile(file);
  await writeFile(file, Buffer.concat([original, Buffer.from(`\n${line}\n`)]));
  return { file, restore: () => writeFile(file, original) };
}

function sumSizes(files) {
  let n = 0;
  for (const f of files) {
    try {
      n += statSync(f).size;
    } catch {
      // gone since the walk
    }
  }
  return n;
}

function machineInfo() {
  const cpus = os.cpus();
  const version = (cmd, a) => {
    const r = spawnSync(cmd, a, { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'unavailable';
  };
  let osName = `${os.type()} ${os.release()}`;
  try {
    const rel = readFileSync('/etc/os-release', 'utf8');
    osName = /PRETTY_NAME="([^"]+)"/.exec(rel)?.[1] ?? osName;
  } catch {
    // not Linux
  }
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: osName,
    node: process.version,
    astGrep: version(path.join(REPO, 'node_modules', '.bin', 'ast-grep'), ['--version']),
    ripgrep: version('rg', ['--version']),
    python: version('python3', ['--version']),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function fmtRun(r) {
  return `${r.outcome} in ${r.wallMs} ms, ${r.claims} claims, worker peak ${r.workerPeakRssMb} MB, host +${r.hostRssGrowthMb} MB, ${r.messages} messages (largest ${r.largestMessageBytes} B, ${r.messagesPerSecond}/s)${r.cache ? `, cache ${JSON.stringify(r.cache)}` : ''}`;
}

function round2(n) {
  return Math.round(n * 100) / 100;
}

main().catch((e) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
