import type { ChildProcess } from 'node:child_process';
import { assertMessageSize, WorkerToHostSchema, type HostToWorker } from '../../protocol/workerMessages.js';
import { killProcessTree } from './processTree.js';
import type { WorkerLaunch } from './workerProcess.js';

/** How long a worker started ahead waits for a verification before it is stopped. */
export const READY_IDLE_MS = 5 * 60 * 1000;

/** The job a ready worker is told to expect (see the `prepare` message). */
export type NextJob = Extract<HostToWorker, { type: 'prepare' }>['job'];

interface Spare {
  child: ChildProcess;
  key: string;
  /** The job it was told to expect, as JSON ('' for none). */
  next: string;
  timer: NodeJS.Timeout;
  /** Resolves true once the worker said it is ready (and prepared, when told a job), false if it went first. */
  ready: Promise<boolean>;
  detach: () => void;
}

/**
 * At most one worker process started before it is needed: starting a worker and loading its
 * bundle takes ~0.2 s, a third of a re-run that hands most verdicts back. Each worker still runs
 * one verification and exits (DESIGN.md); this one has only started sooner, and when told the
 * job to expect, has read ahead what that job reads first. It waits for READY_IDLE_MS at most,
 * costing the memory of a loaded worker (~75 MB) and of what it read (the card's snapshot) meanwhile.
 */
export class ReadyWorker {
  private spare: Spare | undefined;

  constructor(
    private readonly fork: (launch: WorkerLaunch) => ChildProcess,
    private readonly idleMs = READY_IDLE_MS,
  ) {}

  /**
   * Starts a worker for `launch`, unless one started for the same launch and `next` is waiting.
   * With `next` (the job likely to come: the card just verified), the worker also reads ahead
   * what that job reads first (engine's prepareRun); any job can still be given to it. Resolves
   * true once it is loaded and listening (and has read ahead), false if it exits first or is replaced.
   */
  prepare(launch: WorkerLaunch, expected?: NextJob): Promise<boolean> {
    // A job whose message would exceed the channel's ceiling (pathological globs) is not told.
    const next = expected && fitsMessage({ type: 'prepare', job: expected }) ? expected : undefined;
    const key = launchKey(launch);
    const nextKey = next ? JSON.stringify(next) : '';
    if (this.spare && this.spare.key === key && this.spare.next === nextKey && isAlive(this.spare.child)) return this.spare.ready;
    this.drop();
    const child = this.fork(launch);
    let detach: () => void = () => undefined;
    const awaited = next ? 'prepared' : 'ready';
    const ready = new Promise<boolean>((resolve) => {
      const onMessage = (raw: unknown): void => {
        if (WorkerToHostSchema.safeParse(raw).data?.type === awaited) resolve(true);
      };
      const onGone = (): void => {
        resolve(false);
        if (this.spare?.child === child) this.drop();
      };
      child.on('message', onMessage);
      child.once('exit', onGone);
      child.once('error', onGone);
      detach = () => {
        child.off('message', onMessage);
        child.off('exit', onGone);
        child.off('error', onGone);
        resolve(false);
      };
    });
    // Its own errors are reported by whoever takes it; until then one must not crash the host.
    child.on('error', () => undefined);
    if (next) {
      const message: HostToWorker = { type: 'prepare', job: next };
      child.send(message, (error) => {
        if (error) detach();
      });
    }
    const timer = setTimeout(() => this.drop(), this.idleMs);
    timer.unref?.();
    this.spare = { child, key, next: nextKey, timer, ready, detach };
    return ready;
  }

  /** The waiting worker, if it was started for the same launch and still runs; the caller owns it then. */
  take(launch: WorkerLaunch): ChildProcess | undefined {
    const spare = this.spare;
    if (!spare) return undefined;
    this.spare = undefined;
    clearTimeout(spare.timer);
    spare.detach();
    if (spare.key === launchKey(launch) && isAlive(spare.child)) return spare.child;
    killProcessTree(spare.child);
    return undefined;
  }

  /** Stops the waiting worker, if any. */
  drop(): void {
    const spare = this.spare;
    if (!spare) return;
    this.spare = undefined;
    clearTimeout(spare.timer);
    spare.detach();
    if (isAlive(spare.child)) killProcessTree(spare.child);
  }
}

function fitsMessage(message: HostToWorker): boolean {
  try {
    assertMessageSize(message);
    return true;
  } catch {
    return false;
  }
}

/** Workers started for equal launches are interchangeable: same script, heap cap and environment. */
function launchKey(launch: WorkerLaunch): string {
  return JSON.stringify([launch.script, launch.heapMb, launch.env ?? {}]);
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}
