import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFacts, extractFactsAsync } from '../../../src/engine/facts/extractFacts.js';
import type { FactExtraction } from '../../../src/engine/facts/factCollector.js';
import type { FactFlag } from '../../../src/engine/facts/fact.js';
import { ExtractionPool, defaultExtractionThreads, extractionThreadEntry, type InThreadExtraction } from '../../../src/engine/facts/extractionPool.js';
import type { FileKind } from '../../../src/engine/workspace/fileKind.js';
import type { WorkspaceFile } from '../../../src/engine/workspace/workspaceFile.js';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXTERNAL = ['@ast-grep/napi', '@ast-grep/lang-python'];

// Under node_modules so the bundles resolve the native ast-grep packages, as dist/ does.
let dir = '';
let entry = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(REPO, 'node_modules', '.cache', 'extraction-pool-test-'));
  entry = path.join(dir, 'extractionThread.js');
  await build({
    entryPoints: [path.join(REPO, 'src', 'engine', 'facts', 'extractionThread.ts')],
    outfile: entry, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: EXTERNAL, logLevel: 'warning',
  });
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function file(relPath: string, kind: FileKind, flags: FactFlag[] = []): WorkspaceFile {
  return { relPath, absPath: `/ws/${relPath}`, size: 0, mtimeMs: 0, kind, flags };
}

const inThread: InThreadExtraction = async (f, text, partial, tail) => extractFacts(f, text, partial, tail);

function pool(threads: number, extra: Partial<ConstructorParameters<typeof ExtractionPool>[0]> = {}): ExtractionPool {
  return new ExtractionPool({ threads, entry, fallback: inThread, ...extra });
}

const TRAIN = `import argparse
from dataclasses import dataclass, field
import torch.nn as nn

@dataclass
class Config:
    lr: float = 3e-4
    layers: list = field(default=[64, 64])

class Net(nn.Module):
    def __init__(self, hidden=256, dropout=0.1):
        super().__init__()
        self.fc = nn.Linear(784, hidden)

parser = argparse.ArgumentParser()
parser.add_argument('--batch-size', type=int, default=32)
parser.add_argument('--lr', type=float, default='1e-3')
opt = torch.optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01)
cfg = {'optim': {'lr': 0.1, 'betas': (0.9, 0.999)}, 'epochs': 10}
if df['year'] == 2017 and 3 < x <= 5:
    pass
`;

function pythonVariant(i: number): string {
  return `# file ${i}\nseed = ${i}\nmodel = Net(hidden=${i * 8}).to(device)\nsteps = [${i}, ${i + 1}]\nname = "run-${i}"\n${i % 3 === 0 ? TRAIN : ''}`;
}

const NOTEBOOK = `${JSON.stringify({
  cells: [
    { cell_type: 'markdown', metadata: {}, source: ['# Training\n', 'lr = 0.5 in prose'] },
    { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [{ name: 'stdout', output_type: 'stream', text: ['Test AUC 0.7164\n'] }], source: ['lr = 3e-4\n', 'clf = LogisticRegression(C=0.5)'] },
  ],
  metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
  nbformat: 4,
  nbformat_minor: 5,
}, null, 1)}\n`;

interface Case {
  file: WorkspaceFile;
  text: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < 24; i++) out.push({ file: file(`src/m${i}.py`, 'python', i % 5 === 0 ? ['test'] : []), text: pythonVariant(i) });
  out.push({ file: file('train.py', 'python'), text: `\ufeff${TRAIN}` });
  out.push({ file: file('broken.py', 'python'), text: 'def f(:\n  x = = 3\nlr = 0.1\n\0\n' });
  out.push({ file: file('nb/train.ipynb', 'notebook'), text: NOTEBOOK });
  out.push({ file: file('nb/bad.ipynb', 'notebook'), text: '{"cells": [' });
  out.push({ file: file('conf/base.yaml', 'yaml'), text: 'optim:\n  lr: 0.01\n' });
  return out;
}

function expected(c: Case): FactExtraction {
  return extractFacts(c.file, c.text);
}

