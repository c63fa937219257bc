import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaimDelta } from '../../../src/engine/delta/claimDelta.js';
import type { ClaimResult, Evidence } from '../../../src/engine/model.js';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/events.js';
import { PanelClaimSchema, PanelRunSchema } from '../../../src/protocol/webviewMessages.js';
import { annotateClaim, fitBaseline, fitChange, RunBaselines } from '../../../src/extension/runs/runBaselines.js';

function evidence(line: number, snippet: string, stance: Evidence['stance']): Evidence {
  return { path: 'scripts/launch.sh', range: { start: { line, column: 1 }, end: { line, column: snippet.length + 1 } }, snippet, stance, source: 'script' };
}

function epochs(verdict: ClaimResult['verdict'], codeValue: string, snippet: string): ClaimResult {
  return {
    id: 'c3',
    text: 'Epochs: 3',
    kind: 'hyperparameter',
    range: { start: { line: 12, column: 1 }, end: { line: 12, column: 16 } },
    verdict,
    confidence: 0.9,
    evidence: [evidence(7, snippet, verdict === 'supported' ? 'supports' : 'contradicts')],
    explanation: '',
    key: 'epochs',
    cardValue: '3',
    codeValue,
  };
}

const lr: ClaimResult = {
  id: 'c4',
  text: 'The learning rate is 2e-5.',
  kind: 'hyperparameter',
  range: { start: { line: 13, column: 1 }, end: { line: 13, column: 27 } },
  verdict: 'supported',
  confidence: 0.9,
  evidence: [],
  explanation: '',
};

let dir: string;
const card = path.resolve('/ws/project/MODEL_CARD.md');

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cardcheck-baselines-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RunBaselines', () => {
  it('has no comparison before a card has a complete run', async () => {
    const b = new RunBaselines(path.join(dir, 'verdicts'));
    expect(await b.deltaFor(card)).toBeUndefined();
    // Without a delta a claim goes through unannotated.
    expect(annotateClaim(undefined, epochs('contradicted', '4', '--epochs 4')).change).toBeUndefined();
  });

  it('compares the next run with the last complete one, exactly as the engine does', async () => {
    const b = new RunBaselines(path.join(dir, 'verdicts'));
    const before = [epochs('contradicted', '4', 'python train.py --epochs 4'), lr];
    await b.remember(card, before);
    const delta = await b.deltaFor(card);
    expect(delta).toBeDefined();
    const now = epochs('supported', '3', 'python train.py --epochs 3');
    const annotated = annotateClaim(delta, now);
    expect(annotated.change?.from).toBe('contradicted');
    expect(annotated.change?.to).toBe('supported');
    expect(annotated.change?.reason).toMatch(/^contradicted → supported: the workspace now states 3 \(was 4\); scripts\/launch\.sh:7 changed/);
    expect(annotated.change?.evidence).toEqual([{ change: 'changed', path: 'scripts/launch.sh', line: 7, snippet: 'python train.py --epochs 3', was: 'python train.py --epochs 4' }]);
    // The engine's own delta on the same input says the same.
    const engine = new ClaimDelta(before, 'x').annotate(now);
    expect(annotated.change).toEqual(engine.change);
    // An unchanged verdict carries no change.
    expect(annotateClaim(delta, lr).change).toBeUndefined();
    const summary = delta!.summary();
    expect(summary.changed).toBe(1);
    expect(summary.removedCount).toBe(0);
    expect(summary.source).toMatch(/^the previous run \(\d{4}-/);
  });

  it('keeps the previous verdicts on disk, so the comparison survives a reload', async () => {
    const folder = path.join(dir, 'verdicts');
    await new RunBaselines(folder).remember(card, [epochs('supported', '3', '--epochs 3')]);
    const reloaded = new RunBaselines(folder);
    const delta = await reloaded.deltaFor(card);
    expect(delta?.annotate(epochs('contradicted', '5', '--epochs 5')).change?.from).toBe('supported');
    expect(await reloaded.deltaFor(path.resolve('/ws/project/other.md'))).toBeUndefined();
  });

  it('the latest remembered run wins, and Clear Results forgets them all', async () => {
    const folder = path.join(dir, 'verdicts');
    const b = new RunBaselines(folder);
    await b.remember(card, [epochs('contradicted', '4', '--epochs 4')]);
    await b.remember(card, [epochs('supported', '3', '--epochs 3')]);
    const delta = await b.deltaFor(card);
    expect(delta?.annotate(epochs('supported', '3', '--epochs 3')).change).toBeUndefined();
    await b.clear();
    expect(await b.deltaFor(card)).toBeUndefined();
    await expect(readdir(folder)).rejects.toThrow();
  });

  it('works without a storage folder (in memory only)', async () => {
    const b = new RunBaselines(undefined);
    await b.remember(card, [lr]);
    expect(await b.deltaFor(card)).toBeDefined();
  });

  it('a claim the previous run did not have is marked new', async () => {
    const b = new RunBaselines(undefined);
    await b.remember(card, [lr]);
    const change = annotateClaim(await b.deltaFor(card), epochs('contradicted', '4', '--epochs 4')).change;
    expect(change?.from).toBeUndefined();
    expect(change?.reason).toMatch(/^new claim/);
  });
});

