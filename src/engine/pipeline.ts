import path from 'node:path';
import type { CardFormat, ClaimResult, EngineWarning, Stats, Summary } from './model.js';
import { EngineOptionsSchema, type EngineOptionsInput } from './options.js';
import type { Progress } from '../protocol/events.js';
import { loadCard } from './card/loadCard.js';
import { extractClaimUnits } from './card/extractClaims.js';
import { walkWorkspace } from './workspace/walkWorkspace.js';
import { closeFactCache, openFactCache } from './cache/factCache.js';
import { engineFingerprint } from './cache/engineFingerprint.js';
import { fileFacts } from './cache/fileFacts.js';
import { FactIndex } from './verify/factIndex.js';
import { cardFactFilter } from './verify/factRelevance.js';
import { NativeMemoryGuard } from './memory/nativeMemory.js';
import { verifyUnit } from './verify/verifyUnit.js';
import type { CardContext } from './verify/decideAtom.js';
import type { ClaimUnit } from './card/extractClaims.js';
import { splitWords } from './verify/tokens.js';
import { extractShellFacts } from './facts/shellFacts.js';
import type { CardDocument } from './card/cardDocument.js';

export interface VerifyJob {
  cardPath: string;
  workspaceRoot: string;
  /** Unsaved editor contents of the card, if any; otherwise the file is read. */
  cardText?: string;
  options?: EngineOptionsInput;
  /** Key of the LLM endpoint (options.llm); kept out of options so it is never serialised with them. */
  llmApiKey?: string;
  /** False in an untrusted workspace: the LLM pass is then refused whatever the options say. Default true. */
  workspaceTrusted?: boolean;
}

/** Where a run's results go, claim by claim. `claim` may return a promise to apply back-pressure. */
export interface PipelineSink {
  start?(card: { path: string; format: CardFormat }): void;
  progress(p: Progress): void;
  claim(c: ClaimResult): void | Promise<void>;
  warning(w: EngineWarning): void;
}

export interface PipelineResult {
  card: { path: string; format: CardFormat };
  summary: Summary;
  stats: Stats;
}

/** Progress snapshots are cheap but not free: at most one per this many files. */
const PROGRESS_EVERY_FILES = 25;

/**
 * One verification: load the card, index the workspace's facts file by file (a bounded number in
 * flight), then decide and emit the claims one unit at a time.
 */
