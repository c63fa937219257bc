/**
 * The extension host's side of one verification, without VS Code: forks dist/worker.js through
 * the extension's own WorkerProcess (same fork options, zod-checked messages, credit window)
 * and keeps the results in the extension's CardRun, as verificationService.ts does. Measures
 * what the issue asks for and prints one JSON line. Run by bench/run.mjs as
 *   node --expose-gc benchHost.js '<job JSON>'
 */
import { SETTING_DEFAULTS } from '../src/extension/settingsSchema.js';
import childProcess, { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CardRun } from '../src/extension/runs/cardRun.js';
import { ReadyWorker } from '../src/extension/worker/readyWorker.js';
import { forkWorker, WorkerProcess, type WorkerOutcome } from '../src/extension/worker/workerProcess.js';
import { MAX_MESSAGE_BYTES } from '../src/protocol/events.js';
import { messageBytes } from '../src/protocol/workerMessages.js';

interface HostJob {
  worker: string;
  card: string;
  root: string;
  cacheDir?: string;
  heapMb: number;
  /** Start the worker ahead and wait until it has loaded, as the extension does after a run (setting keepWorkerReady). */
  ready?: boolean;
}

export interface HostResult {
  outcome: WorkerOutcome['kind'];
  message?: string;
  wallMs: number;
  claims: number;
  filesScanned?: number;
  facts?: number;
  factsIndexed?: number;
  cache?: unknown;
  summary?: unknown;
  /** Peak resident set of the worker (VmHWM), MB. */
  workerPeakRssMb: number;
  /** Highest RSS the worker itself reported in progress messages, MB. */
  workerReportedRssMb: number;
  /** Host RSS / heap growth over its idle baseline while receiving the run's events, MB. */
  hostRssGrowthMb: number;
  hostHeapGrowthMb: number;
  messages: number;
  largestMessageBytes: number;
  messagesOver16k: number;
  messagesPerSecond: number;
}

const MB = 1024 * 1024;

function vmHwmMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as HostJob;
  const gc = (globalThis as { gc?: () => void }).gc;

  // See every message the worker sends, as the extension receives it: wrap fork so the bench
  // gets the ChildProcess WorkerProcess creates (a listener of its own counts and sizes messages).
  let child: ChildProcess | undefined;
  let messages = 0;
  let largest = 0;
  let over = 0;
  let firstAt = 0;
  let lastAt = 0;
  const realFork = childProcess.fork;
  (childProcess as { fork: typeof realFork }).fork = ((...args: Parameters<typeof realFork>) => {
    const c = realFork(...args);
    child = c;
    c.on('message', (m: unknown) => {
      const now = performance.now();
      if (messages === 0) firstAt = now;
      lastAt = now;
      messages++;
      const bytes = messageBytes(m);
      largest = Math.max(largest, bytes);
      if (bytes > MAX_MESSAGE_BYTES) over++;
    });
    return c;
  }) as typeof realFork;

  const launch = { script: job.worker, heapMb: job.heapMb };
  // The extension's engine options, as a user with default settings runs it.
  const wireJob = { cardPath: job.card, workspaceRoot: job.root, options: { extractThreads: SETTING_DEFAULTS.extractionThreads, ...(job.cacheDir ? { cacheDir: job.cacheDir } : {}) } };
  let ready: ReadyWorker | undefined;
  if (job.ready) {
    ready = new ReadyWorker(forkWorker);
    // Told the job to come, as the extension tells it the card it just verified: it reads ahead.
    if (!(await ready.prepare(launch, wireJob))) throw new Error('the worker started ahead exited before it was ready');
    // Its "ready" message is not part of the run.
    messages = 0;
    largest = 0;
  }

  gc?.();
  gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.external;
  let workerPeak = 0;
  let workerReported = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external);
    if (child?.pid !== undefined) workerPeak = Math.max(workerPeak, vmHwmMb(child.pid) ?? 0);
  };
  const timer = setInterval(sample, 25);

  const run = new CardRun(`file://${job.card}`, job.card, job.root, 'bench');
  run.begin(Date.now());
  const started = performance.now();
  const worker = WorkerProcess.verify(
    launch,
    wireJob,
    undefined,
    {
      onProgress: (p) => {
        run.progress = p;
        if (p.rssMb !== undefined) workerReported = Math.max(workerReported, p.rssMb);
      },
      onClaim: (c) => run.addClaim(c),
      onWarning: (w) => run.addWarning(w),
      onWarningsOmitted: (n) => run.addNotice(`${n} more warnings`),
    },
    ready,
  );
  const outcome = await worker.outcome;
  const wallMs = performance.now() - started;
  sample();
  clearInterval(timer);

  const result: HostResult = {
    outcome: outcome.kind,
    ...('message' in outcome ? { message: outcome.message } : {}),
    wallMs: Math.round(wallMs),
    claims: run.claims.size,
    ...(outcome.kind === 'done'
      ? { filesScanned: outcome.stats.filesScanned, facts: outcome.stats.facts, factsIndexed: outcome.stats.factsIndexed, cache: outcome.stats.cache, summary: outcome.summary }
      : {}),
    workerPeakRssMb: Math.round(workerPeak),
    workerReportedRssMb: workerReported,
    hostRssGrowthMb: round1((peakRss - base.rss) / MB),
    hostHeapGrowthMb: round1((peakHeap - base.heapUsed - base.external) / MB),
    messages,
    largestMessageBytes: largest,
    messagesOver16k: over,
    messagesPerSecond: lastAt > firstAt ? Math.round((messages / (lastAt - firstAt)) * 1000) : messages,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

main().catch((e: unknown) => {
  process.stderr.write(`benchHost: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
