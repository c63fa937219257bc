import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';
import type { FactExtraction } from './factCollector.js';
import { ThreadMessageSchema, type ExtractionRequest } from './extractionMessages.js';
import type { TailInfo } from './resultsFacts.js';

/** File name of the thread entry, bundled next to dist/cli.js and dist/worker.js (esbuild.config.mjs). */
export const EXTRACTION_THREAD_FILE = 'extractionThread.js';

/** Environment variable that sets the default thread count (`0`: extract on the calling thread). */
export const EXTRACT_THREADS_ENV = 'CARDCHECK_EXTRACT_THREADS';

export type InThreadExtraction = (file: WorkspaceFile, text: string, partial?: 'tail', tail?: TailInfo) => Promise<FactExtraction>;

export interface ExtractionPoolOptions {
  /** Threads at most (at least 1); they start on demand. */
  threads: number;
  /** Absolute path of the thread entry (a bundled extractionThread.js). */
  entry: string;
  /** Used for every file once threads prove unable to start (see `broken`). */
  fallback: InThreadExtraction;
  /** A thread idle this long ends; the next file starts a new one. */
  idleMs?: number;
  /** V8 heap cap of each thread: a pathological file ends its thread, not the process. */
  maxOldGenerationSizeMb?: number;
}

export interface ExtractionPoolStats {
  threadsStarted: number;
  /** Files whose facts came from a thread (with or without a warning about the thread). */
  filesOnThreads: number;
  threadsLost: number;
}

interface Job {
  request: ExtractionRequest;
  resolve: (r: FactExtraction) => void;
}

interface Thread {
  worker: Worker;
  /** It reported its modules loaded: a death from now on is blamed on the file it was given. */
  ready: boolean;
  job?: Job;
  idleTimer?: NodeJS.Timeout;
  /** Why it stopped, when it said so ('error' comes before 'exit'). */
  failure?: Error;
}

const DEFAULT_IDLE_MS = 3000;
const DEFAULT_MAX_OLD_GENERATION_MB = 256;
/** Threads that die before loading, in a row, before the pool gives up on threads. */
const MAX_START_FAILURES = 2;

/**
 * A few worker threads that turn one file's text into its facts (extractFacts, on the thread):
 * what costs the main thread most on a large workspace is walking Python trees through napi, and
 * that work is independent per file. Files queue beyond the threads (the pipeline bounds the
 * files in flight). Threads start on first use, are unref'ed while idle and end after `idleMs`
 * idle, so neither the CLI nor the worker process waits on them at exit. A thread that crashes or
 * runs out of heap costs a warning for the file it had and is replaced for the others.
 */
