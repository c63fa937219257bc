import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimDelta, evidenceChanges } from '../../../src/engine/delta/claimDelta.js';
import { BaselineError, readBaselineReport, toBaselineClaim } from '../../../src/engine/delta/baselineClaims.js';
import { BaselineStore } from '../../../src/engine/delta/baselineStore.js';
import type { ClaimResult, Evidence } from '../../../src/engine/model.js';
import { ClaimResultSchema } from '../../../src/engine/model.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'cc-delta-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ev(file: string, line: number, snippet: string, stance: Evidence['stance'] = 'supports'): Evidence {
  return { path: file, range: { start: { line, column: 1 }, end: { line, column: 10 } }, snippet, stance, source: 'ast' };
}

function claim(id: string, text: string, verdict: ClaimResult['verdict'], evidence: Evidence[] = [], extra: Partial<ClaimResult> = {}): ClaimResult {
  return {
    id, text, kind: 'hyperparameter', range: { start: { line: 3, column: 3 }, end: { line: 3, column: 30 } },
    verdict, confidence: 0.9, evidence, explanation: 'x', ...extra,
  };
}

const LR_OK = claim('c1', 'Learning rate: 3e-4', 'supported', [ev('train.py', 41, 'lr = 3e-4')], { key: 'learning_rate', cardValue: '3e-4', codeValue: '0.0003' });
const BATCH_OK = claim('c2', 'Batch size: 32', 'supported', [ev('configs/base.yaml', 4, 'batch_size: 32')], { key: 'batch_size', cardValue: '32', codeValue: '32' });

describe('ClaimDelta', () => {
  it('leaves claims whose verdict did not change as they are', () => {
    const d = new ClaimDelta([LR_OK, BATCH_OK], 'base.json');
    expect(d.annotate(LR_OK)).toEqual(LR_OK);
    expect(d.annotate(BATCH_OK).change).toBeUndefined();
    expect(d.summary()).toEqual({ source: 'base.json', changed: 0, added: 0, removed: [], removedCount: 0 });
  });

  it('says a code edit made a claim false, naming the changed line', () => {
    const d = new ClaimDelta([LR_OK, BATCH_OK], 'previous run');
    const now = claim('c1', 'Learning rate: 3e-4', 'contradicted', [ev('train.py', 41, 'lr = 2e-5', 'contradicts')], { key: 'learning_rate', cardValue: '3e-4', codeValue: '2e-05' });
    const out = d.annotate(now);
    expect(out.change).toMatchObject({ from: 'supported', to: 'contradicted' });
    expect(out.change?.reason).toContain('supported → contradicted');
    expect(out.change?.reason).toContain('the workspace now states 2e-05 (was 0.0003)');
    expect(out.change?.reason).toContain('train.py:41 changed: `lr = 2e-5` (was `lr = 3e-4`)');
    expect(out.change?.evidence).toEqual([{ change: 'changed', path: 'train.py', line: 41, snippet: 'lr = 2e-5', was: 'lr = 3e-4' }]);
    expect(ClaimResultSchema.parse(out)).toEqual(out);
    expect(d.summary().changed).toBe(1);
  });

  it('says a card edit made a claim false: the same claim with another value', () => {
    const d = new ClaimDelta([LR_OK], 'previous run');
    const now = claim('c1', 'Learning rate: 1e-3', 'contradicted', [ev('train.py', 41, 'lr = 3e-4', 'contradicts')], { key: 'learning_rate', cardValue: '1e-3', codeValue: '0.0003' });
    const out = d.annotate(now);
    expect(out.change?.from).toBe('supported');
    expect(out.change?.reason).toContain('the card now says 1e-3 (was 3e-4)');
    expect(d.summary()).toMatchObject({ changed: 1, added: 0, removedCount: 0 });
  });

  it('matches claims by text, not by id, when the card gains a line above', () => {
    const d = new ClaimDelta([LR_OK, BATCH_OK], 'previous run');
    const shifted = { ...BATCH_OK, id: 'c3', verdict: 'unverified' as const, evidence: [] };
    const out = d.annotate(shifted);
    expect(out.change).toMatchObject({ from: 'supported', to: 'unverified' });
    expect(out.change?.reason).toContain('evidence gone from configs/base.yaml:4');
    expect(out.change?.evidence).toEqual([{ change: 'removed', path: 'configs/base.yaml', line: 4, snippet: 'batch_size: 32' }]);
  });

  it('follows a sentence that splits into parts when one of its numbers turns wrong', () => {
    const whole = claim('c4', 'We train with lr 3e-4 and batch size 32 for 10 epochs.', 'supported', [ev('train.py', 3, 'lr = 3e-4')]);
    const d = new ClaimDelta([whole], 'previous run');
    const wrong = d.annotate(claim('c4.1', 'We train with lr 3e-4', 'contradicted', [ev('train.py', 3, 'lr = 1e-3', 'contradicts')]));
    const still = d.annotate(claim('c4.2', 'and batch size 32 for 10 epochs.', 'supported', [ev('train.py', 5, 'batch = 32')]));
    expect(wrong.change).toMatchObject({ from: 'supported', to: 'contradicted' });
    expect(still.change).toBeUndefined();
    expect(d.summary()).toMatchObject({ changed: 1, added: 0, removedCount: 0 });
  });

  it('a merged sentence compares with the worst of its former parts', () => {
    const d = new ClaimDelta([
      claim('c4.1', 'We train with lr 3e-4', 'contradicted'),
      claim('c4.2', 'and batch size 32 for 10 epochs.', 'supported'),
    ], 'previous run');
    const out = d.annotate(claim('c4', 'We train with lr 3e-4 and batch size 32 for 10 epochs.', 'supported'));
    expect(out.change).toMatchObject({ from: 'contradicted', to: 'supported' });
  });

  it('marks new claims and lists removed ones', () => {
    const d = new ClaimDelta([LR_OK, BATCH_OK], 'base.json');
    d.annotate(LR_OK);
    const fresh = d.annotate(claim('c9', 'Dropout: 0.1', 'supported', [ev('model.py', 7, 'dropout=0.1')]));
    expect(fresh.change).toMatchObject({ to: 'supported', reason: 'new claim: the baseline did not have it' });
    expect(fresh.change?.from).toBeUndefined();
    expect(fresh.change?.evidence).toEqual([{ change: 'added', path: 'model.py', line: 7, snippet: 'dropout=0.1' }]);
    expect(d.summary()).toEqual({ source: 'base.json', changed: 0, added: 1, removed: [{ id: 'c2', text: 'Batch size: 32', verdict: 'supported' }], removedCount: 1 });
  });

  it('a change from the previous baseline is replaced, not kept', () => {
    const d = new ClaimDelta([LR_OK], 'previous run');
    const stale = { ...LR_OK, change: { from: 'contradicted' as const, to: 'supported' as const, reason: 'old', evidence: [] } };
    expect(d.annotate(stale)).toEqual(LR_OK);
  });
});

