import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Fact } from '../facts/fact.js';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';
import type { FactWords } from '../verify/factIndex.js';
import { fileIdentity, type PackRead, type WarmStart } from './warmStart.js';
import { decodeFact, encodeFact, jsonSafe } from './factCodec.js';
import { StringPool } from '../memory/stringPool.js';
import {
  checksum,
  encodeTrailer,
  PACK_FORMAT,
  PackDamage,
  readExactly,
  readPackIndex,
  sha1Hex,
  type PackEntry,
  type PackIndex,
} from './factPack.js';

/** What a workspace file gave when it was read and extracted; what the cache keeps per file. */
export interface FileExtraction {
  facts: Fact[];
  /** Extraction warnings (the file's own problems), replayed on a cache hit. */
  warnings: string[];
  /** Set when the file was not UTF-8 (see readWorkspaceFile). */
  encoding?: string;
  /**
   * In a card's snapshot (cardSnapshot.ts): what the file's dropped facts added to the card's
   * index, and the kept facts' keys and words (one triple per fact).
   */
  index?: { vocabulary: string[]; configNames: string[]; dropped: number; words?: FactWords[]; regime?: number; refused?: number; admittedBefore?: number };
}

export interface FactCacheOptions {
  /** Folder holding the packs (created if missing); one pack per workspace root. */
  dir: string;
  /** Absolute workspace root. */
  root: string;
  /** Identifies the extractors: facts written by another engine are not reused. */
  engine: string;
  /** Names the pack when a root has several (a card's snapshot); default: the root's fact pack. */
  label?: string;
  /**
   * Read the previous pack whole when opening it, instead of one read per record: for packs
   * whose size is bounded (a card's snapshot holds at most the index's fact budget).
   */
  preload?: boolean;
  /**
   * Without `preload`: read this many bytes at once and serve the records that follow from them,
   * for a caller that reads records in the order they were written (a run building its index
   * from the snapshot it just wrote) without holding the whole pack.
   */
  readAhead?: number;
}

/** Records are written in batches of about this size (one write per record costs a thread-pool trip each). */
const WRITE_BATCH_BYTES = 1 << 20;

export interface FactCacheStats {
  /** Files whose facts came from the cache without reading them (size and mtime matched). */
  statHits: number;
  /** Files read again whose content hash matched: facts reused, not re-extracted. */
  hashHits: number;
  /** Files extracted (new, changed, or not in the cache). */
  misses: number;
  /** Records that failed their checksum or decoding. */
  damaged: number;
}

/**
 * An entry whose file was modified less than this before it was read may have changed again
 * within the same mtime tick (FAT has 2 s granularity): its stat is not trusted, its content
 * hash is checked (git's "racily clean" problem).
 */
export const RACY_WINDOW_MS = 2000;
/** Temporary packs older than this were left by a run that died; they are removed. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** The read options and file traits the facts of a file depend on, besides its content. */
export function readKey(file: WorkspaceFile, maxFileBytes: number): string {
  return `${file.kind}|${[...file.flags].sort().join(',')}|${maxFileBytes}`;
}

/** Hash of what was read (the text and how it maps to the file), the cache's content key. */
export function contentHash(text: string, mapping: string): string {
  return sha1Hex(`${mapping}\u0000${text}`);
}

/** What a carried-over record tells without its facts (see `noteByStat`). */
type Noted = Pick<FileExtraction, 'warnings' | 'encoding'>;

interface Hit {
  entry: PackEntry;
  bytes: Buffer;
  extraction: FileExtraction;
}

/**
 * The fact cache of one run (DESIGN.md memory rule 5): facts per workspace file on disk, keyed by
 * path, size, modification time and content hash, written as a new pack that replaces the old
 * one on `commit()`. Concurrent runs each write their own temporary pack and rename it into
 * place (the last one wins; both are complete). A damaged pack or record is never trusted: it is
 * ignored and rebuilt. All methods are safe to call with several files in flight.
 */
