import type { CardBlock } from './cardDocument.js';

/**
 * Mapping offsets in a block's `text` back to columns on its source line.
 *
 * For text and DOCX cards, and for Markdown blocks whose source carries no inline markup,
 * `text` is a verbatim slice of the line: column = block.column + offset. When Markdown markup
 * was stripped (links, emphasis, code spans, HTML, escapes, entities) the offsets diverge; the
 * loader then records, per block, where each character of `text` came from. The record lives in
 * a WeakMap keyed by the block object, so it costs nothing once the document is dropped and does
 * not travel with a serialized copy: a copy falls back to re-aligning against `sourceLine` when
 * given, else to the verbatim rule.
 */

const columnMaps = new WeakMap<CardBlock, readonly number[]>();

/**
 * Text assembled piece by piece together with the 0-based source index of every character.
 * `positions` has one entry per character of `text`.
 */
export class MappedText {
  text = '';
  positions: number[] = [];

  append(piece: string, positions: readonly number[]): void {
    this.text += piece;
    for (let i = 0; i < piece.length; i++) this.positions.push(positions[i] ?? positions[positions.length - 1] ?? 0);
  }

  /** Appends `piece` as if every character stood at `index` (synthetic separators, decoded entities). */
  appendAt(piece: string, index: number): void {
    this.text += piece;
    for (let i = 0; i < piece.length; i++) this.positions.push(index);
  }

  /** Trimmed copy (ASCII/Unicode white space at both ends), keeping the mapping in step. */
  trimmed(): MappedText {
    const out = new MappedText();
    let start = 0;
    let end = this.text.length;
    while (start < end && /\s/.test(this.text[start])) start++;
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    out.text = this.text.slice(start, end);
    out.positions = this.positions.slice(start, end);
    return out;
  }

  /** Copy with every run of white space reduced to one space (dropped images leave double spaces). */
  collapsed(): MappedText {
    const out = new MappedText();
    const chars: string[] = [];
    let lastWasSpace = false;
    for (let i = 0; i < this.text.length; i++) {
      const ch = this.text[i];
      const space = /\s/.test(ch);
      if (space && lastWasSpace) continue;
      chars.push(space ? ' ' : ch);
      out.positions.push(this.positions[i]);
      lastWasSpace = space;
    }
    out.text = chars.join('');
    return out;
  }

  /** True when the text is a verbatim slice of `line` starting at its first position. */
  isVerbatimIn(line: string): boolean {
    if (this.text.length === 0) return true;
    const start = this.positions[0];
    if (line.slice(start, start + this.text.length) !== this.text) return false;
    return this.positions.every((p, i) => p === start + i);
  }
}

/**
 * Locates `piece` in `source` at or after `cursor`: verbatim when possible, otherwise character by
 * character (escapes and entities make the source longer than the text). Characters that cannot
 * be found are pinned to the cursor so positions never move backwards.
 */
export function alignPiece(source: string, cursor: number, piece: string): { positions: number[]; cursor: number } {
  if (piece.length === 0) return { positions: [], cursor };
  const at = source.indexOf(piece, cursor);
  if (at >= 0) {
    const positions = Array.from({ length: piece.length }, (_, i) => at + i);
    return { positions, cursor: at + piece.length };
  }
  const positions: number[] = [];
  let cur = cursor;
  for (const ch of piece) {
    // for..of walks code points; a surrogate pair is two UTF-16 units in `piece`.
    const found = source.indexOf(ch, cur);
    const pos = found >= 0 ? found : Math.min(cur, Math.max(source.length - 1, 0));
    for (let k = 0; k < ch.length; k++) positions.push(pos + k);
    if (found >= 0) cur = found + ch.length;
  }
  return { positions, cursor: cur };
}

/** Records where each character of `block.text` stands on its line (0-based indices). Internal to the loaders. */
export function attachColumnMap(block: CardBlock, positions: readonly number[]): void {
  columnMaps.set(block, positions);
}

/**
 * The 1-based column on the block's source line of the character at `offsetInText` in
 * `block.text`. Offsets past the end map to the column just after the last character.
 * Pass `sourceLine` (document.lines[block.line - 1]) to stay exact for a copied block.
 */
export function sourceColumn(block: CardBlock, offsetInText: number, sourceLine?: string): number {
  const positions = positionsOf(block, sourceLine);
  const len = block.text.length;
  const offset = Math.max(0, Math.min(Math.trunc(offsetInText), len));
  if (!positions || len === 0) return block.column + offset;
  if (offset < len) return positions[offset] + 1;
  return positions[len - 1] + 2;
}

/**
 * The 1-based column just after the text ending at exclusive `endOffset` (the end of a range
 * whose text is block.text.slice(start, endOffset)); unlike sourceColumn(block, endOffset) it does
 * not jump over markup that follows the last character (a link's `](url)`).
 */
export function sourceEndColumn(block: CardBlock, endOffset: number, sourceLine?: string): number {
  const len = block.text.length;
  const end = Math.max(0, Math.min(Math.trunc(endOffset), len));
  if (end === 0) return sourceColumn(block, 0, sourceLine);
  return sourceColumn(block, end - 1, sourceLine) + 1;
}

function positionsOf(block: CardBlock, sourceLine: string | undefined): readonly number[] | undefined {
  const known = columnMaps.get(block);
  if (known) return known;
  if (sourceLine === undefined) return undefined;
  const start = block.column - 1;
  if (sourceLine.slice(start, start + block.text.length) === block.text) return undefined;
  // Code blocks span several lines; their text is not on one source line.
  if (block.kind === 'code') return undefined;
  return alignPiece(sourceLine, start, block.text).positions;
}
