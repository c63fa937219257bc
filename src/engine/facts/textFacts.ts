import type { FactFlag } from './fact.js';
import { FactCollector } from './factCollector.js';
import type { ExtractOptions, FactExtraction } from './factCollector.js';
import { LineIndex, splitLines } from './lineIndex.js';
import { extractShellFacts } from './shellFacts.js';

/** Text is weak evidence: a long document must not flood the index. */
export const MAX_TEXT_FACTS = 500;
const MAX_KEY_WORDS = 6;
/** Beyond this a line is data (a minified blob), not prose: only its start is read. */
const MAX_LINE_SCAN = 20_000;

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'sh-session']);
/** First words of a command line worth reading in an unlabelled code block or inline code span. */
const COMMAND_START = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:python\d*(?:\.\d+)?|torchrun|accelerate|deepspeed|srun|mpirun|bash|sh|nohup)\s/;
const PROMPT = /^(\s*)(\$|>|%)\s/;

/** Units kept with a number: a percent or unit joined by at most one space; magnitude letters only when attached. */
const NUMBER_RE =
  /(?<![\w.\/\\-])(-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+))(?:( ?(?:%|kHz|Hz|ms|GB|MB|TB|GiB|MiB))|([kKMBT]))?(?![\w%]|\.\d|,\d{3})/g;