export class FactCache {
  readonly stats: FactCacheStats = { statHits: 0, hashHits: 0, misses: 0, damaged: 0 };
  private readonly entries = new Map<string, PackEntry>();
  /** Entries whose bytes in `preloaded` passed their checksum. */
  private readonly verified: WeakSet<PackEntry>;
  private preloaded: Buffer | undefined;
  /** The SHA-1 of the previous pack's index (see readPackIndex); undefined when there was none usable. */
  readonly generation: string | undefined;
  private readonly written: PackEntry[] = [];
  private writeOffset = 0;
  private closed = false;
  private batch: Buffer[] = [];
  private batchStart = 0;
  private batchBytes = 0;
  private writes: Promise<void> = Promise.resolve();
  private writeError: unknown;
  /** The last bytes read ahead (options.readAhead). */
  private window: { at: number; bytes: Buffer } | undefined;
  /** Shared by the facts of the records this cache decodes (StringPool). */
  private readonly strings = new StringPool();
  /** After `commit`: the SHA-1 of the new pack's index, its `generation` when the next run opens it. */
  committedGeneration: string | undefined;

  private constructor(
    private readonly options: FactCacheOptions,
    readonly packPath: string,
    private readonly tempPath: string,
    private readonly old: FileHandle | undefined,
    private readonly out: FileHandle,
    read: PackRead | undefined,
    /** Set when the previous pack was unusable: the reason, for a warning. */
    readonly damage: string | undefined,
  ) {
    for (const e of read?.index.entries ?? []) this.entries.set(e[0], e);
    this.preloaded = read?.preloaded;
    this.verified = read?.verified ?? new WeakSet();
    this.generation = read?.digest;
  }