/** A file that takes its thread a while (hundreds of ms): long enough to be killed mid-way. */
function bigPython(): string {
  const lines: string[] = [];
  for (let i = 0; i < 30_000; i++) lines.push(`x${i} = f(a=${i}, b='s${i}', c=[${i}, ${i}]) if y${i} == ${i} else {'k': ${i}}`);
  return lines.join('\n');
}

describe('ExtractionPool', () => {
  it('gives exactly what extractFacts gives, per file and in order, for concurrent submissions', async () => {
    const p = pool(2);
    try {
      const all = cases();
      const results = await Promise.all(all.map((c) => p.extract(c.file, c.text)));
      expect(p.stats.filesOnThreads).toBe(all.length);
      expect(p.stats.threadsStarted).toBe(2);
      results.forEach((r, i) => expect(r, all[i].file.relPath).toEqual(expected(all[i])));
      // The fixtures do produce facts (and the broken files warnings): equality is not vacuous.
      expect(results[0].facts.length).toBeGreaterThan(3);
      expect(results.find((_, i) => all[i].file.relPath === 'nb/train.ipynb')?.facts.some((f) => f.rawKey === 'C' && f.value === 0.5)).toBe(true);
      expect(results.find((_, i) => all[i].file.relPath === 'nb/bad.ipynb')?.warnings[0]).toMatch(/^nb\/bad\.ipynb: not valid JSON/);
    } finally {
      await p.close();
    }
  });

  it('passes a tail read through (partial and line mapping)', async () => {
    const p = pool(1);
    try {
      const log = file('logs/train.log', 'log');
      const text = 'epoch 9 loss 0.31\nfinal accuracy 0.912\n';
      const tail = { headerLines: 0, tailStartLine: 1001 };
      expect(await p.extract(log, text, 'tail', tail)).toEqual(extractFacts(log, text, 'tail', tail));
    } finally {
      await p.close();
    }
  });

  it('a thread killed mid-file costs a warning for that file only; the next files get a fresh thread', async () => {
    const p = pool(1);
    try {
      const warm = cases()[0];
      expect(await p.extract(warm.file, warm.text)).toEqual(expected(warm));
      const big = file('gen/big.py', 'python');
      const killed = p.extract(big, bigPython());
      const after = cases().slice(1, 6);
      const next = after.map((c) => p.extract(c.file, c.text));
      expect(p.terminateThreadOf('gen/big.py')).toBe(true);
      const r = await killed;
      expect(r.facts).toEqual([]);
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/^gen\/big\.py: could not read facts from this python file: the extraction thread stopped/);
      const rest = await Promise.all(next);
      rest.forEach((res, i) => expect(res, after[i].file.relPath).toEqual(expected(after[i])));
      expect(p.stats.threadsLost).toBe(1);
      expect(p.stats.threadsStarted).toBe(2);
      expect(p.terminateThreadOf('gen/big.py')).toBe(false);
    } finally {
      await p.close();
    }
  });

  it('a thread that exceeds its heap cap costs a warning naming the file and the limit', async () => {
    // A heap the bundle loads in, but a file of 40,000 long-string facts does not fit.
    const p = pool(1, { maxOldGenerationSizeMb: 24 });
    try {
      const warm = cases()[1];
      expect(await p.extract(warm.file, warm.text)).toEqual(expected(warm));
      const huge: string[] = [];
      for (let i = 0; i < 40_000; i++) huge.push(`v${i} = ['${'x'.repeat(200)}${i}', ${i}]`);
      const r = await p.extract(file('gen/huge.py', 'python'), huge.join('\n'));
      expect(r.facts).toEqual([]);
      expect(r.warnings).toEqual(['gen/huge.py: could not read facts from this python file: extracting its facts ran out of memory (limit 24 MB per extraction thread)']);
      const after = cases()[2];
      expect(await p.extract(after.file, after.text)).toEqual(expected(after));
    } finally {
      await p.close();
    }
  });

  it('falls back to the calling thread when threads cannot start, losing no file', async () => {
    const broken = path.join(dir, 'brokenThread.js');
    await writeFile(broken, "throw new Error('cannot load');\n");
    const p = pool(2, { entry: broken });
    try {
      const all = cases().slice(0, 8);
      const results = await Promise.all(all.map((c) => p.extract(c.file, c.text)));
      results.forEach((r, i) => expect(r, all[i].file.relPath).toEqual(expected(all[i])));
      expect(p.stats.filesOnThreads).toBe(0);
      expect(p.stats.threadsLost).toBe(0);
    } finally {
      await p.close();
    }
  });

  it('falls back too when a thread cannot even be created or its entry is missing', async () => {
    // 'not-a-path.js' makes the Worker constructor throw; the missing file fails as the thread loads.
    for (const bad of ['not-a-path.js', path.join(dir, 'missing', 'extractionThread.js')]) {
      const p = pool(2, { entry: bad });
      const all = cases().slice(8, 14);
      const results = await Promise.all(all.map((c) => p.extract(c.file, c.text)));
      results.forEach((r, i) => expect(r, `${bad} ${all[i].file.relPath}`).toEqual(expected(all[i])));
      expect(p.stats.filesOnThreads).toBe(0);
      await p.close();
    }
  });

  it('ends idle threads after idleMs and starts new ones on demand', async () => {
    const p = pool(2, { idleMs: 50 });
    const [a, b] = cases();
    expect(await p.extract(a.file, a.text)).toEqual(expected(a));
    expect(p.liveThreads).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(p.liveThreads).toBe(0);
    expect(await p.extract(b.file, b.text)).toEqual(expected(b));
    expect(p.stats.threadsStarted).toBe(2);
    await p.close();
    expect(p.liveThreads).toBe(0);
  });

  it('keeps no process alive: a script that uses the pool exits, closed or not', async () => {
    const script = path.join(dir, 'usePool.ts');
    await writeFile(script, `
import { ExtractionPool } from ${JSON.stringify(path.join(REPO, 'src', 'engine', 'facts', 'extractionPool.ts'))};
import { extractFacts } from ${JSON.stringify(path.join(REPO, 'src', 'engine', 'facts', 'extractFacts.ts'))};
const pool = new ExtractionPool({ threads: 2, entry: ${JSON.stringify(entry)}, idleMs: 60_000, fallback: async (f, t) => extractFacts(f, t) });
const f = (i: number) => ({ relPath: 'm' + i + '.py', absPath: '/m.py', size: 0, mtimeMs: 0, kind: 'python' as const, flags: [] });
void Promise.all([1, 2, 3, 4].map((i) => pool.extract(f(i), 'lr = 0.' + i))).then(async (rs) => {
  process.stdout.write(JSON.stringify({ facts: rs.map((r) => r.facts.length), threads: pool.stats.threadsStarted }) + '\\n');
  if (process.argv[2] === 'close') await pool.close();
});
`);
    const out = path.join(dir, 'usePool.js');
    await build({ entryPoints: [script], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: EXTERNAL, logLevel: 'warning' });
    for (const mode of ['close', 'leave']) {
      const started = Date.now();
      const run = spawnSync(process.execPath, [out, mode], { encoding: 'utf8', timeout: 20_000 });
      expect(run.status, `${mode}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout.trim())).toEqual({ facts: [1, 1, 1, 1], threads: 2 });
      // Idle threads are unref'ed: nothing waits for the 60 s idle timeout.
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  });
});

describe('extractFactsAsync routing', () => {
  it('from TypeScript sources finds no thread entry and extracts in-thread, with the same facts', async () => {
    expect(extractionThreadEntry()).toBeUndefined();
    for (const c of cases()) {
      expect(await extractFactsAsync(c.file, c.text, undefined, undefined, { threads: 2 }), c.file.relPath).toEqual(expected(c));
      expect(await extractFactsAsync(c.file, c.text, undefined, undefined, { threads: 0 }), c.file.relPath).toEqual(expected(c));
    }
  });

  it('takes the default thread count from CARDCHECK_EXTRACT_THREADS, else at most 2', () => {
    expect(defaultExtractionThreads({ CARDCHECK_EXTRACT_THREADS: '0' })).toBe(0);
    expect(defaultExtractionThreads({ CARDCHECK_EXTRACT_THREADS: '3' })).toBe(3);
    const auto = defaultExtractionThreads({ CARDCHECK_EXTRACT_THREADS: 'many' });
    expect(auto).toBeGreaterThanOrEqual(1);
    expect(auto).toBeLessThanOrEqual(2);
  });
});
