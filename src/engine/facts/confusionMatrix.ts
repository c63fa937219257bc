/**
 * Confusion matrices printed as NumPy arrays (`print(confusion_matrix(y, p))`), with the class
 * names printed as a Python list before them when there is one. Model cards state which classes a
 * model confuses most ("the most frequent confusion is between cats and dogs"); the printed matrix
 * is the only place a workspace says it, as counts rather than words.
 */

import type { FactValue } from './fact.js';

/** Where a number stands: index of its line in the input, UTF-16 offsets within that line. */
export interface CellPlace {
  line: number;
  start: number;
  end: number;
}

export interface ConfusionMatrix {
  /** Counts (or rates), rows the true class, columns the predicted one (scikit-learn's order). */
  cells: number[][];
  places: CellPlace[][];
  /** Class names in row order, when a list of as many names is printed before the matrix. */
  labels?: string[];
}

/** One off-diagonal cell, or a pair of classes with both directions summed. */
export interface Confusion {
  /** Row (true class) and column (predicted class); for a pair, the lower index first. */
  a: number;
  b: number;
  count: number;
}

/** More rows than a printed matrix of classes has: a larger array is data, not a confusion matrix. */
const MAX_CLASSES = 200;
/** Lines one wrapped matrix may span (NumPy wraps long rows). */
const MAX_MATRIX_LINES = 2000;

/** A few words and a colon or equals sign before a list. */
const LIST_TITLE = /^[A-Za-z_][\w .-]{0,40}[:=]\s*(?=\[)/;

const NUMBER = /^\d+(?:\.\d*)?(?:[eE][-+]?\d+)?$/;

/**
 * Square matrices of non-negative numbers printed in NumPy's `[[...] [...]]` form, wrapped rows
 * included. `labelsBefore` are lists of names printed earlier (nearest last), for a matrix whose
 * own output does not name its classes.
 */
export function confusionMatricesIn(lines: readonly string[], labelsBefore: readonly string[][] = []): { matrices: ConfusionMatrix[]; lists: string[][] } {
  const found: ConfusionMatrix[] = [];
  const own: string[][] = [];
  const lists = [...labelsBefore];
  for (let i = 0; i < lines.length; i++) {
    const list = stringList(lines[i]);
    if (list) {
      lists.push(list);
      own.push(list);
      continue;
    }
    if (!lines[i].trimStart().startsWith('[[')) continue;
    const parsed = matrixAt(lines, i);
    if (!parsed) continue;
    const n = parsed.cells.length;
    const labels = [...lists].reverse().find((l) => l.length === n);
    found.push(labels ? { ...parsed, labels } : parsed);
    i = parsed.lastLine;
  }
  return { matrices: found, lists: own };
}

/** A line that is a Python list of quoted strings (`['airplane', 'automobile', ...]`), titled or not (`classes: [...]`). */
export function stringList(line: string): string[] | undefined {
  const t = line.trim().replace(LIST_TITLE, '');
  if (!t.startsWith('[') || !t.endsWith(']') || t.startsWith('[[')) return undefined;
  const items: string[] = [];
  const item = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/y;
  const body = t.slice(1, -1);
  item.lastIndex = 0;
  while (item.lastIndex < body.length) {
    const m = item.exec(body);
    if (!m) return undefined;
    items.push((m[1] ?? m[2]).replace(/\\(.)/g, '$1'));
    if (m[3] === '') break;
  }
  return items.length >= 2 && item.lastIndex >= body.length ? items : undefined;
}

/** The matrix whose first line is `first`, if the array there is square, numeric and closed. */
function matrixAt(lines: readonly string[], first: number): (Omit<ConfusionMatrix, 'labels'> & { lastLine: number }) | undefined {
  const cells: number[][] = [];
  const places: CellPlace[][] = [];
  let depth = 0;
  let row: number[] = [];
  let rowPlaces: CellPlace[] = [];
  for (let li = first; li < lines.length && li < first + MAX_MATRIX_LINES; li++) {
    const line = lines[li];
    for (const m of line.matchAll(/\[|\]|[^\s[\]]+/g)) {
      const tok = m[0];
      if (tok === '[') {
        depth++;
        if (depth > 2) return undefined;
        if (depth === 2) {
          row = [];
          rowPlaces = [];
        }
      } else if (tok === ']') {
        if (depth === 2) {
          cells.push(row);
          places.push(rowPlaces);
          if (cells.length > MAX_CLASSES) return undefined;
        }
        depth--;
        if (depth === 0) return squareMatrix(cells, places, li);
        if (depth < 0) return undefined;
      } else {
        if (depth !== 2 || !NUMBER.test(tok)) return undefined;
        row.push(Number(tok));
        rowPlaces.push({ line: li, start: m.index, end: m.index + tok.length });
      }
    }
  }
  return undefined;
}

function squareMatrix(cells: number[][], places: CellPlace[][], lastLine: number): (Omit<ConfusionMatrix, 'labels'> & { lastLine: number }) | undefined {
  const n = cells.length;
  if (n < 2 || !cells.every((r) => r.length === n)) return undefined;
  return { cells, places, lastLine };
}

/** Off-diagonal cells, largest first (ties in reading order). */
export function confusionsOf(m: ConfusionMatrix): Confusion[] {
  const out: Confusion[] = [];
  m.cells.forEach((row, a) => row.forEach((count, b) => {
    if (a !== b && count > 0) out.push({ a, b, count });
  }));
  return out.sort((x, y) => y.count - x.count);
}

/** Pairs of classes, both directions summed, largest first. */
export function confusedPairsOf(m: ConfusionMatrix): Confusion[] {
  const out: Confusion[] = [];
  const n = m.cells.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const count = m.cells[a][b] + m.cells[b][a];
      if (count > 0) out.push({ a, b, count });
    }
  }
  return out.sort((x, y) => y.count - x.count);
}

