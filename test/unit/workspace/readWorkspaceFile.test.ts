import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyFile } from '../../../src/engine/workspace/fileKind.js';
import { readWorkspaceFile } from '../../../src/engine/workspace/readWorkspaceFile.js';
import type { WorkspaceFile } from '../../../src/engine/workspace/workspaceFile.js';
import { makeTree, removeTree } from './workspaceFixture.js';

const roots: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const r of roots.splice(0)) await removeTree(r);
});

async function fileWith(rel: string, content: string | Buffer): Promise<WorkspaceFile> {
  const root = await makeTree({ [rel]: content });
  roots.push(root);
  return { relPath: rel, absPath: path.join(root, rel), size: 0, mtimeMs: 0, kind: classifyFile(rel), flags: [] };
}

const MB = 1024 * 1024;

describe('readWorkspaceFile: decoding', () => {
  it('reads UTF-8 and strips a BOM', async () => {
    const r = await readWorkspaceFile(await fileWith('c.yaml', '\uFEFFlr: 3e-4 # café\n'), { maxFileBytes: MB });
    expect(r).toEqual({ ok: true, text: 'lr: 3e-4 # café\n' });
  });

  it('decodes invalid UTF-8 as Latin-1 and says so', async () => {
    const bytes = Buffer.from('# r\xe9sum\xe9 of the run\nlr = 0.1\n', 'latin1');
    const r = await readWorkspaceFile(await fileWith('train.py', bytes), { maxFileBytes: MB });
    expect(r).toEqual({ ok: true, text: '# résumé of the run\nlr = 0.1\n', encoding: 'latin1' });
  });

  it('decodes UTF-16 files with a byte-order mark (pip freeze redirected by PowerShell)', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('torch==2.1.0\r\n', 'utf16le')]);
    expect(await readWorkspaceFile(await fileWith('requirements.txt', le), { maxFileBytes: MB }))
      .toEqual({ ok: true, text: 'torch==2.1.0\r\n', encoding: 'utf-16le' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('numpy', 'utf16le').swap16()]);
    expect(await readWorkspaceFile(await fileWith('requirements.txt', be), { maxFileBytes: MB }))
      .toEqual({ ok: true, text: 'numpy', encoding: 'utf-16be' });
  });

  it('rejects a .py holding NUL bytes as a binary file', async () => {
    const bytes = Buffer.concat([Buffer.from('import torch\n'), Buffer.from([0, 1, 2, 0]), Buffer.from('x = 1\n')]);
    expect(await readWorkspaceFile(await fileWith('weights.py', bytes), { maxFileBytes: MB }))
      .toEqual({ ok: false, reason: 'binary file' });
  });

  it('rejects text-free control-byte soup even without NULs', async () => {
    const bytes = Buffer.alloc(4000, 0x01);
    bytes.write('x = 1\n', 100);
    expect(await readWorkspaceFile(await fileWith('odd.py', bytes), { maxFileBytes: MB }))
      .toEqual({ ok: false, reason: 'binary file' });
  });

  it('keeps logs with tqdm carriage returns and ANSI colours as text', async () => {
    const log = 'epoch 1\r 10%|#  |\r 50%|#####|\x1b[32m done\x1b[0m\nval_acc=0.91\n'.repeat(50);
    const r = await readWorkspaceFile(await fileWith('train.log', log), { maxFileBytes: MB });
    expect(r).toEqual({ ok: true, text: log });
  });

  it('reads an empty file as empty text', async () => {
    expect(await readWorkspaceFile(await fileWith('empty.py', ''), { maxFileBytes: MB })).toEqual({ ok: true, text: '' });
  });

  it('reports a missing file instead of throwing', async () => {
    const f = await fileWith('gone.py', '');
    const r = await readWorkspaceFile({ ...f, absPath: f.absPath + '.nope' }, { maxFileBytes: MB });
    expect(r).toEqual({ ok: false, reason: 'cannot read file: no such file or folder (ENOENT)' });
  });
});

