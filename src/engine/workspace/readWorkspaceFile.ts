import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { FileKind } from './fileKind.js';
import { describeFsError } from './fsErrors.js';
import { decodeText, looksBinary, utf16Bom, type TextEncoding } from './textDecoding.js';
import type { WorkspaceFile } from './workspaceFile.js';

export type ReadResult =
  | {
      ok: true;
      text: string;
      /** Set when the file was too big and only its end (plus a CSV/TSV header line) was read. */
      partial?: 'tail';
      /** Set when the text was not UTF-8: facts from it are still usable, but say so. */
      encoding?: Exclude<TextEncoding, 'utf-8'>;
      /** For a tail: byte offset in the file where the tail text starts. */
      tailStartByte?: number;
      /** For a tail: lines at the start of `text` that are the file's header, not the tail (0 or 1). */
      headerLines?: number;
      /** For a tail read with `countLines`: 1-based line number in the file of the tail's first line. */
      tailStartLine?: number;
    }
  | { ok: false; reason: string };

export interface ReadOptions {
  maxFileBytes: number;
  /** How much of the end of an oversized csv/tsv/log file to read (default 256 KB). */
  tailBytes?: number;
  /**
   * Count the lines before a tail so evidence can cite real line numbers. This streams through the
   * skipped part of the file in small chunks (memory stays bounded, but the whole file is read).
   */
  countLines?: boolean;
}

export const DEFAULT_TAIL_BYTES = 256 * 1024;

/** Kinds whose last rows carry the final numbers, so an oversized file is still worth its tail. */
const TAIL_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['csv', 'tsv', 'log']);
const HEADER_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['csv', 'tsv']);

/** A header line longer than this is not a header; the tail is then returned without one. */
const MAX_HEADER_BYTES = 64 * 1024;
const COUNT_CHUNK_BYTES = 1024 * 1024;

/** O_NONBLOCK keeps a FIFO that replaced a file from hanging the open; it changes nothing for regular files. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Read a workspace file as text, never more than needed: at most `maxFileBytes`, or for an
 * oversized csv/tsv/log its header line and last `tailBytes`. Never throws: problems come back as
 * `{ ok: false, reason }` for the caller to report with the file's path.
 */
export async function readWorkspaceFile(file: WorkspaceFile, opts: ReadOptions): Promise<ReadResult> {
  let handle: FileHandle;
  try {
    handle = await open(file.absPath, OPEN_FLAGS);
  } catch (e) {
    return { ok: false, reason: `cannot read file: ${describeFsError(e)}` };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > opts.maxFileBytes) {
      if (!TAIL_KINDS.has(file.kind)) return { ok: false, reason: `larger than ${opts.maxFileBytes} bytes` };
      return await readTail(handle, st.size, file.kind, opts);
    }
    return decodeWhole(await readRange(handle, 0, st.size));
  } catch (e) {
    return { ok: false, reason: `cannot read file: ${describeFsError(e)}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function decodeWhole(buf: Buffer): ReadResult {
  if (!utf16Bom(buf) && looksBinary(buf)) return { ok: false, reason: 'binary file' };
  const { text, encoding } = decodeText(buf);
  return encoding === 'utf-8' ? { ok: true, text } : { ok: true, text, encoding };
}

async function readTail(handle: FileHandle, size: number, kind: FileKind, opts: ReadOptions): Promise<ReadResult> {
  const tailBytes = Math.max(1, opts.tailBytes ?? DEFAULT_TAIL_BYTES);
  const head = await readRange(handle, 0, Math.min(size, MAX_HEADER_BYTES));
  if (utf16Bom(head)) return { ok: false, reason: `larger than ${opts.maxFileBytes} bytes (UTF-16 text cannot be tail-read)` };
  if (size <= tailBytes) return decodeWhole(await readRange(handle, 0, size));

  let header: Buffer | undefined;
  if (HEADER_KINDS.has(kind)) {
    const nl = head.indexOf(0x0a);
    if (nl >= 0) header = head.subarray(0, nl > 0 && head[nl - 1] === 0x0d ? nl - 1 : nl);
  }

  // Start one byte early: if that byte ends a line, the tail begins exactly at a line start.
  const from = size - tailBytes - 1;
  const chunk = await readRange(handle, from, size - from);
  const nl = chunk.indexOf(0x0a);
  if (nl < 0) return { ok: false, reason: `larger than ${opts.maxFileBytes} bytes (no line break in its last ${tailBytes} bytes)` };
  const tail = chunk.subarray(nl + 1);
  const tailStartByte = from + nl + 1;

  if (looksBinary(tail) || (header !== undefined && looksBinary(header))) return { ok: false, reason: 'binary file' };
  const tailText = decodeText(tail);
  const headerText = header !== undefined ? decodeText(header) : undefined;
  const latin1 = tailText.encoding === 'latin1' || headerText?.encoding === 'latin1';

  const result: ReadResult = {
    ok: true,
    text: headerText !== undefined ? `${headerText.text}\n${tailText.text}` : tailText.text,
    partial: 'tail',
    tailStartByte,
    headerLines: headerText !== undefined ? 1 : 0,
  };
  if (latin1) result.encoding = 'latin1';
  if (opts.countLines) result.tailStartLine = (await countNewlines(handle, tailStartByte)) + 1;
  return result;
}

/** Up to `length` bytes from `position`; shorter if the file ends first. */
async function readRange(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

async function countNewlines(handle: FileHandle, end: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(COUNT_CHUNK_BYTES, Math.max(1, end)));
  let count = 0;
  for (let pos = 0; pos < end; ) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    for (let i = buf.indexOf(0x0a, 0); i >= 0 && i < bytesRead; i = buf.indexOf(0x0a, i + 1)) count++;
    pos += bytesRead;
  }
  return count;
}
