/**
 * Moves a claim's range through an edit of the card, VS Code style (0-based lines and UTF-16
 * characters), without importing `vscode`. A range the edit touches is stale: its verdict was
 * about text that is no longer there, so its diagnostic goes away until the next run.
 */

export interface Pos {
  line: number;
  character: number;
}
export interface Span {
  start: Pos;
  end: Pos;
}
export interface TextEdit {
  range: Span;
  text: string;
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function beforeOrEqual(a: Pos, b: Pos): boolean {
  return !before(b, a);
}

/** Where `p` (at or after the edit's end) lands once the edit is applied. */
function shiftPos(p: Pos, edit: TextEdit): Pos {
  const lines = edit.text.split(/\r\n|\r|\n/);
  const added = lines.length - 1;
  const removed = edit.range.end.line - edit.range.start.line;
  if (p.line > edit.range.end.line) return { line: p.line + added - removed, character: p.character };
  // Same line as the edit's end: the column moves with the inserted text.
  const lastLen = lines[lines.length - 1]?.length ?? 0;
  const base = added === 0 ? edit.range.start.character + lastLen : lastLen;
  return { line: edit.range.start.line + added, character: base + (p.character - edit.range.end.character) };
}

/** The range after the edit, or `undefined` when the edit overlaps it (stale). */
export function trackRange(range: Span, edit: TextEdit): Span | undefined {
  // Entirely before the edit (typing right after a claim does not touch it).
  if (beforeOrEqual(range.end, edit.range.start)) return range;
  // Entirely after the edit (an insertion right before the claim moves it).
  if (beforeOrEqual(edit.range.end, range.start)) {
    return { start: shiftPos(range.start, edit), end: shiftPos(range.end, edit) };
  }
  return undefined;
}

/** Applies the edits of one change event in order (VS Code reports them so that this is correct). */
export function trackRangeThrough(range: Span, edits: readonly TextEdit[]): Span | undefined {
  let r: Span | undefined = range;
  for (const e of edits) {
    if (!r) return undefined;
    r = trackRange(r, e);
  }
  return r;
}
