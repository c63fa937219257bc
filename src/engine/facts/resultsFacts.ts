import { CONFUSION_MATRIX, confusionMatricesIn, namesConfusion, summaryOf, summaryValue } from './confusionMatrix.js';
import type { FactValue } from './fact.js';
import { FactCollector } from './factCollector.js';
import type { ExtractOptions, FactExtraction } from './factCollector.js';
import { LineIndex, snippetOf, splitLines } from './lineIndex.js';
import { parseNumberText } from './numberText.js';

/** How a tail-read file's text maps to the file (see readWorkspaceFile). */
export interface TailInfo {
  /** Lines at the start of the text that are the file's header, not the tail (CSV/TSV: 1, logs: 0). */
  headerLines?: number;
  /** 1-based line in the file of the tail's first line; without it lines are counted within the text. */
  tailStartLine?: number;
}

export interface ResultsOptions extends ExtractOptions, TailInfo {
  /** 'tail': the text is the header line(s) then the file's last complete lines. */
  partial?: 'tail';
}

export const MAX_RESULT_FACTS = 500;
/** A label/value table longer than this is data, not a summary of results. */
const MAX_LABEL_ROWS = 200;

/** Column-name words that say a table records training or evaluation metrics. */
const METRIC_WORDS = new Set([
  'loss', 'acc', 'accuracy', 'f1', 'auc', 'roc', 'auroc', 'auprc', 'precision', 'recall', 'bleu', 'rouge', 'rouge1',
  'rouge2', 'rougel', 'meteor', 'chrf', 'ppl', 'perplexity', 'wer', 'cer', 'map', 'map50', 'iou', 'miou', 'dice',
  'mse', 'mae', 'rmse', 'r2', 'score', 'reward', 'return', 'top1', 'top5', 'error', 'err', 'lr', 'learning',
  'em', 'exact', 'ndcg', 'mrr', 'psnr', 'ssim', 'fid', 'kl', 'entropy', 'grad', 'norm', 'throughput', 'ks', 'gini',
  'brier', 'logloss', 'nll', 'bpd', 'bpb', 'metric', 'metrics', 'value', 'mean', 'std',
]);
/** Column-name words of a training log's progress axis. */
const STEP_WORDS = new Set(['step', 'steps', 'global', 'epoch', 'epochs', 'iter', 'iteration', 'iterations', 'update', 'updates', 'tokens']);
/** A time axis also makes rows successive log entries rather than named results. */
const TIME_WORDS = new Set(['time', 'timestamp', 'date', 'datetime', 'wall', 'walltime']);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function isMetricName(name: string): boolean {
  return nameWords(name).some((w) => METRIC_WORDS.has(w) || STEP_WORDS.has(w));
}

interface Cell {
  text: string;
  /** Offsets into the text, quotes excluded. */
  start: number;
  end: number;
}

interface Row {
  cells: Cell[];
  /** 1-based line in the text where the row starts. */
  line: number;
}

/** RFC 4180 records (quoted fields, doubled quotes, quoted line breaks) with their offsets. */
export function parseDelimited(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let cells: Cell[] = [];
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const n = text.length;
  let cellStart = 0;
  let buf = '';
  let quoted = false;
  let quotedStart = -1;
  let quotedEnd = -1;
  const endCell = (end: number): void => {
    if (quotedStart >= 0) cells.push({ text: buf, start: quotedStart, end: quotedEnd });
    else cells.push({ text: text.slice(cellStart, end).replace(/\r$/, ''), start: cellStart, end: text[end - 1] === '\r' ? end - 1 : end });
    buf = '';
    quotedStart = -1;
  };
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          buf += '"';
          i += 2;
          continue;
        }
        quoted = false;
        quotedEnd = i;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      buf += ch;
      i++;
      continue;
    }
    if (ch === '"' && i === cellStart) {
      quoted = true;
      quotedStart = i + 1;
      i++;
      continue;
    }
    if (ch === delimiter) {
      endCell(i);
      i++;
      cellStart = i;
      continue;
    }
    if (ch === '\n') {
      endCell(i);
      if (!(cells.length === 1 && cells[0].text.trim() === '')) rows.push({ cells, line: rowLine });
      cells = [];
      line++;
      rowLine = line;
      i++;
      cellStart = i;
      continue;
    }
    i++;
  }
  if (cells.length > 0 || cellStart < n || quotedStart >= 0) {
    endCell(n);
    if (!(cells.length === 1 && cells[0].text.trim() === '')) rows.push({ cells, line: rowLine });
  }
  return rows;
}

type LineMap = (textLine: number) => number;

function lineMapFor(options: ResultsOptions | undefined, defaultHeaderLines: number, relPath: string, warnings: string[]): LineMap {
  if (options?.partial !== 'tail') return (l) => l;
  const header = options.headerLines ?? defaultHeaderLines;
  const first = options.tailStartLine;
  if (first === undefined) {
    warnings.push(`${relPath}: only the end of the file was read and its line numbers are unknown; evidence lines count from the start of the part read`);
    return (l) => l;
  }
  return (l) => (l <= header ? l : first + (l - header - 1));
}