describe('message budget of changes', () => {
  it('fitChange bounds the reason, the paths and the snippets', () => {
    const long = 'x'.repeat(5000);
    const fitted = fitChange({
      from: 'supported',
      to: 'contradicted',
      reason: long,
      evidence: Array.from({ length: 6 }, (_, i) => ({ change: 'changed' as const, path: `${long}/${i}.py`, line: i + 1, snippet: long, was: long })),
    });
    expect(fitted.reason.length).toBeLessThanOrEqual(600);
    expect(fitted.evidence).toHaveLength(3);
    for (const e of fitted.evidence) {
      expect(e.path.length).toBeLessThanOrEqual(200);
      expect(e.snippet.length).toBeLessThanOrEqual(200);
      expect(e.was!.length).toBeLessThanOrEqual(200);
    }
  });

  it('a fully loaded claim with its change still fits one panel message', async () => {
    const b = new RunBaselines(undefined);
    const big = (verdict: ClaimResult['verdict'], value: string): ClaimResult => ({
      ...epochs(verdict, value, `--epochs ${value} ${'é'.repeat(230)}`),
      text: `Epochs: 3 ${'ü'.repeat(990)}`,
      explanation: 'y'.repeat(1000),
      evidence: Array.from({ length: 5 }, (_, i) => ({ ...evidence(7 + i, `--epochs ${value} ${'é'.repeat(230)}`, verdict === 'supported' ? 'supports' : 'contradicts'), path: `${'p'.repeat(500)}/${i}` })),
    });
    await b.remember(card, [big('supported', '3')]);
    const claim = annotateClaim(await b.deltaFor(card), big('contradicted', '4'));
    expect(claim.change).toBeDefined();
    const message = { type: 'claims', claims: [PanelClaimSchema.parse(claim)] };
    expect(Buffer.byteLength(JSON.stringify(message), 'utf8')).toBeLessThan(MAX_MESSAGE_BYTES);
  });

  it('fitBaseline keeps the first few removed claims, cut short, and passes the panel schema', () => {
    const fitted = fitBaseline({
      source: 'the previous run (2025-01-01T00:00:00.000Z)',
      changed: 2,
      added: 1,
      removed: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, text: 'z'.repeat(1000), verdict: 'supported' as const })),
      removedCount: 37,
    });
    expect(fitted.removed).toHaveLength(5);
    expect(fitted.removed.every((r) => r.text.length <= 160)).toBe(true);
    expect(fitted.removedCount).toBe(37);
    const run = PanelRunSchema.parse({ cardLabel: 'card', cardUri: 'file:///card.md', status: 'done', baseline: fitted });
    expect(Buffer.byteLength(JSON.stringify({ type: 'run', run }), 'utf8')).toBeLessThan(4096);
  });
});
