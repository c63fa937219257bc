import * as vscode from 'vscode';
import type { CacheStats, ClaimResult, LlmStats, Summary } from '../../engine/model.js';
import { SecretScrubber } from '../../protocol/secretScrub.js';
import type { PanelRun } from '../../protocol/webviewMessages.js';
import type { WireJob } from '../../protocol/workerMessages.js';
import { planLlmPass, type LlmRunPlan } from '../llm/llmRunPlan.js';
import { engineOptions, readSettings } from '../settings.js';
import type { Settings } from '../settingsSchema.js';
import type { RunRecord, RunTrigger } from '../api.js';
import { ReadyWorker, type NextJob } from '../worker/readyWorker.js';
import { forkWorker, WorkerProcess, type WorkerLaunch, type WorkerOutcome } from '../worker/workerProcess.js';
import { CardRun } from './cardRun.js';
import { describeJob } from './jobLog.js';
import { annotateClaim, fitBaseline, type RunBaselines } from './runBaselines.js';
import { RunQueue, type EnqueueResult } from './runQueue.js';

/** A card to verify, resolved from a command's arguments. */
export interface CardTarget {
  /** The card file (not the virtual document of a .docx). */
  cardUri: vscode.Uri;
  rootUri: vscode.Uri;
  /** The unsaved editor buffer of a Markdown card, when dirty. */
  cardText?: string;
}

export type RunChange =
  | { kind: 'begin'; run: CardRun }
  | { kind: 'progress'; run: CardRun }
  | { kind: 'claim'; run: CardRun; claimId: string }
  | { kind: 'notices'; run: CardRun }
  | { kind: 'end'; run: CardRun; outcome: WorkerOutcome }
  | { kind: 'cleared'; cardKey: string };

export interface RunResult {
  enqueued: EnqueueResult;
  /** Undefined when the request was dropped before it ran (cancelled while queued). */
  outcome: WorkerOutcome | undefined;
  run: CardRun;
}

/** What the host needs for the optional LLM pass; the key is read per run, only when the pass runs. */
export interface LlmHostAccess {
  apiKey(): Promise<string | undefined>;
  /** `vscode.workspace.isTrusted`, asked at the start of each run. */
  workspaceTrusted(): boolean;
  /** Folder of the pass's answer cache (the extension's global storage). */
  cacheDir: string;
}

/** Where runs keep what outlives them: the fact cache's folder and the previous verdicts of each card. */
export interface RunStorage {
  /** The engine's fact cache (`options.cacheDir`), so re-runs reuse the facts of unchanged files. */
  factCacheDir?: string;
  baselines: RunBaselines;
}

const MAX_RUN_RECORDS = 100;

/** How often the worker's memory is written to the Output channel while it runs. */
const RSS_LOG_INTERVAL_MS = 5000;

/**
 * Runs verifications, one worker at a time, and keeps each card's latest results (the only copy
 * in the host). Diagnostics, the panel and the status bar subscribe to `onDidChange`.
 */
export class VerificationService implements vscode.Disposable {
  readonly runs = new Map<string, CardRun>();
  private readonly roots = new Map<string, vscode.Uri>();
  private readonly queue = new RunQueue();
  private readonly workers = new Map<string, WorkerProcess>();
  /** A worker started ahead for the next run (setting keepWorkerReady). */
  private readonly ready = new ReadyWorker(forkWorker);
  private readonly emitter = new vscode.EventEmitter<RunChange>();
  readonly onDidChange = this.emitter.event;
  private readonly records: RunRecord[] = [];
  private disposed = false;

  constructor(
    private readonly workerScript: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly llm: LlmHostAccess,
    private readonly storage: RunStorage,
  ) {}

  /** The latest runs (at most MAX_RUN_RECORDS), oldest first. */
  runLog(): RunRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  get activeKey(): string | undefined {
    return this.queue.activeKey;
  }