export async function runPipeline(job: VerifyJob, sink: PipelineSink, signal?: AbortSignal): Promise<PipelineResult> {
  const started = Date.now();
  const opts = EngineOptionsSchema.parse(job.options ?? {});
  const root = path.resolve(job.workspaceRoot);
  const cardAbs = path.resolve(job.cardPath);
  const doc = await loadCard(cardAbs, { text: job.cardText });
  const cardRel = path.relative(root, cardAbs).split(path.sep).join('/');
  const card = { path: cardRel.startsWith('..') ? cardAbs : cardRel, format: doc.format };
  sink.start?.(card);
  for (const w of doc.warnings ?? []) sink.warning({ path: card.path, message: w });

  let units = extractClaimUnits(doc);
  if (units.length > opts.maxClaims) {
    sink.warning({ path: card.path, message: `the card has ${units.length} claims; only the first ${opts.maxClaims} are checked (maxClaims)` });
    units = units.slice(0, opts.maxClaims);
  }
  const progress: Progress = { phase: 'index', claimsDone: 0, claimsTotal: units.length, filesScanned: 0 };
  sink.progress({ ...progress });

  const budget = { softLimit: opts.maxIndexedFacts, hardLimit: 2 * opts.maxIndexedFacts, onLimit: (message: string) => sink.warning({ path: card.path, message }) };
  const index = new FactIndex(opts.factFilter && !opts.llm?.enabled ? cardFactFilter(units, doc.lines.join('\n'), budget) : undefined);
  let filesSkipped = 0;
  const inFlight = new Set<Promise<void>>();
  const cacheWarning = (message: string): void => sink.warning({ path: opts.cacheDir ?? '', message });
  const cache = opts.cacheDir ? await openFactCache({ dir: opts.cacheDir, root, engine: await engineFingerprint() }, cacheWarning) : undefined;
  let walked = false;
  const nativeMemory = new NativeMemoryGuard();
  try {
    const walk = walkWorkspace(root, { maxFileBytes: opts.maxFileBytes, include: opts.include, exclude: opts.exclude, excludePaths: [cardAbs] }, sink.warning.bind(sink), signal);
    for await (const file of walk) {
      if (file.kind === 'other') continue;
      const task = (async () => {
        const read = await fileFacts(file, { maxFileBytes: opts.maxFileBytes }, cache);
        if (!read.ok) {
          filesSkipped++;
          sink.warning({ path: file.relPath, message: `skipped: ${read.reason}` });
          return;
        }
        if (read.encoding) sink.warning({ path: file.relPath, message: `not UTF-8; read as ${read.encoding}` });
        const { facts, warnings } = read;
        for (const w of warnings) sink.warning({ path: file.relPath, message: withoutPathPrefix(w, file.relPath) });
        for (const f of facts) index.add(f);
        progress.filesScanned++;
        nativeMemory.check();
        if (progress.filesScanned % PROGRESS_EVERY_FILES === 0) sink.progress({ ...progress });
      })();
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      // Let native parse trees go between files (DEPENDENCIES.md: sync loops keep them alive).
      if (inFlight.size >= opts.concurrency) await Promise.race(inFlight);
      else await new Promise<void>((r) => setImmediate(r));
    }
    await Promise.all(inFlight);
    walked = !signal?.aborted;
  } finally {
    // A failed or cancelled walk leaves the previous cache as it was.
    if (!walked) await Promise.allSettled(inFlight);
    await closeFactCache(cache, walked, cacheWarning);
  }
  signal?.throwIfAborted();

  const context = cardContext(doc, index);
  // Loaded only when asked for: the model client and the sandbox cost nothing otherwise.
  const llm = opts.llm?.enabled
    ? await (await import('./llm/llmPass.js')).openLlmPass({
      options: opts.llm, apiKey: job.llmApiKey, workspaceTrusted: job.workspaceTrusted ?? true,
      root, cardAbs, cardLines: doc.lines, maxFileBytes: opts.maxFileBytes, include: opts.include, exclude: opts.exclude,
      index, context, warn: (message) => sink.warning({ path: card.path, message }), signal,
    })
    : undefined;
  progress.phase = 'verify';
  sink.progress({ ...progress });
  const summary: Summary = { supported: 0, contradicted: 0, unverified: 0, notCheckable: 0 };
  let claims = 0;
  const decide = (unit: ClaimUnit): ClaimResult[] => verifyUnit(unit, index, context);
  // The LLM pass refines unverified claims a few units ahead but hands them back in card order.
  const decided: AsyncIterable<ClaimResult[]> | Iterable<ClaimResult[]> = llm ? llm.refine(units, decide) : eachUnit(units, decide);
  for await (const results of decided) {
    signal?.throwIfAborted();
    for (const result of results) {
      claims++;
      if (result.verdict === 'not-checkable') summary.notCheckable++;
      else summary[result.verdict]++;
      await sink.claim(result);
    }
    progress.claimsDone++;
    sink.progress({ ...progress });
  }
  progress.phase = 'done';
  sink.progress({ ...progress });
  const stats: Stats = { filesScanned: progress.filesScanned, filesSkipped, facts: index.all.length + index.dropped, factsIndexed: index.all.length, claims, durationMs: Date.now() - started };
  if (llm) stats.llm = llm.stats();
  if (cache) stats.cache = { ...cache.stats };
  return { card, summary, stats };
}

function* eachUnit(units: readonly ClaimUnit[], decide: (unit: ClaimUnit) => ClaimResult[]): Generator<ClaimResult[]> {
  for (const unit of units) yield decide(unit);
}

/** Config names the card uses as words: "the base configuration" names configs/base.yaml. */
function cardContext(doc: CardDocument, index: FactIndex): CardContext {
  const cardText = doc.lines.join('\n');
  const words = new Set(splitWords(cardText));
  const named = new Set<string>();
  for (const name of index.configNames) {
    const parts = splitWords(name);
    if (parts.length > 0 && parts.every((p) => words.has(p))) named.add(name);
  }
  const commandFacts = new FactIndex();
  for (const block of doc.blocks) {
    if (block.kind !== 'code') continue;
    for (const f of extractShellFacts(doc.path, block.text, { source: 'text', assignments: false }).facts) commandFacts.add(f);
  }
  return { namedConfigs: named, commandFacts };
}

/** Extractors name the file in their messages; the warning carries it already. */
function withoutPathPrefix(message: string, relPath: string): string {
  return message.startsWith(`${relPath}: `) ? message.slice(relPath.length + 2) : message;
}