const WORD_RE = /[A-Za-z][A-Za-z0-9'’-]*/g;
const GENERIC_HEADERS = new Set(['value', 'values', 'setting', '']);
const STOPWORDS = new Set(['on', 'in', 'at', 'with', 'and', 'or', 'for', 'of', 'to', 'the', 'a', 'an', 'is', 'was', 'are', 'were', 'per', 'from', 'by', 'vs', 'than', 'as', 'if', 'then', 'but']);

interface CodeMask {
  /** Lines (0-based) that are code and hold no prose numbers. */
  codeLines: Set<number>;
  /** The text with everything but command lines blanked, offsets preserved, for the shell reader. */
  commands: string;
}

function blank(line: string): string {
  return line.replace(/[^\r]/g, ' ');
}

/**
 * Finds fenced (```/~~~) and reST `.. code-block::` blocks; keeps only command lines (shell
 * fences in full, other fences' `python train.py ...` lines, inline code spans that are commands)
 * in a same-shape copy of the text so the shell reader reports positions in the real file.
 */
function maskCode(lines: string[]): CodeMask {
  const codeLines = new Set<number>();
  const out: string[] = [];
  let fence: { marker: string; lang: string } | undefined;
  let rst: { indent: number; lang: string } | undefined;
  let continuing = false;
  lines.forEach((line, i) => {
    const keep = (l: string): void => {
      const p = PROMPT.exec(l);
      const body = p ? p[1] + ' '.repeat(p[2].length + 1) + l.slice(p[0].length) : l;
      const isCommand = continuing || (fence ? SHELL_LANGS.has(fence.lang) : SHELL_LANGS.has(rst?.lang ?? '')) || COMMAND_START.test(body.trimStart());
      if (isCommand) {
        out.push(body);
        continuing = /\\\s*$/.test(body);
      } else {
        out.push(blank(l));
        continuing = false;
      }
    };
    if (fence) {
      codeLines.add(i);
      if (line.trimStart().startsWith(fence.marker) && line.trim().replace(/[`~]/g, '') === '') {
        fence = undefined;
        continuing = false;
        out.push(blank(line));
        return;
      }
      keep(line);
      return;
    }
    if (rst) {
      const indent = line.length - line.trimStart().length;
      if (line.trim() === '' || indent > rst.indent) {
        codeLines.add(i);
        keep(line);
        return;
      }
      rst = undefined;
      continuing = false;
    }
    const f = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (f) {
      fence = { marker: f[1], lang: f[2].toLowerCase() };
      codeLines.add(i);
      out.push(blank(line));
      return;
    }
    const r = /^(\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*([\w+-]*)/.exec(line);
    if (r) {
      rst = { indent: r[1].length, lang: r[2].toLowerCase() };
      codeLines.add(i);
      out.push(blank(line));
      return;
    }
    // Inline code spans that are commands (`python train.py --lr 3e-4`).
    let masked = blank(line);
    for (const m of line.matchAll(/`([^`\n]+)`/g)) {
      const inner = m[1];
      if (m.index !== undefined && COMMAND_START.test(`${inner.trimStart()} `)) {
        const at = m.index + 1;
        masked = masked.slice(0, at) + inner + masked.slice(at + inner.length);
      }
    }
    out.push(masked);
  });
  return { codeLines, commands: out.join('\n') };
}

/** Blanks the inline command spans (read as commands) out of a prose line. */
function withoutCommands(line: string, commands: string): string {
  if (commands.trim() === '') return line;
  let out = '';
  for (let k = 0; k < line.length; k++) out += k < commands.length && commands[k] !== ' ' ? ' ' : line[k];
  return out;
}

/** Markdown table cells with their start columns (0-based, inside the line). */
function tableCells(line: string): { text: string; start: number }[] | undefined {
  const t = line.trim();
  if (!t.includes('|')) return undefined;
  const cells: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || (line[i] === '|' && line[i - 1] !== '\\')) {
      cells.push({ text: line.slice(start, i), start });
      start = i + 1;
    }
  }
  // Leading and trailing pipes give empty outer cells.
  if (t.startsWith('|')) cells.shift();
  if (t.endsWith('|')) cells.pop();
  return cells.length >= 2 ? cells : undefined;
}

function isTableSeparator(line: string): boolean {
  return /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)+\|?\s*$/.test(line);
}

function words(s: string): string[] {
  return (s.match(WORD_RE) ?? []).map((w) => w.replace(/['’-]+$/, ''));
}

/** Prose that a number's key comes from: URLs, link targets and HTML tags blanked, columns kept. */
function proseOf(line: string): string {
  return line
    .replace(/https?:\/\/\S+/g, (m) => ' '.repeat(m.length))
    .replace(/\]\([^)]*\)/g, (m) => `]${' '.repeat(m.length - 1)}`)
    .replace(/<[^>]{1,200}>/g, (m) => ' '.repeat(m.length));
}

/**
 * README, docs, .txt: every number in prose with up to six words before it as the key (form
 * 'text'), table numbers keyed by row label and column header, and commands quoted in code
 * blocks read like a launch script (source 'text').
 */
export function extractTextFacts(relPath: string, text: string, options?: ExtractOptions): FactExtraction {
  const warnings: string[] = [];
  const index = new LineIndex(text);
  const collector = new FactCollector(relPath, index, 'text', options?.flags, warnings, MAX_TEXT_FACTS);
  const lines = splitLines(text);
  const mask = maskCode(lines);

  const commandLines = mask.commands.split('\n');
  let header: string[] | undefined;
  for (let i = 0; i < lines.length && !collector.full; i++) {
    if (mask.codeLines.has(i)) {
      header = undefined;
      continue;
    }
    const line = lines[i].length > MAX_LINE_SCAN ? lines[i].slice(0, MAX_LINE_SCAN) : lines[i];
    if (isTableSeparator(line)) continue;
    const cells = tableCells(line);
    if (cells && isTableSeparator(lines[i + 1] ?? '')) {
      header = cells.map((c) => words(c.text).join(' '));
      continue;
    }
    if (!cells) header = undefined;
    numbersInLine(collector, withoutCommands(proseOf(line), commandLines[i] ?? ''), i + 1, cells, header);
  }

  const flagFlags: FactFlag[] | undefined = options?.flags;
  const shell = extractShellFacts(relPath, mask.commands, { source: 'text', flags: flagFlags, assignments: false });
  // Command facts share the text cap; the snippet must come from the real line, not the mask.
  for (const f of shell.facts) {
    if (collector.facts.length >= MAX_TEXT_FACTS) break;
    f.snippet = index.snippet(f.line, f.column);
    collector.facts.push(f);
  }
  return { facts: collector.facts, warnings };
}

/** The clause right before a number: words after the last sentence or clause break. */
function clauseOf(before: string): string {
  return before.split(/[.!?;,]\s|\|/).pop() ?? '';
}

function numbersInLine(
  collector: FactCollector,
  line: string,
  lineNo: number,
  cells: { text: string; start: number }[] | undefined,
  header: string[] | undefined,
): void {
  let prevEnd = 0;
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(line); m; m = NUMBER_RE.exec(line)) {
    if (collector.full) return;
    const start = m.index;
    const end = start + m[0].length;
    const segStart = prevEnd;
    const before = line.slice(prevEnd, start);
    prevEnd = end;
    // Ordered-list markers and headings' section numbers (`1. Install`, `## 2) Data`), footnotes `[3]`.
    if (/^[\s#>*+-]*$/.test(line.slice(0, start)) && /^[.)]\s/.test(line.slice(end, end + 2))) continue;
    if (line[start - 1] === '[' && line[end] === ']') continue;
    const value = Number(m[1].replace(/,/g, ''));
    if (!Number.isFinite(value)) continue;
    const unit = (m[2] ?? m[3] ?? '').trim();

    let keyWords: string[] = [];
    if (cells && header) {
      const ci = cells.findIndex((c, k) => start >= c.start && (k === cells.length - 1 || start < cells[k + 1].start));
      if (ci > 0) {
        const rowLabel = words(cells[0].text).slice(0, 4);
        const colHeader = header[ci] ?? '';
        const inCell = words(clauseOf(line.slice(Math.max(cells[ci].start, segStart), start)));
        keyWords = [...rowLabel, ...(GENERIC_HEADERS.has(colHeader.toLowerCase()) ? [] : words(colHeader)), ...inCell];
      } else if (ci === 0) keyWords = words(line.slice(Math.max(cells[0].start, segStart), start));
    }
    if (keyWords.length === 0) {
      keyWords = words(clauseOf(before));
      // The noun right after a number names it as much as the words before (`3 epochs`, `12 layers`).
      const next = /^ ([A-Za-z][A-Za-z0-9-]*)/.exec(line.slice(end));
      if (keyWords.length > 0 && next && !STOPWORDS.has(next[1].toLowerCase())) keyWords = [...keyWords.slice(-(MAX_KEY_WORDS - 1)), next[1]];
    }
    if (keyWords.length === 0) keyWords = words(line.slice(end)).slice(0, 3);
    if (keyWords.length === 0) continue;
    const rawKey = keyWords.slice(-MAX_KEY_WORDS).join(' ');
    collector.add({
      rawKey,
      path: unit ? `${rawKey} ${unit}` : rawKey,
      value,
      form: 'text',
      start: { line: lineNo, column: start + 1 },
      end: { line: lineNo, column: end + 1 },
    });
  }
}