/** What a confusion fact says: the classes, the largest off-diagonal cell and the largest pairs. */
export interface ConfusionSummary {
  labels: string[];
  /** True and predicted class of the largest off-diagonal cell. */
  top: NamedConfusion;
  /** The pairs confused most, both directions summed, largest first (at most TOP_PAIRS). */
  pairs: NamedConfusion[];
}

export interface NamedConfusion {
  a: string;
  b: string;
  count: number;
}

const TOP_PAIRS = 3;

/** The name of a confusion fact (its key, confusion_matrix, is a code-side phrase only). */
export const CONFUSION_MATRIX = 'confusion matrix';

/** The summary of a matrix that has an off-diagonal count; its classes are numbered when unnamed. */
export function summaryOf(m: ConfusionMatrix): { summary: ConfusionSummary; topPlace: CellPlace } | undefined {
  const top = confusionsOf(m)[0];
  if (!top) return undefined;
  const labels = m.labels ?? m.cells.map((_, i) => String(i));
  const named = (c: Confusion): NamedConfusion => ({ a: labels[c.a], b: labels[c.b], count: c.count });
  return { summary: { labels, top: named(top), pairs: confusedPairsOf(m).slice(0, TOP_PAIRS).map(named) }, topPlace: m.places[top.a][top.b] };
}

/**
 * The summary as a fact value: a list of lists (the classes, then each confusion as
 * [a, b, count]), so that no decider of plain values or string lists mistakes it for one.
 */
export function summaryValue(s: ConfusionSummary): FactValue {
  return [s.labels, [s.top.a, s.top.b, s.top.count], ...s.pairs.map((p) => [p.a, p.b, p.count])];
}

/** The summary a fact value holds, if it is one (see summaryValue). */
export function readSummary(v: FactValue): ConfusionSummary | undefined {
  if (!Array.isArray(v) || v.length < 2) return undefined;
  const [labels, top, ...pairs] = v;
  if (!Array.isArray(labels) || !labels.every((x): x is string => typeof x === 'string')) return undefined;
  const named = (c: FactValue): NamedConfusion | undefined => (Array.isArray(c) && c.length === 3 && typeof c[0] === 'string' && typeof c[1] === 'string' && typeof c[2] === 'number'
    ? { a: c[0], b: c[1], count: c[2] } : undefined);
  const t = named(top);
  const p = pairs.map(named);
  if (!t || p.some((x) => x === undefined)) return undefined;
  return { labels, top: t, pairs: p as NamedConfusion[] };
}

/** Whether code or printed text around a matrix says it is a confusion matrix. */
export function namesConfusion(text: string): boolean {
  return /confusion|crosstab|\bcm\b|misclassif/i.test(text);
}
