import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPackEntry, PackEntrySchema } from '../../../src/engine/cache/factPack.js';
import { FactCache, openFactCache, closeFactCache, RACY_WINDOW_MS } from '../../../src/engine/cache/factCache.js';
import { decodeFact, encodeFact } from '../../../src/engine/cache/factCodec.js';
import { StringPool } from '../../../src/engine/memory/stringPool.js';
import { fileFacts } from '../../../src/engine/cache/fileFacts.js';
import { extractFacts } from '../../../src/engine/facts/extractFacts.js';
import { classifyFile } from '../../../src/engine/workspace/fileKind.js';
import { pathFlags } from '../../../src/engine/workspace/pathFlags.js';
import type { WorkspaceFile } from '../../../src/engine/workspace/workspaceFile.js';

const MAX = 2 * 1024 * 1024;
const dirs: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A workspace whose files look old enough that their stats are trusted (not racy). */
function workspace(files: Record<string, string>): string {
  const root = tempDir('cc-cache-ws-');
  for (const [rel, text] of Object.entries(files)) write(root, rel, text, Date.now() - 60_000);
  return root;
}

function write(root: string, rel: string, text: string, mtimeMs: number): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  // latin1.* files are written in Latin-1, to check the cache keeps the "not UTF-8" note.
  writeFileSync(abs, rel.startsWith('latin1') ? Buffer.from(text, 'latin1') : text);
  utimesSync(abs, mtimeMs / 1000, mtimeMs / 1000);
}

function wsFile(root: string, rel: string): WorkspaceFile {
  const abs = path.join(root, rel);
  const st = statSync(abs);
  return { relPath: rel, absPath: abs, size: st.size, mtimeMs: st.mtimeMs, kind: classifyFile(rel), flags: pathFlags(rel) };
}

const FILES: Record<string, string> = {
  'train.py': 'import torch\nlr = 3e-4\nmodel = Net(hidden=256, dropout=0.1)\nparser.add_argument("--epochs", type=int, default=10)\n',
  'configs/base.yaml': 'optim:\n  lr: 0.0003\n  betas: [0.9, 0.999]\nname: base\n',
  'results/metrics.csv': 'step,loss,acc\n1,2.0,0.5\n2,1.0,0.9\n',
  'tests/test_x.py': 'batch_size = 8\n',
  'latin1.txt': 'caf\xe9 batch size 32\n',
};

/** One run over the given files through the cache, as the pipeline does it. */
async function run(root: string, cacheDir: string, rels: string[], engine = 'test-engine') {
  const warnings: string[] = [];
  const cache = await openFactCache({ dir: cacheDir, root, engine }, (m) => warnings.push(m));
  const results = new Map<string, Awaited<ReturnType<typeof fileFacts>>>();
  await Promise.all(rels.map(async (rel) => results.set(rel, await fileFacts(wsFile(root, rel), { maxFileBytes: MAX }, cache))));
  const stats = cache ? { ...cache.stats } : undefined;
  await closeFactCache(cache, true, (m) => warnings.push(m));
  return { results, stats, warnings };
}

function packOf(cacheDir: string): string {
  const packs = readdirSync(cacheDir).filter((n) => n.endsWith('.pack'));
  expect(packs).toHaveLength(1);
  return path.join(cacheDir, packs[0]);
}

describe('fact codec', () => {
  it('round-trips the facts of every kind of extractor', () => {
    for (const [rel, text] of Object.entries(FILES)) {
      const file: WorkspaceFile = { relPath: rel, absPath: `/ws/${rel}`, size: 0, mtimeMs: 0, kind: classifyFile(rel), flags: pathFlags(rel) };
      const facts = extractFacts(file, text).facts;
      expect(facts.length).toBeGreaterThan(0);
      const tuples: unknown[] = JSON.parse(JSON.stringify(facts.map(encodeFact)));
      // Strict: a decoded fact has no key its extracted twin lacks (`call: undefined` included).
      expect(tuples.map((t) => decodeFact(t, rel))).toStrictEqual(facts);
      const pool = new StringPool(3);
      expect(tuples.map((t) => decodeFact(t, rel, pool))).toStrictEqual(facts);
    }
  });

  it('rejects tuples it did not write', () => {
    const good = encodeFact({ rawKey: 'lr', path: 'lr', value: 1, file: 'a.py', line: 1, column: 1, endLine: 1, endColumn: 2, source: 'ast', form: 'assignment', snippet: 'lr = 1' });
    expect(decodeFact(good, 'a.py')).toBeDefined();
    expect(decodeFact([...good.slice(0, 7), 'nonsense', ...good.slice(8)], 'a.py')).toBeUndefined();
    expect(decodeFact([...good.slice(0, 3), 1.5, ...good.slice(4)], 'a.py')).toBeUndefined();
    expect(decodeFact(good.slice(0, 11), 'a.py')).toBeUndefined();
    expect(decodeFact({ rawKey: 'lr' }, 'a.py')).toBeUndefined();
  });
});

