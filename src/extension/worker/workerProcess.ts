import { fork, type ChildProcess } from 'node:child_process';
import type { ClaimResult, EngineWarning, Stats, Summary } from '../../engine/model.js';
import type { Progress } from '../../protocol/events.js';
import { CreditGranter } from '../../protocol/flowControl.js';
import { truncate } from '../../protocol/messageBudget.js';
import {
  assertMessageSize,
  splitText,
  WorkerToHostSchema,
  type HostToWorker,
  type WireJob,
} from '../../protocol/workerMessages.js';
import { killProcessTree } from './processTree.js';
import type { ReadyWorker } from './readyWorker.js';

/** Exit code of a worker that stopped on a cancel message (src/worker/workerRun.ts WORKER_EXIT). */
const EXIT_CANCELLED = 5;

export interface WorkerLaunch {
  /** Absolute path of dist/worker.js. */
  script: string;
  /** V8 old-space cap for the worker, in MB. */
  heapMb: number;
  /** Claims in flight before the worker waits for an ack. */
  window?: number;
  env?: NodeJS.ProcessEnv;
}

export interface WorkerHandlers {
  onStart?(card: { path: string; format: 'markdown' | 'docx' | 'text' }): void;
  onProgress?(progress: Progress): void;
  /** May return a promise: the ack (and so the worker's next credit) waits for it. */
  onClaim(claim: ClaimResult, seq: number): void | Promise<void>;
  onWarning?(warning: EngineWarning): void;
  onWarningsOmitted?(count: number): void;
  /** Worker stderr, a line at a time (bounded). */
  onStderr?(line: string): void;
}

export type WorkerOutcome =
  | { kind: 'done'; summary: Summary; stats: Stats; claimsReceived: number }
  | { kind: 'failed'; message: string; path?: string; claimsReceived: number }
  | { kind: 'cancelled'; claimsReceived: number }
  | { kind: 'crashed'; message: string; exitCode: number | null; signal: NodeJS.Signals | null; claimsReceived: number };

/**
 * glibc malloc settings for the worker (other C libraries ignore them; the user's environment
 * wins). Parse trees are freed in bursts, and with its default, adaptive thresholds glibc keeps
 * much of that memory: with fixed 128 KB mmap and trim thresholds, six cold stdlib runs through
 * the bench host peaked at 245-259 MB instead of 266-291 MB, in 29.9-42.3 s instead of
 * 31.6-41.2 s (interleaved).
 */
export const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

/**
 * The worker's young generation, in MB per semi-space (V8's default on 64-bit is 16). Parse trees
 * live outside the heap until their small wrappers are collected, and most die young: a smaller
 * young generation collects them sooner. With the native-memory guard's settings, three
 * interleaved cold stdlib runs through the bench host peaked at 174-175 MB in 30.6-31.3 s with 8,
 * at 183-187 MB in 28.1-35.2 s without it, and at 207-214 MB in 29.1-30.8 s with neither.
 */
export const WORKER_SEMI_SPACE_MB = 8;

