import type { Fact } from '../facts/fact.js';
import { answersSome, FactIndex, MIXED_REGIME, type FileIndexPart, type LookupSet } from '../verify/factIndex.js';
import type { FactFilter } from '../verify/factRelevance.js';
import { DecisionCheck, type CardDecisions, type FileView } from './cardDecisions.js';
import type { FactCache, FileExtraction } from './factCache.js';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';

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
 * is the real index built, by `replayInto`, in walk order.
 *
 * Parts are computed under `filter` without its budget (its `admit`), then compared with the
 * previous ones under the budget regime the file was read in (FileIndexPart.regime): a file the
 * budget cut short before is compared on what the budget would let in now.
 */
export class DeferredIndex {
  private readonly entries: Entry[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly filter: FactFilter) {}

  unchanged(file: WorkspaceFile): void {
    this.entries.push({ file });
    this.seen.add(file.relPath);
  }

  /** Notes a file extracted afresh and returns its part (for the snapshot). */
  changed(file: WorkspaceFile, facts: readonly Fact[]): FileIndexPart {
    const part = new FactIndex(this.filter).addFile(facts);
    this.entries.push({ file, part });
    this.seen.add(file.relPath);
    return part;
  }

  /** Whether the previous decisions still hold, with the counts a new record needs. */
  async check(previous: CardDecisions, snapshot: FactCache, budgetUsed: boolean): Promise<DecisionCheck> {
    const check = new DecisionCheck(previous, budgetUsed);
    const compare = async (relPath: string, after: FileIndexPart | undefined): Promise<void> => {
      const old = await snapshot.previous(relPath);
      const before = old ? partOf(old) : undefined;
      // A record without its index part, or one that cannot be read, hides what the file added.
      if (old && !before) return check.invalidate();
      // The budget let in only some of the file's facts before: compare what it would let in now.
      // Without the budget in play last time, every file was read as if none existed (a regime
      // recorded by an older run is stale), and a part it had cut short cannot be compared.
      const regime = !before ? 0 : budgetUsed ? before.regime : before.refused === 0 ? 0 : undefined;
      const admitted = after && regime !== undefined ? this.admittedUnder(regime, after) : undefined;
      if (after && !admitted) return check.invalidate();
      check.apply(before && this.view(before, before), after && admitted && this.view(admitted, after));
    };
    for (const e of this.entries) {
      if (check.stale) return check;
      if (e.part) await compare(e.file.relPath, e.part);
    }
    for (const relPath of [...snapshot.previousPaths()]) {
      if (check.stale) return check;
      if (!this.seen.has(relPath)) await compare(relPath, undefined);
    }
    return check;
  }

  /**
   * Builds the real index from the noted files, in walk order. `reread` is called for an
   * unchanged file whose snapshot record cannot be read again, or stands in for it no longer
   * (FactIndex.canReplay): its facts are then extracted.
   */
  async replayInto(index: FactIndex, snapshot: FactCache, reread: (file: WorkspaceFile) => Promise<void>): Promise<void> {
    for (const e of this.entries) {
      if (e.part) {
        index.replay(e.part);
        continue;
      }
      const old = await snapshot.previous(e.file.relPath);
      const part = old && partOf(old);
      if (part && index.canReplay(part)) index.replay(part);
      else await reread(e.file);
    }
    this.entries.length = 0;
  }

  /**
   * Builds, in walk order, an index that answers `lookups` as the whole one would: the facts
   * answering one of them and every file's config names (the caller gives it the vocabulary).
   * Only for a run the fact budget stays out of (the parts are added as they are). Leaves the
   * noted files for `replayInto`, and returns false when a record cannot be read back.
   */
  async replayScoped(index: FactIndex, snapshot: FactCache, lookups: LookupSet): Promise<boolean> {
    for (const e of this.entries) {
      const part = e.part ?? await this.previousPart(snapshot, e.file.relPath);
      // A part the budget cut short lacks facts a run outside the budget has.
      if (!part || part.refused !== 0) return false;
      // Stored without words when it has no facts.
      const words = part.words ?? [];
      if (words.length !== part.facts.length) return false;
      const facts: Fact[] = [];
      const kept: typeof words = [];
      part.facts.forEach((f, i) => {
        if (!answersSome(f, words[i], lookups)) return;
        facts.push(f);
        kept.push(words[i]);
      });
      index.replay({ facts, words: kept, vocabulary: [], configNames: part.configNames, dropped: 0 });
    }
    return true;
  }

  private async previousPart(snapshot: FactCache, relPath: string): Promise<FileIndexPart | undefined> {
    const old = await snapshot.previous(relPath);
    return old && partOf(old);
  }

  /** `part` as the budget in `regime` would have admitted it; undefined when that cannot be told. */
  private admittedUnder(regime: number, part: FileIndexPart): FileIndexPart | undefined {
    if (regime === 0) return part;
    const admitsUnder = this.filter.admitsUnder;
    if (regime === MIXED_REGIME || !admitsUnder || part.words?.length !== part.facts.length) return undefined;
    const words = part.words;
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