function cellNumber(c: Cell | undefined): number | undefined {
  return c === undefined ? undefined : parseNumberText(c.text);
}

/**
 * Results tables: a metrics log (header with metric or step columns: the last value of each
 * numeric column, `final.<column>`), or a label/value summary (`auc,0.78`: one fact per row).
 * Tables that are neither (data manifests, predictions) give no facts.
 */
export function extractDelimitedFacts(relPath: string, text: string, delimiter: ',' | '\t', options?: ResultsOptions): FactExtraction {
  const warnings: string[] = [];
  const index = new LineIndex(text);
  const collector = new FactCollector(relPath, index, 'results', options?.flags, warnings, MAX_RESULT_FACTS);
  const rows = parseDelimited(text, delimiter);
  if (rows.length === 0) return { facts: [], warnings };
  const mapLine = lineMapFor(options, 1, relPath, warnings);
  const add = (rawKey: string, path: string, value: FactValue, row: Row, cell: Cell): void => {
    const start = index.position(cell.start);
    const end = index.position(cell.end);
    collector.add({
      rawKey, path, value, form: 'result',
      start: { line: mapLine(start.line), column: start.column },
      end: { line: mapLine(end.line), column: end.column },
      snippet: snippetOf(index.lineText(start.line), start.column),
    });
  };

  const first = rows[0].cells;
  const width = first.length;
  if (width < 2) return { facts: [], warnings };
  const firstHasNumber = first.slice(1).some((c) => cellNumber(c) !== undefined);
  const header = firstHasNumber ? undefined : first.map((c) => c.text.trim());
  const body = header ? rows.slice(1) : rows;
  if (body.length === 0) return { facts: [], warnings };

  const labels = body.map((r) => r.cells[0]?.text.trim() ?? '');
  // A summary's row labels are names (`auc`, `cat`), not file paths or numbers, and unique.
  const labelsAreNames = labels.every((l) => l !== '' && parseNumberText(l) === undefined && !/\/|\.\w{1,4}$/.test(l));
  const uniqueLabels = new Set(labels).size === labels.length;
  const numericShare = (c: number): number => body.filter((r) => cellNumber(r.cells[c]) !== undefined).length / body.length;
  const filled = (c: number): boolean => body.some((r) => (r.cells[c]?.text.trim() ?? '') !== '');
  const otherCols = Array.from({ length: width - 1 }, (_, k) => k + 1).filter(filled);
  // Text columns beside the label (a split, a class name, a bin) make it a data table.
  const allNumeric = otherCols.length > 0 && otherCols.every((c) => numericShare(c) >= 0.5);

  const progressAxis = header?.some((h) => nameWords(h).some((w) => STEP_WORDS.has(w) || TIME_WORDS.has(w))) ?? false;

  if (!progressAxis && labelsAreNames && uniqueLabels && allNumeric && body.length <= MAX_LABEL_ROWS) {
    for (const r of body) {
      const label = r.cells[0].text.trim();
      for (const c of otherCols) {
        const v = cellNumber(r.cells[c]);
        if (v === undefined) continue;
        const col = header?.[c];
        if (otherCols.length === 1 || !col) add(label, label, v, r, r.cells[c]);
        else add(col, `${label}.${col}`, v, r, r.cells[c]);
      }
    }
    return { facts: collector.facts, warnings };
  }

  if (!header || !header.some(isMetricName)) return { facts: [], warnings };
  for (let c = 0; c < width; c++) {
    const name = header[c];
    if (name === '') continue;
    for (let r = body.length - 1; r >= 0; r--) {
      const cell = body[r].cells[c];
      const v = cellNumber(cell);
      if (v !== undefined && cell) {
        add(name, `final.${name}`, v, body[r], cell);
        break;
      }
      // A row that does not parse as numbers in this column but has text there stops the search:
      // the column is not numeric.
      if (cell && cell.text.trim() !== '' && v === undefined) break;
    }
  }
  return { facts: collector.facts, warnings };
}

// ---------------------------------------------------------------------------------------------
// Logs and JSON lines

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
/** `key=value`, `key: value`, `'key': value`, `key value`: an identifier then a number. */
/** `key: value` needs a blank after the colon unless the key is quoted (`cuda:0` is a device, not a metric). */
const PAIR = new RegExp(String.raw`(?<![\w.\/-])(['"]?)([A-Za-z][\w.\/@-]*?)\1(?:\s*=\s*|\s*:\s+|(?<=['"]):\s*|\s+)['"]?(${NUM})(%?)(?![\w.])`, 'g');
const WORD_BEFORE = /([A-Za-z][A-Za-z0-9]*)\s+$/;
const LOG_LEVELS = new Set(['INFO', 'DEBUG', 'WARNING', 'WARN', 'ERROR', 'CRITICAL', 'TRACE']);
const MAX_LOG_KEYS = 500;
const MAX_JSON_DEPTH = 4;