  get pendingKeys(): string[] {
    return this.queue.pendingKeys;
  }

  workerPid(cardKey: string): number | undefined {
    return this.workers.get(cardKey)?.pid;
  }

  rootOf(cardKey: string): vscode.Uri | undefined {
    return this.roots.get(cardKey);
  }

  runFor(cardUri: vscode.Uri): CardRun | undefined {
    return this.runs.get(cardUri.toString());
  }

  /** Queues a verification; resolves when it has finished (or was dropped). */
  verify(target: CardTarget, trigger: RunTrigger = 'command'): { enqueued: Promise<EnqueueResult>; result: Promise<RunResult> } {
    const key = target.cardUri.toString();
    const run = this.ensureRun(target);
    let resolveResult: (r: RunResult) => void = () => undefined;
    const result = new Promise<RunResult>((r) => (resolveResult = r));
    let enqueuedAs: EnqueueResult = 'queued';
    const enqueued = this.queue
      .enqueue(
        key,
        () => {
          const handle = this.start(target, run, trigger);
          void handle.finished.then((outcome) => resolveResult({ enqueued: enqueuedAs, outcome, run }));
          return handle;
        },
        () => resolveResult({ enqueued: enqueuedAs, outcome: undefined, run }),
      )
      .then((e) => {
        enqueuedAs = e;
        if (e === 'queued' || e === 'already-queued') {
          if (e === 'queued') {
            run.status = 'queued';
            this.emitter.fire({ kind: 'progress', run });
          }
          this.log.info(`${run.label}: ${e === 'queued' ? 'queued behind the running verification' : 'already queued'}`);
        }
        return e;
      });
    return { enqueued, result };
  }

  async cancel(cardKey?: string): Promise<void> {
    await this.queue.cancel(cardKey);
  }

  /** Forgets results (all cards when no key is given); cancels their runs first. */
  async clear(cardKey?: string): Promise<void> {
    await this.cancel(cardKey);
    if (!cardKey) await this.storage.baselines.clear().catch((e: unknown) => this.log.warn(`could not remove the previous verdicts: ${String(e)}`));
    const keys = cardKey ? [cardKey] : [...this.runs.keys()];
    for (const k of keys) {
      this.runs.delete(k);
      this.roots.delete(k);
      this.emitter.fire({ kind: 'cleared', cardKey: k });
    }
  }

  /** Puts back results saved by an earlier session (after a window reload). */
  restore(run: CardRun, rootUri: vscode.Uri): void {
    if (this.queue.isBusy(run.cardKey)) return;
    this.runs.set(run.cardKey, run);
    this.roots.set(run.cardKey, rootUri);
    this.emitter.fire({ kind: 'begin', run });
    for (const id of run.claims.keys()) this.emitter.fire({ kind: 'claim', run, claimId: id });
    this.emitter.fire({ kind: 'end', run, outcome: { kind: 'done', summary: run.summary ?? run.counts(), stats: { filesScanned: 0, filesSkipped: 0, facts: 0, claims: run.claims.size, durationMs: run.durationMs ?? 0 }, claimsReceived: run.claims.size } });
  }

  /** Tells subscribers that host-side state of a run changed (stale claims, notices). */
  touch(run: CardRun, claimId?: string): void {
    if (claimId) this.emitter.fire({ kind: 'claim', run, claimId });
    else this.emitter.fire({ kind: 'notices', run });
  }

  panelRun(run: CardRun): PanelRun {
    return {
      cardLabel: run.label,
      cardUri: run.cardKey,
      status: run.status,
      ...(run.message !== undefined ? { message: run.message } : {}),
      ...(run.startedAt !== undefined ? { startedAt: run.startedAt } : {}),
      ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
      ...(run.llmStats !== undefined ? { llm: run.llmStats } : {}),
      ...(run.baseline !== undefined ? { baseline: run.baseline } : {}),
    };
  }

