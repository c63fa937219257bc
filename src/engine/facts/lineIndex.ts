/** 1-based line and UTF-16 column. */
export interface LinePosition {
  line: number;
  column: number;
}

const SNIPPET_MAX = 200;

/**
 * Offsets to 1-based positions for one text, and the text of each line. Built once per file:
 * extractors that know only string offsets (YAML nodes, regex matches) convert through it.
 */
export class LineIndex {
  /** Offset at which each line starts; lines end at `\n` (a preceding `\r` belongs to no line text). */
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): LinePosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const i = line - 1;
    if (i < 0 || i >= this.starts.length) return '';
    const end = i + 1 < this.starts.length ? this.starts[i + 1] - 1 : this.text.length;
    const raw = this.text.slice(this.starts[i], end);
    return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  }

  snippet(line: number, column?: number): string {
    return snippetOf(this.lineText(line), column);
  }
}

/**
 * The trimmed line, at most 200 characters. A longer line (minified JSON, a wide CSV row) is cut
 * to a window around `column` so the snippet still shows the value it is evidence for.
 */
export function snippetOf(lineText: string, column?: number): string {
  const trimmed = lineText.trim();
  if (trimmed.length <= SNIPPET_MAX) return trimmed;
  const lead = lineText.length - lineText.trimStart().length;
  const at = column === undefined ? 0 : Math.max(0, column - 1 - lead);
  const start = Math.max(0, Math.min(at - 60, trimmed.length - SNIPPET_MAX));
  return trimmed.slice(start, start + SNIPPET_MAX).trim();
}

/** Splits text into lines (without breaks), tolerant of CRLF. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
