import { mkdtempSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WarmStart } from '../../../src/engine/cache/warmStart.js';
import { prepareRun, runPipeline } from '../../../src/engine/pipeline.js';
import type { ClaimResult } from '../../../src/engine/model.js';
import { loadCard } from '../../../src/engine/card/loadCard.js';
import type { CardDecisions } from '../../../src/engine/cache/cardDecisions.js';
import { cachedWorkspace, TINY_MODEL_CARD, TINY_MODEL_FILES } from '../../support/tinyModelWorkspace.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A decisions record as `through` would hand it back (its content does not matter here). */
const record = (key: string): CardDecisions => ({
  version: 1, key, filter: { words: [], keys: [], parts: [], ranges: { anyPositive: false, anyNegative: false, spans: [] } },
  snapshot: 'g', factsIndexed: 0, crossed: [null, null], configNames: [], places: [], dropped: 0, words: [], warnings: [], units: [], looked: [],
});

/** A decisions file, a WarmStart, and a read that says how many times it ran. */
function decisionsFile(content: string) {
  const file = path.join(tempDir('cc-warm-'), 'decisions.json');
  writeFileSync(file, content);
  let reads = 0;
  return { file, warm: new WarmStart(), read: async () => record(`read ${++reads}`) };
}

describe('WarmStart', () => {
  it('hands a read made ahead to the run once, while its file is the one read', async () => {
    const { file, warm, read } = decisionsFile('{}');
    expect((await warm.through('decisions', file, read))?.key).toBe('read 1');
    warm.seal();
    expect((await warm.through('decisions', file, read))?.key).toBe('read 1');
    expect(warm.used).toEqual(['decisions']);
    // Taken once: the next read is the run's own, and is not kept once sealed.
    expect((await warm.through('decisions', file, read))?.key).toBe('read 2');
    expect((await warm.through('decisions', file, read))?.key).toBe('read 3');
  });

  it('reads again a file replaced since (renamed into place, as runs write them)', async () => {
    const { file, warm, read } = decisionsFile('{}');
    await warm.through('decisions', file, read);
    writeFileSync(`${file}.tmp`, '{}');
    renameSync(`${file}.tmp`, file);
    warm.seal();
    expect((await warm.through('decisions', file, read))?.key).toBe('read 2');
    expect(warm.used).toEqual([]);
  });

  it('reads again a file written in place since, even with its old size and mtime', async () => {
    const { file, warm, read } = decisionsFile('{"a":1}');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    await warm.through('decisions', file, read);
    writeFileSync(file, '{"a":2}');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    warm.seal();
    expect((await warm.through('decisions', file, read))?.key).toBe('read 2');
  });

  it('keeps the parsed card while its bytes are the same, and parses an edited one', async () => {
    const dir = tempDir('cc-warm-');
    const card = path.join(dir, 'card.md');
    writeFileSync(card, '# Card\n\nThe learning rate is 0.1.\n');
    const warm = new WarmStart();
    const first = await warm.cardDocument(card, () => loadCard(card));
    warm.seal();
    expect(await warm.cardDocument(card, () => loadCard(card))).toBe(first);
    expect(warm.used).toEqual(['card']);

    const other = new WarmStart();
    await other.cardDocument(card, () => loadCard(card));
    writeFileSync(card, '# Card\n\nThe learning rate is 0.2.\n');
    other.seal();
    const edited = await other.cardDocument(card, () => loadCard(card));
    expect(edited.lines.join('\n')).toContain('0.2');
    expect(other.used).toEqual([]);
  });
});

const CARD = TINY_MODEL_CARD;

function setup(): { root: string; cacheDir: string } {
  return cachedWorkspace({ ...TINY_MODEL_FILES }, cleanups, 'cc-warm-cache-');
}