  private ensureRun(target: CardTarget): CardRun {
    const key = target.cardUri.toString();
    let run = this.runs.get(key);
    if (!run) {
      run = new CardRun(key, target.cardUri.fsPath, target.rootUri.fsPath, vscode.workspace.asRelativePath(target.cardUri, true));
      this.runs.set(key, run);
    }
    this.roots.set(key, target.rootUri);
    return run;
  }

  private start(target: CardTarget, staleRun: CardRun, trigger: RunTrigger): { finished: Promise<WorkerOutcome>; cancel: () => Promise<void> } {
    const key = target.cardUri.toString();
    // A fresh CardRun per run would orphan the panel's view; reuse and reset it instead.
    const run = this.runs.get(key) ?? staleRun;
    this.runs.set(key, run);
    const settings = readSettings(target.cardUri, (keys) => this.log.warn(`invalid value for ${keys.join(', ')}; using the default`));
    run.begin(Date.now());
    const record: RunRecord = { card: key, trigger, startedAt: run.startedAt ?? Date.now() };
    this.records.push(record);
    if (this.records.length > MAX_RUN_RECORDS) this.records.splice(0, this.records.length - MAX_RUN_RECORDS);
    this.emitter.fire({ kind: 'begin', run });
    const plan = planLlmPass(settings, { workspaceTrusted: this.llm.workspaceTrusted(), cacheDir: this.llm.cacheDir });
    if (plan.notice) {
      run.addNotice(plan.notice);
      this.log.warn(`${run.label}: ${plan.notice}`);
      this.emitter.fire({ kind: 'notices', run });
    }

    let cancelled = false;
    let worker: WorkerProcess | undefined;
    /** This run's job without its key: what the worker kept ready after it reads ahead. */
    let next: NextJob | undefined;
    const finished = (async (): Promise<WorkerOutcome> => {
      // The key is read only for a run that uses it, and lives only in this job and its message.
      const apiKey = plan.options
        ? await this.llm.apiKey().catch((error: unknown) => {
            this.log.warn(`${run.label}: could not read the LLM API key from the secret storage (${error instanceof Error ? error.name : 'error'}); running without it`);
            return undefined;
          })
        : undefined;
      // Host-side second guard: what the host logs, shows and keeps is scrubbed of the key too.
      const scrub = new SecretScrubber(apiKey);
      // Each claim is compared with the card's previous complete run as it arrives.
      const delta = cancelled
        ? undefined
        : await this.storage.baselines.deltaFor(run.cardPath).catch((error: unknown) => {
            this.log.warn(`${run.label}: could not read the previous run's verdicts (${String(error)}); no comparison this time`);
            return undefined;
          });
      const done = (outcome: WorkerOutcome, peakRss: number): WorkerOutcome => {
        record.endedAt = Date.now();
        record.status = outcome.kind;
        if (outcome.kind === 'done' && delta) run.baseline = fitBaseline(delta.summary());
        this.finish(run, outcome, settings.maxClaimsPerCard, peakRss);
        // The next run, if one comes soon (an edit, watch mode), finds its worker loaded; with
        // the setting turned off, one started earlier does not wait out its idle time.
        if (settings.keepWorkerReady && !this.disposed) void this.ready.prepare(this.launchFor(settings), next);
        else this.ready.drop();
        if (outcome.kind === 'done') {
          this.storage.baselines.remember(run.cardPath, run.claims.values()).catch((error: unknown) => {
            this.log.warn(`${run.label}: could not store this run's verdicts for the next comparison (${String(error)})`);
          });
        }
        return outcome;
      };
      if (cancelled) return done({ kind: 'cancelled', claimsReceived: 0 }, 0);
      const job = this.jobFor(run, settings, plan, apiKey);
      const { llmApiKey: _key, ...withoutKey } = job;
      next = withoutKey;
      this.log.info(describeJob(job, settings.workerMemoryMb));
      let peakRss = 0;
      try {
        worker = this.startWorker(run, job, target, settings, scrub, (rss) => (peakRss = Math.max(peakRss, rss)), (claim) => annotateClaim(delta, claim));
      } catch (error) {
        const outcome: WorkerOutcome = scrub.value({
          kind: 'crashed',
          message: `The CardCheck worker could not start: ${error instanceof Error ? error.message : String(error)}`,
          exitCode: null,
          signal: null,
          claimsReceived: 0,
        });
        return done(outcome, 0);
      }
      const started = worker;
      this.workers.set(key, started);
      if (started.pid !== undefined) record.pid = started.pid;
      this.log.info(`${run.label}: worker pid ${started.pid ?? '?'} started`);
      const outcome = scrub.value(await started.outcome);
      if (this.workers.get(key) === started) this.workers.delete(key);
      return done(outcome, peakRss);
    })();
    return {
      finished,
      cancel: async () => {
        cancelled = true;
        await worker?.cancel();
      },
    };
  }

