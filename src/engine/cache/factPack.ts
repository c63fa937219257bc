import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { z } from 'zod';

/**
 * The fact cache's file: one "pack" per workspace, written whole by one run and renamed into
 * place, so a reader sees either the previous pack or the next one, never a mix.
 *
 *   record bytes … (one JSON body per workspace file, at the offsets the index gives)
 *   index         (JSON: header fields and one entry per file; see PackIndexSchema)
 *   trailer       (fixed size: magic, index offset and length, SHA-1 of the index)
 *
 * Every record carries a CRC-32 in the index; the index is covered by the trailer's SHA-1. A
 * pack that fails any check is ignored as a whole or per record (then the file is re-extracted).
 */

export const PACK_FORMAT = 1;
const MAGIC = 'CARDCHECK-FACTS';
/** `MAGIC` + format (2 digits) + offset (16 hex) + length (16 hex) + sha1 (40 hex) + separators. */
export const TRAILER_BYTES = MAGIC.length + 1 + 2 + 1 + 16 + 1 + 16 + 1 + 40 + 1;

/** One cached workspace file, as the index lists it (a tuple, for size). */
export const PackEntrySchema = z.tuple([
  z.string(), // relPath
  z.number(), // size in bytes when read
  z.number(), // mtimeMs when read
  z.number(), // readAtMs: wall clock just before the read (see factCache.ts, racy entries)
  z.string(), // content hash of what was read
  z.string(), // read key: kind, flags and read options the facts depend on
  z.number().int().min(0), // record offset
  z.number().int().min(0), // record length
  z.number().int().min(0), // record CRC-32
]);
export type PackEntry = z.infer<typeof PackEntrySchema>;

export const PackIndexSchema = z.object({
  format: z.literal(PACK_FORMAT),
  /** Which engine wrote it: facts from another extractor version are not reused. */
  engine: z.string(),
  root: z.string(),
  writtenAt: z.number(),
  entries: z.array(PackEntrySchema),
});
export type PackIndex = z.infer<typeof PackIndexSchema>;

/**
 * The index's header checked by zod; its entries (tens of thousands) by `isPackEntry`. An array
 * of them, not `z.array(z.unknown())`: zod visits every element of that (~15 ms per 10,000).
 */
const PackHeaderSchema = PackIndexSchema.extend({ entries: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array') });

/**
 * PackEntrySchema checked by hand: zod took ~40 ms per 10,000 entries, a tenth of a re-run that
 * reads two packs. Same rules (tests/unit/cache compare both on good and bad entries).
 */
export function isPackEntry(e: unknown): e is PackEntry {
  if (!Array.isArray(e) || e.length !== 9) return false;
  const [relPath, size, mtimeMs, readAtMs, hash, key, offset, length, crc] = e as unknown[];
  return typeof relPath === 'string' && isFiniteNumber(size) && isFiniteNumber(mtimeMs) && isFiniteNumber(readAtMs)
    && typeof hash === 'string' && typeof key === 'string' && isCount(offset) && isCount(length) && isCount(crc);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function checksum(bytes: Uint8Array): number {
  return crc32(bytes);
}

export function sha1Hex(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}

export function encodeTrailer(indexOffset: number, indexLength: number, indexSha1: string): Buffer {
  const text = `${MAGIC} ${String(PACK_FORMAT).padStart(2, '0')} ${hex16(indexOffset)} ${hex16(indexLength)} ${indexSha1}\n`;
  const buf = Buffer.from(text, 'latin1');
  if (buf.length !== TRAILER_BYTES) throw new Error(`internal: fact pack trailer is ${buf.length} bytes, expected ${TRAILER_BYTES}`);
  return buf;
}

function hex16(n: number): string {
  return n.toString(16).padStart(16, '0');
}

/** Why a pack cannot be used, for the warning that says it was rebuilt. */
export class PackDamage extends Error {
  override readonly name = 'PackDamage';
}

/**
 * Reads and checks a pack's index; throws PackDamage when anything does not add up. `digest` is
 * the index's SHA-1: it names this exact pack (a card's decisions record which snapshot they
 * were decided on).
 */
export async function readPackIndex(handle: FileHandle): Promise<{ index: PackIndex; digest: string }> {
  const { size } = await handle.stat();
  if (size < TRAILER_BYTES) throw new PackDamage('too short to be a fact pack');
  const trailer = await readExactly(handle, size - TRAILER_BYTES, TRAILER_BYTES);
  const m = /^CARDCHECK-FACTS (\d{2}) ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{40})\n$/.exec(trailer.toString('latin1'));
  if (!m) throw new PackDamage('no valid trailer (truncated or not a fact pack)');
  if (Number(m[1]) !== PACK_FORMAT) throw new PackDamage(`pack format ${Number(m[1])}, expected ${PACK_FORMAT}`);
  const offset = parseInt(m[2], 16);
  const length = parseInt(m[3], 16);
  if (offset + length + TRAILER_BYTES !== size) throw new PackDamage('index position does not match the file size');
  const bytes = await readExactly(handle, offset, length);
  if (sha1Hex(bytes) !== m[4]) throw new PackDamage('index checksum mismatch');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new PackDamage('index is not valid JSON');
  }
  const parsed = PackHeaderSchema.safeParse(json);
  if (!parsed.success) throw new PackDamage(`index does not match the format: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  const entries: PackEntry[] = [];
  for (const e of parsed.data.entries) {
    if (!isPackEntry(e)) throw new PackDamage(`index entry ${entries.length} does not match the format`);
    if (e[6] + e[7] > offset) throw new PackDamage(`record of ${e[0]} lies outside the record area`);
    entries.push(e);
  }
  return { index: { ...parsed.data, entries }, digest: m[4] };
}

export async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new PackDamage('file ends early');
    filled += bytesRead;
  }
  return buf;
}
