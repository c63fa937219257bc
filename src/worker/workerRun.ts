import type { CardFormat } from '../engine/model.js';
import type { PipelineResult, PipelineSink, VerifyJob } from '../engine/pipeline.js';
import type { Progress } from '../protocol/events.js';
import { CancelledError, CoalescingSender, CreditWindow } from '../protocol/flowControl.js';
import { fitClaimResult, truncate } from '../protocol/messageBudget.js';
import { SecretScrubber } from '../protocol/secretScrub.js';
import {
  assertMessageSize,
  batchLines,
  HostToWorkerSchema,
  type HostToWorker,
  type WireJob,
  type WorkerToHost,
} from '../protocol/workerMessages.js';
import type { WorkerPort } from './workerPort.js';
import { WarmStart } from '../engine/cache/warmStart.js';

export type RunPipelineFn = (job: VerifyJob, sink: PipelineSink, signal?: AbortSignal) => Promise<PipelineResult>;
export type LoadCardLinesFn = (cardPath: string) => Promise<{ format: CardFormat; lines: string[] }>;
export type PrepareRunFn = (job: Omit<VerifyJob, 'cardText' | 'warm'>, warm: WarmStart) => Promise<void>;

export interface WorkerDeps {
  runPipeline: RunPipelineFn;
  loadCardLines: LoadCardLinesFn;
  /** Reads ahead what a job named by a `prepare` message reads first (engine's prepareRun). */
  prepareRun?: PrepareRunFn;
  /** Resident memory of this process in MB. */
  rssMb?: () => number;
  /** Minimum gap between two progress messages. */
  progressIntervalMs?: number;
  /** A progress snapshot (with fresh memory figures) is re-sent this often even when nothing moved. */
  heartbeatMs?: number;
  /** Engine warnings forwarded per run; the rest are counted. */
  maxWarnings?: number;
  log?: (line: string) => void;
}

/** Exit codes of the worker process; the host maps anything else (or a signal) to a crash. */
export const WORKER_EXIT = { ok: 0, failed: 3, protocol: 4, cancelled: 5 } as const;

const MAX_CARD_TEXT_CHUNKS = 8192;

/**
 * Serves one job from the host and resolves with the process exit code. The worker handles one
 * verification (or one card-text request) and then exits, so its memory returns to the OS.
 */
export function serveWorker(port: WorkerPort, deps: WorkerDeps): Promise<number> {
  return new Promise<number>((resolveExit) => {
    const abort = new AbortController();
    let credits: CreditWindow | undefined;
    const textChunks: string[] = [];
    let started = false;
    /** Reads made ahead for a `prepare` message, and the promise of their end (never rejects). */
    let warm: WarmStart | undefined;
    let preparing: Promise<void> = Promise.resolve();
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      resolveExit(code);
    };

    port.onDisconnect(() => {
      abort.abort();
      credits?.close();
      finish(WORKER_EXIT.cancelled);
    });

    port.onMessage((raw) => {
      const parsed = HostToWorkerSchema.safeParse(raw);
      if (!parsed.success) {
        void sendError(port, `invalid message from the extension host: ${parsed.error.issues[0]?.message ?? 'unknown'}`).finally(() =>
          finish(WORKER_EXIT.protocol),
        );
        return;
      }
      const message: HostToWorker = parsed.data;
      switch (message.type) {
        case 'cardText':
          if (started || message.index !== textChunks.length || textChunks.length >= MAX_CARD_TEXT_CHUNKS) {
            void sendError(port, 'card text chunks arrived out of order').finally(() => finish(WORKER_EXIT.protocol));
            return;
          }
          textChunks.push(message.text);
          return;
        case 'ack':
          credits?.ack(message.upTo);
          return;
        case 'cancel':
          abort.abort();
          credits?.close();
          finish(WORKER_EXIT.cancelled);
          return;
        case 'prepare': {
          if (started || warm) return;
          const ahead = new WarmStart();
          warm = ahead;
          const prepareRun = deps.prepareRun;
          if (!prepareRun) return;
          preparing = prepareRun(jobOf(message.job), ahead)
            .then(() => port.send({ type: 'prepared' }))
            .catch(() => undefined);
          return;
        }
        case 'verify': {
          if (started) return;
          started = true;
          if (message.job.cardTextChunks !== textChunks.length) {
            void sendError(port, `expected ${message.job.cardTextChunks} card text chunks, got ${textChunks.length}`).finally(() =>
              finish(WORKER_EXIT.protocol),
            );
            return;
          }
          credits = new CreditWindow(message.window);
          const cardText = message.job.cardTextChunks > 0 ? textChunks.join('') : undefined;
          textChunks.length = 0;
          const window = credits;
          // A job that comes while its reads are being made waits for them (it would make them
          // again), not for the warm-up walk after them.
          warm?.arrive();
          void preparing
            .then(() => runVerification(port, deps, message.job, cardText, window, abort.signal, warm))
            .then(finish);
          return;
        }
        case 'cardLines':
          if (started) return;
          started = true;
          void sendCardLines(port, deps, message.cardPath).then(finish);
          return;
      }
    });
    // A worker started ahead of its job (a ready worker) tells the host it has loaded.
    port.send({ type: 'ready' }).catch(() => undefined);
  });
}