export class ExtractionPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private readonly idleMs: number;
  private readonly heapMb: number;
  private nextId = 1;
  private startFailures = 0;
  private closing: Promise<void> | undefined;
  private readonly drainWaiters: (() => void)[] = [];
  /** Threads cannot start here (the entry fails to load): every file goes to `fallback`. */
  private broken = false;
  readonly stats: ExtractionPoolStats = { threadsStarted: 0, filesOnThreads: 0, threadsLost: 0 };

  constructor(private readonly options: ExtractionPoolOptions) {
    this.idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.heapMb = options.maxOldGenerationSizeMb ?? DEFAULT_MAX_OLD_GENERATION_MB;
  }

  /** extractFacts' result for this file, computed on a thread. Never rejects. */
  extract(file: WorkspaceFile, text: string, partial?: 'tail', tail?: TailInfo): Promise<FactExtraction> {
    if (this.broken) return this.options.fallback(file, text, partial, tail);
    return new Promise((resolve) => {
      const request: ExtractionRequest = { id: this.nextId++, file, text };
      if (partial) request.partial = partial;
      if (tail) request.tail = tail;
      this.queue.push({ request, resolve });
      this.pump();
    });
  }

  /** Threads now running (busy or idle). */
  get liveThreads(): number {
    return this.threads.length;
  }

  /**
   * Ends every thread once the files already submitted are done. The pool stays usable: a later
   * `extract` starts threads again.
   */
  close(): Promise<void> {
    this.closing ??= this.closeWhenDone().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  /**
   * Ends the thread working on `relPath` as a crash would (for tests of crash handling).
   * False when no thread has that file at the moment.
   */
  terminateThreadOf(relPath: string): boolean {
    const thread = this.threads.find((t) => t.job?.request.file.relPath === relPath);
    if (!thread) return false;
    void thread.worker.terminate();
    return true;
  }

  private async closeWhenDone(): Promise<void> {
    if (this.queue.length > 0 || this.threads.some((t) => t.job)) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    await Promise.all([...this.threads].map((t) => this.retire(t)));
  }

  private notifyIfDrained(): void {
    if (this.drainWaiters.length === 0 || this.queue.length > 0 || this.threads.some((t) => t.job)) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.broken) {
        for (const job of this.queue.splice(0)) this.runHere(job);
        break;
      }
      const thread = this.threads.find((t) => !t.job) ?? (this.threads.length < this.options.threads ? this.spawn() : undefined);
      // A spawn that failed marked the pool broken: the next turn hands the queue to `fallback`.
      if (!thread && this.broken) continue;
      if (!thread) break;
      const job = this.queue.shift() as Job;
      this.assign(thread, job);
    }
    this.notifyIfDrained();
  }

  /** On the calling thread, through `fallback`. */
  private runHere(job: Job): void {
    const { file, text, partial, tail } = job.request;
    void this.options.fallback(file, text, partial, tail).then(job.resolve);
  }

  private assign(thread: Thread, job: Job): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = undefined;
    thread.job = job;
    // While it has a file, the thread keeps the process alive: the caller awaits its answer.
    thread.worker.ref();
    thread.worker.postMessage(job.request);
  }

  private spawn(): Thread | undefined {
    let worker: Worker;
    try {
      worker = new Worker(this.options.entry, {
        resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
        // The thread never prints; a stray console call must not reach the CLI's JSON on stdout.
        // (Left unread: reading the stream would keep the process alive while the thread idles.)
        stdout: true,
      });
    } catch {
      this.broken = true;
      return undefined;
    }
    this.stats.threadsStarted++;
    const thread: Thread = { worker, ready: false };
    this.threads.push(thread);
    worker.on('message', (raw: unknown) => this.onMessage(thread, raw));
    worker.on('error', (err: Error) => {
      thread.failure ??= err;
    });
    worker.on('messageerror', (err: Error) => this.onMessage(thread, err));
    worker.on('exit', (code: number) => this.onExit(thread, code));
    return thread;
  }

  private onMessage(thread: Thread, raw: unknown): void {
    const message = ThreadMessageSchema.safeParse(raw);
    if (message.success && message.data.kind === 'ready') {
      thread.ready = true;
      this.startFailures = 0;
      return;
    }
    const job = thread.job;
    if (!job) return;
    thread.job = undefined;
    this.stats.filesOnThreads++;
    const { file } = job.request;
    const problem = `${file.relPath}: could not read facts from this ${file.kind} file`;
    if (!message.success || message.data.kind !== 'done' || (message.data.id !== job.request.id && message.data.id !== -1)) {
      job.resolve({ facts: [], warnings: [`${problem}: the extraction thread sent a malformed reply`] });
    } else if (message.data.id === -1) {
      // The thread could not read the request, so its warning names no file.
      job.resolve({ facts: [], warnings: message.data.warnings.map((w) => `${problem}: ${w}`) });
    } else {
      job.resolve({ facts: message.data.facts, warnings: message.data.warnings });
    }
    this.idle(thread);
    this.pump();
  }

  private idle(thread: Thread): void {
    if (this.queue.length > 0) return;
    thread.worker.unref();
    thread.idleTimer = setTimeout(() => void this.retire(thread), this.idleMs);
    thread.idleTimer.unref();
  }

  /** Ends an idle thread on purpose (idle for long, or the pool closing). */
  private async retire(thread: Thread): Promise<void> {
    if (thread.job) return;
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    this.remove(thread);
    await thread.worker.terminate();
  }

  private remove(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
  }

  private onExit(thread: Thread, code: number): void {
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    this.remove(thread);
    const job = thread.job;
    thread.job = undefined;
    if (job) {
      if (!thread.ready) {
        // It died loading, before reading the file: the file is not to blame; try it again.
        this.queue.unshift(job);
        if (++this.startFailures >= MAX_START_FAILURES) this.broken = true;
      } else {
        this.stats.threadsLost++;
        this.stats.filesOnThreads++;
        const { file } = job.request;
        job.resolve({ facts: [], warnings: [`${file.relPath}: could not read facts from this ${file.kind} file: ${this.exitReason(thread, code)}`] });
      }
    }
    this.pump();
  }

  private exitReason(thread: Thread, code: number): string {
    const err = thread.failure;
    if (err && 'code' in err && err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return `extracting its facts ran out of memory (limit ${this.heapMb} MB per extraction thread)`;
    }
    if (err) return `the extraction thread failed (${err.message.split('\n')[0]})`;
    return `the extraction thread stopped (exit code ${code})`;
  }
}

/** Thread count when the engine options do not set one: CARDCHECK_EXTRACT_THREADS, else up to 2 cores. */
export function defaultExtractionThreads(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env[EXTRACT_THREADS_ENV]?.trim();
  if (fromEnv && /^\d{1,2}$/.test(fromEnv)) return Number(fromEnv);
  return Math.min(2, os.availableParallelism());
}

let entryMemo: string | null | undefined;

/**
 * The bundled thread entry next to the running bundle (dist/cli.js, dist/worker.js). Undefined
 * when running from TypeScript sources (tests): there is nothing a thread could load.
 */
export function extractionThreadEntry(): string | undefined {
  if (entryMemo === undefined) {
    const dir = typeof __dirname === 'string' ? __dirname : undefined;
    const candidate = dir ? path.join(dir, EXTRACTION_THREAD_FILE) : undefined;
    entryMemo = candidate && existsSync(candidate) ? candidate : null;
  }
  return entryMemo ?? undefined;
}

const shared = new Map<number, ExtractionPool>();

/**
 * The process's pool with `threads` threads, created on first use; undefined when `threads` is 0
 * or there is no thread entry (the caller then extracts on its own thread).
 */
export function sharedExtractionPool(threads: number, fallback: InThreadExtraction): ExtractionPool | undefined {
  if (threads <= 0) return undefined;
  const entry = extractionThreadEntry();
  if (!entry) return undefined;
  let pool = shared.get(threads);
  if (!pool) {
    pool = new ExtractionPool({ threads, entry, fallback });
    shared.set(threads, pool);
  }
  return pool;
}

/** Ends the shared pools' threads once their files are done (at the end of a run). */
export async function closeSharedExtractionPools(): Promise<void> {
  await Promise.all([...shared.values()].map((p) => p.close()));
}
