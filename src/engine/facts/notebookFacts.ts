// The ESM build: the package's UMD main loads its parts with a `require` esbuild cannot follow.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { z } from 'zod';
import { CONFUSION_MATRIX, confusionMatricesIn, namesConfusion, summaryOf, summaryValue } from './confusionMatrix.js';
import { factOf, type Fact, type FactFlag } from './fact.js';
import { outputNumbers } from './outputNumbers.js';
import { lineSnippet } from './pythonFactSink.js';
import { extractPythonFactsWith } from './pythonFacts.js';
import { LineIndex, StoredText, type FilePosition, type JsonStringSpan } from './storedTextPositions.js';

/**
 * Facts of a Jupyter notebook (nbformat 4): code cells as Python (source `notebook`), numbers
 * in stored text outputs (form/source `output`). Every position is the line and column of the
 * .ipynb file as stored, not of the cell. Markdown and raw cells are left out: their prose is
 * weak evidence and would compete with the code that decides a claim.
 */
export function extractNotebookFacts(
  relPath: string,
  ipynbText: string,
  flags?: FactFlag[],
): { facts: Fact[]; warnings: string[] } {
  const warnings: string[] = [];
  // A BOM is not JSON whitespace; a space keeps every offset where it was.
  const raw = ipynbText.charCodeAt(0) === 0xfeff ? ` ${ipynbText.slice(1)}` : ipynbText;
  const errors: ParseError[] = [];
  const tree = parseTree(raw, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const lines = new LineIndex(raw);
  if (!tree || errors.length > 0) {
    const first = errors[0];
    const where = first ? ` (${printParseErrorCode(first.error)} at line ${lines.position(first.offset).line}, column ${lines.position(first.offset).column})` : '';
    return { facts: [], warnings: [`${relPath}: not valid JSON${where}; notebook skipped`] };
  }
  const value: unknown = getNodeValue(tree);
  const nb = NotebookSchema.safeParse(value);
  if (!nb.success) {
    const v3 = typeof value === 'object' && value !== null && 'worksheets' in value;
    const why = v3 ? 'nbformat 3 (worksheets) is not supported' : `not a Jupyter notebook (${z.prettifyError(nb.error).replace(/\s+/g, ' ').trim()})`;
    return { facts: [], warnings: [`${relPath}: ${why}; notebook skipped`] };
  }
  if (nb.data.nbformat !== undefined && nb.data.nbformat < 4) {
    return { facts: [], warnings: [`${relPath}: nbformat ${nb.data.nbformat} is not supported (need 4); notebook skipped`] };
  }
  const language = kernelLanguage(nb.data.metadata);
  const isPython = language === undefined || /^(i?python\d*)$/i.test(language);
  if (!isPython) warnings.push(`${relPath}: kernel language is ${language}; code cells not analyzed, outputs only`);

  const ctx: NotebookContext = { relPath, raw, lines, tree, flags, facts: [], labelLists: [] };
  nb.data.cells.forEach((cellValue, index) => {
    if (ctx.facts.length >= MAX_NOTEBOOK_FACTS) return;
    const cell = CellSchema.safeParse(cellValue);
    if (!cell.success) {
      warnings.push(`${relPath}: cell ${index + 1} is malformed and was skipped (${z.prettifyError(cell.error).replace(/\s+/g, ' ').trim()})`);
      return;
    }
    if (cell.data.cell_type !== 'code') return;
    const source = storedText(ctx, ['cells', index, 'source']);
    if (isPython && source) {
      try {
        codeCellFacts(ctx, source);
      } catch (e) {
        warnings.push(`${relPath}: cell ${index + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    (cell.data.outputs ?? []).forEach((outputValue, j) => {
      const output = OutputSchema.safeParse(outputValue);
      if (!output.success) return;
      outputFacts(ctx, index, j, output.data, source);
    });
  });
  if (ctx.facts.length >= MAX_NOTEBOOK_FACTS) warnings.push(`${relPath}: more than ${MAX_NOTEBOOK_FACTS} facts; the rest was left out`);
  const facts = ctx.facts.slice(0, MAX_NOTEBOOK_FACTS).sort((a, b) => a.line - b.line || a.column - b.column);
  return { facts, warnings };
}

const MAX_NOTEBOOK_FACTS = 20_000;
/** A training log printed in a cell can be long; its last lines (the final values) matter most. */
const MAX_OUTPUT_LINES = 400;

const MultilineString = z.union([z.string(), z.array(z.string())]);
const NotebookSchema = z.object({
  nbformat: z.number().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  cells: z.array(z.unknown()),
});
const CellSchema = z.object({
  cell_type: z.string(),
  source: MultilineString,
  outputs: z.array(z.unknown()).optional(),
});
const OutputSchema = z.object({
  output_type: z.string(),
  text: MultilineString.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
type NotebookOutput = z.infer<typeof OutputSchema>;

const LanguageMetadata = z.object({
  kernelspec: z.object({ language: z.string().optional() }).optional(),
  language_info: z.object({ name: z.string().optional() }).optional(),
});

function kernelLanguage(metadata: Record<string, unknown> | undefined): string | undefined {
  const m = LanguageMetadata.safeParse(metadata ?? {});
  if (!m.success) return undefined;
  return m.data.language_info?.name ?? m.data.kernelspec?.language;
}

interface NotebookContext {
  relPath: string;
  raw: string;
  lines: LineIndex;
  tree: JsonNode;
  flags?: FactFlag[];
  facts: Fact[];
  /** Lists of names printed so far, for a confusion matrix printed without its classes. */
  labelLists: string[][];
}

/** The text at `path` (a string or an array of strings) with its map to the stored file. */
function storedText(ctx: NotebookContext, path: (string | number)[]): StoredText | undefined {
  const node = findNodeAtLocation(ctx.tree, path);
  if (!node) return undefined;
  const strings = node.type === 'string' ? [node] : node.type === 'array' ? (node.children ?? []) : [];
  if (strings.some((s) => s.type !== 'string')) return undefined;
  const spans: JsonStringSpan[] = strings.map((s) => ({ offset: s.offset, length: s.length, value: String(s.value) }));
  // Where the mapping cannot be trusted, a fact still lands on the line of the key.
  const keyNode = node.parent?.children?.[0];
  const fallback: FilePosition = ctx.lines.position(keyNode?.offset ?? node.offset);
  return new StoredText(ctx.raw, ctx.lines, spans, fallback);
}

/** IPython syntax that is not Python: a `%magic` / `!shell` line becomes a comment of the same length. */
const LINE_MAGIC = /^(\s*)[%!]/;
/** Cell magics whose body is still Python. */
const PYTHON_CELL_MAGICS = /^%%(time|timeit|capture|prun|debug)\b/;

function pythonOfCell(text: string): string | undefined {
  if (text.startsWith('%%') && !PYTHON_CELL_MAGICS.test(text)) return undefined;
  if (!/^\s*[%!]/m.test(text)) return text;
  return text
    .split('\n')
    .map((l) => l.replace(LINE_MAGIC, '$1#'))
    .join('\n');
}

function codeCellFacts(ctx: NotebookContext, source: StoredText): void {
  const code = pythonOfCell(source.text);
  if (code === undefined || code.trim() === '') return;
  const facts = extractPythonFactsWith(ctx.relPath, code, {
    source: 'notebook',
    flags: ctx.flags,
    mapPosition: (line, column) => source.positionAt(line, column),
  });
  for (const f of facts) ctx.facts.push(f);
}

/**
 * The text of an output that is meant to be read: stream text and `text/plain` results. The
 * plain text of a figure (`<Figure size 640x480 with 1 Axes>`) is a repr, not a result; the plain
 * text beside an HTML table is the table and is kept.
 */
function outputTextPath(cell: number, j: number, output: NotebookOutput): (string | number)[] | undefined {
  if (output.output_type === 'stream' && output.text !== undefined) return ['cells', cell, 'outputs', j, 'text'];
  if (output.output_type !== 'execute_result' && output.output_type !== 'display_data') return undefined;
  const data = output.data ?? {};
  if (data['text/plain'] === undefined || Object.keys(data).some((k) => k.startsWith('image/'))) return undefined;
  return ['cells', cell, 'outputs', j, 'data', 'text/plain'];
}

/** The last non-empty source line: names a result the cell shows without printing a label. */
function lastExpression(source: StoredText | undefined): string | undefined {
  const last = source?.text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).pop();
  return last && last.length <= 80 ? last : undefined;
}

function outputFacts(ctx: NotebookContext, cell: number, j: number, output: NotebookOutput, source: StoredText | undefined): void {
  const path = outputTextPath(cell, j, output);
  const text = path ? storedText(ctx, path) : undefined;
  if (!text) return;
  const allLines = text.text.split('\n');
  const first = Math.max(0, allLines.length - MAX_OUTPUT_LINES);
  const lines = allLines.slice(first);
  const bareLabel = output.output_type === 'execute_result' ? lastExpression(source) : undefined;
  for (const n of outputNumbers(lines, bareLabel)) {
    if (ctx.facts.length >= MAX_NOTEBOOK_FACTS) return;
    const lineNo = first + n.line;
    const start = text.positionAt(lineNo, n.start);
    const end = text.positionAt(lineNo, n.end);
    const fact: Fact = {
      rawKey: n.label,
      path: n.percent ? `${n.label} %` : n.label,
      value: n.value,
      file: ctx.relPath,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      source: 'output',
      form: 'output',
      snippet: lineSnippet(allLines[lineNo], n.start),
    };
    if (ctx.flags && ctx.flags.length > 0) fact.flags = [...ctx.flags];
    ctx.facts.push(fact);
  }
  confusionFacts(ctx, text, lines, first, source);
}

/** Lists of names kept for later cells' matrices: the nearest matter. */
const MAX_LABEL_LISTS = 16;

/**
 * A fact per confusion matrix the output prints (see confusionMatrix.ts), at its largest
 * off-diagonal cell, when the cell's code or the output says it is one: any square array would
 * otherwise pass for one (a correlation matrix).
 */
function confusionFacts(ctx: NotebookContext, text: StoredText, lines: string[], first: number, source: StoredText | undefined): void {
  const { matrices, lists } = confusionMatricesIn(lines, ctx.labelLists);
  ctx.labelLists.push(...lists);
  ctx.labelLists.splice(0, Math.max(0, ctx.labelLists.length - MAX_LABEL_LISTS));
  if (matrices.length === 0 || !namesConfusion(`${source?.text ?? ''}\n${text.text}`)) return;
  for (const m of matrices) {
    const s = summaryOf(m);
    if (!s || ctx.facts.length >= MAX_NOTEBOOK_FACTS) continue;
    const lineNo = first + s.topPlace.line;
    const start = text.positionAt(lineNo, s.topPlace.start);
    const end = text.positionAt(lineNo, s.topPlace.end);
    ctx.facts.push(factOf({
      rawKey: CONFUSION_MATRIX, path: CONFUSION_MATRIX, value: summaryValue(s.summary), file: ctx.relPath,
      line: start.line, column: start.column, endLine: end.line, endColumn: end.column, source: 'output', form: 'output',
      snippet: lineSnippet(lines[s.topPlace.line], s.topPlace.start),
    }, undefined, ctx.flags && ctx.flags.length > 0 ? [...ctx.flags] : undefined));
  }
}