async function runVerification(
  port: WorkerPort,
  deps: WorkerDeps,
  wire: WireJob,
  cardText: string | undefined,
  credits: CreditWindow,
  signal: AbortSignal,
  warm: WarmStart | undefined,
): Promise<number> {
  const rssMb = deps.rssMb ?? (() => Math.round(process.memoryUsage.rss() / (1024 * 1024)));
  const maxWarnings = deps.maxWarnings ?? 200;
  const scrub = new SecretScrubber(wire.llmApiKey);
  let latest: Progress = { phase: 'card', claimsDone: 0, claimsTotal: 0, filesScanned: 0 };
  // RSS is read when a progress message is sent, not on every update (reading it costs ~0.1 ms).
  const progress = new CoalescingSender<Progress>(
    (p) => port.send({ type: 'event', event: { type: 'progress', progress: { ...p, rssMb: rssMb() } } }),
    deps.progressIntervalMs ?? 100,
  );
  const heartbeat = setInterval(() => progress.offer({ ...latest }), deps.heartbeatMs ?? 1000);
  heartbeat.unref?.();
  /** Claim results handed to the channel and not yet written (at most the credit window). */
  const claimSends = new Set<Promise<void>>();
  let claimSendFailed: { error: unknown } | undefined;
  let warningsSent = 0;
  let warningsOmitted = 0;
  const pendingSends = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    const tracked = p.catch(() => undefined).finally(() => pendingSends.delete(tracked));
    pendingSends.add(tracked);
  };

  const sink: PipelineSink = {
    start(card) {
      track(port.send({ type: 'event', event: { type: 'start', card, workspace: wire.workspaceRoot } }));
    },
    progress(p) {
      latest = p;
      progress.offer({ ...p });
    },
    async claim(c) {
      if (claimSendFailed) throw claimSendFailed.error;
      const seq = await credits.acquire();
      const message: WorkerToHost = { type: 'event', event: { type: 'claim', seq, claim: fitClaimResult(scrub.value(c)) } };
      assertMessageSize(message);
      // Not awaited: the credit window already bounds the results in flight, and waiting for each
      // write to reach the channel cost a round trip per claim (~60 ms for 300 claims). A failed
      // send fails the next claim, and the run waits for every send before it reports done.
      const sent: Promise<void> = port.send(message).catch((error: unknown) => {
        claimSendFailed ??= { error };
      }).finally(() => claimSends.delete(sent));
      claimSends.add(sent);
    },
    warning(w) {
      // Warnings cannot be back-pressured (the sink call is synchronous): forward a bounded number.
      if (warningsSent >= maxWarnings || pendingSends.size >= 64) {
        warningsOmitted += 1;
        return;
      }
      warningsSent += 1;
      track(port.send({ type: 'event', event: { type: 'warning', warning: { path: truncate(w.path, 512), message: truncate(scrub.text(w.message), 2000) } } }));
    },
  };

  const job: VerifyJob = {
    ...jobOf(wire),
    ...(cardText !== undefined ? { cardText } : {}),
    ...(wire.llmApiKey !== undefined ? { llmApiKey: wire.llmApiKey } : {}),
    ...(warm ? { warm } : {}),
  };

  try {
    const result = await deps.runPipeline(job, sink, signal);
    clearInterval(heartbeat);
    await progress.flush();
    progress.stop();
    await Promise.all([...pendingSends, ...claimSends]);
    if (claimSendFailed) throw claimSendFailed.error;
    if (warningsOmitted > 0) await port.send({ type: 'warningsOmitted', count: warningsOmitted });
    await port.send({
      type: 'event',
      event: { type: 'progress', progress: { ...latest, phase: 'done', rssMb: rssMb() } },
    });
    await port.send({ type: 'event', event: { type: 'done', summary: result.summary, stats: result.stats } });
    return WORKER_EXIT.ok;
  } catch (error) {
    clearInterval(heartbeat);
    progress.stop();
    if (signal.aborted || error instanceof CancelledError) return WORKER_EXIT.cancelled;
    await Promise.all([...pendingSends, ...claimSends]);
    if (warningsOmitted > 0) await port.send({ type: 'warningsOmitted', count: warningsOmitted }).catch(() => undefined);
    const path = typeof error === 'object' && error !== null && 'path' in error && typeof error.path === 'string' ? error.path : undefined;
    await sendError(port, errorMessage(error, scrub), path);
    return WORKER_EXIT.failed;
  }
}

function jobOf(wire: Pick<WireJob, 'cardPath' | 'workspaceRoot' | 'options' | 'workspaceTrusted'>): Omit<VerifyJob, 'cardText' | 'warm'> {
  return {
    cardPath: wire.cardPath,
    workspaceRoot: wire.workspaceRoot,
    ...(wire.options ? { options: wire.options } : {}),
    ...(wire.workspaceTrusted !== undefined ? { workspaceTrusted: wire.workspaceTrusted } : {}),
  };
}

async function sendCardLines(port: WorkerPort, deps: WorkerDeps, cardPath: string): Promise<number> {
  try {
    const { format, lines } = await deps.loadCardLines(cardPath);
    const batches = batchLines(lines);
    for (let i = 0; i < batches.length; i++) {
      const message: WorkerToHost = { type: 'lines', format, lines: batches[i] ?? [], last: i === batches.length - 1 };
      assertMessageSize(message);
      await port.send(message);
    }
    return WORKER_EXIT.ok;
  } catch (error) {
    await sendError(port, errorMessage(error), cardPath);
    return WORKER_EXIT.failed;
  }
}

function errorMessage(error: unknown, scrub?: SecretScrubber): string {
  const text = error instanceof Error ? error.message : String(error);
  // Scrub before cutting: a key cut in half would no longer be recognised.
  return truncate(scrub ? scrub.text(text) : text, 4000);
}

async function sendError(port: WorkerPort, message: string, path?: string): Promise<void> {
  try {
    await port.send({ type: 'event', event: { type: 'error', message, ...(path !== undefined ? { path: truncate(path, 1024) } : {}) } });
  } catch {
    // The host is gone; nothing else to tell.
  }
}
