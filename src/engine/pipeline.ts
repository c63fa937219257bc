import path from 'node:path';
import type { CardFormat, ClaimResult, EngineWarning, Stats, Summary } from './model.js';
import { EngineOptionsSchema, type EngineOptions, type EngineOptionsInput } from './options.js';
import type { Progress } from '../protocol/events.js';
import { loadCard } from './card/loadCard.js';
import { claimUnitAt, extractPlacedClaimUnits, type ClaimUnitPlace } from './card/extractClaims.js';
import { walkWorkspace, type WalkOptions } from './workspace/walkWorkspace.js';
import { closeFactCache, openFactCache, readKey, type FactCache } from './cache/factCache.js';
import { openCardSnapshot, prefetchCardSnapshot, reopenCardSnapshot } from './cache/cardSnapshot.js';
import type { WarmStart } from './cache/warmStart.js';
import { decisionsKey, forgetCardDecisions, loadCardDecisions, lookupScope, recordedUnit, saveCardDecisions, type BudgetPlace, type CardDecisions, type DecisionCheck } from './cache/cardDecisions.js';
import { DeferredIndex } from './cache/deferredIndex.js';
import { engineFingerprint } from './cache/engineFingerprint.js';
import { fileFacts } from './cache/fileFacts.js';
import { FactIndex, LookupSet, type FileIndexPart } from './verify/factIndex.js';
import type { Fact } from './facts/fact.js';
import { defaultExtractionThreads } from './facts/extractionPool.js';
import { cardFactFilter, factFilterOf, type FactBudget, type FactFilter } from './verify/factRelevance.js';
import { NativeMemoryGuard, releaseNativeMemory } from './memory/nativeMemory.js';
import { verifyUnit } from './verify/verifyUnit.js';
import type { CardContext } from './verify/decideAtom.js';
import type { ClaimUnit } from './card/extractClaims.js';
import { splitWords } from './verify/tokens.js';
import { extractShellFacts } from './facts/shellFacts.js';
import type { CardDocument } from './card/cardDocument.js';
import type { WorkspaceFile } from './workspace/workspaceFile.js';

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
  /** What a ready worker read for this job before it came (prepareRun); each read is used only if still current. */
  warm?: WarmStart;
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
  const warm = job.warm;
  warm?.seal();
  const doc = warm && job.cardText === undefined ? await warm.cardDocument(cardAbs, () => loadCard(cardAbs)) : await loadCard(cardAbs, { text: job.cardText });
  const cardRel = path.relative(root, cardAbs).split(path.sep).join('/');
  const card = { path: cardRel.startsWith('..') ? cardAbs : cardRel, format: doc.format };
  sink.start?.(card);
  for (const w of doc.warnings ?? []) sink.warning({ path: card.path, message: w });

  // Warnings about the card as a whole (claims left out, the fact budget): a run that hands back
  // the previous verdicts repeats them from the record.
  const cardWarnings: string[] = [];
  const cardWarning = (message: string): void => {
    cardWarnings.push(message);
    sink.warning({ path: card.path, message });
  };
  const cacheWarning = (message: string): void => sink.warning({ path: opts.cacheDir ?? '', message });
  const cacheDir = opts.cacheDir;
  const engine = cacheDir ? await engineFingerprint() : '';
  const filtered = opts.factFilter && !opts.llm?.enabled;
  const decisionKey = cacheDir && filtered ? decidingKey(opts, engine, cardAbs, doc) : undefined;
  // The previous decisions of this card, if it is unchanged: they also say what it asks about, so
  // its claims are read again only if they must be decided again.
  const previous = cacheDir && decisionKey ? await loadCardDecisions(cacheDir, cardAbs, decisionKey, warm) : undefined;
  let claimUnits: ClaimUnit[] | undefined;
  let claimPlaces: ClaimUnitPlace[] = [];
  const units = (): ClaimUnit[] => {
    if (claimUnits) return claimUnits;
    const placed = extractPlacedClaimUnits(doc);
    claimUnits = placed.units;
    claimPlaces = placed.places;
    if (claimUnits.length > opts.maxClaims) {
      cardWarning(`the card has ${claimUnits.length} claims; only the first ${opts.maxClaims} are checked (maxClaims)`);
      claimUnits = claimUnits.slice(0, opts.maxClaims);
      claimPlaces = claimPlaces.slice(0, opts.maxClaims);
    }
    return claimUnits;
  };
  const progress: Progress = { phase: 'index', claimsDone: 0, claimsTotal: previous ? previous.units.length : units().length, filesScanned: 0 };
  sink.progress({ ...progress });

  const budget = factBudget(opts, cardWarning);
  const filter = filtered ? (previous ? factFilterOf(previous.filter, budget) : cardFactFilter(units(), doc.lines.join('\n'), budget)) : undefined;
  const index = new FactIndex(filter);
  let filesSkipped = 0;
  const inFlight = new Set<Promise<void>>();
  const snapshotAt = cacheDir && filter ? { dir: cacheDir, root, engine, cardPath: cardAbs, filter } : undefined;
  const snapshot = snapshotAt ? await openCardSnapshot(snapshotAt, cacheWarning, warm) : undefined;
  // Opened on the first file the snapshot cannot serve: a re-run of an unchanged card reads
  // nothing of the fact cache, not even its index (tens of thousands of entries).
  let opened: Promise<FactCache | undefined> | undefined;
  const factCache = (): Promise<FactCache | undefined> => (opened ??= cacheDir ? openFactCache({ dir: cacheDir, root, engine }, cacheWarning) : Promise.resolve(undefined));
  if (!snapshot) await factCache();
  // The previous verdicts can only stand on the snapshot they were decided on.
  const reusable = previous && snapshot?.generation === previous.snapshot ? previous : undefined;
  // With previous decisions, the index is built only if the walk finds a change they could see.
  const deferred = reusable && filter ? new DeferredIndex(withoutBudget(filter)) : undefined;
  // Without them, a run that writes a snapshot builds its index after the walk, from the records
  // it wrote: the index and extraction's parse trees are then never in memory together, and the
  // memory the trees leave in glibc's arenas is given back in between (replayWritten, below).
  const afterWalk = !deferred && snapshot && filter ? new DeferredIndex(filter) : undefined;
  /** Where a file's facts go during the walk: a part of its own, under the run's budget, only written to the snapshot, when the index comes later. */
  const walkIndex = (): FactIndex => (afterWalk ? new FactIndex(filter, 'part') : index);
  // Snapshot records are trusted for files last modified before this (see RACY_WINDOW_MS).
  const walkStartedAt = Date.now();
  let walked = false;
  let reused: DecisionCheck | undefined;
  let partial: ReadonlySet<string> | undefined;
  /** An index of only what the units to decide again look up (DeferredIndex.replayScoped), with the changes it was built from. */
  let scoped: { index: FactIndex; lookups: LookupSet; check: DecisionCheck } | undefined;
  const budgetPlaces = new BudgetPlaces(filter, [budget.softLimit, budget.hardLimit]);
  let cache: FactCache | undefined;
  const nativeMemory = new NativeMemoryGuard();
  const filesInFlight = opts.concurrency ?? ((opts.extractThreads ?? defaultExtractionThreads()) > 0 ? 8 : FILES_IN_FLIGHT_ON_THREAD);
  // A re-run on a snapshot usually reads a file or two: starting extraction threads would cost
  // more than extracting them here. Threads (and the fact cache) take over from the few first files on.
  let extractions = 0;
  /** Files extracted without the fact cache (a cache miss it did not see). */
  let extractedUncached = 0;
  let extractionsAtYield = 0;
  let notedSinceYield = 0;
  /** Reads and extracts a file; the returned step adds it to the index (in walk order: see below). */
  const extracted = async (
    file: WorkspaceFile,
    key: string,
    /** Absent for the walk's own files, which the index built after the walk notes. */
    addInstead?: (facts: Fact[]) => FileIndexPart,
  ): Promise<() => Promise<void>> => {
    const add = addInstead ?? ((facts: Fact[]) => (deferred ? deferred.changed(file, facts) : walkIndex().addFile(facts)));
    const few = snapshot?.generation !== undefined && extractions < FEW_FILES;
    extractions++;
    if (few) extractedUncached++;
    // Nor is the fact cache opened for them: reading its index (~20 ms per 10,000 files) costs
    // more than extracting a file or two it might hold.
    const read = await fileFacts(file, { maxFileBytes: opts.maxFileBytes, extractThreads: few ? 0 : opts.extractThreads }, few ? undefined : await factCache());
    return async () => {
      if (!read.ok) {
        filesSkipped++;
        sink.warning({ path: file.relPath, message: `skipped: ${read.reason}` });
        return;
      }
      const { facts, warnings } = read;
      fileWarnings(file, warnings, read.encoding);
      const { facts: kept, ...added } = add(facts);
      await snapshot?.store(file, key, '', walkStartedAt, { facts: kept, warnings, ...(read.encoding ? { encoding: read.encoding } : {}), index: added });
      if (!addInstead) afterWalk?.unchanged(file);
    };
  };
  const extract = async (file: WorkspaceFile, key: string): Promise<void> => (await extracted(file, key))();
  /** An unchanged file whose snapshot record cannot stand in for it (DeferredIndex.replayInto): extracted and added in its place. */
  const reread = async (file: WorkspaceFile, into: DeferredIndex): Promise<void> => (await extracted(file, readKey(file, opts.maxFileBytes), (facts) => {
    const part = into.partOf(facts);
    index.replay(part);
    return part;
  }))();
  const fileWarnings = (file: WorkspaceFile, warnings: readonly string[], encoding: string | undefined): void => {
    if (encoding) sink.warning({ path: file.relPath, message: `not UTF-8; read as ${encoding}` });
    for (const w of warnings) sink.warning({ path: file.relPath, message: withoutPathPrefix(w, file.relPath) });
  };
  let lastAdded: Promise<void> = Promise.resolve();
  try {
    const walk = walkWorkspace(root, walkOptions(opts, cardAbs), sink.warning.bind(sink), signal);
    const counted = (file: WorkspaceFile): void => {
      if (!deferred) budgetPlaces.after(file.relPath);
      progress.filesScanned++;
      nativeMemory.check();
      if (progress.filesScanned % PROGRESS_EVERY_FILES === 0) sink.progress({ ...progress });
    };
    for await (const file of walk) {
      if (file.kind === 'other') continue;
      // Files are read and extracted concurrently but added to the index in walk order: the fact
      // budget then admits the same facts whatever order reads finish in, so a snapshot part
      // recorded by one run stands in for its file in the next (FactIndex.canReplay).
      // An unchanged file of a re-run, with nothing in flight before it, is noted here and now:
      // a task per file cost more than noting it, over tens of thousands of files.
      const now = deferred && snapshot && inFlight.size === 0 ? snapshot.noteByStatNow(file, readKey(file, opts.maxFileBytes)) : undefined;
      if (now && now !== 'later') {
        fileWarnings(file, now.noted.warnings, now.noted.encoding);
        deferred?.unchanged(file);
        counted(file);
        if (now.drain) await now.drain;
        if (++notedSinceYield >= NOTED_PER_YIELD) {
          notedSinceYield = 0;
          await new Promise<void>((r) => setImmediate(r));
        }
        continue;
      }
      const previousAdded = lastAdded;
      const task = (async () => {
        const key = readKey(file, opts.maxFileBytes);
        let add: () => Promise<void> | void;
        if (deferred && snapshot) {
          // Facts are read back only if the claims must be decided again (DeferredIndex).
          const noted = await snapshot.noteByStat(file, key);
          add = noted
            ? () => {
              fileWarnings(file, noted.warnings, noted.encoding);
              deferred.unchanged(file);
            }
            : await extracted(file, key);
        } else {
          const hit = await snapshot?.byStat(file, key);
          const part = hit?.index && { facts: hit.facts, ...hit.index };
          add = hit && part
            ? async () => {
              const into = walkIndex();
              if (!into.canReplay(part)) return extract(file, key);
              fileWarnings(file, hit.warnings, hit.encoding);
              into.replay(part);
              afterWalk?.unchanged(file);
            }
            : await extracted(file, key);
        }
        await previousAdded;
        await add();
        counted(file);
      })();
      lastAdded = task.catch(() => undefined);
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      // Let native parse trees go between files (DEPENDENCIES.md: sync loops keep them alive):
      // after each file read afresh. A re-run that only notes unchanged files yields now and then.
      if (inFlight.size >= filesInFlight) await Promise.race(inFlight);
      else if (extractions !== extractionsAtYield || ++notedSinceYield >= NOTED_PER_YIELD) {
        extractionsAtYield = extractions;
        notedSinceYield = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    await Promise.all(inFlight);
    if (deferred && reusable && snapshot) {
      const check = await deferred.check(reusable, snapshot, [budget.softLimit, budget.hardLimit]);
      const changed = check.changedLookups();
      if (changed?.size === 0) {
        reused = check;
      } else {
        // Units none of whose lookups answers differently keep their results (see cardDecisions.ts).
        partial = changed;
        // The others are decided on an index of what they look up, when that is all they can see.
        const scope = changed && filter?.spec ? lookupScope(reusable, changed) : undefined;
        const lookups = scope && new LookupSet(scope);
        // Its own budget count; a run on it repeats the previous run's warnings (its limits are reached where they were).
        const scopedFilter = lookups && filter?.spec ? factFilterOf(filter.spec, { ...budget, onLimit: () => undefined }) : undefined;
        const scopedIndex = scopedFilter && new FactIndex(scopedFilter, 'lookups');
        if (lookups && scopedFilter && scopedIndex && await deferred.replayScoped(scopedIndex, scopedFilter, snapshot, lookups, reusable.crossed)) {
          scopedIndex.knowWords(check.words().map(([w]) => w));
          scopedIndex.knowConfigNames(reusable.configNames);
          scoped = { index: scopedIndex.finish(), lookups, check };
        } else {
          await deferred.replayInto(index, snapshot, (file) => reread(file, deferred), (relPath) => budgetPlaces.after(relPath));
        }
      }
    }
    walked = !signal?.aborted;
  } finally {
    // A failed or cancelled walk leaves the previous cache as it was.
    if (!walked) await Promise.allSettled(inFlight);
    // The fact cache is rewritten only by runs that went through it for every file: copying the
    // records of files the snapshot served would cost more than the snapshot saves. Facts of
    // files edited since are then extracted once more by the next such run (another card).
    const snapshotServed = snapshot?.stats.statHits ?? 0;
    cache = await opened;
    await closeFactCache(cache, walked && snapshotServed === 0, cacheWarning);
    await closeFactCache(snapshot, walked, cacheWarning);
  }
  signal?.throwIfAborted();
  /**
   * Builds the index from the files `from` noted, in walk order, reading their records back from
   * the snapshot this run committed; a file whose record cannot be read is extracted again.
   */
  const replayWritten = async (from: DeferredIndex, added?: (relPath: string) => void): Promise<void> => {
    if (!snapshot || !snapshotAt) return;
    // Without it (its commit failed), the closed snapshot reads nothing back: every file is read again.
    const written = snapshot.committedGeneration ? await reopenCardSnapshot(snapshotAt, snapshot.committedGeneration) : undefined;
    try {
      await from.replayInto(index, written ?? snapshot, (file) => reread(file, from), added);
    } finally {
      await written?.discard();
    }
  };
  if (afterWalk) {
    // The walk's parse trees are garbage now: their memory goes back before the index takes its own.
    releaseNativeMemory();
    // The budget admits again what it admitted in the walk, in the same order (and warns once).
    filter?.seek?.(0);
    await replayWritten(afterWalk);
  }
  const cacheStats = (): Stats['cache'] => {
    if (!cacheDir) return undefined;
    const snapshotHits = snapshot?.stats.statHits ?? 0;
    const main = cache?.stats ?? { statHits: 0, hashHits: 0, misses: 0, damaged: 0 };
    return { ...main, statHits: main.statHits + snapshotHits, misses: main.misses + extractedUncached, damaged: main.damaged + (snapshot?.stats.damaged ?? 0), snapshotHits };
  };
  // Records what was decided on the snapshot just written, for the next run to hand back.
  const remember = async (record: Omit<CardDecisions, 'version' | 'key' | 'snapshot' | 'filter' | 'warnings'>): Promise<void> => {
    if (!decisionKey || !cacheDir || !filter?.spec) return;
    try {
      if (snapshot?.committedGeneration) await saveCardDecisions(cacheDir, cardAbs, { key: decisionKey, snapshot: snapshot.committedGeneration, filter: filter.spec, warnings: cardWarnings, ...record });
      else await forgetCardDecisions(cacheDir, cardAbs);
    } catch (e) {
      cacheWarning(`previous verdicts not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  if (reused && reusable) {
    for (const message of reusable.warnings) cardWarning(message);
    const { summary, claims } = await emitUnits(reusable.units, sink, progress, signal);
    await remember({ factsIndexed: reusable.factsIndexed, crossed: reusable.crossed, configNames: reusable.configNames, places: reusable.places, dropped: reused.dropped, words: reused.words(), units: reusable.units, looked: reusable.looked });
    const stats: Stats = { filesScanned: progress.filesScanned, filesSkipped, facts: reusable.factsIndexed + reused.dropped, factsIndexed: reusable.factsIndexed, claims, durationMs: Date.now() - started };
    const cacheNow = cacheStats();
    if (cacheNow) stats.cache = { ...cacheNow, claimsReused: claims, index: 'none' };
    return { card, summary, stats };
  }
  // The previous run's units, when this one may keep some of them (same card, so the same units).
  let kept = partial && reusable ? { changed: partial, previous: reusable } : undefined;
  // Decided ahead on the scoped index, each unit extracted alone from the card; a unit that now
  // looks up something else needs the whole index.
  const unitPlaces = kept?.previous.places;
  const scopedContext = scoped && cardContext(doc, scoped.index);
  const early = scoped && scopedContext && kept && unitPlaces && deferred ? decideScoped((i) => claimUnitAt(doc, unitPlaces[i]), kept, scoped, scopedContext) : undefined;
  if (scoped && !early && deferred && snapshot) {
    scoped = undefined;
    await replayWritten(deferred, (relPath) => budgetPlaces.after(relPath));
  }
  if (scoped && reusable) for (const message of reusable.warnings) cardWarning(message);
  else if (kept && kept.previous.units.length !== units().length) kept = undefined;
  const deciding = scoped?.index ?? index.finish();

  const context = scoped && scopedContext ? scopedContext : cardContext(doc, deciding);
  // Loaded only when asked for: the model client and the sandbox cost nothing otherwise.
  const llm = opts.llm?.enabled
    ? await (await import('./llm/llmPass.js')).openLlmPass({
      options: opts.llm, apiKey: job.llmApiKey, workspaceTrusted: job.workspaceTrusted ?? true,
      root, cardAbs, cardLines: doc.lines, maxFileBytes: opts.maxFileBytes, include: opts.include, exclude: opts.exclude,
      index, context, warn: (message) => sink.warning({ path: card.path, message }), signal,
    })
    : undefined;
  const recorded: Pick<CardDecisions, 'units' | 'looked'> | undefined = decisionKey && !llm ? { units: [], looked: [] } : undefined;
  let claimsReused = 0;
  const decide = (unit: () => ClaimUnit, i?: number): ClaimResult[] => {
    const looked = kept && i !== undefined ? kept.previous.looked[i] : undefined;
    if (kept && i !== undefined && looked && !looked.some((l) => kept.changed.has(l))) {
      const results = kept.previous.units[i];
      claimsReused += results.length;
      recorded?.units.push(recordedUnit(results));
      recorded?.looked.push(looked);
      return results;
    }
    const ahead = i !== undefined ? early?.get(i) : undefined;
    if (ahead) {
      recorded?.units.push(recordedUnit(ahead.value));
      recorded?.looked.push(ahead.looked);
      return ahead.value;
    }
    if (!recorded) return verifyUnit(unit(), deciding, context);
    const tracked = deciding.track(() => verifyUnit(unit(), deciding, context));
    recorded.units.push(recordedUnit(tracked.value));
    recorded.looked.push(tracked.looked);
    return tracked.value;
  };
  // The LLM pass refines unverified claims a few units ahead but hands them back in card order.
  // A scoped run hands back or has decided every unit: it extracts none of them again here.
  const count = scoped && reusable ? reusable.units.length : units().length;
  const decided: AsyncIterable<ClaimResult[]> | Iterable<ClaimResult[]> = llm ? llm.refine(units(), (u) => decide(() => u)) : eachUnit(count, (i) => decide(() => units()[i], i));
  const { summary, claims } = await emitUnits(decided, sink, progress, signal);
  // A scoped index holds some facts only: the counts are the previous run's, with the changes.
  // The budget reached its limits where it did before (DecisionCheck.budgetHolds).
  const totals = scoped && reusable
    ? { factsIndexed: scoped.check.factsIndexed, crossed: reusable.crossed, configNames: reusable.configNames, places: reusable.places, dropped: scoped.check.dropped, words: scoped.check.words() }
    : { factsIndexed: index.all.length, crossed: budgetPlaces.crossed, configNames: [...index.configNames], places: claimPlaces, dropped: index.dropped, words: [...index.wordFiles] };
  const stats: Stats = { filesScanned: progress.filesScanned, filesSkipped, facts: totals.factsIndexed + totals.dropped, factsIndexed: totals.factsIndexed, claims, durationMs: Date.now() - started };
  if (llm) stats.llm = llm.stats();
  const cacheNow = cacheStats();
  if (cacheNow) stats.cache = { ...cacheNow, claimsReused, index: scoped ? 'scoped' : 'whole' };
  if (recorded) await remember({ ...totals, ...recorded });
  return { card, summary, stats };
}

/**
 * Reads into `warm` what a run of `job` reads before it looks at the workspace, following the same
 * steps as runPipeline: the card, its previous decisions and, when there are some, its snapshot.
 * A ready worker told which card comes next does this while it waits. Never throws: what fails
 * here is read again by the run, which reports it.
 */
export async function prepareRun(job: Omit<VerifyJob, 'cardText' | 'warm'>, warm: WarmStart): Promise<void> {
  try {
    const opts = EngineOptionsSchema.parse(job.options ?? {});
    const cacheDir = opts.cacheDir;
    const cardAbs = path.resolve(job.cardPath);
    const doc = await warm.cardDocument(cardAbs, () => loadCard(cardAbs));
    if (!cacheDir || !opts.factFilter || opts.llm?.enabled) return;
    const engine = await engineFingerprint();
    const previous = await loadCardDecisions(cacheDir, cardAbs, decidingKey(opts, engine, cardAbs, doc), warm);
    if (!previous) return;
    const filter = factFilterOf(previous.filter, factBudget(opts, () => undefined));
    const root = path.resolve(job.workspaceRoot);
    await prefetchCardSnapshot({ dir: cacheDir, root, engine, cardPath: cardAbs, filter }, warm);
    // The run's walk is the longest part of a re-run: walked once here, its code is compiled
    // and the file system's caches hold the workspace's folders and inodes when the job comes.
    const walk = walkWorkspace(root, walkOptions(opts, cardAbs), () => undefined);
    for await (const file of walk) {
      // A job that came meanwhile walks the workspace itself: it does not wait for this walk.
      if (warm.arrived) break;
      readKey(file, opts.maxFileBytes);
      warm.walkedAhead++;
    }
  } catch {
    // the run reads it all again
  }
}

/** What a card's decisions depend on besides the index (see decisionsKey): options that change no verdict are left out. */
function decidingKey(opts: EngineOptions, engine: string, cardAbs: string, doc: CardDocument): string {
  const { cacheDir: _dir, concurrency: _c, extractThreads: _t, ...decidingOptions } = opts;
  return decisionsKey({ engine, options: decidingOptions, cardPath: cardAbs, format: doc.format, lines: doc.lines });
}

/** The run's walk, and the warm-up walk that stands in for it: the card itself is not a workspace file. */
function walkOptions(opts: EngineOptions, cardAbs: string): WalkOptions {
  return { maxFileBytes: opts.maxFileBytes, include: opts.include, exclude: opts.exclude, excludePaths: [cardAbs] };
}

function factBudget(opts: EngineOptions, onLimit: (message: string) => void): FactBudget {
  return { softLimit: opts.maxIndexedFacts, hardLimit: 2 * opts.maxIndexedFacts, onLimit };
}

/** Where the fact budget reached its limits in this run's walk (CardDecisions.crossed). */
class BudgetPlaces {
  readonly crossed: [BudgetPlace | null, BudgetPlace | null] = [null, null];
  /** The budget's count before the file being added. */
  private before = 0;

  constructor(private readonly filter: FactFilter | undefined, private readonly limits: readonly [number, number]) {}

  /** Called after each file reaches the index, in walk order. */
  after(relPath: string): void {
    const admitted = this.filter?.admitted?.();
    if (admitted === undefined) return;
    this.limits.forEach((limit, i) => {
      if (this.crossed[i] === null && admitted >= limit) this.crossed[i] = [relPath, this.before];
    });
    this.before = admitted;
  }
}

/**
 * Decides, on the scoped index, the units whose lookups answer differently now. Undefined when
 * one of them looked up something the scoped index does not answer: the whole index decides then.
 */
function decideScoped(
  unitAt: (i: number) => ClaimUnit | undefined,
  kept: { changed: ReadonlySet<string>; previous: CardDecisions },
  scoped: { index: FactIndex; lookups: LookupSet },
  context: CardContext,
): Map<number, { value: ClaimResult[]; looked: string[] }> | undefined {
  const out = new Map<number, { value: ClaimResult[]; looked: string[] }>();
  for (let i = 0; i < kept.previous.looked.length; i++) {
    if (!kept.previous.looked[i].some((l) => kept.changed.has(l))) continue;
    const unit = unitAt(i);
    if (!unit) return undefined;
    const tracked = scoped.index.track(() => verifyUnit(unit, scoped.index, context));
    if (!tracked.looked.every((l) => scoped.lookups.covers(l))) return undefined;
    out.set(i, tracked);
  }
  return out;
}

/** Files the walk goes through without a turn of the event loop when it reads none afresh. */
const NOTED_PER_YIELD = 256;

/**
 * Files in flight when facts are extracted on the engine's own thread. Their parses run ahead on
 * libuv's pool while this one thread turns trees into facts, and each parsed tree waits in native
 * memory: four parses ahead keep it busy (on 2 cores, as busy as 8 did). Cold stdlib runs
 * through the bench host, three interleaved pairs: the peak before the index was built 164-168 MB
 * with 8, 157-162 MB with 4, in the same time (30.6-38.7 s against 31.8-35.0 s).
 */
const FILES_IN_FLIGHT_ON_THREAD = 4;

/** Files a re-run extracts on its own thread before it starts extraction threads. */
const FEW_FILES = 4;

/** The filter as it decides what a file offers the index, before any budget (see FactFilter.admit). */
function withoutBudget(filter: FactFilter): FactFilter {
  const { keep, admitsUnder, vocabulary, fingerprint } = filter;
  return { keep, vocabulary, fingerprint, ...(admitsUnder ? { admitsUnder } : {}) };
}

/** Emits each unit's results as it comes (decided now or handed back), with progress per unit. */
async function emitUnits(
  decided: AsyncIterable<ClaimResult[]> | Iterable<ClaimResult[]>,
  sink: PipelineSink,
  progress: Progress,
  signal: AbortSignal | undefined,
): Promise<{ summary: Summary; claims: number }> {
  progress.phase = 'verify';
  sink.progress({ ...progress });
  const summary: Summary = { supported: 0, contradicted: 0, unverified: 0, notCheckable: 0 };
  let claims = 0;
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
  return { summary, claims };
}

function* eachUnit(count: number, decide: (i: number) => ClaimResult[]): Generator<ClaimResult[]> {
  for (let i = 0; i < count; i++) yield decide(i);
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
  return { namedConfigs: named, commandFacts: commandFacts.finish() };
}

/** Extractors name the file in their messages; the warning carries it already. */
function withoutPathPrefix(message: string, relPath: string): string {
  return message.startsWith(`${relPath}: `) ? message.slice(relPath.length + 2) : message;
}