  /**
   * Opens the cache of `root` in `dir`. Throws only when the folder cannot be created or written
   * (the caller then runs without a cache); a damaged pack is reported in `damage` and ignored.
   */
  static async open(options: FactCacheOptions, warm?: WarmStart): Promise<FactCache> {
    await mkdir(options.dir, { recursive: true });
    const packPath = packPathOf(options);
    await removeStaleTemps(options.dir, path.basename(packPath));
    const tempPath = `${packPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const out = await open(tempPath, 'wx');

    let old: FileHandle | undefined;
    let read: PackRead | undefined;
    let damage: string | undefined;
    try {
      old = await open(packPath, 'r');
      // Read ahead by a ready worker if this is still the file it read (packs are replaced, never rewritten).
      read = warm?.take('pack', packPath, fileIdentity(await old.stat({ bigint: true })))?.value ?? await readPack(old, options);
    } catch (e) {
      read = undefined;
      if (old === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') {
        // no cache yet
      } else {
        damage = e instanceof PackDamage ? e.message : `cannot read it (${e instanceof Error ? e.message : String(e)})`;
      }
    }
    if (read && !writtenFor(read.index, options)) read = undefined;
    if (!read && old) {
      await old.close().catch(() => undefined);
      old = undefined;
    }
    return new FactCache(options, packPath, tempPath, old, out, read, damage);
  }

  /**
   * Reads the pack `open(options)` would, for a ready worker to hand to its run (WarmStart), with
   * every preloaded record's checksum checked. Nothing is kept when there is no usable pack.
   */
  static async prefetch(options: FactCacheOptions, warm: WarmStart): Promise<void> {
    const packPath = packPathOf(options);
    let handle: FileHandle;
    try {
      handle = await open(packPath, 'r');
    } catch {
      return;
    }
    try {
      const identity = fileIdentity(await handle.stat({ bigint: true }));
      const read = await readPack(handle, options);
      if (!writtenFor(read.index, options)) return;
      if (read.preloaded) {
        for (const entry of read.index.entries) {
          const bytes = read.preloaded.subarray(entry[6], entry[6] + entry[7]);
          if (intact(entry, bytes)) read.verified.add(entry);
        }
      }
      warm.keep('pack', packPath, identity, read);
    } catch {
      // the run reads it again, and says what is wrong with it
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /**
   * The cached facts of `file` if its size and mtime are those it had when cached (and that was
   * not racy); undefined otherwise. The entry moves to the new pack.
   */
  async byStat(file: WorkspaceFile, key: string): Promise<FileExtraction | undefined> {
    const entry = this.statEntry(file, key);
    if (!entry) return undefined;
    const hit = await this.load(entry, file.relPath);
    if (!hit) return undefined;
    this.stats.statHits++;
    await this.append(entry, hit.bytes);
    return hit.extraction;
  }

  /**
   * For a card's snapshot, whose records carry an index part: as `byStat`, for a caller that
   * needs the facts only later, if at all (`previous`). Carries the record over and returns its
   * warnings and encoding, decoding it only when it has any; undefined as `byStat`, or when the
   * record has no index part.
   */
  async noteByStat(file: WorkspaceFile, key: string): Promise<Noted | undefined> {
    const now = this.noteByStatNow(file, key);
    if (now !== 'later') {
      if (now?.drain) await now.drain;
      return now?.noted;
    }
    const entry = this.statEntry(file, key);
    const bytes = entry && await this.checkedBytes(entry);
    const noted = entry && bytes && this.notedOf(file.relPath, bytes);
    if (!entry || !bytes || !noted) return undefined;
    this.stats.statHits++;
    await this.append(entry, bytes);
    return noted;
  }

  /**
   * `noteByStat` without waiting, for a pack read whole (`preload`): a re-run notes tens of
   * thousands of unchanged files, and a promise per file cost more than the noting. 'later' when
   * the pack is read record by record (call `noteByStat`); `drain`, when set, is to be awaited
   * before the next record (the writes must catch up).
   */
  noteByStatNow(file: WorkspaceFile, key: string): { noted: Noted; drain?: Promise<void> } | undefined | 'later' {
    const entry = this.statEntry(file, key);
    if (!entry) return undefined;
    if (!this.preloaded || !this.old || this.closed) return 'later';
    const bytes = this.checked(entry, this.preloaded.subarray(entry[6], entry[6] + entry[7]));
    const noted = bytes && this.notedOf(file.relPath, bytes);
    if (!bytes || !noted) return undefined;
    this.stats.statHits++;
    return this.appendNow(entry, bytes) ? { noted, drain: this.writes } : { noted };
  }

  /** A record's warnings and encoding, decoding it only when it has any; undefined when it is damaged or has no index part. */
  private notedOf(relPath: string, bytes: Buffer): Noted | undefined {
    if (bytes.subarray(0, PLAIN_PREFIX.length).equals(PLAIN_PREFIX)) return { warnings: [] };
    const extraction = decodeHead(bytes);
    if (!extraction) {
      this.markDamaged(relPath);
      return undefined;
    }
    if (!extraction.index) return undefined;
    return { warnings: extraction.warnings, ...(extraction.encoding ? { encoding: extraction.encoding } : {}) };
  }

  /** The cached facts of `file` if its content hash is the cached one (the file was touched, not changed). */
  async byHash(file: WorkspaceFile, key: string, hash: string, readAtMs: number): Promise<FileExtraction | undefined> {
    const entry = this.entries.get(file.relPath);
    if (!entry || entry[5] !== key || entry[4] !== hash) return undefined;
    const hit = await this.load(entry, file.relPath);
    if (!hit) return undefined;
    this.stats.hashHits++;
    await this.append([file.relPath, file.size, file.mtimeMs, readAtMs, hash, key, 0, 0, entry[8]], hit.bytes);
    return hit.extraction;
  }

  /**
   * What the previous pack held for `relPath`, whatever the file's size and mtime are now (what a
   * changed file said before its edit); undefined when it held nothing valid. Moves nothing to the new pack.
   */
  async previous(relPath: string): Promise<FileExtraction | undefined> {
    const entry = this.entries.get(relPath);
    return entry ? (await this.load(entry, relPath))?.extraction : undefined;
  }

  /**
   * As `previous`, but only the facts whose lines hold one of `needles` (byte strings), with their
   * words; null, without decoding anything, for a record whose facts hold none.
   */
  async previousMentioning(relPath: string, needles: readonly Buffer[]): Promise<FileExtraction | null | undefined> {
    const entry = this.entries.get(relPath);
    const bytes = entry && await this.checkedBytes(entry);
    if (!entry || !bytes) return undefined;
    const picked = decodePicked(bytes, relPath, needles);
    if (picked === undefined) {
      this.markDamaged(relPath);
    }
    return picked;
  }

  /** The files the previous pack held (less those whose records proved damaged). */
  previousPaths(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Records a fresh extraction of `file` for the next run. */
  async store(file: WorkspaceFile, key: string, hash: string, readAtMs: number, extraction: FileExtraction): Promise<void> {
    this.stats.misses++;
    if (this.closed || !extraction.facts.every((f) => jsonSafe(f.value))) return;
    const bytes = encodeBody(extraction);
    await this.append([file.relPath, file.size, file.mtimeMs, readAtMs, hash, key, 0, 0, checksum(bytes)], bytes);
  }

  /** Writes the new pack's index and puts it in place of the old pack. */
  async commit(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
      await this.writes;
      if (this.writeError !== undefined) throw this.writeError;
      const index: PackIndex = {
        format: PACK_FORMAT,
        engine: this.options.engine,
        root: path.resolve(this.options.root),
        writtenAt: Date.now(),
        entries: this.written,
      };
      const bytes = Buffer.from(JSON.stringify(index), 'utf8');
      const offset = this.writeOffset;
      const digest = sha1Hex(bytes);
      await writeAll(this.out, bytes, offset);
      await writeAll(this.out, encodeTrailer(offset, bytes.length, digest), offset + bytes.length);
      await this.out.close();
      // Windows cannot replace a file this process holds open.
      await this.old?.close().catch(() => undefined);
      await rename(this.tempPath, this.packPath);
      this.committedGeneration = digest;
      this.forget();
    } catch (e) {
      await this.cleanup();
      throw e;
    }
  }

  /** Drops the new pack (a cancelled or failed run); the old one stays as it was. */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    await this.writes;
    await this.out.close().catch(() => undefined);
    await this.old?.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
    this.forget();
  }

  /**
   * A closed cache reads nothing: what it knew of both packs goes (at 50,000 files, 50,000
   * entries each, and a preloaded pack), while the run that opened it goes on to build its index.
   */
  private forget(): void {
    this.entries.clear();
    this.written.length = 0;
    this.window = undefined;
    this.preloaded = undefined;
    this.strings.clear();
  }

  /** A record's bytes if they pass their checksum (a failed one counts as damaged). */
  private async checkedBytes(entry: PackEntry): Promise<Buffer | undefined> {
    if (!this.old || this.closed) return undefined;
    let bytes: Buffer;
    try {
      bytes = this.preloaded ? this.preloaded.subarray(entry[6], entry[6] + entry[7]) : await this.readRecord(this.old, entry[6], entry[7]);
    } catch {
      this.stats.damaged++;
      return undefined;
    }
    return this.checked(entry, bytes);
  }

  /** A record's bytes from the pack, through the read-ahead window when there is one. */
  private async readRecord(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
    const ahead = this.options.readAhead ?? 0;
    let w = this.window;
    if (!w || offset < w.at || offset + length > w.at + w.bytes.length) {
      if (length >= ahead) return readExactly(handle, offset, length);
      const buf = Buffer.allocUnsafe(ahead);
      const { bytesRead } = await handle.read(buf, 0, ahead, offset);
      w = this.window = { at: offset, bytes: buf.subarray(0, bytesRead) };
      if (bytesRead < length) return readExactly(handle, offset, length);
    }
    return w.bytes.subarray(offset - w.at, offset - w.at + length);
  }

  private checked(entry: PackEntry, bytes: Buffer): Buffer | undefined {
    // Bytes of a pack held in memory are checked once: a scoped re-run reads again records the
    // walk carried over. A preloaded pack cut short gives a short slice.
    if (this.preloaded && this.verified.has(entry)) return bytes;
    if (intact(entry, bytes)) {
      if (this.preloaded) this.verified.add(entry);
      return bytes;
    }
    this.markDamaged(entry[0]);
    return undefined;
  }

  /** A record that failed its checksum or decoding: counted, and never read again this run. */
  private markDamaged(relPath: string): void {
    this.stats.damaged++;
    this.entries.delete(relPath);
  }

  /** The entry of `file` if its size, mtime and read key are the recorded ones and it is not racy. */
  private statEntry(file: WorkspaceFile, key: string): PackEntry | undefined {
    const entry = this.entries.get(file.relPath);
    if (!entry || entry[5] !== key || entry[1] !== file.size || entry[2] !== file.mtimeMs) return undefined;
    return entry[2] >= entry[3] - RACY_WINDOW_MS ? undefined : entry;
  }

  private async load(entry: PackEntry, relPath: string): Promise<Hit | undefined> {
    const bytes = await this.checkedBytes(entry);
    return bytes && this.decoded(entry, bytes, relPath);
  }

  /** A checked record decoded; one that does not decode counts as damaged. */
  private decoded(entry: PackEntry, bytes: Buffer, relPath: string): Hit | undefined {
    const extraction = decodeBody(bytes, relPath, this.strings);
    if (!extraction) {
      this.markDamaged(relPath);
      return undefined;
    }
    return { entry, bytes, extraction };
  }

  /**
   * Reserves the next range of the new pack synchronously, so records in flight never overlap,
   * and writes records in batches. A failed write (a full disk) makes `commit` fail: the run
   * goes on, the previous pack stays.
   */
  private async append(entry: PackEntry, bytes: Buffer): Promise<void> {
    // Back-pressure: records are not buffered faster than the disk takes them.
    if (this.appendNow(entry, bytes)) await this.writes;
  }

  /** `append` without waiting: true when a batch went to the disk and the caller is to wait for `writes`. */
  private appendNow(entry: PackEntry, bytes: Buffer): boolean {
    if (this.closed) return false;
    const offset = this.writeOffset;
    this.writeOffset += bytes.length;
    this.written.push([entry[0], entry[1], entry[2], entry[3], entry[4], entry[5], offset, bytes.length, entry[8]]);
    if (this.batch.length === 0) this.batchStart = offset;
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (this.batchBytes < WRITE_BATCH_BYTES) return false;
    this.flush();
    return true;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const chunk = Buffer.concat(this.batch);
    const at = this.batchStart;
    this.batch = [];
    this.batchBytes = 0;
    this.writes = this.writes.then(() => writeAll(this.out, chunk, at)).catch((e: unknown) => {
      this.writeError ??= e;
    });
  }
}

/** How a record without warnings or encoding that has an index part begins (see `store`). */
const PLAIN_PREFIX = Buffer.from('{"w":[],"x":[', 'utf8');

/**
 * A record: a head line (warnings, encoding, index part) and one line per fact, the fact with its
 * keys and words when the record has them (a card's snapshot). Facts on lines of their own can be
 * read one by one: a re-run that needs the facts answering a few lookups parses only the lines
 * that mention them (`decodePicked`). JSON never holds a raw newline.
 */
function encodeBody(extraction: FileExtraction): Buffer {
  const x = extraction.index;
  const words = x?.words && x.words.length === extraction.facts.length && extraction.facts.length > 0 ? x.words : undefined;
  // Warnings and encoding first: `noteByStat` reads a record without warnings from its first bytes.
  const head = JSON.stringify({
    w: extraction.warnings,
    ...(extraction.encoding ? { e: extraction.encoding } : {}),
    ...(x ? { x: [x.vocabulary, x.configNames, x.dropped, words ? 1 : 0, x.regime ?? null, x.refused ?? null, x.admittedBefore ?? null] } : {}),
  });
  const lines = [head];
  extraction.facts.forEach((f, i) => {
    const w = words?.[i];
    lines.push(JSON.stringify(w ? [encodeFact(f), w.keys, w.tokens, w.lineWords] : encodeFact(f)));
  });
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** A record's head: everything but its facts (and their words); undefined when it does not decode. */
interface Head {
  warnings: string[];
  encoding?: string;
  index?: Omit<NonNullable<FileExtraction['index']>, 'words'>;
  /** Its fact lines carry keys and words. */
  withWords: boolean;
}

function decodeHead(bytes: Buffer): Head | undefined {
  const end = bytes.indexOf(NEWLINE);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8', 0, end < 0 ? bytes.length : end));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { w, e, x } = body as { w?: unknown; e?: unknown; x?: unknown };
  if (!isStrings(w)) return undefined;
  if (e !== undefined && typeof e !== 'string') return undefined;
  const head: Head = { warnings: w, ...(e !== undefined ? { encoding: e } : {}), withWords: false };
  if (x === undefined) return head;
  if (!Array.isArray(x) || x.length !== 7) return undefined;
  const [vocabulary, configNames, dropped, withWords, regime, refused, admittedBefore] = (x as unknown[]).map((v) => (v === null ? undefined : v));
  if (![regime, refused, admittedBefore].every((v) => v === undefined || (typeof v === 'number' && Number.isInteger(v)))) return undefined;
  if (!isStrings(vocabulary) || !isStrings(configNames) || typeof dropped !== 'number' || !Number.isInteger(dropped) || dropped < 0) return undefined;
  if (withWords !== 0 && withWords !== 1) return undefined;
  head.withWords = withWords === 1;
  head.index = {
    vocabulary, configNames, dropped,
    ...(regime !== undefined ? { regime: regime as number } : {}), ...(refused !== undefined ? { refused: refused as number } : {}),
    ...(admittedBefore !== undefined ? { admittedBefore: admittedBefore as number } : {}),
  };
  return head;
}

/** One fact line (see encodeBody); undefined when it does not decode. */
function decodeLine(line: string, withWords: boolean, relPath: string, pool?: StringPool): { fact: Fact; words?: FactWords } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!withWords) {
    const fact = decodeFact(v, relPath, pool);
    return fact && { fact };
  }
  if (!Array.isArray(v) || v.length !== 4) return undefined;
  const [t, keys, tokens, lineWords] = v as unknown[];
  if (!isStrings(keys) || !isStrings(tokens) || !isStrings(lineWords)) return undefined;
  const fact = decodeFact(t, relPath, pool);
  return fact && { fact, words: { keys, tokens, lineWords } };
}

function decodeBody(bytes: Buffer, relPath: string, pool?: StringPool): FileExtraction | undefined {
  const head = decodeHead(bytes);
  if (!head) return undefined;
  const lines = bytes.toString('utf8').split('\n');
  const facts: Fact[] = [];
  const words: FactWords[] = [];
  for (let i = 1; i < lines.length; i++) {
    const d = decodeLine(lines[i], head.withWords, relPath, pool);
    if (!d) return undefined;
    facts.push(d.fact);
    if (d.words) words.push(d.words);
  }
  return {
    facts, warnings: head.warnings, ...(head.encoding !== undefined ? { encoding: head.encoding } : {}),
    ...(head.index ? { index: { ...head.index, ...(words.length > 0 ? { words } : {}) } } : {}),
  };
}

/**
 * A record read for some lookups: only those of its facts (with their words) whose lines mention
 * one of `needles` (the head's vocabulary does not count); null when none does, undefined when
 * the record does not decode. A record whose lines carry no words is decoded whole.
 */
function decodePicked(bytes: Buffer, relPath: string, needles: readonly Buffer[]): FileExtraction | null | undefined {
  const headEnd = bytes.indexOf(NEWLINE);
  // A record without facts has nothing to pick (its bytes passed their checksum).
  if (headEnd < 0) return null;
  // Most records mention no needle: search the needles first, and find the bounds of a line only
  // around a hit (a record's lines are not listed up front).
  const hits = new Map<number, number>();
  for (const needle of needles) {
    for (let p = bytes.indexOf(needle, headEnd); p >= 0;) {
      const start = bytes.lastIndexOf(NEWLINE, p) + 1;
      const next = bytes.indexOf(NEWLINE, p);
      const end = next < 0 ? bytes.length : next;
      hits.set(start, end);
      p = next < 0 ? -1 : bytes.indexOf(needle, next + 1);
    }
  }
  if (hits.size === 0) return null;
  const head = decodeHead(bytes);
  if (!head) return undefined;
  if (!head.withWords) return decodeBody(bytes, relPath);
  const facts: Fact[] = [];
  const words: FactWords[] = [];
  for (const start of [...hits.keys()].sort((a, b) => a - b)) {
    const d = decodeLine(bytes.toString('utf8', start, hits.get(start)), true, relPath);
    if (!d?.words) return undefined;
    facts.push(d.fact);
    words.push(d.words);
  }
  return {
    facts, warnings: head.warnings, ...(head.encoding !== undefined ? { encoding: head.encoding } : {}),
    ...(head.index ? { index: { ...head.index, words } } : {}),
  };
}

const NEWLINE = 0x0a;

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Whether a pack was written by this engine for this root: another's facts are not reused. */
function writtenFor(index: PackIndex, options: FactCacheOptions): boolean {
  return index.engine === options.engine && index.root === path.resolve(options.root);
}

/** Whether a record's bytes are whole and pass their checksum. */
function intact(entry: PackEntry, bytes: Buffer): boolean {
  return bytes.length === entry[7] && checksum(bytes) === entry[8];
}

function packPathOf(options: FactCacheOptions): string {
  return path.join(options.dir, `${options.label ?? 'facts'}-${sha1Hex(path.resolve(options.root)).slice(0, 16)}.v${PACK_FORMAT}.pack`);
}

/** The index of an open pack and, when `options.preload` says so, all of its bytes. */
async function readPack(handle: FileHandle, options: FactCacheOptions): Promise<PackRead> {
  const { index, digest } = await readPackIndex(handle);
  let preloaded: Buffer | undefined;
  if (options.preload && writtenFor(index, options)) {
    try {
      preloaded = await handle.readFile();
    } catch {
      // read record by record instead
    }
  }
  return { index, digest, ...(preloaded ? { preloaded } : {}), verified: new WeakSet() };
}

async function removeStaleTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || !name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    try {
      if (now - (await stat(full)).mtimeMs > STALE_TEMP_MS) await unlink(full);
    } catch {
      // another run may be removing it too
    }
  }
}

/**
 * Opens the cache for a run, or returns undefined (the run goes on without one) when its folder
 * cannot be used; says so, and says when a damaged pack is being rebuilt.
 */
export async function openFactCache(options: FactCacheOptions, warn: (message: string) => void, warm?: WarmStart): Promise<FactCache | undefined> {
  try {
    const cache = await FactCache.open(options, warm);
    if (cache.damage) warn(`fact cache ${cache.packPath} was damaged (${cache.damage}); rebuilding it`);
    return cache;
  } catch (e) {
    warn(`fact cache disabled: cannot use ${options.dir} (${e instanceof Error ? e.message : String(e)})`);
    return undefined;
  }
}

/** Ends the cache's part in a run: keeps the new pack after a complete walk, drops it otherwise. */
export async function closeFactCache(cache: FactCache | undefined, complete: boolean, warn: (message: string) => void): Promise<void> {
  if (!cache) return;
  if (!complete) {
    await cache.discard();
    return;
  }
  try {
    await cache.commit();
  } catch (e) {
    warn(`fact cache not saved: ${e instanceof Error ? e.message : String(e)}`);
  }
}
