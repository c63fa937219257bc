import type { Fact } from '../facts/fact.js';
import { FactIndex, type FileIndexPart } from '../verify/factIndex.js';
import type { FactFilter } from '../verify/factRelevance.js';
import { DecisionCheck, type CardDecisions } from './cardDecisions.js';
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
 * Parts are computed under `filter` without its budget: the previous decisions are recorded only
 * by runs that stayed under the budget, where the budget leaves every decision to the filter.
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
  async check(previous: CardDecisions, snapshot: FactCache): Promise<DecisionCheck> {
    const check = new DecisionCheck(previous);
    const compare = async (relPath: string, after: FileIndexPart | undefined): Promise<void> => {
      const old = await snapshot.previous(relPath);
      const before = old ? partOf(old) : undefined;
      // A record without its index part, or one that cannot be read, hides what the file added.
      if (old && !before) return check.invalidate();
      check.apply(before, this.wordsOf(before), after, this.wordsOf(after));
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
   * unchanged file whose snapshot record cannot be read again (its facts are then extracted).
   */
  async replayInto(index: FactIndex, snapshot: FactCache, reread: (file: WorkspaceFile) => Promise<void>): Promise<void> {
    for (const e of this.entries) {
      if (e.part) {
        index.replay(e.part);
        continue;
      }
      const old = await snapshot.previous(e.file.relPath);
      const part = old && partOf(old);
      if (part) index.replay(part);
      else await reread(e.file);
    }
    this.entries.length = 0;
  }

  /** The card words a part says, as FactIndex.wordFiles counts them. */
  private wordsOf(part: FileIndexPart | undefined): Iterable<string> {
    if (!part) return [];
    const one = new FactIndex(this.filter);
    one.replay(part);
    return one.wordFiles.keys();
  }
}

function partOf(x: FileExtraction): FileIndexPart | undefined {
  return x.index ? { facts: x.facts, ...x.index } : undefined;
}
