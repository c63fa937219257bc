import type { Fact } from '../facts/fact.js';
import { answersSome, FactIndex, MIXED_REGIME, type FileIndexPart, type LookupSet } from '../verify/factIndex.js';
import type { FactFilter } from '../verify/factRelevance.js';
import { DecisionCheck, type CardDecisions, type FileView } from './cardDecisions.js';
import type { FactCache, FileExtraction } from './factCache.js';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';
import { compareWalkOrder } from '../workspace/walkWorkspace.js';

interface Entry {
  file: WorkspaceFile;
  /** Set for a file extracted afresh; unchanged files are read back from the snapshot if needed. */
  part?: FileIndexPart;
}

/**
 * The index phase of a run that may hand back the card's previous verdicts (cardDecisions.ts).
 * Files the snapshot serves unchanged are only noted; files extracted afresh are kept as the parts
 * the index would add. After the walk, `check` compares those parts with what the same files
 * added before (and what deleted files added); only when something the claims can see changed
 * is an index built, in walk order: of the facts the claims to decide again look up
 * (`replayScoped`), or whole (`replayInto`).
 *
 * Parts are computed under `filter` without its budget (its `admit`), then compared with the
 * previous ones as the budget admits them in the regime both runs read them in (see `check`).
 */
export class DeferredIndex {
  private readonly entries: Entry[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly filter: FactFilter) {}

  unchanged(file: WorkspaceFile): void {
    this.entries.push({ file });
    this.seen.add(file.relPath);
  }

  /** What a file's facts offer the index before the budget (what the snapshot keeps of a file read afresh). */
  partOf(facts: readonly Fact[]): FileIndexPart {
    return new FactIndex(this.filter).addFile(facts);
  }

  /** Notes a file extracted afresh and returns its part (for the snapshot). */
  changed(file: WorkspaceFile, facts: readonly Fact[]): FileIndexPart {
    const part = this.partOf(facts);
    this.entries.push({ file, part });
    this.seen.add(file.relPath);
    return part;
  }

  /**
   * Whether the previous decisions still hold, with the counts a new record needs. `limits`: the
   * fact budget's soft and hard limits. A file is compared in the budget regime the places where
   * the previous run's budget reached a limit (CardDecisions.crossed) put it in; a change before
   * such a place must leave the number of facts its file admits as it was, so that the budget
   * reaches its limits where it did and every other file admits what it did.
   */
  async check(previous: CardDecisions, snapshot: FactCache, limits: readonly [number, number]): Promise<DecisionCheck> {
    const check = new DecisionCheck(previous, limits);
    const reached = previous.crossed.flatMap((p) => (p ? [p[0]] : []));
    const positions = new Map(this.entries.map((e, i) => [e.file.relPath, i]));
    const placeAt: number[] = [];
    for (const place of reached) {
      const at = positions.get(place);
      // A place that changed or went moves where the budget runs short.
      if (at === undefined || this.entries[at].part !== undefined) check.shiftsBudget();
      else placeAt.push(at);
    }
    const compare = async (relPath: string, after: FileIndexPart | undefined, placesBefore: number, beforeAPlace: boolean): Promise<void> => {
      const old = await snapshot.previous(relPath);
      const before = old ? partOf(old) : undefined;
      // A record without its index part, or one that cannot be read, hides what the file added.
      if (old && !before) return check.invalidate();
      // What the previous index took from the file, and what this one takes, in the regime both read it in.
      const was = before && this.admittedUnder(placesBefore, before);
      const is = after && this.admittedUnder(placesBefore, after);
      if ((before && !was) || (after && !is)) return check.invalidate();
      if (beforeAPlace && this.counted(was) !== this.counted(is)) check.shiftsBudget();
      check.apply(before && was && this.view(was, before), after && is && this.view(is, after));
    };
    for (const [i, e] of this.entries.entries()) {
      if (check.stale) return check;
      if (e.part) await compare(e.file.relPath, e.part, placeAt.filter((at) => at < i).length, placeAt.some((at) => at > i));
    }
    for (const relPath of [...snapshot.previousPaths()]) {
      if (check.stale) return check;
      if (this.seen.has(relPath)) continue;
      const order = reached.map((place) => compareWalkOrder(relPath, place));
      await compare(relPath, undefined, order.filter((o) => o > 0).length, order.some((o) => o < 0));
    }
    return check;
  }

