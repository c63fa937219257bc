import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FactFilter } from '../verify/factRelevance.js';
import { FactCache, openFactCache, type FactCacheOptions } from './factCache.js';
import type { WarmStart } from './warmStart.js';
import { sha1Hex } from './factPack.js';

/**
 * A card's snapshot: for each workspace file, only the facts that card's index kept (with what
 * the file's dropped facts added to it), in a pack of its own beside the fact cache. A re-run of
 * the same card then replays the few relevant facts of each unchanged file instead of decoding
 * all of its cached facts (on a generated 10,000-file workspace: a few percent of them). It is
 * valid while the card asks the same questions: the pack is keyed by the filter's fingerprint,
 * so an edit of the card that changes what it asks about starts a new one (from the fact cache).
 * One pack per card path: a card's older snapshots are replaced, not accumulated.
 */
export async function openCardSnapshot(options: CardSnapshotOptions, warn: (message: string) => void, warm?: WarmStart): Promise<FactCache | undefined> {
  await removeUnusedSnapshots(options.dir);
  return openFactCache(snapshotPackOptions(options), warn, warm);
}

/**
 * The snapshot a run just committed (`generation`), opened to read its records back; undefined
 * when another run's pack has taken its place since. Close it with `discard()`.
 */
export async function reopenCardSnapshot(options: CardSnapshotOptions, generation: string): Promise<FactCache | undefined> {
  // Records are read back in about the order they were written: a megabyte at a time, not the
  // whole pack (30 MB at 50,000 files) beside the index being built.
  const reader = await openFactCache({ ...snapshotPackOptions(options), preload: false, readAhead: READ_BACK_BYTES }, () => undefined);
  if (reader?.generation === generation) return reader;
  await reader?.discard();
  return undefined;
}

const READ_BACK_BYTES = 1 << 20;

/** Reads the snapshot `openCardSnapshot(options)` would open into `warm`, ahead of the run. */
export async function prefetchCardSnapshot(options: CardSnapshotOptions, warm: WarmStart): Promise<void> {
  await FactCache.prefetch(snapshotPackOptions(options), warm);
}

interface CardSnapshotOptions {
  dir: string;
  root: string;
  engine: string;
  cardPath: string;
  filter: FactFilter;
}

function snapshotPackOptions(options: CardSnapshotOptions): FactCacheOptions {
  return {
    dir: options.dir,
    root: options.root,
    engine: `${options.engine}|card|${options.filter.fingerprint}`,
    label: `card-${sha1Hex(path.resolve(options.cardPath)).slice(0, 16)}`,
    preload: true,
  };
}

/** A snapshot not rewritten for this long belongs to a card deleted, renamed or no longer checked. */
export const UNUSED_SNAPSHOT_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Removes card snapshots and decisions (cardDecisions.ts) unused for UNUSED_SNAPSHOT_MS, so a
 * storage folder does not grow with every card ever checked.
 */
async function removeUnusedSnapshots(dir: string, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const snapshot = name.startsWith('card-') && name.endsWith('.pack');
    const decisions = name.startsWith('decisions-') && name.endsWith('.json');
    if (!snapshot && !decisions) continue;
    const full = path.join(dir, name);
    try {
      if (now - (await stat(full)).mtimeMs > UNUSED_SNAPSHOT_MS) await unlink(full);
    } catch {
      // another run may be replacing or removing it
    }
  }
}