describe('pack index entries', () => {
  it('are checked by hand exactly as PackEntrySchema checks them', () => {
    const good: unknown = ['src/a.py', 120, 1_700_000_000_000.5, 1_700_000_000_100, 'ab12', 'python|', 0, 64, 4_294_967_295];
    expect(isPackEntry(good)).toBe(true);
    const value = fc.oneof(fc.string(), fc.integer({ min: -5, max: 5 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    fc.assert(
      fc.property(fc.array(value, { minLength: 7, maxLength: 10 }), fc.integer({ min: 0, max: 8 }), value, (entry, i, v) => {
        for (const candidate of [entry, Object.assign([...(good as unknown[])], { [i]: v })]) {
          expect(isPackEntry(candidate)).toBe(PackEntrySchema.safeParse(candidate).success);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('fact cache', () => {
  it('a second run reuses every file without reading it, with the same facts and warnings', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(FILES);
    const cold = await run(root, cacheDir, rels);
    expect(cold.stats).toEqual({ statHits: 0, hashHits: 0, misses: rels.length, damaged: 0 });
    const warm = await run(root, cacheDir, rels);
    expect(warm.stats).toEqual({ statHits: rels.length, hashHits: 0, misses: 0, damaged: 0 });
    for (const rel of rels) expect(warm.results.get(rel)).toEqual(cold.results.get(rel));
    expect(warm.results.get('latin1.txt')).toMatchObject({ ok: true, encoding: 'latin1' });
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('re-extracts only the edited file, and its facts are the new ones', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(FILES);
    await run(root, cacheDir, rels);
    write(root, 'train.py', FILES['train.py'].replace('3e-4', '1e-3'), Date.now() - 30_000);
    const after = await run(root, cacheDir, rels);
    expect(after.stats).toEqual({ statHits: rels.length - 1, hashHits: 0, misses: 1, damaged: 0 });
    const train = after.results.get('train.py');
    expect(train?.ok && train.facts.find((f) => f.rawKey === 'lr')?.value).toBe(0.001);
  });

  it('a touched but unchanged file is read and its hash matches: facts reused, not re-extracted', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    await run(root, cacheDir, ['train.py']);
    write(root, 'train.py', FILES['train.py'], Date.now() - 20_000);
    const after = await run(root, cacheDir, ['train.py']);
    expect(after.stats).toMatchObject({ statHits: 0, hashHits: 1, misses: 0 });
    // The new mtime is remembered: the run after trusts the stat again.
    expect((await run(root, cacheDir, ['train.py'])).stats).toMatchObject({ statHits: 1 });
  });

  it('does not trust the stat of a file modified just before it was cached (racy)', async () => {
    const root = workspace({});
    write(root, 'train.py', 'lr = 1\n', Date.now());
    const cacheDir = tempDir('cc-cache-');
    await run(root, cacheDir, ['train.py']);
    // Same size and mtime, other content: only a hash check can tell.
    const st = statSync(path.join(root, 'train.py'));
    writeFileSync(path.join(root, 'train.py'), 'lr = 2\n');
    utimesSync(path.join(root, 'train.py'), st.atime, st.mtime);
    const after = await run(root, cacheDir, ['train.py']);
    expect(after.stats).toMatchObject({ statHits: 0, misses: 1 });
    const r = after.results.get('train.py');
    expect(r?.ok && r.facts.find((f) => f.rawKey === 'lr')?.value).toBe(2);
    expect(RACY_WINDOW_MS).toBeGreaterThan(0);
  });

  it('facts depend on the read options and path flags: another maxFileBytes is a miss', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    await run(root, cacheDir, ['train.py']);
    const cache = await FactCache.open({ dir: cacheDir, root, engine: 'test-engine' });
    const r = await fileFacts(wsFile(root, 'train.py'), { maxFileBytes: 10 }, cache);
    expect(r.ok).toBe(false);
    expect(cache.stats).toMatchObject({ statHits: 0, hashHits: 0 });
    await cache.discard();
  });

  it('facts written by another engine are not reused', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    await run(root, cacheDir, ['train.py'], 'engine-a');
    expect((await run(root, cacheDir, ['train.py'], 'engine-b')).stats).toMatchObject({ statHits: 0, misses: 1 });
  });

  it('a truncated pack is reported and rebuilt, not trusted', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(FILES);
    const cold = await run(root, cacheDir, rels);
    const pack = packOf(cacheDir);
    writeFileSync(pack, readFileSync(pack).subarray(0, 100));
    const again = await run(root, cacheDir, rels);
    expect(again.warnings.join('\n')).toMatch(/damaged .*rebuilding/);
    expect(again.stats).toMatchObject({ statHits: 0, misses: rels.length });
    for (const rel of rels) expect(again.results.get(rel)).toEqual(cold.results.get(rel));
    expect((await run(root, cacheDir, rels)).stats).toMatchObject({ statHits: rels.length, damaged: 0 });
  });

  it('a damaged index or a damaged record is never used', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(FILES);
    const cold = await run(root, cacheDir, rels);
    const pack = packOf(cacheDir);
    const bytes = readFileSync(pack);

    // A flipped byte in the record area: that record fails its CRC and is re-extracted.
    const recordFlip = Buffer.from(bytes);
    recordFlip[10] = recordFlip[10] ^ 0x20;
    writeFileSync(pack, recordFlip);
    const afterRecord = await run(root, cacheDir, rels);
    expect(afterRecord.stats?.damaged).toBe(1);
    expect(afterRecord.stats?.statHits).toBe(rels.length - 1);
    for (const rel of rels) expect(afterRecord.results.get(rel)).toEqual(cold.results.get(rel));

    // A flipped byte in the index: the whole pack is ignored.
    const fresh = readFileSync(packOf(cacheDir));
    const indexFlip = Buffer.from(fresh);
    const idx = indexFlip.lastIndexOf(Buffer.from('"entries"'));
    indexFlip[idx + 2] = indexFlip[idx + 2] ^ 0x01;
    writeFileSync(pack, indexFlip);
    const afterIndex = await run(root, cacheDir, rels);
    expect(afterIndex.warnings.join('\n')).toMatch(/checksum/);
    expect(afterIndex.stats).toMatchObject({ statHits: 0, misses: rels.length });
    for (const rel of rels) expect(afterIndex.results.get(rel)).toEqual(cold.results.get(rel));
  });

  it('garbage in place of the pack is rebuilt', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    await run(root, cacheDir, ['train.py']);
    writeFileSync(packOf(cacheDir), 'x'.repeat(5000));
    const again = await run(root, cacheDir, ['train.py']);
    expect(again.warnings.join('\n')).toMatch(/damaged/);
    expect(again.results.get('train.py')?.ok).toBe(true);
  });

  it('concurrent runs each write a complete pack; the next run can use it', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(FILES);
    const runs = await Promise.all([run(root, cacheDir, rels), run(root, cacheDir, rels), run(root, cacheDir, rels)]);
    for (const r of runs) expect(r.warnings).toEqual([]);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await run(root, cacheDir, rels)).stats).toMatchObject({ statHits: rels.length, damaged: 0 });
  });

  it('a discarded run (cancelled) keeps the previous pack as it was', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(FILES);
    await run(root, cacheDir, rels);
    const before = readFileSync(packOf(cacheDir));
    const cache = await FactCache.open({ dir: cacheDir, root, engine: 'test-engine' });
    await fileFacts(wsFile(root, 'train.py'), { maxFileBytes: MAX }, cache);
    await closeFactCache(cache, false, () => undefined);
    expect(readFileSync(packOf(cacheDir))).toEqual(before);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('an unusable cache folder disables the cache with a warning; facts still come', async () => {
    const root = workspace(FILES);
    const blocker = path.join(tempDir('cc-cache-'), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = await run(root, path.join(blocker, 'sub'), ['train.py']);
    expect(r.warnings.join('\n')).toMatch(/fact cache disabled/);
    expect(r.stats).toBeUndefined();
    expect(r.results.get('train.py')?.ok).toBe(true);
  });
});

describe('snapshot records read for some lookups', () => {
  const fact = (rawKey: string, value: number | string, line: number) => ({
    rawKey, path: rawKey, value, file: 'train.py', line, column: 1, endLine: line, endColumn: 2,
    source: 'ast' as const, form: 'assignment' as const, snippet: `${rawKey} = ${String(value)}`,
  });
  const facts = [fact('learning_rate', 0.001, 1), fact('batch_size', 32, 2), fact('lr_decay', 0.5, 3), fact('learning_rate', 0.002, 4)];
  const words = facts.map((f) => ({ keys: [f.rawKey], tokens: f.rawKey.split('_'), lineWords: [] }));

  async function stored(index: { vocabulary: string[]; words?: typeof words }) {
    const root = workspace({ 'train.py': 'x = 1\n' });
    const cacheDir = tempDir('cc-cache-');
    const file = wsFile(root, 'train.py');
    const writer = await FactCache.open({ dir: cacheDir, root, engine: 'e', preload: true });
    await writer.store(file, 'k', '', Date.now(), { facts, warnings: ['odd line'], index: { configNames: [], dropped: 1, regime: 0, refused: 0, admittedBefore: 3, ...index } });
    await writer.commit();
    const reader = await FactCache.open({ dir: cacheDir, root, engine: 'e', preload: true });
    return { reader, cacheDir };
  }
  const needle = (s: string) => Buffer.from(JSON.stringify(s));

  it('decodes only the facts whose lines mention a needle, with their words and the whole head', async () => {
    const { reader } = await stored({ vocabulary: ['rate'], words });
    const whole = await reader.previous('train.py');
    expect(whole?.facts).toEqual(facts);
    expect(whole?.index?.words).toEqual(words);
    const some = await reader.previousMentioning('train.py', [needle('learning_rate')]);
    expect(some?.facts).toEqual([facts[0], facts[3]]);
    expect(some?.index?.words).toEqual([words[0], words[3]]);
    expect(some).toMatchObject({ warnings: ['odd line'], index: { vocabulary: ['rate'], dropped: 1, regime: 0, refused: 0, admittedBefore: 3 } });
    expect((await reader.previousMentioning('train.py', [needle('decay'), needle('batch_size')]))?.facts).toEqual([facts[1], facts[2]]);
  });

  it('a needle only the head holds (a vocabulary word) reads nothing', async () => {
    const { reader } = await stored({ vocabulary: ['momentum'], words });
    expect(await reader.previousMentioning('train.py', [needle('momentum')])).toBeNull();
    expect(reader.stats.damaged).toBe(0);
  });

  it('a record whose lines carry no words is read whole', async () => {
    const { reader } = await stored({ vocabulary: [] });
    expect((await reader.previousMentioning('train.py', [needle('batch_size')]))?.facts).toEqual(facts);
  });
});

describe('records read back through a read-ahead window', () => {
  it('reads every record as a plain read does, in order, out of order, across windows and at the end of the pack', async () => {
    const files: Record<string, string> = {};
    // Records of about 200 to 2,000 bytes against a 1,024-byte window: some fit several to a window, some none.
    for (let i = 0; i < 24; i++) files[`m${String(i).padStart(2, '0')}.py`] = `${'x'.repeat(i * 40)}\n${Array.from({ length: 1 + (i % 5) * 4 }, (_, j) => `v${j} = ${i * 100 + j}`).join('\n')}\n`;
    const root = workspace(files);
    const cacheDir = tempDir('cc-cache-');
    const rels = Object.keys(files).sort();
    const writer = await FactCache.open({ dir: cacheDir, root, engine: 'e' });
    for (const rel of rels) {
      const file = wsFile(root, rel);
      await writer.store(file, 'k', '', Date.now(), extractFacts(file, files[rel]));
    }
    await writer.commit();
    const plain = await FactCache.open({ dir: cacheDir, root, engine: 'e' });
    const expected = new Map<string, unknown>();
    for (const rel of rels) expected.set(rel, await plain.previous(rel));
    await plain.discard();
    expect([...expected.values()].every((x) => x !== undefined)).toBe(true);
    for (const order of [rels, [...rels].reverse(), rels.filter((_, i) => i % 3 === 0).concat(rels.filter((_, i) => i % 3 !== 0))]) {
      const windowed = await FactCache.open({ dir: cacheDir, root, engine: 'e', readAhead: 1024 });
      for (const rel of order) expect(await windowed.previous(rel)).toEqual(expected.get(rel));
      expect(windowed.stats.damaged).toBe(0);
      await windowed.discard();
    }
  });

  it('a closed cache reads nothing back', async () => {
    const root = workspace(FILES);
    const cacheDir = tempDir('cc-cache-');
    await run(root, cacheDir, Object.keys(FILES));
    const cache = await FactCache.open({ dir: cacheDir, root, engine: 'test-engine' });
    expect(await cache.previous('train.py')).toBeDefined();
    await cache.discard();
    expect(await cache.previous('train.py')).toBeUndefined();
    expect([...cache.previousPaths()]).toEqual([]);
  });
});