  /**
   * Builds the real index from the noted files, in walk order. `reread` is called for an
   * unchanged file whose snapshot record cannot be read again, or stands in for it no longer
   * (FactIndex.canReplay): it must extract the file's facts and add them to `index` then.
   */
  async replayInto(index: FactIndex, snapshot: FactCache, reread: (file: WorkspaceFile) => Promise<void>, added?: (relPath: string) => void): Promise<void> {
    for (const e of this.entries) {
      if (e.part) {
        index.replay(e.part);
        added?.(e.file.relPath);
        continue;
      }
      const old = await snapshot.previous(e.file.relPath);
      const part = old && partOf(old);
      if (part && index.canReplay(part)) index.replay(part);
      else await reread(e.file);
      added?.(e.file.relPath);
    }
    this.entries.length = 0;
  }

  /**
   * Builds, in walk order, an index that answers `lookups` as the whole one would: the facts
   * answering one of them and every file's config names (the caller gives it the vocabulary).
   * Every fact of the files it reads still passes the budget of `filter`. A file whose record
   * cannot hold such a fact (LookupSet.needles) is not read: the budget's count then runs short,
   * which changes nothing but at the places it reached a limit (`crossed`, after a `check` that
   * holds), where it is set to the count recorded there. Leaves the noted files for `replayInto`,
   * and returns false when a record cannot be read back or stand in for its file.
   */
  async replayScoped(index: FactIndex, filter: FactFilter, snapshot: FactCache, lookups: LookupSet, crossed: CardDecisions['crossed']): Promise<boolean> {
    const needles = lookups.needles();
    const places = new Map(crossed.flatMap((p) => (p ? [p] : [])));
    for (const e of this.entries) {
      const start = places.get(e.file.relPath);
      if (start !== undefined) filter.seek?.(start);
      let part = e.part;
      if (!part) {
        // A place where the budget reached a limit is read whatever it holds: its facts count
        // there. Elsewhere only the facts that mention a needle are read: the regime cannot change
        // between two places, so what the others would add to the count does not matter.
        const old = needles && start === undefined ? await snapshot.previousMentioning(e.file.relPath, needles) : await snapshot.previous(e.file.relPath);
        if (old === null) continue;
        part = old && partOf(old);
      }
      if (!part || !index.canReplay(part)) return false;
      // Stored without words when it has no facts.
      if ((part.words?.length ?? 0) !== part.facts.length) return false;
      index.replay(part, (f, w) => answersSome(f, w, lookups));
    }
    return true;
  }

  /** How many of a part's facts the budget counts (it does not count what even its last regime admits: versions, licences). */
  private counted(part: FileIndexPart | undefined): number {
    if (!part) return 0;
    const admitsUnder = this.filter.admitsUnder;
    const words = part.words ?? [];
    if (!admitsUnder || words.length !== part.facts.length) return part.facts.length;
    return part.facts.filter((f, i) => !admitsUnder(2, f, words[i].keys)).length;
  }

  /**
   * `part` as the budget in `regime` admits it; undefined when that cannot be told: the part was
   * cut short by a stricter regime, or while the budget ran out.
   */
  private admittedUnder(regime: number, part: FileIndexPart): FileIndexPart | undefined {
    const complete = part.refused === 0 || (part.regime !== undefined && part.regime !== MIXED_REGIME && part.regime <= regime);
    if (!complete) return undefined;
    if (regime === 0) return part;
    const admitsUnder = this.filter.admitsUnder;
    // Stored without words when it has no facts.
    const words = part.words ?? [];
    if (!admitsUnder || words.length !== part.facts.length) return undefined;
    const keep = part.facts.map((f, i) => admitsUnder(regime, f, words[i].keys));
    return {
      ...part,
      facts: part.facts.filter((_, i) => keep[i]),
      words: words.filter((_, i) => keep[i]),
      dropped: part.dropped + keep.filter((k) => !k).length,
    };
  }

  /**
   * What the verdicts can see of a file: the facts `admitted`, the card words `whole` says (the
   * budget leaves those in the vocabulary), and how many facts it has.
   */
  private view(admitted: FileIndexPart, whole: FileIndexPart): FileView {
    const one = new FactIndex(this.filter);
    one.replay(whole);
    return { part: admitted, words: [...one.wordFiles.keys()], facts: whole.facts.length + whole.dropped };
  }
}

function partOf(x: FileExtraction): FileIndexPart | undefined {
  return x.index ? { facts: x.facts, ...x.index } : undefined;
}
