import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/engine/pipeline.js';
import { runCardIn } from '../../support/runEngine.js';
import { ClaimDelta } from '../../../src/engine/delta/claimDelta.js';
import { toBaselineClaim } from '../../../src/engine/delta/baselineClaims.js';
import { cachedWorkspace, TINY_MODEL_CARD, TINY_MODEL_FILES } from '../../support/tinyModelWorkspace.js';
import { UNUSED_SNAPSHOT_MS } from '../../../src/engine/cache/cardSnapshot.js';

const CARD = TINY_MODEL_CARD;
const FILES = TINY_MODEL_FILES;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup(files: Record<string, string> = FILES): { root: string; cacheDir: string } {
  return cachedWorkspace(files, cleanups, 'cc-pipe-cache-');
}

function verify(root: string, cacheDir: string | undefined, cardText?: string) {
  return runCardIn(root, { cacheDir }, cardText);
}

/** Twelve training scripts after the tiny model's files: enough facts to reach a small fact budget. */
function manyScripts(): Record<string, string> {
  const files: Record<string, string> = { ...FILES };
  for (let i = 0; i < 12; i++) files[`m${i}.py`] = `learning_rate = ${i}e-4\nbatch_size = ${i + 1}\nwarmup = 0.${i}\n`;
  return files;
}

