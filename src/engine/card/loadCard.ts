import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { CardFormat } from '../model.js';
import type { CardDocument } from './cardDocument.js';
import { CardLoadError } from './cardLoadError.js';
import { parseDocxCard } from './docxCard.js';
import { parseMarkdownCard } from './markdownCard.js';
import { parseTextCard } from './textCard.js';

export interface LoadCardOptions {
  /** Unsaved editor contents; used instead of reading the file (ignored for .docx). */
  text?: string;
  /** Larger cards are refused. Default 20 MB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_CARD_BYTES = 20 * 1024 * 1024;

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.mkd', '.mkdn']);

/** The loader a card's extension selects; anything not Markdown or Word is read as plain text. */
export function cardFormatOf(path: string): CardFormat {
  const ext = extname(path).toLowerCase();
  if (MARKDOWN_EXTENSIONS.has(ext)) return 'markdown';
  if (ext === '.docx') return 'docx';
  return 'text';
}

/**
 * Loads a model card into lines and blocks. Every failure is a CardLoadError whose message names
 * the file and the problem; a broken front matter is only a warning on the document.
 */
export async function loadCard(path: string, opts: LoadCardOptions = {}): Promise<CardDocument> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_CARD_BYTES;
  const format = cardFormatOf(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.doc' || ext === '.rtf' || ext === '.odt' || ext === '.pdf') {
    throw new CardLoadError(path, 'unsupported', `${ext} cards are not supported; save the card as .docx, .md or .txt`);
  }

  if (opts.text !== undefined && format !== 'docx') {
    const size = Buffer.byteLength(opts.text, 'utf8');
    if (size > maxBytes) throw tooLarge(path, size, maxBytes);
    return parseText(path, format, stripBom(opts.text));
  }

  const buffer = await readCardFile(path, maxBytes);
  if (format === 'docx') return requireText(await parseDocxCard(path, buffer));
  return parseText(path, format, decodeText(path, buffer));
}

function parseText(path: string, format: CardFormat, text: string): CardDocument {
  if (text.trim().length === 0) throw new CardLoadError(path, 'empty', 'the file is empty');
  return requireText(format === 'markdown' ? parseMarkdownCard(path, text) : parseTextCard(path, text));
}

/** A card with nothing to check (only comments, images, an empty document) is an error, not an empty report. */
function requireText(doc: CardDocument): CardDocument {
  if (doc.blocks.length === 0 && (doc.frontMatter?.length ?? 0) === 0 && !doc.warnings?.length) {
    throw new CardLoadError(doc.path, 'empty', 'the card has no text');
  }
  return doc;
}

async function readCardFile(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CardLoadError(path, 'directory', 'it is a directory, not a file');
    if (!info.isFile()) throw new CardLoadError(path, 'unreadable', 'it is not a regular file');
    size = info.size;
  } catch (error) {
    throw asLoadError(path, error);
  }
  if (size > maxBytes) throw tooLarge(path, size, maxBytes);
  if (size === 0) throw new CardLoadError(path, 'empty', 'the file is empty');
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    throw asLoadError(path, error);
  }
  // The file may have grown between stat and read.
  if (buffer.length > maxBytes) throw tooLarge(path, buffer.length, maxBytes);
  return buffer;
}

function asLoadError(path: string, error: unknown): CardLoadError {
  if (error instanceof CardLoadError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return new CardLoadError(path, 'not-found', 'file not found', { cause: error });
    case 'ENOTDIR':
      return new CardLoadError(path, 'not-found', 'file not found (a parent of it is not a directory)', { cause: error });
    case 'EISDIR':
      return new CardLoadError(path, 'directory', 'it is a directory, not a file', { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new CardLoadError(path, 'unreadable', 'permission denied', { cause: error });
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return new CardLoadError(path, 'unreadable', `the file cannot be read (${message})`, { cause: error });
    }
  }
}

function tooLarge(path: string, size: number, maxBytes: number): CardLoadError {
  return new CardLoadError(path, 'too-large', `the file is too large (${formatBytes(size)}; the limit is ${formatBytes(maxBytes)})`);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Bytes of a .md/.txt card to text: UTF-8 (BOM or not) or UTF-16 with a BOM; other 8-bit text
 * is read as Windows-1252 rather than refused. NUL bytes or many control characters mean the
 * file is not text at all.
 */
function decodeText(path: string, buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return new TextDecoder('utf-16le').decode(buffer.subarray(2));
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder('utf-16be').decode(buffer.subarray(2));
  if (looksBinary(buffer)) throw new CardLoadError(path, 'binary', 'the file holds binary content, not text');
  try {
    return stripBom(new TextDecoder('utf-8', { fatal: true }).decode(buffer));
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

function looksBinary(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    // Tab, line feed, form feed, carriage return and escape appear in real text.
    if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 12 && byte !== 13 && byte !== 27) control++;
  }
  return control > sample.length * 0.05;
}