describe('evidenceChanges', () => {
  it('ignores lines that only moved and related evidence; bounds the list', () => {
    const before = [ev('a.py', 10, 'lr = 1'), ev('b.py', 1, 'x', 'related')];
    expect(evidenceChanges(before, [ev('a.py', 12, 'lr = 1'), ev('c.py', 1, 'y', 'related')])).toEqual([]);
    const many = Array.from({ length: 10 }, (_, i) => ev(`f${i}.py`, 1, `v${i}`));
    expect(evidenceChanges([], many)).toHaveLength(3);
  });
});

describe('baseline reports', () => {
  it('reads a JSON report and an ndjson event stream', async () => {
    const dir = tempDir();
    const json = path.join(dir, 'report.json');
    writeFileSync(json, JSON.stringify({ schemaVersion: 1, card: { path: 'card.md', format: 'markdown' }, claims: [LR_OK, BATCH_OK], summary: { supported: 2, contradicted: 0, unverified: 0, notCheckable: 0 } }));
    expect(await readBaselineReport(json)).toEqual([toBaselineClaim(LR_OK), toBaselineClaim(BATCH_OK)]);
    const nd = path.join(dir, 'report.ndjson');
    writeFileSync(nd, [{ type: 'start', card: { path: 'card.md', format: 'markdown' }, workspace: '.' }, { type: 'claim', seq: 1, claim: LR_OK }, { type: 'done' }].map((e) => JSON.stringify(e)).join('\n'));
    expect(await readBaselineReport(nd)).toEqual([toBaselineClaim(LR_OK)]);
  });

  it('says what is wrong with a bad baseline file, naming it', async () => {
    const dir = tempDir();
    const missing = path.join(dir, 'nope.json');
    await expect(readBaselineReport(missing)).rejects.toThrow(`${missing}: baseline report not found`);
    const garbage = path.join(dir, 'garbage.json');
    writeFileSync(garbage, '{"schemaVersion": 1, "claims": [');
    await expect(readBaselineReport(garbage)).rejects.toBeInstanceOf(BaselineError);
    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ schemaVersion: 1, claims: [{ id: 'c1', text: 't', kind: 'hyperparameter', verdict: 'maybe', evidence: [] }] }));
    await expect(readBaselineReport(wrong)).rejects.toThrow(/wrong\.json: not a CardCheck report at claims\.0\.verdict/);
  });
});

describe('BaselineStore', () => {
  it('remembers the last run per card; a damaged file reads as no previous run', async () => {
    const dir = tempDir();
    const store = new BaselineStore(path.join(dir, 'store'));
    const card = path.join(dir, 'card.md');
    expect(await store.load(card)).toBeUndefined();
    await store.save(card, [LR_OK, BATCH_OK]);
    const run = await store.load(card);
    expect(run?.claims).toEqual([toBaselineClaim(LR_OK), toBaselineClaim(BATCH_OK)]);
    expect(await store.load(path.join(dir, 'other.md'))).toBeUndefined();
    writeFileSync(store.fileOf(card), '{"version":1,"card":');
    expect(await store.load(card)).toBeUndefined();
  });
});