describe('pipeline with a fact cache', () => {
  it('a cold run, which builds its index after the walk from its snapshot, decides and warns as a run without a cache, over the fact budget too', async () => {
    let budgetWarned = 0;
    for (const maxIndexedFacts of [50_000, 6, 2]) {
      for (const concurrency of [1, 8]) {
        const { root, cacheDir } = setup(manyScripts());
        const options = { maxIndexedFacts, concurrency };
        const cold = await runCardIn(root, { ...options, cacheDir });
        const fresh = await runCardIn(root, options);
        expect(cold.claims).toEqual(fresh.claims);
        // The budget counts every fact twice (in the walk, then as the index takes them) and warns once.
        expect(cold.warnings).toEqual(fresh.warnings);
        expect([cold.stats.facts, cold.stats.factsIndexed]).toEqual([fresh.stats.facts, fresh.stats.factsIndexed]);
        if (cold.warnings.some((w) => /bear on the card's claims/.test(w.message))) budgetWarned++;
      }
    }
    expect(budgetWarned).toBe(4);
  });

  it('a snapshot that cannot be saved: the run reads its files again for the index and decides the same', async () => {
    const { root, cacheDir } = setup(manyScripts());
    await runCardIn(root, { cacheDir });
    const [name] = readdirSync(cacheDir).filter((n) => n.startsWith('card-') && n.endsWith('.pack'));
    rmSync(cacheDir, { recursive: true, force: true });
    // A folder where the snapshot goes: it can be neither read nor replaced.
    mkdirSync(path.join(cacheDir, name, 'in-the-way'), { recursive: true });
    const cold = await runCardIn(root, { cacheDir });
    const fresh = await runCardIn(root, {});
    expect(cold.warnings.some((w) => /not saved/.test(w.message))).toBe(true);
    expect(cold.claims).toEqual(fresh.claims);
    expect([cold.stats.facts, cold.stats.factsIndexed]).toEqual([fresh.stats.facts, fresh.stats.factsIndexed]);
  });

  it('a second run reads nothing again and decides the same', async () => {
    const { root, cacheDir } = setup();
    const cold = await verify(root, cacheDir);
    expect(cold.result.stats.cache).toEqual({ statHits: 0, hashHits: 0, misses: 2, damaged: 0, snapshotHits: 0, claimsReused: 0, index: 'whole' });
    expect(cold.claims.map((c) => c.verdict)).toEqual(['supported', 'supported', 'supported']);
    const warm = await verify(root, cacheDir);
    expect(warm.result.stats.cache).toEqual({ statHits: 2, hashHits: 0, misses: 0, damaged: 0, snapshotHits: 2, claimsReused: 3, index: 'none' });
    expect(warm.claims).toEqual(cold.claims);
    expect(warm.warnings).toEqual(cold.warnings);
    expect(readdirSync(cacheDir).some((n) => n.endsWith('.pack'))).toBe(true);
  });

  it('after an edit only that file is extracted, and the delta names the line that made the claim false', async () => {
    const { root, cacheDir } = setup();
    const before = await verify(root, cacheDir);
    writeFileSync(path.join(root, 'configs/base.yaml'), 'batch_size: 64\nlr: 0.0003\n');
    const after = await verify(root, cacheDir);
    expect(after.result.stats.cache).toMatchObject({ statHits: 1, misses: 1 });
    const delta = new ClaimDelta(before.claims.map(toBaselineClaim), 'previous run');
    const annotated = after.claims.map((c) => delta.annotate(c));
    const changed = annotated.filter((c) => c.change);
    expect(changed).toHaveLength(1);
    expect(changed[0].text).toContain('Batch size');
    expect(changed[0].change).toMatchObject({ from: 'supported', to: 'contradicted' });
    expect(changed[0].change?.reason).toContain('configs/base.yaml:1');
    expect(delta.summary()).toMatchObject({ changed: 1, added: 0, removedCount: 0 });
  });

  it('a cancelled run leaves the previous cache usable', async () => {
    const { root, cacheDir } = setup();
    await verify(root, cacheDir);
    const abort = new AbortController();
    abort.abort();
    await expect(runPipeline({ cardPath: path.join(root, 'card.md'), workspaceRoot: root, options: { cacheDir } }, {
      progress: () => undefined, claim: () => undefined, warning: () => undefined,
    }, abort.signal)).rejects.toThrow();
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await verify(root, cacheDir)).result.stats.cache).toMatchObject({ statHits: 2 });
  });

  it("a card's snapshot serves only that card's questions; the fact cache stays whole for others", async () => {
    const { root, cacheDir } = setup();
    await verify(root, cacheDir);
    const warm = await verify(root, cacheDir);
    expect(warm.result.stats.cache).toMatchObject({ snapshotHits: 2, misses: 0 });
    // The same card asking about something else: the snapshot is not valid, the fact cache is.
    const asksMore = `${CARD}| Weight decay | 0.01 |\n`;
    const uncached = await verify(root, undefined, asksMore);
    const other = await verify(root, cacheDir, asksMore);
    expect(other.result.stats.cache).toMatchObject({ statHits: 2, snapshotHits: 0, misses: 0 });
    expect(other.claims).toEqual(uncached.claims);
    expect(other.warnings).toEqual(uncached.warnings);
    // Now the snapshot holds the new questions' facts.
    const again = await verify(root, cacheDir, asksMore);
    expect(again.result.stats.cache).toMatchObject({ snapshotHits: 2, misses: 0 });
    expect(again.claims).toEqual(uncached.claims);
    // An edit goes into the snapshot only; the first questions (whose snapshot the new ones
    // replaced: one per card) find the edited file's facts anew.
    writeFileSync(path.join(root, 'configs/base.yaml'), 'batch_size: 64\nlr: 0.0003\n');
    const edited = await verify(root, cacheDir, asksMore);
    expect(edited.result.stats.cache).toMatchObject({ snapshotHits: 1, misses: 1 });
    const first = await verify(root, cacheDir);
    expect(first.result.stats.cache).toMatchObject({ snapshotHits: 0, statHits: 1, misses: 1 });
    expect(first.claims.map((c) => c.verdict)).toEqual(['supported', 'contradicted', 'supported']);
  });

  it('a damaged snapshot is rebuilt, not trusted', async () => {
    const { root, cacheDir } = setup();
    const cold = await verify(root, cacheDir);
    for (const name of readdirSync(cacheDir).filter((n) => n.startsWith('card-') && n.endsWith('.pack'))) {
      writeFileSync(path.join(cacheDir, name), 'not a pack at all, but long enough to hold a trailer '.repeat(4));
    }
    const next = await verify(root, cacheDir);
    expect(next.result.stats.cache).toMatchObject({ snapshotHits: 0, statHits: 2 });
    expect(next.claims).toEqual(cold.claims);
    expect(next.warnings.some((w) => /damaged/.test(w.message))).toBe(true);
    expect((await verify(root, cacheDir)).result.stats.cache).toMatchObject({ snapshotHits: 2 });
  });

  it("one damaged record in a snapshot: its file is read again, the others come from the snapshot", async () => {
    const { root, cacheDir } = setup();
    const cold = await verify(root, cacheDir);
    const [name] = readdirSync(cacheDir).filter((n) => n.startsWith('card-') && n.endsWith('.pack'));
    const file = path.join(cacheDir, name);
    const bytes = readFileSync(file);
    // Records come first in a pack: flip a byte of the first one.
    bytes[2] ^= 0x01;
    writeFileSync(file, bytes);
    const next = await verify(root, cacheDir);
    expect(next.result.stats.cache).toMatchObject({ damaged: 1, snapshotHits: 1, statHits: 1, misses: 1 });
    expect(next.claims).toEqual(cold.claims);
    expect((await verify(root, cacheDir)).result.stats.cache).toMatchObject({ damaged: 0, snapshotHits: 2 });
  });

  it('a re-run opens the fact cache only past its first few changed files', async () => {
    const scripts = Array.from({ length: 6 }, (_, i) => `step${i}.py`);
    const { root, cacheDir } = setup({ ...FILES, ...Object.fromEntries(scripts.map((rel, i) => [rel, `batch_size = ${32 + i}\n`])) });
    const cold = await verify(root, cacheDir);
    // Touched, not changed: the snapshot no longer trusts their stats, the fact cache knows their content.
    const touched = Date.now() / 1000 - 30;
    for (const rel of scripts) utimesSync(path.join(root, rel), touched, touched);
    const warm = await verify(root, cacheDir);
    expect(warm.result.stats.cache).toMatchObject({ snapshotHits: 2, misses: 4, hashHits: 2 });
    expect(warm.claims).toEqual(cold.claims);
  });

  it("removes other cards' snapshots unused for a month, and keeps recent ones", async () => {
    const { root, cacheDir } = setup();
    const stale = path.join(cacheDir, 'card-0123456789abcdef-0123456789abcdef.v1.pack');
    const recent = path.join(cacheDir, 'card-fedcba9876543210-0123456789abcdef.v1.pack');
    writeFileSync(stale, 'old');
    writeFileSync(recent, 'new');
    const longAgo = (Date.now() - UNUSED_SNAPSHOT_MS - 60_000) / 1000;
    utimesSync(stale, longAgo, longAgo);
    await verify(root, cacheDir);
    const names = readdirSync(cacheDir);
    expect(names).not.toContain(path.basename(stale));
    expect(names).toContain(path.basename(recent));
    expect(names.filter((n) => n.startsWith('card-') && n.endsWith('.pack'))).toHaveLength(2);
  });
});
