/**
 * Numbers in printed output (notebook outputs, logs) with the words that name them:
 * "Test AUC 0.7164" → {label: "Test AUC", value: 0.7164}; "default rate: 15.84%" → percent;
 * right-aligned tables (pandas frames, sklearn classification reports) → "row column" labels.
 */

export interface OutputNumber {
  /** Index of the line in the input. */
  line: number;
  /** UTF-16 offsets of the number (without the % sign) within the line. */
  start: number;
  end: number;
  label: string;
  /** As written: 14.62 for "14.62%". */
  value: number;
  percent: boolean;
}

/**
 * A number: optional minus, digits with optional thousands separators, decimals, exponent.
 * Not part of a word or a version (`R2`, `top-1`, `v1.2.3`, `inq_last_6mths`); a sentence's full stop may follow.
 */
const NUMBER = /(?<![\w.])(?<![A-Za-z_]-)(-?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)([eE][-+]?\d+)?(?![\w]|\.\d)(%?)/g;
const HEADER_LINE = /^\s{2,}\S/;
const LEADING_CONNECTORS = /^(?:vs\.?|versus|and|or|with|then|while)\s+/i;
const TRAILING_STOPWORDS = /\s+(?:is|was|are|were|of|at|to|approx|about|~)$/i;
const MAX_LABEL_WORDS = 6;

interface RawNumber {
  start: number;
  end: number;
  value: number;
  percent: boolean;
}

function numbersIn(line: string): RawNumber[] {
  const out: RawNumber[] = [];
  for (const m of line.matchAll(NUMBER)) {
    const text = `${m[1]}${m[2].replace(/,/g, '')}${m[3] ?? ''}`;
    const value = Number(text);
    if (!Number.isFinite(value)) continue;
    const start = m.index;
    const end = start + m[0].length - (m[4] ? 1 : 0);
    out.push({ start, end, value, percent: m[4] === '%' });
  }
  return out;
}

/** The words naming a number: what stands between the previous number (or separator) and it. */
export function cleanLabel(segment: string): string {
  const afterSeparator = segment.split(/[,;|]/).pop() ?? '';
  let label = afterSeparator
    .replace(/^\s*%/, '')
    .replace(/[:=()[\]{}<>"'`#*]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (let i = 0; i < 3; i++) label = label.replace(LEADING_CONNECTORS, '').replace(TRAILING_STOPWORDS, '').trim();
  label = label.replace(/[.\-/]+$/, '').trim();
  if (!/[A-Za-z]/.test(label)) return '';
  const words = label.split(' ');
  return words.slice(-MAX_LABEL_WORDS).join(' ');
}

interface HeaderColumn {
  name: string;
  start: number;
  end: number;
}

/** An indented line without numbers whose columns are separated by two or more spaces (pandas, sklearn). */
function headerColumns(line: string): HeaderColumn[] | undefined {
  if (!HEADER_LINE.test(line) || numbersIn(line).length > 0) return undefined;
  const cols: HeaderColumn[] = [];
  for (const m of line.matchAll(/\S+(?: \S+)*/g)) cols.push({ name: m[0], start: m.index, end: m.index + m[0].length });
  return cols.length > 0 && cols.length <= 32 ? cols : undefined;
}

function overlaps(n: RawNumber, h: HeaderColumn): boolean {
  return n.start < h.end && h.start < n.end;
}

/** Numbers of a table row aligned under the header; the text before the first one is the row label. */
function tableRow(line: string, nums: RawNumber[], header: HeaderColumn[]): { label: string; cells: [RawNumber, string][] } | undefined {
  const cells: [RawNumber, string][] = [];
  for (const n of nums) {
    const col = header.find((h) => overlaps(n, h));
    if (col) cells.push([n, col.name]);
    else if (cells.length > 0) return undefined;
  }
  if (cells.length === 0) return undefined;
  const label = line.slice(0, cells[0][0].start).trim().replace(/\s+/g, ' ');
  return { label, cells };
}

/**
 * Every number in `lines` with its label. Numbers without any naming words are left out unless
 * `bareLabel` is given and the line holds nothing but numbers (a cell's bare result, labelled
 * by the expression that produced it).
 */
export function outputNumbers(lines: string[], bareLabel?: string): OutputNumber[] {
  const out: OutputNumber[] = [];
  let header: HeaderColumn[] | undefined;
  lines.forEach((line, lineIndex) => {
    const nums = numbersIn(line);
    if (nums.length === 0) {
      header = headerColumns(line) ?? header;
      return;
    }
    if (header) {
      const row = tableRow(line, nums, header);
      if (row) {
        for (const [n, col] of row.cells) {
          out.push({ line: lineIndex, start: n.start, end: n.end, label: `${row.label} ${col}`.trim(), value: n.value, percent: n.percent });
        }
        return;
      }
      header = undefined;
    }
    const bare = bareLabel !== undefined && /^[\s\d.,%eE+\-()[\]]*$/.test(line);
    let prevEnd = 0;
    let prevLabel = '';
    for (const n of nums) {
      let label = cleanLabel(line.slice(prevEnd, n.start));
      if (label === '') label = bare ? (bareLabel ?? '') : prevLabel;
      prevEnd = n.end + (n.percent ? 1 : 0);
      if (label === '') continue;
      prevLabel = label;
      out.push({ line: lineIndex, start: n.start, end: n.end, label, value: n.value, percent: n.percent });
    }
  });
  return out;
}
