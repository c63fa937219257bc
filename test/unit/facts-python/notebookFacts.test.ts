import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../src/engine/facts/fact.js';
import { extractNotebookFacts } from '../../../src/engine/facts/notebookFacts.js';

type Source = string | string[];

function code(source: Source, outputs: unknown[] = []): Record<string, unknown> {
  return { cell_type: 'code', execution_count: 1, id: 'c', metadata: {}, outputs, source };
}

function notebook(cells: unknown[], metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cells,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, ...metadata },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** As Jupyter writes it: indent 1, one source/output line per file line, trailing newline. */
const jupyter = (nb: unknown) => `${JSON.stringify(nb, null, 1)}\n`;
const compact = (nb: unknown) => JSON.stringify(nb);

function lines(s: string[]): string[] {
  return s.map((l, i) => (i < s.length - 1 ? `${l}\n` : l));
}

const CODE = lines(['import torch', '', 'lr = 3e-4', 'name = "say \\"hi\\" 😀"', 'model = Net(hidden=256)  # lr = 1e-2']);
const OUTPUTS = [
  { name: 'stdout', output_type: 'stream', text: lines(['epoch 1 loss 0.9', 'Test AUC 0.7164', 'default rate: 15.84%', '']) },
  { data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': ['<Figure size 640x480 with 1 Axes>'] }, metadata: {}, output_type: 'display_data' },
  { data: { 'text/plain': ['0.8123'] }, execution_count: 2, metadata: {}, output_type: 'execute_result' },
  { ename: 'ValueError', evalue: 'bad 3', output_type: 'error', traceback: ['line 3'] },
];
const NB = notebook([
  { cell_type: 'markdown', id: 'm', metadata: {}, source: lines(['# Results', 'lr = 0.5 in prose']) },
  code(CODE),
  code(lines(['auc = roc_auc_score(y, p)', 'auc']), OUTPUTS),
]);

function one(facts: Fact[], pred: (f: Fact) => boolean): Fact {
  const found = facts.filter(pred);
  expect(found, JSON.stringify(facts.map((f) => `${f.form} ${f.path}`))).toHaveLength(1);
  return found[0];
}

/** The 1-based file line holding a JSON-encoded string (as an array element). */
function fileLineOf(text: string, value: string): number {
  const encoded = JSON.stringify(value);
  const idx = text.split('\n').findIndex((l) => l.includes(encoded));
  expect(idx, `line of ${encoded}`).toBeGreaterThanOrEqual(0);
  return idx + 1;
}

function at(text: string, f: Fact): string {
  return text.split('\n')[f.line - 1].slice(f.column - 1);
}

describe('code cells', () => {
  it('maps facts to the lines of a notebook written by Jupyter (indent 1)', () => {
    const text = jupyter(NB);
    const { facts, warnings } = extractNotebookFacts('nb/exp.ipynb', text);
    expect(warnings).toEqual([]);
    const lr = one(facts, (f) => f.path === 'lr');
    expect(lr).toMatchObject({ form: 'assignment', value: 0.0003, source: 'notebook', file: 'nb/exp.ipynb', snippet: 'lr = 3e-4' });
    expect(lr.line).toBe(fileLineOf(text, 'lr = 3e-4\n'));
    expect(at(text, lr).startsWith('3e-4\\n"')).toBe(true);
    expect(lr.endLine).toBe(lr.line);
    expect(lr.endColumn - lr.column).toBe(4);

    const name = one(facts, (f) => f.path === 'name');
    expect(name.value).toBe('say "hi" 😀');
    expect(at(text, name).startsWith('\\"say \\\\\\"hi')).toBe(true);
    expect(text.split('\n')[name.endLine - 1].slice(name.endColumn - 1).startsWith('\\n"')).toBe(true);

    const hidden = one(facts, (f) => f.path === 'Net.hidden');
    expect(hidden.line).toBe(fileLineOf(text, 'model = Net(hidden=256)  # lr = 1e-2'));
    expect(at(text, hidden).startsWith('256)')).toBe(true);
    expect(one(facts, (f) => f.form === 'import').line).toBe(fileLineOf(text, 'import torch\n'));
    // The markdown cell and the commented-out lr give nothing.
    expect(facts.filter((f) => f.value === 0.5 || f.value === 0.01)).toEqual([]);
  });

  it('maps facts into a compact one-line notebook by column', () => {
    const text = compact(NB);
    const { facts, warnings } = extractNotebookFacts('exp.ipynb', text);
    expect(warnings).toEqual([]);
    const lr = one(facts, (f) => f.path === 'lr');
    expect(lr.line).toBe(1);
    expect(at(text, lr).startsWith('3e-4\\n"')).toBe(true);
    const auc = one(facts, (f) => f.rawKey === 'Test AUC');
    expect(auc.line).toBe(1);
    expect(at(text, auc).startsWith('0.7164')).toBe(true);
  });

  it('maps a source stored as one string to its line, with exact columns', () => {
    const nb = notebook([code(CODE.join(''))]);
    const text = jupyter(nb);
    const { facts } = extractNotebookFacts('exp.ipynb', text);
    const lr = one(facts, (f) => f.path === 'lr');
    const sourceLine = text.split('\n').findIndex((l) => l.includes('"source": "import torch')) + 1;
    expect(lr.line).toBe(sourceLine);
    expect(at(text, lr).startsWith('3e-4\\n')).toBe(true);
  });

  it('gives the same lines for a file with CRLF line ends', () => {
    const lf = extractNotebookFacts('exp.ipynb', jupyter(NB)).facts;
    const crlf = extractNotebookFacts('exp.ipynb', jupyter(NB).replace(/\n/g, '\r\n')).facts;
    expect(crlf.map((f) => [f.path, f.line, f.column])).toEqual(lf.map((f) => [f.path, f.line, f.column]));
  });

  it('neutralizes IPython magics and skips non-Python cell magics', () => {
    const nb = notebook([
      code(lines(['%matplotlib inline', '!pip install torch==2.2.2', 'epochs = 30'])),
      code(lines(['%%bash', 'lr=0.1 python train.py'])),
      code(lines(['%%time', 'batch_size = 64'])),
    ]);
    const text = jupyter(nb);
    const { facts } = extractNotebookFacts('exp.ipynb', text);
    expect(one(facts, (f) => f.path === 'epochs').line).toBe(fileLineOf(text, 'epochs = 30'));
    expect(one(facts, (f) => f.path === 'batch_size').value).toBe(64);
    expect(facts.filter((f) => f.path === 'lr')).toEqual([]);
  });

  it('passes flags to code and output facts', () => {
    const { facts } = extractNotebookFacts('tests/nb.ipynb', jupyter(NB), ['test']);
    expect(facts.length).toBeGreaterThan(3);
    for (const f of facts) expect(f.flags).toEqual(['test']);
  });

  it('places every literal exactly, whatever the strings hold (property)', () => {
    const stringArb = fc.string({ unit: 'binary', maxLength: 20 });
    fc.assert(
      fc.property(fc.array(stringArb, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), (strings, asArray, pretty) => {
        const src = lines(strings.map((s, i) => `s${i} = ${JSON.stringify(s)}  # ${s.replace(/\n/g, ' ')}`));
        const nb = notebook([code(asArray ? src : src.join(''))]);
        const text = pretty ? jupyter(nb) : compact(nb);
        const { facts } = extractNotebookFacts('p.ipynb', text);
        const fileLines = text.split('\n');
        strings.forEach((s, i) => {
          const f = one(facts, (x) => x.path === `s${i}`);
          expect(f.value).toBe(s);
          expect(f.endLine).toBe(f.line);
          const rawSpan = fileLines[f.line - 1].slice(f.column - 1, f.endColumn - 1);
          expect(JSON.parse(`"${rawSpan}"`)).toBe(JSON.stringify(s));
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('outputs', () => {
  it('reads numbers of stream and text/plain outputs at their stored lines, skipping figures and errors', () => {
    const text = jupyter(NB);
    const out = extractNotebookFacts('exp.ipynb', text).facts.filter((f) => f.form === 'output');
    const auc = one(out, (f) => f.rawKey === 'Test AUC');
    expect(auc).toMatchObject({ value: 0.7164, path: 'Test AUC', source: 'output', snippet: 'Test AUC 0.7164' });
    expect(auc.line).toBe(fileLineOf(text, 'Test AUC 0.7164\n'));
    expect(at(text, auc).startsWith('0.7164\\n')).toBe(true);
    expect(one(out, (f) => f.rawKey === 'default rate')).toMatchObject({ value: 15.84, path: 'default rate %' });
    expect(one(out, (f) => f.rawKey === 'auc')).toMatchObject({ value: 0.8123, line: fileLineOf(text, '0.8123') });
    expect(out.filter((f) => f.value === 640 || f.value === 480 || f.rawKey.includes('Figure') || f.rawKey.includes('bad'))).toEqual([]);
    expect(out.map((f) => f.rawKey).sort()).toEqual(['Test AUC', 'auc', 'default rate', 'epoch', 'loss']);
  });

  it('reads a pandas table printed as text with row and column labels', () => {
    const table = lines(['              size    mean', 'issue_year                ', '2016         81496  0.1659', '2017        166542  0.1462']);
    const nb = notebook([code(['df.groupby("issue_year")["default"].agg(["size", "mean"])'], [
      { data: { 'text/html': ['<table>2017</table>'], 'text/plain': table }, execution_count: 1, metadata: {}, output_type: 'execute_result' },
    ])]);
    const text = jupyter(nb);
    const out = extractNotebookFacts('t.ipynb', text).facts.filter((f) => f.form === 'output');
    expect(out.map((f) => `${f.rawKey}=${f.value}`)).toEqual(['2016 size=81496', '2016 mean=0.1659', '2017 size=166542', '2017 mean=0.1462']);
    expect(out[3].line).toBe(fileLineOf(text, '2017        166542  0.1462'));
  });
});

describe('bad input', () => {
  it('warns on invalid JSON without throwing', () => {
    const r = extractNotebookFacts('broken.ipynb', '{"cells": [\n  {"cell_type": "code",\n}');
    expect(r.facts).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^broken\.ipynb: not valid JSON \(\w+ at line \d+, column \d+\)/);
  });

  it('warns on JSON that is not a notebook, and on nbformat 3', () => {
    for (const text of ['{"a": 1}', '[]', '"x"', '{"cells": 3}']) {
      const r = extractNotebookFacts('x.ipynb', text);
      expect(r.facts).toEqual([]);
      expect(r.warnings[0]).toMatch(/^x\.ipynb: not a Jupyter notebook/);
    }
    const v3 = extractNotebookFacts('old.ipynb', JSON.stringify({ nbformat: 3, worksheets: [{ cells: [] }] }));
    expect(v3.warnings[0]).toMatch(/nbformat 3/);
    expect(extractNotebookFacts('e.ipynb', '').warnings[0]).toMatch(/not valid JSON/);
  });

  it('skips a malformed cell with a warning and keeps the others', () => {
    const nb = notebook([{ cell_type: 'code', source: 42 }, code(['epochs = 30'])]);
    const r = extractNotebookFacts('m.ipynb', jupyter(nb));
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^m\.ipynb: cell 1 is malformed/);
    expect(one(r.facts, (f) => f.path === 'epochs').value).toBe(30);
  });

  it('reads only outputs of a notebook in another kernel language', () => {
    const nb = notebook([code(['x <- 3'], [{ name: 'stdout', output_type: 'stream', text: ['accuracy 0.91'] }])], {
      kernelspec: { language: 'R', name: 'ir' },
      language_info: { name: 'R' },
    });
    const r = extractNotebookFacts('r.ipynb', jupyter(nb));
    expect(r.warnings[0]).toMatch(/kernel language is R/);
    expect(r.facts.map((f) => f.form)).toEqual(['output']);
  });

  it('accepts a byte order mark', () => {
    const r = extractNotebookFacts('bom.ipynb', `\uFEFF${jupyter(notebook([code(['epochs = 30'])]))}`);
    expect(r.warnings).toEqual([]);
    expect(one(r.facts, (f) => f.path === 'epochs').value).toBe(30);
  });
});
