import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardLoadError, type CardLoadProblem } from '../../../src/engine/card/cardLoadError.js';
import { cardFormatOf, loadCard, type LoadCardOptions } from '../../../src/engine/card/loadCard.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cardcheck-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectLoadError(path: string, problem: CardLoadProblem, pattern: RegExp, opts?: LoadCardOptions): Promise<void> {
  const error: unknown = await loadCard(path, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CardLoadError);
  const e = error as CardLoadError;
  expect(e.problem).toBe(problem);
  expect(e.path).toBe(path);
  expect(e.message).toContain(path);
  expect(e.message).toMatch(pattern);
}

describe('loadCard: format selection', () => {
  it('picks the loader by extension', () => {
    expect(cardFormatOf('a/CARD.MD')).toBe('markdown');
    expect(cardFormatOf('card.markdown')).toBe('markdown');
    expect(cardFormatOf('card.docx')).toBe('docx');
    expect(cardFormatOf('card.txt')).toBe('text');
    expect(cardFormatOf('MODEL_CARD')).toBe('text');
  });

  it('loads .txt and extension-less files as text', async () => {
    const path = join(dir, 'MODEL_CARD');
    await writeFile(path, 'Learning rate 0.01\n- epochs 10\n');
    const doc = await loadCard(path);
    expect(doc.format).toBe('text');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'listItem']);
  });

  it('reads UTF-16 with a BOM and Windows-1252 text', async () => {
    const utf16 = join(dir, 'utf16.txt');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Dropout 0.1\n', 'utf16le')]));
    expect((await loadCard(utf16)).blocks[0].text).toBe('Dropout 0.1');
    const latin = join(dir, 'latin.md');
    await writeFile(latin, Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x39, 0x35, 0x25, 0x0a])); // "Café 95%"
    expect((await loadCard(latin)).blocks[0].text).toBe('Café 95%');
  });
});

describe('loadCard: errors name the file and the problem', () => {
  it('missing file', async () => {
    await expectLoadError(join(dir, 'nope.md'), 'not-found', /file not found/);
  });

  it('directory', async () => {
    const path = join(dir, 'folder.md');
    await mkdir(path);
    await expectLoadError(path, 'directory', /is a directory/);
  });

  it('empty file, white space only, and a card with only comments', async () => {
    const empty = join(dir, 'empty.md');
    await writeFile(empty, '');
    await expectLoadError(empty, 'empty', /empty/);
    const blank = join(dir, 'blank.txt');
    await writeFile(blank, '  \n\n\t\n');
    await expectLoadError(blank, 'empty', /empty/);
    const comments = join(dir, 'comments.md');
    await writeFile(comments, '<!-- TODO: write the card -->\n');
    await expectLoadError(comments, 'empty', /no text/);
    await expectLoadError(join(dir, 'unsaved.md'), 'empty', /empty/, { text: '\n' });
  });

  it('binary content in .md and .txt', async () => {
    const md = join(dir, 'binary.md');
    await writeFile(md, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await expectLoadError(md, 'binary', /binary content/);
    const txt = join(dir, 'controls.txt');
    await writeFile(txt, Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))));
    await expectLoadError(txt, 'binary', /binary content/);
  });

  it('too large, from disk and from unsaved text', async () => {
    const path = join(dir, 'big.md');
    await writeFile(path, '# Big\n' + 'x'.repeat(5000));
    await expectLoadError(path, 'too-large', /too large \(4\.9 KB; the limit is 1\.0 KB\)/, { maxBytes: 1024 });
    await expectLoadError(path, 'too-large', /too large/, { maxBytes: 1024, text: 'y'.repeat(2000) });
    expect((await loadCard(path, { maxBytes: 10_000 })).blocks[0].text).toBe('Big');
  });

  it('unsupported word-processor formats', async () => {
    const path = join(dir, 'card.doc');
    await writeFile(path, 'whatever');
    await expectLoadError(path, 'unsupported', /\.doc cards are not supported/);
  });

  it('a .docx path that does not exist', async () => {
    await expectLoadError(join(dir, 'missing.docx'), 'not-found', /file not found/);
  });
});