describe('readWorkspaceFile: size limits', () => {
  it('refuses an oversized file of a kind that is not tail-read', async () => {
    const f = await fileWith('big.py', 'x = 1\n'.repeat(500));
    expect(await readWorkspaceFile(f, { maxFileBytes: 1000 })).toEqual({ ok: false, reason: 'larger than 1000 bytes' });
  });

  it('tail-reads a 50 MB sparse CSV: header plus last rows, without reading the file whole', async () => {
    const f = await fileWith('results/metrics.csv', '');
    const fh = await open(f.absPath, 'r+');
    await fh.write('epoch,loss,acc\n', 0);
    await fh.truncate(50 * MB);
    const rows = Array.from({ length: 1000 }, (_, i) => `${i},${(1 / (i + 1)).toFixed(4)},0.${String(i).padStart(3, '0')}`);
    await fh.write(`\n${rows.join('\n')}\n`, 50 * MB);
    const proto = Object.getPrototypeOf(fh) as { read: (...args: unknown[]) => Promise<unknown> };
    await fh.close();

    const readSpy = vi.spyOn(proto, 'read');
    const r = await readWorkspaceFile(f, { maxFileBytes: 2 * MB, tailBytes: 4096 });
    const requested = readSpy.mock.calls.reduce((n, args) => n + Number(args[2]), 0);
    expect(readSpy).toHaveBeenCalled();
    expect(requested).toBeLessThan(128 * 1024);

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.partial).toBe('tail');
    expect(r.headerLines).toBe(1);
    const lines = r.text.split('\n');
    expect(lines[0]).toBe('epoch,loss,acc');
    expect(lines[1]).toMatch(/^\d+,0\.\d{4},0\.\d{3}$/);
    expect(lines.at(-2)).toBe('999,0.0010,0.999');
    expect(r.text).not.toContain('\0');
    expect(r.text.length).toBeLessThanOrEqual(4096 + 16);
    expect(r.tailStartByte).toBe(50 * MB + 1 + rows.slice(0, 1000 - (lines.length - 2)).join('\n').length + 1);
  });

  it('skips the NUL gap of a sparse file when the tail window reaches into it', async () => {
    const f = await fileWith('m.csv', '');
    const fh = await open(f.absPath, 'r+');
    await fh.write('step,acc\n', 0);
    await fh.truncate(10 * MB);
    await fh.write('\n1,0.5\n2,0.75\n', 10 * MB);
    await fh.close();
    const r = await readWorkspaceFile(f, { maxFileBytes: MB, tailBytes: 64 * 1024 });
    expect(r).toMatchObject({ ok: true, text: 'step,acc\n1,0.5\n2,0.75\n', partial: 'tail' });
  });

  it('starts the tail exactly at a line start and can count the lines before it', async () => {
    const body = Array.from({ length: 300 }, (_, i) => `${String(i + 1).padStart(9, '0')}\n`).join('');
    const f = await fileWith('train.log', body);
    const r = await readWorkspaceFile(f, { maxFileBytes: 100, tailBytes: 30, countLines: true });
    expect(r).toEqual({
      ok: true, partial: 'tail', text: '000000298\n000000299\n000000300\n',
      tailStartByte: 2970, headerLines: 0, tailStartLine: 298,
    });
  });

  it('counts lines before the tail of a CSV (line numbers for evidence)', async () => {
    const body = 'a,b\n' + Array.from({ length: 5000 }, (_, i) => `${i},${i * 2}`).join('\n') + '\n';
    const f = await fileWith('r.csv', body);
    const r = await readWorkspaceFile(f, { maxFileBytes: 1000, tailBytes: 100, countLines: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const firstTailRow = r.text.split('\n')[1];
    const fileLines = body.split('\n');
    expect(fileLines[(r.tailStartLine ?? 0) - 1]).toBe(firstTailRow);
  });

  it('returns an oversized log whole, not partial, when it fits in the tail window', async () => {
    const f = await fileWith('small.log', 'loss 0.1\n'.repeat(20));
    expect(await readWorkspaceFile(f, { maxFileBytes: 50, tailBytes: 4096 })).toEqual({ ok: true, text: 'loss 0.1\n'.repeat(20) });
  });

  it('refuses a tail with no line break in it', async () => {
    const f = await fileWith('one-line.log', 'x'.repeat(5000));
    const r = await readWorkspaceFile(f, { maxFileBytes: 1000, tailBytes: 100 });
    expect(r).toEqual({ ok: false, reason: 'larger than 1000 bytes (no line break in its last 100 bytes)' });
  });

  it('marks a Latin-1 tail and still returns it', async () => {
    const body = Buffer.from('name\tscore\n' + 'caf\xe9\t0.5\n'.repeat(400), 'latin1');
    const r = await readWorkspaceFile(await fileWith('scores.tsv', body), { maxFileBytes: 1000, tailBytes: 40 });
    expect(r).toMatchObject({ ok: true, partial: 'tail', encoding: 'latin1' });
    if (r.ok) expect(r.text.split('\n').slice(0, 2)).toEqual(['name\tscore', 'café\t0.5']);
  });

  it('refuses a binary tail', async () => {
    const body = Buffer.concat([Buffer.from('a\n'), Buffer.alloc(3000, 0x02), Buffer.from('\n'), Buffer.alloc(100, 0)]);
    expect(await readWorkspaceFile(await fileWith('weird.log', body), { maxFileBytes: 1000, tailBytes: 200 }))
      .toEqual({ ok: false, reason: 'binary file' });
  });
});

describe('readWorkspaceFile: special files', () => {
  it('does not hang on a FIFO', async () => {
    const f = await fileWith('x.log', '');
    const { execFileSync } = await import('node:child_process');
    const fifo = f.absPath + '.fifo';
    execFileSync('mkfifo', [fifo]);
    const r = await readWorkspaceFile({ ...f, absPath: fifo }, { maxFileBytes: MB });
    expect(r).toEqual({ ok: false, reason: 'not a regular file' });
  });
});