async function verify(root: string, cacheDir: string, warm?: WarmStart) {
  const claims: ClaimResult[] = [];
  const result = await runPipeline({ cardPath: path.join(root, 'card.md'), workspaceRoot: root, options: { cacheDir }, ...(warm ? { warm } : {}) }, {
    progress: () => undefined,
    claim: (c) => { claims.push(c); },
    warning: () => undefined,
  });
  return { claims, stats: result.stats };
}

async function prepared(root: string, cacheDir: string): Promise<WarmStart> {
  const warm = new WarmStart();
  await prepareRun({ cardPath: path.join(root, 'card.md'), workspaceRoot: root, options: { cacheDir } }, warm);
  return warm;
}

describe('a run prepared ahead (prepareRun)', () => {
  it('takes the card, its decisions and its snapshot read ahead, and decides as a run without them', async () => {
    const a = setup();
    const b = setup();
    await verify(a.root, a.cacheDir);
    await verify(b.root, b.cacheDir);
    const warm = await prepared(a.root, a.cacheDir);
    for (const { root } of [a, b]) writeFileSync(path.join(root, 'configs/base.yaml'), 'batch_size: 64\nlr: 0.0003\n');
    const withWarm = await verify(a.root, a.cacheDir, warm);
    const without = await verify(b.root, b.cacheDir);
    expect(warm.used.sort()).toEqual(['card', 'decisions', 'pack']);
    expect(withWarm.claims).toEqual(without.claims);
    expect(withWarm.claims.map((c) => c.verdict)).toEqual(['supported', 'contradicted', 'supported']);
    expect({ ...withWarm.stats, durationMs: 0 }).toEqual({ ...without.stats, durationMs: 0 });
  });

  it('walks the workspace once after its reads, unless the job has come', async () => {
    const { root, cacheDir } = setup();
    await verify(root, cacheDir);
    const waiting = await prepared(root, cacheDir);
    // The card is left out of the walk, as the run leaves it out.
    expect(waiting.walkedAhead).toBe(Object.keys(TINY_MODEL_FILES).length - 1);
    const late = new WarmStart();
    late.arrive();
    await prepareRun({ cardPath: path.join(root, 'card.md'), workspaceRoot: root, options: { cacheDir } }, late);
    expect(late.walkedAhead).toBe(0);
    // The reads are made all the same: the job would make them itself.
    late.seal();
    await verify(root, cacheDir, late);
    expect(late.used.sort()).toEqual(['card', 'decisions', 'pack']);
  });

  it('reads again what changed after it was read ahead: the card, and a snapshot another run replaced', async () => {
    const { root, cacheDir } = setup();
    await verify(root, cacheDir);
    const warm = await prepared(root, cacheDir);
    // Another run (a CLI in CI, say) rewrites the snapshot and the decisions meanwhile.
    writeFileSync(path.join(root, 'configs/base.yaml'), 'batch_size: 64\nlr: 0.0003\n');
    await verify(root, cacheDir);
    writeFileSync(path.join(root, 'card.md'), CARD.replace('| 32 |', '| 64 |'));
    const run = await verify(root, cacheDir, warm);
    expect(warm.used).toEqual([]);
    expect(run.claims.map((c) => c.verdict)).toEqual(['supported', 'supported', 'supported']);
  });

  it('reads nothing ahead without a cache, and leaves no file behind in one', async () => {
    const { root, cacheDir } = setup();
    const none = new WarmStart();
    await prepareRun({ cardPath: path.join(root, 'card.md'), workspaceRoot: root }, none);
    none.seal();
    expect((await verify(root, cacheDir, none)).claims).toHaveLength(3);
    const before = readdirSync(cacheDir).sort();
    await prepared(root, cacheDir);
    expect(readdirSync(cacheDir).sort()).toEqual(before);
  });

  it('never throws: a missing card is left to the run to report', async () => {
    const { root, cacheDir } = setup();
    const warm = new WarmStart();
    await expect(prepareRun({ cardPath: path.join(root, 'missing.md'), workspaceRoot: root, options: { cacheDir } }, warm)).resolves.toBeUndefined();
  });
});