/** Starts a worker process; it waits for its job (see ReadyWorker for starting one ahead). */
export function forkWorker(launch: WorkerLaunch): ChildProcess {
  return fork(launch.script, [], {
    execArgv: [`--max-old-space-size=${Math.max(64, Math.floor(launch.heapMb))}`, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`],
    // Own process group on POSIX, so cancel can kill the whole tree at once.
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
    // In VS Code (Electron) the executable is only a Node when asked to be.
    env: { ...WORKER_MALLOC_ENV, ...process.env, ...launch.env, ELECTRON_RUN_AS_NODE: '1' },
  });
}

/** The longest wait between asking a worker to die and reporting it dead. */
const KILL_GRACE_MS = 1000;
const STDERR_TAIL_CHARS = 4000;

/**
 * One forked worker running one verification. Messages are parsed with zod, claim results are
 * acknowledged after the host handled them (credit flow control), and the outcome distinguishes
 * a finished run, an engine error, a cancel and a crash. Nothing here imports `vscode`.
 */
export class WorkerProcess {
  readonly outcome: Promise<WorkerOutcome>;
  private child: ChildProcess;
  private cancelled = false;
  private claimsReceived = 0;
  private result: WorkerOutcome | undefined;
  private stderrTail = '';
  private exited = false;
  private readonly exitedPromise: Promise<void>;

  private constructor(launch: WorkerLaunch, first: HostToWorker[], handlers: WorkerHandlers, window: number, ready: ReadyWorker | undefined) {
    const spare = ready?.take(launch);
    this.child = spare ?? forkWorker(launch);
    const granter = new CreditGranter(window, (upTo) => this.post({ type: 'ack', upTo }));
    let resolveExited: () => void = () => undefined;
    this.exitedPromise = new Promise<void>((r) => (resolveExited = r));

    this.outcome = new Promise<WorkerOutcome>((resolve) => {
      let chain: Promise<void> = Promise.resolve();
      const settle = (o: WorkerOutcome): void => {
        if (!this.result) this.result = o;
      };

      // A worker started ahead can die an instant before it is taken, its exit not yet seen: one
      // that goes without a word about the job is replaced, once, by a new one.
      let heardFromSpare = false;
      const replaced = (child: ChildProcess): boolean => {
        if (child !== spare || heardFromSpare || this.cancelled) return false;
        this.child = forkWorker(launch);
        listen(this.child);
        for (const m of first) this.post(m);
        return true;
      };

      const listen = (child: ChildProcess): void => {
        child.stderr?.setEncoding('utf8');
        child.stderr?.on('data', (chunk: string) => {
          if (child !== this.child) return;
          this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
          for (const line of chunk.split(/\r?\n/)) if (line.trim()) handlers.onStderr?.(truncate(line, 500));
        });

        child.on('message', (raw: unknown) => {
          if (child !== this.child) return;
          const parsed = WorkerToHostSchema.safeParse(raw);
          if (!parsed.success) {
            settle({ kind: 'failed', message: `invalid message from the worker: ${parsed.error.issues[0]?.message ?? 'unknown'}`, claimsReceived: this.claimsReceived });
            killProcessTree(child);
            return;
          }
          const msg = parsed.data;
          // What a worker said before it was taken (loaded, read ahead) says nothing of the job.
          if (msg.type === 'ready' || msg.type === 'prepared') return;
          heardFromSpare = true;
          if (msg.type === 'warningsOmitted') {
            handlers.onWarningsOmitted?.(msg.count);
            return;
          }
          if (msg.type === 'lines') return;
          const event = msg.event;
          switch (event.type) {
            case 'start':
              handlers.onStart?.(event.card);
              return;
            case 'progress':
              handlers.onProgress?.(event.progress);
              return;
            case 'warning':
              handlers.onWarning?.(event.warning);
              return;
            case 'claim': {
              if (this.cancelled) return;
              this.claimsReceived += 1;
              const seq = event.seq;
              // Handle claims in order; ack only once handled, so a slow host slows the worker down.
              chain = chain
                .then(() => handlers.onClaim(event.claim, seq))
                .catch(() => undefined)
                .then(() => granter.handledUpTo(seq));
              return;
            }
            case 'done':
              chain = chain.then(() => settle({ kind: 'done', summary: event.summary, stats: event.stats, claimsReceived: this.claimsReceived }));
              return;
            case 'error':
              chain = chain.then(() =>
                settle({ kind: 'failed', message: event.message, ...(event.path !== undefined ? { path: event.path } : {}), claimsReceived: this.claimsReceived }),
              );
              return;
          }
        });

        child.on('error', (error) => {
          if (child !== this.child || replaced(child)) return;
          settle({ kind: 'crashed', message: `the worker could not run: ${error.message}`, exitCode: null, signal: null, claimsReceived: this.claimsReceived });
          this.exited = true;
          resolveExited();
          void chain.then(() => resolve(this.result ?? { kind: 'cancelled', claimsReceived: this.claimsReceived }));
        });

        // 'exit' can precede the last IPC messages; 'close' follows them (and stderr). A grandchild
        // holding stderr open must not hang the outcome, hence the timer.
        let finalizing = false;
        const finalize = (code: number | null, signal: NodeJS.Signals | null): void => {
          if (finalizing || child !== this.child) return;
          finalizing = true;
          void chain.then(() => {
            if (this.cancelled) settle({ kind: 'cancelled', claimsReceived: this.claimsReceived });
            else if (!this.result) {
              if (code === EXIT_CANCELLED) settle({ kind: 'cancelled', claimsReceived: this.claimsReceived });
              else settle(this.crash(code, signal, launch.heapMb));
            }
            resolve(this.result ?? { kind: 'cancelled', claimsReceived: this.claimsReceived });
          });
        };
        child.on('exit', (code, signal) => {
          if (child !== this.child || replaced(child)) return;
          this.exited = true;
          resolveExited();
          setTimeout(() => finalize(code, signal), 500).unref?.();
        });
        child.on('close', (code, signal) => finalize(code, signal));
      };
      listen(this.child);
    });

    for (const m of first) this.post(m);
  }

  /**
   * Starts verifying in the worker `ready` holds for this launch, else in a new one. `cardText`
   * is the unsaved editor buffer, if any.
   */
  static verify(
    launch: WorkerLaunch,
    job: Omit<WireJob, 'cardTextChunks'>,
    cardText: string | undefined,
    handlers: WorkerHandlers,
    ready?: ReadyWorker,
  ): WorkerProcess {
    const window = launch.window ?? 32;
    const chunks = cardText !== undefined ? splitText(cardText) : [];
    const first: HostToWorker[] = chunks.map((text, index) => ({ type: 'cardText', index, text }));
    first.push({ type: 'verify', job: { ...job, cardTextChunks: chunks.length }, window });
    return new WorkerProcess(launch, first, handlers, window, ready);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** Kills the worker's whole process tree; resolves once it is gone (at most about a second). */
  async cancel(): Promise<void> {
    if (this.exited) return;
    this.cancelled = true;
    killProcessTree(this.child);
    await Promise.race([this.exitedPromise, new Promise<void>((r) => setTimeout(r, KILL_GRACE_MS).unref?.())]);
  }

  private crash(code: number | null, signal: NodeJS.Signals | null, heapMb: number): WorkerOutcome {
    const tail = this.stderrTail.trim();
    const oom = /heap out of memory|Allocation failed/i.test(tail);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const why = oom ? ` after exceeding its ${heapMb} MB heap cap (setting cardcheck.workerMemoryMb)` : '';
    const detail = tail && !oom ? `: ${truncate(tail.split(/\r?\n/).slice(-3).join(' | '), 600)}` : '';
    return {
      kind: 'crashed',
      message: `The CardCheck worker ${how}${why}${detail}. ${this.claimsReceived} claim(s) decided before the crash are kept.`,
      exitCode: code,
      signal,
      claimsReceived: this.claimsReceived,
    };
  }

  private post(message: HostToWorker): void {
    if (this.exited || !this.child.connected) return;
    assertMessageSize(message);
    this.child.send(message, (error) => {
      // The worker may exit between the check and the send; its exit is reported separately.
      void error;
    });
  }
}

/** Loads a card's text lines (what a .docx card reads as) in a short-lived worker. */
export function loadCardLines(
  launch: WorkerLaunch,
  cardPath: string,
): { promise: Promise<{ format: 'markdown' | 'docx' | 'text'; lines: string[] }>; cancel: () => void } {
  const child = forkWorker(launch);
  const promise = new Promise<{ format: 'markdown' | 'docx' | 'text'; lines: string[] }>((resolve, reject) => {
    const lines: string[] = [];
    let stderr = '';
    let settled = false;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => (stderr = (stderr + c).slice(-STDERR_TAIL_CHARS)));
    child.on('message', (raw: unknown) => {
      const parsed = WorkerToHostSchema.safeParse(raw);
      if (!parsed.success || settled) return;
      const msg = parsed.data;
      if (msg.type === 'lines') {
        for (const l of msg.lines) lines.push(l);
        if (msg.last) {
          settled = true;
          resolve({ format: msg.format, lines });
        }
      } else if (msg.type === 'event' && msg.event.type === 'error') {
        settled = true;
        reject(new Error(msg.event.message));
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the CardCheck worker ${signal ? `was killed by ${signal}` : `exited with code ${code}`} while reading ${cardPath}${stderr ? `: ${truncate(stderr.trim(), 400)}` : ''}`));
    });
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
  });
  child.send({ type: 'cardLines', cardPath } satisfies HostToWorker);
  return { promise, cancel: () => killProcessTree(child) };
}