  private jobFor(run: CardRun, settings: Settings, plan: LlmRunPlan, apiKey: string | undefined): Omit<WireJob, 'cardTextChunks'> {
    return {
      cardPath: run.cardPath,
      workspaceRoot: run.workspaceRoot,
      options: {
        ...engineOptions(settings),
        ...(this.storage.factCacheDir !== undefined ? { cacheDir: this.storage.factCacheDir } : {}),
        ...(plan.options ? { llm: plan.options } : {}),
      },
      workspaceTrusted: plan.workspaceTrusted,
      ...(apiKey !== undefined && apiKey !== '' ? { llmApiKey: apiKey } : {}),
    };
  }

  private startWorker(
    run: CardRun,
    job: Omit<WireJob, 'cardTextChunks'>,
    target: CardTarget,
    settings: Settings,
    scrub: SecretScrubber,
    onRss: (mb: number) => void,
    annotate: (claim: ClaimResult) => ClaimResult,
  ): WorkerProcess {
    let lastRssLog = 0;
    return WorkerProcess.verify(this.launchFor(settings), job, target.cardText, {
      onProgress: (p) => {
        run.progress = p;
        if (p.rssMb !== undefined) {
          onRss(p.rssMb);
          const now = Date.now();
          if (now - lastRssLog >= RSS_LOG_INTERVAL_MS) {
            lastRssLog = now;
            this.log.info(`${run.label}: ${p.phase}, ${p.claimsDone}/${p.claimsTotal} claims, ${p.filesScanned} files, worker RSS ${p.rssMb} MB`);
          }
        }
        this.emitter.fire({ kind: 'progress', run });
      },
      onClaim: (raw) => {
        const claim = annotate(scrub.value(raw));
        run.addClaim(claim);
        this.emitter.fire({ kind: 'claim', run, claimId: claim.id });
      },
      onWarning: (raw) => {
        const w = { path: scrub.text(raw.path), message: scrub.text(raw.message) };
        this.log.warn(`${run.label}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
        run.addWarning(w);
        this.emitter.fire({ kind: 'notices', run });
      },
      onWarningsOmitted: (n) => {
        this.log.warn(`${run.label}: ${n} more warnings were not forwarded by the worker`);
        run.addNotice(`${n} more warnings were not shown (the worker forwards at most 200 per run).`);
        this.emitter.fire({ kind: 'notices', run });
      },
      onStderr: (line) => this.log.debug(`worker: ${scrub.text(line)}`),
    }, settings.keepWorkerReady ? this.ready : undefined);
  }

  private launchFor(settings: Settings): WorkerLaunch {
    return { script: this.workerScript, heapMb: settings.workerMemoryMb };
  }

  private finish(run: CardRun, outcome: WorkerOutcome, maxClaims: number, peakRss: number): void {
    const now = Date.now();
    switch (outcome.kind) {
      case 'done': {
        run.summary = outcome.summary;
        run.finish('done', now);
        if (outcome.stats.claims >= maxClaims || run.claims.size >= maxClaims) {
          const text = `Claim limit reached: only the first ${maxClaims} claims of the card were checked (setting cardcheck.maxClaimsPerCard).`;
          run.addNotice(text);
          this.log.warn(`${run.label}: ${text}`);
        }
        if (outcome.stats.filesSkipped > 0) {
          run.addNotice(`${outcome.stats.filesSkipped} workspace file(s) were skipped (ignored, binary, or larger than cardcheck.maxFileSizeKb).`);
        }
        this.log.info(
          `${run.label}: done in ${outcome.stats.durationMs} ms: ${summaryText(outcome.summary)}; ${outcome.stats.filesScanned} files scanned, ${outcome.stats.filesSkipped} skipped, ${outcome.stats.facts} facts; worker RSS at end ${run.progress?.rssMb ?? '?'} MB (peak seen ${peakRss} MB)`,
        );
        if (outcome.stats.cache) this.log.info(`${run.label}: ${cacheStatsText(outcome.stats.cache)}`);
        if (run.baseline) this.log.info(`${run.label}: ${baselineText(run.baseline)}`);
        if (outcome.stats.llm) {
          run.llmStats = outcome.stats.llm;
          this.log.info(`${run.label}: ${llmStatsText(outcome.stats.llm)}`);
        }
        break;
      }
      case 'cancelled':
        run.summary = run.counts();
        run.finish('cancelled', now, `Cancelled; ${outcome.claimsReceived} claim(s) decided before the cancel are shown.`);
        this.log.info(`${run.label}: cancelled after ${outcome.claimsReceived} claim(s)`);
        break;
      case 'failed':
        run.summary = run.counts();
        run.finish('failed', now, outcome.message);
        run.addNotice(outcome.message);
        this.log.error(`${run.label}: ${outcome.message}`);
        void vscode.window.showErrorMessage(`CardCheck: ${outcome.message}`);
        break;
      case 'crashed':
        run.summary = run.counts();
        run.finish('failed', now, outcome.message);
        run.addNotice(outcome.message);
        this.log.error(`${run.label}: ${outcome.message} (last worker RSS ${run.progress?.rssMb ?? '?'} MB)`);
        void vscode.window.showErrorMessage(`CardCheck: ${outcome.message}`);
        break;
    }
    if (!this.disposed) this.emitter.fire({ kind: 'end', run, outcome });
  }

  dispose(): void {
    this.disposed = true;
    this.ready.drop();
    void this.queue.cancel();
    this.emitter.dispose();
  }
}

export function llmStatsText(s: LlmStats): string {
  const tokens = s.promptTokens + s.completionTokens;
  return `LLM pass: ${s.requests} request(s), ${tokens} tokens (${s.promptTokens} prompt, ${s.completionTokens} completion), ${(s.ms / 1000).toFixed(1)} s, ${s.claims} claim(s) worked on, ${s.accepted} answer(s) accepted, ${s.rejected} rejected, ${s.cacheHits} cache hit(s)`;
}

export function summaryText(s: Summary): string {
  return `${s.contradicted} contradicted, ${s.unverified} unverified, ${s.supported} supported, ${s.notCheckable} not checkable`;
}

export function cacheStatsText(c: CacheStats): string {
  return `fact cache: ${c.statHits + c.hashHits} file(s) reused (${c.statHits} unchanged, ${c.hashHits} re-read with the same content), ${c.misses} extracted${c.damaged > 0 ? `, ${c.damaged} damaged record(s) rebuilt` : ''}`;
}

export function baselineText(b: { source: string; changed: number; added: number; removedCount: number }): string {
  return `since ${b.source}: ${b.changed} claim(s) changed verdict, ${b.added} new, ${b.removedCount} removed`;
}
