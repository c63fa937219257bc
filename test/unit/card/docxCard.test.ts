import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardBlock, CardDocument } from '../../../src/engine/card/cardDocument.js';
import { CardLoadError } from '../../../src/engine/card/cardLoadError.js';
import { loadCard } from '../../../src/engine/card/loadCard.js';
import { sourceColumn } from '../../../src/engine/card/sourceColumn.js';

function cell(text: string): TableCell {
  return new TableCell({ children: [new Paragraph(text)] });
}

async function sampleDocx(): Promise<Buffer> {
  const doc = new Document({
    numbering: { config: [{ reference: 'steps', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] }] },
    sections: [
      {
        children: [
          new Paragraph({ text: 'ResNet-18 card', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: 'Training', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('We use a learning rate of '), new TextRun({ text: '0.1', bold: true }), new TextRun(' with SGD.')] }),
          new Paragraph({ text: 'Optimizer details', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Momentum 0.9', bullet: { level: 0 } }),
          new Paragraph({ text: 'Nesterov enabled', bullet: { level: 1 } }),
          new Paragraph({ text: 'Warm up for 5 epochs', numbering: { reference: 'steps', level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [cell('Setting'), cell('Value')] }),
              new TableRow({ children: [cell('Epochs'), cell('90')] }),
              new TableRow({ children: [cell('Batch size'), cell('256')] }),
            ],
          }),
          new Paragraph({ text: 'Results', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('Top-1 accuracy is 69.8%.'), new TextRun({ text: 'Top-5 is 89.1%.', break: 1 })] }),
          new Table({ rows: [new TableRow({ children: [cell('License'), cell('MIT')] })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('docx card', () => {
  let dir: string;
  let doc: CardDocument;
  const find = (pred: (b: CardBlock) => boolean): CardBlock => {
    const b = doc.blocks.find(pred);
    if (!b) throw new Error(`missing block in ${JSON.stringify(doc.lines)}`);
    return b;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cardcheck-docx-'));
    const path = join(dir, 'card.docx');
    await writeFile(path, await sampleDocx());
    doc = await loadCard(path);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the document as markdown-like lines', () => {
    expect(doc.format).toBe('docx');
    expect(doc.lines).toEqual([
      '# ResNet-18 card',
      '',
      '# Training',
      '',
      'We use a learning rate of 0.1 with SGD.',
      '',
      '## Optimizer details',
      '',
      '- Momentum 0.9',
      '  - Nesterov enabled',
      '',
      '1. Warm up for 5 epochs',
      '',
      '| Setting | Value |',
      '| --- | --- |',
      '| Epochs | 90 |',
      '| Batch size | 256 |',
      '',
      '# Results',
      '',
      'Top-1 accuracy is 69.8%.',
      'Top-5 is 89.1%.',
      '',
      '| License | MIT |',
    ]);
  });

  it('keeps headings with their context (Title above Heading 1)', () => {
    expect(find((b) => b.text === 'ResNet-18 card')).toMatchObject({ kind: 'heading', line: 1, column: 3, headings: [] });
    expect(find((b) => b.text === 'Training')).toMatchObject({ kind: 'heading', headings: ['ResNet-18 card'] });
    expect(find((b) => b.text === 'Optimizer details')).toMatchObject({ line: 7, column: 4, headings: ['ResNet-18 card', 'Training'] });
    expect(find((b) => b.text === 'Results').headings).toEqual(['ResNet-18 card']);
  });

  it('keeps the words as written, bold runs merged into the paragraph', () => {
    const p = find((b) => b.text.startsWith('We use'));
    expect(p).toMatchObject({ kind: 'paragraph', line: 5, column: 1, text: 'We use a learning rate of 0.1 with SGD.' });
    const offset = p.text.indexOf('0.1');
    expect(doc.lines[p.line - 1].slice(sourceColumn(p, offset) - 1)).toMatch(/^0\.1 /);
  });

  it('gives list paragraphs as list items, nested ones indented', () => {
    const items = doc.blocks.filter((b) => b.kind === 'listItem');
    expect(items.map((b) => [b.text, b.line, b.column])).toEqual([
      ['Momentum 0.9', 9, 3],
      ['Nesterov enabled', 10, 5],
      ['Warm up for 5 epochs', 12, 4],
    ]);
    expect(items[1].headings).toEqual(['ResNet-18 card', 'Training', 'Optimizer details']);
  });

  it('gives table body rows with the first row as header', () => {
    const rows = doc.blocks.filter((b) => b.kind === 'tableRow');
    expect(rows[0]).toMatchObject({ line: 16, column: 3, text: 'Epochs | 90', header: ['Setting', 'Value'], cells: ['Epochs', '90'], cellColumns: [3, 12] });
    expect(rows[1]).toMatchObject({ line: 17, cells: ['Batch size', '256'], cellColumns: [3, 16] });
    for (const row of rows) {
      row.cells?.forEach((c, i) => expect(doc.lines[row.line - 1].slice((row.cellColumns?.[i] ?? 0) - 1).startsWith(c)).toBe(true));
    }
    expect(doc.blocks.some((b) => b.kind === 'tableRow' && b.text.startsWith('Setting'))).toBe(false);
  });

  it('splits manual line breaks and keeps a one-row table as a block', () => {
    expect(find((b) => b.text === 'Top-5 is 89.1%.')).toMatchObject({ kind: 'paragraph', line: 22, column: 1 });
    expect(find((b) => b.text === 'License | MIT')).toMatchObject({ kind: 'tableRow', line: 24, header: [], cells: ['License', 'MIT'] });
  });

  it('points every block at its text in lines', () => {
    for (const b of doc.blocks) expect(doc.lines[b.line - 1].slice(b.column - 1)).toMatch(new RegExp(`^${b.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('docx card: bad files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cardcheck-docx-bad-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loadError(name: string, bytes: Buffer): Promise<CardLoadError> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const error: unknown = await loadCard(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CardLoadError);
    return error as CardLoadError;
  }

  it('rejects random bytes as not a zip', async () => {
    const bytes = Buffer.alloc(2048);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const e = await loadError('random.docx', bytes);
    expect(e.problem).toBe('invalid-docx');
    expect(e.message).toContain('random.docx');
    expect(e.message).toContain('not a valid .docx (zip) file');
  });

  it('rejects a truncated zip', async () => {
    const full = await sampleDocx();
    const e = await loadError('truncated.docx', full.subarray(0, 400));
    expect(e.problem).toBe('invalid-docx');
    expect(e.message).toContain('not a valid .docx (zip) file');
  });

  it('rejects a zip that is not a Word document', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'hello');
    const e = await loadError('notword.docx', await zip.generateAsync({ type: 'nodebuffer' }));
    expect(e.problem).toBe('invalid-docx');
    expect(e.message).toMatch(/notword\.docx: not a valid \.docx \(zip\) file: the archive has no Word document/);
  });

  it('rejects a legacy .doc renamed to .docx', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const e = await loadError('old.docx', ole);
    expect(e.message).toMatch(/legacy Word \.doc/);
  });

  it('rejects a document without text as empty', async () => {
    const empty = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('')] }] }));
    const e = await loadError('blank.docx', empty);
    expect(e.problem).toBe('empty');
    expect(e.message).toContain('blank.docx');
  });
});