interface LastValue {
  rawKey: string;
  path: string;
  value: FactValue;
  line: number;
  column: number;
  endColumn: number;
}

/** Up to two plain words before a key in the same `|`/`,`/` - ` segment: "Test accuracy: 88.5". */
function prefixWords(before: string): string[] {
  const segment = before.split(/\s[|\-–]\s|[|,;\t[\](){}]/).pop() ?? '';
  const words: string[] = [];
  let rest = segment;
  while (words.length < 2) {
    const m = WORD_BEFORE.exec(rest);
    if (!m || LOG_LEVELS.has(m[1])) break;
    words.unshift(m[1]);
    rest = rest.slice(0, m.index);
  }
  return words;
}

function flattenJson(v: unknown, path: string[], out: { path: string[]; value: FactValue }[], depth: number): void {
  if (depth > MAX_JSON_DEPTH) return;
  if (typeof v === 'number' && Number.isFinite(v)) out.push({ path, value: v });
  else if (typeof v === 'boolean') out.push({ path, value: v });
  else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flattenJson(x, [...path, k], out, depth + 1);
  }
}

/**
 * Training logs and JSON-lines metric streams: every `key value` pair on every line, the LAST
 * occurrence of each key wins (`final.<key>`, form 'result').
 */
export function extractLogFacts(relPath: string, text: string, options?: ResultsOptions): FactExtraction {
  const warnings: string[] = [];
  const index = new LineIndex(text);
  const collector = new FactCollector(relPath, index, 'results', options?.flags, warnings, MAX_RESULT_FACTS);
  const lines = splitLines(text);
  const mapLine = lineMapFor(options, 0, relPath, warnings);
  const last = new Map<string, LastValue>();
  const record = (v: LastValue): void => {
    const k = v.path.toLowerCase();
    if (!last.has(k) && last.size >= MAX_LOG_KEYS) return;
    last.delete(k);
    last.set(k, v);
  };
  lines.forEach((line, i) => {
    const textLine = i + 1;
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) {
        const leaves: { path: string[]; value: FactValue }[] = [];
        flattenJson(parsed, [], leaves, 0);
        for (const leaf of leaves) {
          const rawKey = leaf.path[leaf.path.length - 1];
          const at = line.indexOf(`"${rawKey}"`);
          const colon = at >= 0 ? line.indexOf(':', at + rawKey.length + 2) : -1;
          let column = colon >= 0 ? colon + 2 : line.length - line.trimStart().length + 1;
          while (column <= line.length && line[column - 1] === ' ') column++;
          const tail = line.slice(column - 1).match(/^[^,}\s]*/);
          record({ rawKey, path: `final.${leaf.path.join('.')}`, value: leaf.value, line: textLine, column, endColumn: column + (tail ? tail[0].length : 0) });
        }
        return;
      }
    }
    PAIR.lastIndex = 0;
    let prevEnd = 0;
    for (let m = PAIR.exec(line); m; m = PAIR.exec(line)) {
      const key = m[2].replace(/[./@-]+$/, '');
      const words = prefixWords(line.slice(prevEnd, m.index));
      const rawKey = [...words, key].join(' ');
      const numStart = m.index + m[0].length - m[3].length - m[4].length;
      const value = Number(m[3]);
      prevEnd = m.index + m[0].length;
      if (!Number.isFinite(value) || key === '') continue;
      record({
        rawKey, path: `final.${rawKey}${m[4] ? ' %' : ''}`, value, line: textLine,
        column: numStart + 1, endColumn: numStart + m[3].length + m[4].length + 1,
      });
    }
  });
  for (const v of last.values()) {
    collector.add({
      rawKey: v.rawKey, path: v.path, value: v.value, form: 'result',
      start: { line: mapLine(v.line), column: v.column },
      end: { line: mapLine(v.line), column: v.endColumn },
      snippet: snippetOf(lines[v.line - 1] ?? '', v.column),
    });
  }
  for (const m of confusionMatricesIn(lines).matrices) {
    const s = summaryOf(m);
    const first = m.places[0][0].line;
    // Said to be one by the file's name or the lines just before it ("Confusion matrix:").
    if (!s || !namesConfusion([relPath, ...lines.slice(Math.max(0, first - CONFUSION_TITLE_LINES), first)].join('\n'))) continue;
    const { line, start, end } = s.topPlace;
    collector.add({
      rawKey: CONFUSION_MATRIX, path: CONFUSION_MATRIX, value: summaryValue(s.summary), form: 'result',
      start: { line: mapLine(line + 1), column: start + 1 }, end: { line: mapLine(line + 1), column: end + 1 },
      snippet: snippetOf(lines[line], start + 1),
    });
  }
  return { facts: collector.facts, warnings };
}

/** Lines before a printed matrix that may title it. */
const CONFUSION_TITLE_LINES = 3;
