import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardBlock, CardDocument } from '../../../src/engine/card/cardDocument.js';
import { loadCard } from '../../../src/engine/card/loadCard.js';
import { parseMarkdownCard } from '../../../src/engine/card/markdownCard.js';
import { sourceColumn, sourceEndColumn } from '../../../src/engine/card/sourceColumn.js';

const FIXTURE = join(__dirname, '../../fixtures/card/sample-card.md');

function block(doc: CardDocument, pred: (b: CardBlock) => boolean): CardBlock {
  const found = doc.blocks.find(pred);
  if (!found) throw new Error(`no block matches; blocks: ${JSON.stringify(doc.blocks.map((b) => b.text))}`);
  return found;
}

/** The source text a stripped substring covers, via sourceColumn / sourceEndColumn. */
function sourceOf(doc: CardDocument, b: CardBlock, sub: string): string {
  const at = b.text.indexOf(sub);
  expect(at).toBeGreaterThanOrEqual(0);
  const start = sourceColumn(b, at);
  const end = sourceEndColumn(b, at + sub.length);
  return doc.lines[b.line - 1].slice(start - 1, end - 1);
}

describe('markdown card: committed fixture', () => {
  let doc: CardDocument;
  beforeAll(async () => {
    doc = await loadCard(FIXTURE);
  });

  it('keeps the file lines and reports markdown', () => {
    expect(doc.format).toBe('markdown');
    expect(doc.lines[0]).toBe('---');
    expect(doc.lines[17]).toBe('# bert-imdb');
    expect(doc.warnings).toBeUndefined();
  });

  it('emits every front matter leaf with dotted path, value and position', () => {
    const fm = doc.frontMatter ?? [];
    const byPath = new Map(fm.map((f) => [f.path, f]));
    expect([...byPath.keys()]).toEqual([
      'license',
      'datasets.0',
      'base_model',
      'model-index.0.name',
      'model-index.0.results.0.task.type',
      'model-index.0.results.0.metrics.0.type',
      'model-index.0.results.0.metrics.0.value',
      'model-index.0.results.0.metrics.1.type',
      'model-index.0.results.0.metrics.1.value',
    ]);
    expect(byPath.get('license')).toEqual({ path: 'license', value: 'apache-2.0', line: 2, column: 10, lineText: 'license: apache-2.0' });
    expect(byPath.get('datasets.0')).toMatchObject({ value: 'imdb', line: 4, column: 3 });
    const acc = byPath.get('model-index.0.results.0.metrics.0.value');
    expect(acc).toMatchObject({ value: 0.935, line: 13, column: 14, lineText: '      value: 0.9350' });
    // The displayed precision survives in the line text at the value's column.
    expect(acc?.lineText.slice((acc?.column ?? 1) - 1)).toBe('0.9350');
  });

  it('does not turn the front matter into blocks', () => {
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: 'bert-imdb', line: 18, column: 3, headings: [] });
    expect(doc.blocks.some((b) => b.text.includes('apache'))).toBe(false);
  });

  it('drops HTML comments and splits a paragraph into one block per source line', () => {
    const first = block(doc, (b) => b.text.startsWith('This model'));
    expect(first).toMatchObject({ kind: 'paragraph', line: 21, column: 1, headings: ['bert-imdb'] });
    expect(first.text).toBe('This model is a fine-tuned version of bert-base-uncased on IMDB.');
    const second = block(doc, (b) => b.text.startsWith('It reaches'));
    expect(second).toMatchObject({ line: 22, column: 1, text: 'It reaches 93.5% accuracy on the test split.' });
    expect(doc.blocks.some((b) => b.text.includes('Provide a quick summary'))).toBe(false);
  });

  it('maps stripped offsets back to source columns', () => {
    const first = block(doc, (b) => b.text.startsWith('This model'));
    expect(sourceOf(doc, first, 'bert-base-uncased')).toBe('bert-base-uncased');
    // The label's column, not the URL's.
    expect(sourceColumn(first, first.text.indexOf('bert-base-uncased'))).toBe(40);
    expect(sourceOf(doc, first, 'IMDB')).toBe('IMDB');
    expect(sourceColumn(first, first.text.indexOf('IMDB'))).toBe(doc.lines[20].indexOf('IMDB') + 1);
    // Verbatim lines map one to one.
    const second = block(doc, (b) => b.text.startsWith('It reaches'));
    expect(sourceColumn(second, 11)).toBe(12);
  });

  it('tracks nested headings outermost first', () => {
    const h3 = block(doc, (b) => b.kind === 'heading' && b.text === 'Hyperparameters');
    expect(h3).toMatchObject({ line: 26, column: 5, headings: ['bert-imdb', 'Training'] });
    const results = block(doc, (b) => b.kind === 'heading' && b.text === 'Results');
    expect(results.headings).toEqual(['bert-imdb']);
    const quote = block(doc, (b) => b.text.startsWith('Accuracy drops'));
    expect(quote).toMatchObject({ kind: 'paragraph', column: 3, headings: ['bert-imdb', 'Results'] });
  });

  it('gives list items without markers, nested ones separately', () => {
    const items = doc.blocks.filter((b) => b.kind === 'listItem');
    expect(items.map((b) => [b.text, b.line, b.column])).toEqual([
      ['learning_rate: 2e-05', 28, 3],
      ['train_batch_size: 16', 29, 3],
      ['gradient accumulation of 4 steps', 30, 5],
      ['num_epochs: 3', 31, 4],
    ]);
    expect(items[0].headings).toEqual(['bert-imdb', 'Training', 'Hyperparameters']);
    const nested = items[2];
    expect(sourceOf(doc, nested, 'steps')).toBe('steps');
    expect(sourceColumn(nested, nested.text.indexOf('4'))).toBe(doc.lines[29].indexOf('4') + 1);
  });

  it('gives table body rows with header, cells and cell columns', () => {
    const rows = doc.blocks.filter((b) => b.kind === 'tableRow');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      line: 35,
      column: 3,
      text: 'Learning rate | 2e-5',
      header: ['Hyperparameter', 'Value'],
      cells: ['Learning rate', '2e-5'],
      cellColumns: [3, 20],
    });
    expect(doc.lines[34].slice(19, 23)).toBe('2e-5');
    expect(rows[1]).toMatchObject({ line: 36, cells: ['Warmup ratio', '0.1'], cellColumns: [4, 21] });
    expect(doc.lines[35].slice(20, 23)).toBe('0.1');
    expect(sourceColumn(rows[1], rows[1].text.indexOf('0.1'))).toBe(21);
  });

  it('keeps a fenced code block as one block at its first content line', () => {
    const code = block(doc, (b) => b.kind === 'code');
    expect(code).toMatchObject({ line: 39, column: 1, text: 'python train.py --lr 2e-5' });
  });
});

