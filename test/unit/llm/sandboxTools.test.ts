import path from 'node:path';
import { symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceTools } from '../../../src/engine/llm/sandboxTools.js';
import { runStep } from '../../../src/engine/llm/sandbox.js';
import { FactIndex } from '../../../src/engine/verify/factIndex.js';
import { tempWorkspace } from '../../support/tempWorkspace.js';

const ws = tempWorkspace({
  'card.md': '# card\nlearning rate 3e-4\n',
  'train.py': 'LR = 3e-4\nEPOCHS = 10\n',
  'node_modules/pkg/index.js': 'module.exports = 1\n',
  '.gitignore': 'secret.txt\n',
  'secret.txt': 'hidden\n',
  'data/blob.bin': '\u0000\u0001\u0002binary',
  ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`many/f${i}.py`, `x = ${i}\n`])),
});
const outside = tempWorkspace({ 'passwd': 'root:x:0:0\n' });
let tools: WorkspaceTools;

beforeAll(async () => {
  symlinkSync(path.join(outside.root, 'passwd'), path.join(ws.root, 'link-out'));
  const index = new FactIndex();
  index.add({ rawKey: 'LR', path: 'LR', value: 3e-4, file: 'train.py', line: 1, column: 6, endLine: 1, endColumn: 10, source: 'ast', form: 'assignment', snippet: 'LR = 3e-4' });
  tools = await WorkspaceTools.open({ root: ws.root, cardAbs: path.join(ws.root, 'card.md'), maxFileBytes: 1 << 20, include: [], exclude: [], index });
});
afterAll(() => {
  ws.dispose();
  outside.dispose();
});

describe('sandbox tools', () => {
  it('list the files the engine reads: no card, no ignored or skipped folders', () => {
    const all = tools.listFiles('**/*', 2000);
    expect(all).toContain('train.py');
    expect(all).not.toContain('card.md');
    expect(all).not.toContain('secret.txt');
    expect(all.some((p) => p.startsWith('node_modules/'))).toBe(false);
    expect(tools.listFiles('many/*.py', 5)).toHaveLength(5);
  });

  it('never read outside the workspace', () => {
    for (const p of ['../passwd', '/etc/passwd', 'C:\\Windows\\win.ini', 'card.md']) {
      expect(() => tools.readLines(p)).toThrow(/no workspace file/);
    }
    // A symlink leading out is not followed into a readable file (the walker's rules).
    expect(tools.text('link-out')).toBeUndefined();
    expect(tools.text('data/blob.bin')).toBeUndefined();
  });

  it('read bounded line ranges', () => {
    expect(tools.readLines('train.py', 2, 500)).toEqual({ path: 'train.py', totalLines: 3, lines: [{ line: 2, text: 'EPOCHS = 10' }, { line: 3, text: '' }] });
  });

  it('give the fact index as plain data', () => {
    expect(tools.facts({ key: 'learning rate' })).toEqual([{ file: 'train.py', line: 1, key: 'LR', value: 3e-4, form: 'assignment', source: 'ast', snippet: 'LR = 3e-4', deciding: true }]);
    expect(tools.facts({ file: 'nothing.py' })).toEqual([]);
  });

  it('grep inside the sandbox with bounded matches', async () => {
    const r = await runStep('grep("^x = ", { glob: "many/*.py", maxMatches: 3 }).length', tools.bridge(), { timeMs: 2000, memoryBytes: 16 << 20 });
    expect(r.value).toBe('3');
    const bad = await runStep('grep("(")', tools.bridge(), { timeMs: 2000, memoryBytes: 16 << 20 });
    expect(bad.error?.message).toMatch(/grep: invalid regular expression/);
  });

  it('replay observations to tell whether the data under an answer changed', async () => {
    const seen: Parameters<WorkspaceTools['bridge']>[0] = [];
    await runStep('readLines("train.py"); grep("LR")', tools.bridge(seen), { timeMs: 2000, memoryBytes: 16 << 20 });
    expect(seen?.length).toBeGreaterThan(1);
    expect(tools.replay(seen ?? [])).toBe(true);
    expect(tools.replay([{ tool: 'readText', args: ['train.py'], hash: 'stale' }])).toBe(false);
  });
});
