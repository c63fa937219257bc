import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/engine/pipeline.js';
import type { ClaimResult, EngineWarning, Stats } from '../../../src/engine/model.js';
import type { EngineOptionsInput } from '../../../src/engine/options.js';
import { tempWorkspace } from '../../support/tempWorkspace.js';
import { loadCard } from '../../../src/engine/card/loadCard.js';
import { extractClaimUnits } from '../../../src/engine/card/extractClaims.js';
import { cardFactFilter, cardFilterSpec, factFilterOf, FactFilterSpecSchema } from '../../../src/engine/verify/factRelevance.js';

/**
 * The index keeps only the facts a card can use (src/engine/verify/factRelevance.ts). That must
 * never change a verdict: these tests run the same cards with the filter on and off.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function verify(files: Record<string, string>, options: EngineOptionsInput, runs = 1) {
  const ws = tempWorkspace(files);
  cleanups.push(ws.dispose);
  // Files modified just now are never trusted by stat alone (the cache's racy window).
  const old = Date.now() / 1000 - 60;
  for (const rel of Object.keys(files)) utimesSync(path.join(ws.root, rel), old, old);
  let claims: ClaimResult[] = [];
  let warnings: EngineWarning[] = [];
  let stats: Stats | undefined;
  for (let i = 0; i < runs; i++) {
    claims = [];
    warnings = [];
    const result = await runPipeline({ cardPath: path.join(ws.root, 'card.md'), workspaceRoot: ws.root, options }, {
      progress: () => undefined,
      claim: (c) => { claims.push(c); },
      warning: (w) => { warnings.push(w); },
    });
    stats = result.stats;
  }
  return { claims, warnings, stats: stats as Stats };
}

const CARD = `---
license: apache-2.0
---
# Churn and vision models

## Training

| Hyperparameter | Value |
|---|---|
| Learning rate | 3e-4 |
| Batch size | 64 |
| Optimizer | AdamW |
| Adam betas | (0.9, 0.999) |
| Dropout | 0.2 |
| Warmup steps | 500 |

The learning rate is decayed between 0.1 and 0.5 of the peak.
We train a random forest with 200 trees on loans issued in 2018.
The columns customer_id, signup_date are dropped before training.
Images get random horizontal flips and the class weights are balanced.
The model reaches 91.2% accuracy on the CIFAR-10-C test split.
Trained with PyTorch 2.2.0 and scikit-learn 1.4.2.
The number of layers is 12.
`;

const WORKSPACE: Record<string, string> = {
  'card.md': CARD,
  'train.py': [
    'import torch',
    'from torch.optim import AdamW',
    'from sklearn.ensemble import RandomForestClassifier',
    'from torchvision import transforms',
    'LR = 3e-4',
    'BATCH = 64',
    'opt = AdamW(model.parameters(), lr=LR, betas=(0.9, 0.999))',
    'sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, pct_start=0.1, div_factor=0.5)',
    'clf = RandomForestClassifier(n_estimators=200, class_weight="balanced")',
    'aug = transforms.RandomHorizontalFlip(p=0.5)',
    "df = df[df['issue_year'] == 2018]",
    "df = df.drop(columns=['customer_id', 'signup_date'])",
    'dropout = 0.1',
    'warmup_steps = 500',
    '',
  ].join('\n'),
  'configs/base.yaml': 'optim:\n  lr: 0.0003\n  weight_decay: 0.01\ntrain:\n  batch_size: 64\n',
  'results/metrics.json': '{"eval_accuracy": 0.9123, "eval_loss": 0.31}',
  'requirements.txt': 'torch==2.3.1\nscikit-learn==1.4.2\n',
  'LICENSE': 'Apache License\nVersion 2.0, January 2004\n',
  // Noise the filter should leave out.
  'service/http.py': 'TIMEOUT = 30\nRETRIES = 5\nPORT = 8080\nclient = Session(host="localhost", verify=True)\nfor i in range(7):\n    sleep(2 ** i)\n',
  'service/geo.py': 'EARTH_RADIUS_KM = 6371\nZOOM = 12\ntiles = fetch(zoom=ZOOM, cache=True)\n',
};

describe('fact filter', () => {
  it('changes no verdict, evidence or explanation, and leaves the noise out', async () => {
    const all = await verify(WORKSPACE, { factFilter: false });
    const filtered = await verify(WORKSPACE, { factFilter: true });
    expect(filtered.claims).toEqual(all.claims);
    expect(all.claims.length).toBeGreaterThanOrEqual(12);
    expect(new Set(all.claims.map((c) => c.verdict))).toEqual(new Set(['supported', 'contradicted', 'unverified']));
    expect(filtered.stats.facts).toBe(all.stats.facts);
    expect(filtered.stats.factsIndexed).toBeLessThan(all.stats.facts);
    expect(all.stats.factsIndexed).toBe(all.stats.facts);
  });

  it('changes no verdict on random workspaces and cards over one vocabulary', async () => {
    const names = ['lr', 'learning_rate', 'batch_size', 'dropout', 'epochs', 'hidden_size', 'num_layers', 'seed', 'timeout', 'port', 'weight_decay', 'warmup_steps'];
    const labels = ['Learning rate', 'Batch size', 'Dropout', 'Epochs', 'Hidden size', 'Number of layers', 'Seed', 'Weight decay', 'Warmup steps', 'Timeout'];
    const values = ['0.1', '3e-4', '0.0003', '32', '64', '12', '0', '1', '500', '2018', '0.5', '1e-5'];
    const assignment = fc.tuple(fc.constantFrom(...names), fc.constantFrom(...values)).map(([n, v]) => `${n} = ${v}`);
    const row = fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...values)).map(([l, v]) => `| ${l} | ${v} |`);
    const prose = fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...values), fc.constantFrom(...values))
      .map(([l, a, b]) => `The ${l.toLowerCase()} is between ${a} and ${b}.`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(assignment, { minLength: 1, maxLength: 12 }),
        fc.array(assignment, { minLength: 0, maxLength: 8 }),
        fc.array(row, { minLength: 1, maxLength: 6 }),
        fc.array(prose, { maxLength: 2 }),
        async (main, other, rows, sentences) => {
          const files = {
            'card.md': ['# Card', '', '| Hyperparameter | Value |', '|---|---|', ...rows, '', ...sentences, ''].join('\n'),
            'train.py': `${main.join('\n')}\n`,
            'lib/util.py': `${other.join('\n')}\n`,
          };
          const a = await verify(files, { factFilter: false });
          const b = await verify(files, { factFilter: true });
          expect(b.claims).toEqual(a.claims);
          // A second run replays the card's snapshot: the same index, the same verdicts.
          const cacheDir = mkdtempSync(path.join(tmpdir(), 'cc-filter-cache-'));
          cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
          const c = await verify(files, { factFilter: true, cacheDir }, 2);
          expect(c.stats.cache?.snapshotHits).toBe(2);
          expect(c.claims).toEqual(a.claims);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is rebuilt from its recorded spec as the same filter', async () => {
    const ws = tempWorkspace({ 'card.md': CARD });
    cleanups.push(ws.dispose);
    const doc = await loadCard(path.join(ws.root, 'card.md'));
    const units = extractClaimUnits(doc);
    const text = doc.lines.join('\n');
    const budget = { softLimit: 10, hardLimit: 20, onLimit: () => undefined };
    const direct = cardFactFilter(units, text, budget);
    const spec = FactFilterSpecSchema.parse(JSON.parse(JSON.stringify(cardFilterSpec(units, text))));
    const rebuilt = factFilterOf(spec, budget);
    expect(rebuilt.fingerprint).toBe(direct.fingerprint);
    expect([...rebuilt.vocabulary]).toEqual([...direct.vocabulary]);
    expect(spec.ranges.spans.length).toBeGreaterThan(0);
    const probe = (value: number) => ({ rawKey: 'x', path: 'x', value, file: 'a.py', line: 1, column: 1, endLine: 1, endColumn: 2, source: 'ast' as const, form: 'assignment' as const, snippet: `x = ${value}` });
    for (const v of [0.1, 0.3, 0.5, 0.7, 7, 1e6]) expect(rebuilt.keep(probe(v), [], [])).toBe(direct.keep(probe(v), [], []));
  });

  it('bounds memory on huge workspaces, says so, and still finishes', async () => {
    const big: Record<string, string> = { 'card.md': CARD };
    for (let i = 0; i < 40; i++) big[`m${i}.py`] = `learning_rate = ${i}e-4\nbatch_size = ${i + 1}\ndropout = 0.${i % 10}\n`;
    const r = await verify(big, { maxIndexedFacts: 10 });
    expect(r.stats.factsIndexed).toBeLessThanOrEqual(20);
    expect(r.warnings.some((w) => /bear on the card's claims/.test(w.message))).toBe(true);
    expect(r.claims.length).toBeGreaterThan(0);
  });
});
