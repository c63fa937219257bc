import type { BigIntStats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { CardDocument } from '../card/cardDocument.js';
import type { CardDecisions } from './cardDecisions.js';
import type { PackEntry, PackIndex } from './factPack.js';

/** A pack as `FactCache.open` reads it: its index, the index's digest, and (preloaded) its bytes. */
export interface PackRead {
  index: PackIndex;
  digest: string;
  preloaded?: Buffer;
  /** Entries whose bytes in `preloaded` passed their checksum already. */
  verified: WeakSet<PackEntry>;
}

/** What each kind of read holds. */
interface Reads {
  decisions: CardDecisions | undefined;
  pack: PackRead;
}

/**
 * What a ready worker (src/extension/worker/readyWorker.ts) read ahead of its job, once told
 * which card comes next: the card parsed, its previous decisions and its snapshot pack. These are
 * what a re-run reads first, ~0.15 s on a 10,000-file workspace, before it can look at a single
 * workspace file. Each read is handed to the run only if its file is still the one that was read
 * (`fileIdentity`; the card by its bytes), and only once: a run never depends on the reads
 * being there, they only spare it the reading.
 */
export class WarmStart {
  private readonly reads = new Map<string, { identity: string; value: unknown }>();
  private card: { path: string; bytes: Buffer; doc: CardDocument } | undefined;
  private sealed = false;
  private jobArrived = false;
  /** The kinds of read a run was handed (for tests and diagnostics). */
  readonly used: ('card' | keyof Reads)[] = [];
  /** Workspace files the warm-up walk went through (for tests and diagnostics). */
  walkedAhead = 0;

  /** Called when the job starts: reads from then on are the run's own and are not kept. */
  seal(): void {
    this.sealed = true;
    this.jobArrived = true;
  }

  /**
   * Called when the job arrives, before it waits for the reads: what is only warming up (the
   * walk) stops, while the reads go on (the job would make them itself).
   */
  arrive(): void {
    this.jobArrived = true;
  }

  /** Whether the job has come: warming up is no longer worth its time. */
  get arrived(): boolean {
    return this.jobArrived;
  }

  keep<K extends keyof Reads>(kind: K, file: string, identity: string, value: Reads[K]): void {
    if (!this.sealed) this.reads.set(`${kind}\u0000${file}`, { identity, value });
  }

  /** The value kept for `file` if its identity is still `identity`; forgotten either way. */
  take<K extends keyof Reads>(kind: K, file: string, identity: string): { value: Reads[K] } | undefined {
    const key = `${kind}\u0000${file}`;
    const kept = this.reads.get(key);
    this.reads.delete(key);
    // Each kind is kept by one function only, with its own type (see `keep`).
    if (!kept || kept.identity !== identity) return undefined;
    this.used.push(kind);
    return { value: kept.value as Reads[K] };
  }

  /**
   * `read()` of a file that is replaced, never rewritten in place (decisions and packs are renamed
   * into place), through the kept reads: taken when the file is unchanged, kept when read ahead.
   */
  async through<K extends keyof Reads>(kind: K, file: string, read: () => Promise<Reads[K]>): Promise<Reads[K]> {
    const before = await identityOf(file);
    const taken = before !== undefined ? this.take(kind, file, before) : undefined;
    if (taken) return taken.value;
    const value = await read();
    if (!this.sealed && before !== undefined && (await identityOf(file)) === before) this.keep(kind, file, before, value);
    return value;
  }

  /**
   * The card as `load` parses it. A card is edited in place, in the same second as its last run
   * perhaps: it is compared by its bytes, which cost little to read; parsing them is what is spared.
   */
  async cardDocument(path: string, load: () => Promise<CardDocument>): Promise<CardDocument> {
    const kept = this.card;
    this.card = undefined;
    if (kept && kept.path === path) {
      const bytes = await readFile(path).catch(() => undefined);
      if (bytes?.equals(kept.bytes)) {
        this.used.push('card');
        return kept.doc;
      }
    }
    if (this.sealed) return load();
    const before = await readFile(path).catch(() => undefined);
    const doc = await load();
    const after = await readFile(path).catch(() => undefined);
    if (before && after?.equals(before)) this.card = { path, bytes: before, doc };
    return doc;
  }
}

/**
 * Same identity, same content, for a file nobody writes in place: a replaced file has another
 * inode, and any write changes the change time (nanoseconds where the file system has them).
 */
export function fileIdentity(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

async function identityOf(file: string): Promise<string | undefined> {
  try {
    return fileIdentity(await stat(file, { bigint: true }));
  } catch {
    return undefined;
  }
}
