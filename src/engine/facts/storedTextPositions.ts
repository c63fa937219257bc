/**
 * Positions of text that is stored inside JSON strings (notebook cell sources and outputs):
 * maps an offset in the decoded text back to the line and column of the file as stored, through
 * the string's quote and escapes. Works for a source stored as one line per array element (as
 * Jupyter writes it) and for one string holding many lines (compact writers).
 */

export interface FilePosition {
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 units. */
  column: number;
}

/** Offsets → 1-based line/column in a text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): FilePosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

/** One JSON string literal of the stored file: where it is and what it decodes to. */
export interface JsonStringSpan {
  /** Offset of the opening quote in the stored file. */
  offset: number;
  /** Length including both quotes. */
  length: number;
  /** The decoded value. */
  value: string;
}

interface Segment {
  decodedStart: number;
  span: JsonStringSpan;
  /** Raw offset (in the file) of each decoded UTF-16 unit, plus one past the end; built on first use. */
  rawOffsets?: Int32Array;
}

/**
 * Decoded text made of consecutive JSON strings (a `source` array's elements), with a map back
 * to the file. When the stored strings do not decode to the expected text the map is unusable
 * and every position falls back to `fallback` (the line of the `"source"` key).
 */
export class StoredText {
  readonly text: string;
  private readonly segments: Segment[] = [];
  private readonly lineStarts: number[] = [0];
  private exact: boolean;

  constructor(
    private readonly raw: string,
    private readonly lines: LineIndex,
    spans: JsonStringSpan[],
    private readonly fallback: FilePosition,
  ) {
    let decoded = 0;
    for (const span of spans) {
      this.segments.push({ decodedStart: decoded, span });
      decoded += span.value.length;
    }
    this.text = spans.map((s) => s.value).join('');
    this.exact = spans.length > 0;
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** Offset in `text` of a 0-based line and column of it. */
  offsetOf(line: number, column: number): number {
    const start = this.lineStarts[Math.min(line, this.lineStarts.length - 1)] ?? 0;
    return Math.min(start + column, this.text.length);
  }

  /** File position of a 0-based line/column of the decoded text. */
  positionAt(line: number, column: number): FilePosition {
    return this.position(this.offsetOf(line, column));
  }

  /** File position of a decoded offset. An offset at a segment boundary belongs to the later segment. */
  position(offset: number): FilePosition {
    if (!this.exact) return this.fallback;
    const seg = this.segmentAt(offset);
    const raw = this.rawOffset(seg, offset - seg.decodedStart);
    if (raw === undefined) {
      this.exact = false;
      return this.fallback;
    }
    return this.lines.position(raw);
  }

  private segmentAt(offset: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].decodedStart <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo];
  }

  private rawOffset(seg: Segment, local: number): number | undefined {
    seg.rawOffsets ??= rawOffsetsOf(this.raw, seg.span);
    return seg.rawOffsets?.[Math.min(local, seg.rawOffsets.length - 1)];
  }
}

/**
 * Raw file offset of every decoded UTF-16 unit of a JSON string. JSON escapes decode to exactly
 * one unit each (`\uD83D\uDE00` is two escapes for two units), so the map is unit for unit.
 * `undefined` when the raw text does not decode to the span's value.
 */
function rawOffsetsOf(raw: string, span: JsonStringSpan): Int32Array | undefined {
  const out = new Int32Array(span.value.length + 1);
  const end = span.offset + span.length - 1; // the closing quote
  let unit = 0;
  let i = span.offset + 1;
  while (i < end && unit < span.value.length) {
    out[unit++] = i;
    if (raw.charCodeAt(i) === 0x5c /* backslash */) i += raw[i + 1] === 'u' ? 6 : 2;
    else i += 1;
  }
  if (unit !== span.value.length || i !== end) return undefined;
  out[unit] = end;
  return out;
}