describe('markdown card: edge cases', () => {
  it('warns instead of failing on invalid front matter YAML', () => {
    const doc = parseMarkdownCard('bad.md', '---\nlicense: [mit\ndatasets: x: y\n---\n\n# Title\n\nText.\n');
    expect(doc.frontMatter).toBeUndefined();
    expect(doc.warnings?.[0]).toMatch(/front matter is not valid YAML/);
    expect(doc.blocks.map((b) => b.text)).toEqual(['Title', 'Text.']);
    expect(doc.blocks[0].line).toBe(6);
  });

  it('reads a leading rule and setext heading as Markdown, not front matter', () => {
    const doc = parseMarkdownCard('x.md', '---\nModel trained on C4\n---\n');
    expect(doc.frontMatter).toBeUndefined();
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: 'Model trained on C4', line: 2 });
  });

  it('reads a card without front matter and leaves an unclosed fence to markdown', () => {
    const doc = parseMarkdownCard('x.md', 'Plain line.\n');
    expect(doc.frontMatter).toBeUndefined();
    expect(doc.blocks).toEqual([{ kind: 'paragraph', line: 1, column: 1, text: 'Plain line.', headings: [] }]);
  });

  it('strips emphasis, code spans, escapes, entities and inline HTML', () => {
    const src = 'We use _AdamW_ with `lr=3e-4`, **β1 = 0.9** &amp; a \\*tuned\\* <span>schedule</span> [docs][ref].\n\n[ref]: https://x.y\n';
    const doc = parseMarkdownCard('x.md', src);
    const b = doc.blocks[0];
    expect(b.text).toBe('We use AdamW with lr=3e-4, β1 = 0.9 & a *tuned* schedule docs.');
    for (const word of ['AdamW', 'lr=3e-4', 'β1 = 0.9', 'schedule', 'docs']) {
      expect(sourceOf(doc, b, word)).toBe(word);
    }
    expect(doc.lines[0][sourceColumn(b, b.text.indexOf('&')) - 1]).toBe('&');
    expect(doc.lines[0][sourceColumn(b, b.text.indexOf('tuned')) - 1]).toBe('t');
  });

  it('drops images and badge links, keeps link labels', () => {
    const doc = parseMarkdownCard('x.md', '[![CI](https://b/ci.svg)](https://ci) Trained on [C4](https://c4) ![diagram](arch.png) only.\n');
    expect(doc.blocks[0].text).toBe('Trained on C4 only.');
    expect(sourceOf(doc, doc.blocks[0], 'C4')).toBe('C4');
    expect(sourceOf(doc, doc.blocks[0], 'only.')).toBe('only.');
  });

  it('maps offsets of a copied block when given the source line', () => {
    const doc = parseMarkdownCard('x.md', 'See [the paper](https://arxiv.org/abs/1) for **12 layers**.\n');
    const copy: CardBlock = JSON.parse(JSON.stringify(doc.blocks[0])) as CardBlock;
    const at = copy.text.indexOf('12 layers');
    expect(sourceColumn(copy, at, doc.lines[0])).toBe(doc.lines[0].indexOf('12 layers') + 1);
    expect(sourceColumn(doc.blocks[0], at)).toBe(doc.lines[0].indexOf('12 layers') + 1);
  });

  it('turns HTML blocks into text lines', () => {
    const doc = parseMarkdownCard('x.md', '<p align="center">\n  Accuracy &amp; <b>F1</b> of 0.91\n</p>\n');
    expect(doc.blocks).toHaveLength(1);
    expect(doc.blocks[0]).toMatchObject({ kind: 'paragraph', line: 2, column: 3, text: 'Accuracy & F1 of 0.91' });
    expect(sourceOf(doc, doc.blocks[0], '0.91')).toBe('0.91');
  });

  it('handles setext headings, blockquoted lists, CRLF and a header-only table', () => {
    const src = 'Model\r\n=====\r\n\r\n> - item in quote\r\n\r\n| Key | Value |\r\n|---|---|\r\n';
    const doc = parseMarkdownCard('x.md', src);
    expect(doc.lines).toEqual(['Model', '=====', '', '> - item in quote', '', '| Key | Value |', '|---|---|']);
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: 'Model', line: 1, column: 1 });
    expect(doc.blocks[1]).toMatchObject({ kind: 'listItem', text: 'item in quote', line: 4, column: 5, headings: ['Model'] });
    // A table with no body: its only row is the block, without a header.
    expect(doc.blocks[2]).toMatchObject({ kind: 'tableRow', line: 6, header: [], cells: ['Key', 'Value'], cellColumns: [3, 9] });
  });

  it('keeps escaped pipes inside a cell and pads short rows', () => {
    const src = '| Setting | Value |\n|---|---|\n| a \\| b | 1 |\n| only |\n';
    const doc = parseMarkdownCard('x.md', src);
    const rows = doc.blocks.filter((b) => b.kind === 'tableRow');
    expect(rows[0]).toMatchObject({ cells: ['a | b', '1'], cellColumns: [3, 12] });
    expect(doc.lines[2][11]).toBe('1');
    expect(rows[1]).toMatchObject({ cells: ['only', ''], text: 'only' });
  });

  it('skips only the markers a line really opens', () => {
    // `2020.` cannot interrupt a paragraph, so the second line is text, not a list marker.
    const doc = parseMarkdownCard('x.md', '- We trained in\n  2020. It took 3 days\n- 1 epoch\n');
    expect(doc.blocks.map((b) => [b.kind, b.text, b.line, b.column])).toEqual([
      ['listItem', 'We trained in', 1, 3],
      ['listItem', '2020. It took 3 days', 2, 3],
      ['listItem', '1 epoch', 3, 3],
    ]);
  });
});

describe('markdown card: unsaved text and BOM', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cardcheck-md-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers opts.text over the file on disk', async () => {
    const path = join(dir, 'card.md');
    await writeFile(path, '# On disk\n');
    const doc = await loadCard(path, { text: '# In editor\n' });
    expect(doc.blocks[0].text).toBe('In editor');
  });

  it('strips a UTF-8 BOM so columns on line 1 are right', async () => {
    const path = join(dir, 'bom.md');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('---\nlicense: mit\n---\nText\n')]));
    const doc = await loadCard(path);
    expect(doc.lines[0]).toBe('---');
    expect(doc.frontMatter?.[0]).toMatchObject({ path: 'license', value: 'mit', line: 2, column: 10 });
  });
});
