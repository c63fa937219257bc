import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimResult, EngineWarning } from '../../../src/engine/model.js';
import type { EngineOptionsInput } from '../../../src/engine/options.js';
import { runCardIn } from '../../support/runEngine.js';
import { tempWorkspace } from '../../support/tempWorkspace.js';
import { TINY_MODEL_CARD, TINY_MODEL_FILES } from '../../support/tinyModelWorkspace.js';

/**
 * A re-run hands back the card's previous verdicts when nothing its index keeps changed
 * (src/engine/cache/cardDecisions.ts). Whatever the edit, a re-run must decide exactly as a run
 * without any cache would.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Files older than the cache's racy window, so that their stat alone is trusted. */
const OLD = Date.now() / 1000 - 600;

function workspace(files: Record<string, string>): { root: string; cacheDir: string } {
  const ws = tempWorkspace(files);
  cleanups.push(ws.dispose);
  for (const rel of Object.keys(files)) utimesSync(path.join(ws.root, rel), OLD, OLD);
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'cc-decisions-'));
  cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
  return { root: ws.root, cacheDir };
}

let edits = 0;
/** Writes a file as an editor would, with a new (but not racy) modification time. */
function write(root: string, rel: string, text: string): void {
  writeFileSync(path.join(root, rel), text);
  const t = OLD + 10 + ++edits;
  utimesSync(path.join(root, rel), t, t);
}

const verify = (root: string, options: EngineOptionsInput) => runCardIn(root, options);

const CARD = `${TINY_MODEL_CARD}
The model reaches 91.2% accuracy on press releases.
`;

const FILES: Record<string, string> = {
  ...TINY_MODEL_FILES,
  'card.md': CARD,
  'results/metrics.json': '{"eval_accuracy": 0.912}',
  'service/http.py': 'TIMEOUT = 30\nclient = Session(host="localhost", verify=True)\n',
};

describe('card decisions', () => {
  it('an unchanged workspace gets the previous verdicts back, as a fresh run decides them', async () => {
    // A file with a problem of its own: its warning is repeated from the snapshot's record.
    const { root, cacheDir } = workspace({ ...FILES, 'notebooks/broken.ipynb': '{"cells": [' });
    const cold = await verify(root, { cacheDir });
    expect(cold.warnings.some((w) => w.path === 'notebooks/broken.ipynb')).toBe(true);
    expect(cold.stats.cache?.claimsReused).toBe(0);
    expect(readdirSync(cacheDir).some((n) => n.startsWith('decisions-'))).toBe(true);
    const warm = await verify(root, { cacheDir });
    expect(warm.stats.cache?.claimsReused).toBe(cold.claims.length);
    expect(warm.claims).toEqual(cold.claims);
    expect(warm.warnings).toEqual(cold.warnings);
    expect(warm.stats.facts).toBe(cold.stats.facts);
    expect(warm.stats.factsIndexed).toBe(cold.stats.factsIndexed);
  });

  it('an edit the card cannot see reuses them; the facts count follows the edit', async () => {
    const { root, cacheDir } = workspace(FILES);
    const cold = await verify(root, { cacheDir });
    write(root, 'service/http.py', `${FILES['service/http.py']}RETRIES = 5\n`);
    const warm = await verify(root, { cacheDir });
    expect(warm.stats.cache).toMatchObject({ misses: 1, claimsReused: cold.claims.length });
    expect(warm.claims).toEqual(cold.claims);
    expect(warm.stats.facts).toBe(cold.stats.facts + 1);
    // The next run starts from the updated record, and still reuses.
    const again = await verify(root, { cacheDir });
    expect(again.stats.cache?.claimsReused).toBe(cold.claims.length);
  });

  it('an edit of a value a claim states decides that claim again, and only that one', async () => {
    const { root, cacheDir } = workspace(FILES);
    const cold = await verify(root, { cacheDir });
    write(root, 'configs/base.yaml', 'batch_size: 64\nlr: 0.0003\n');
    const warm = await verify(root, { cacheDir });
    expect(warm.stats.cache?.claimsReused).toBe(cold.claims.length - 1);
    expect(warm.claims.find((c) => c.text.includes('Batch size'))?.verdict).toBe('contradicted');
    // Decided on an index of the facts that claim looks up, not the whole one.
    expect(warm.stats.cache?.index).toBe('scoped');
    expect(warm.claims).toEqual((await verify(root, {})).claims);
    expect(warm.stats.facts).toBe(cold.stats.facts);
    expect(warm.stats.factsIndexed).toBe(cold.stats.factsIndexed);
  });

  it('licences, pins and mentions are decided again on the facts they look up', async () => {
    const card = '---\nlicense: mit\n---\n# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Learning rate | 0.1 |\n\nMissing values are imputed with the median.\n\nBuilt with torch 2.1.\n';
    const prep = 'imputer = SimpleImputer(strategy="median")\nlr = 0.1\n';
    // Two files state the imputer: the one left unchanged decides the mention after the other's edit.
    const { root, cacheDir } = workspace({ 'card.md': card, 'prep.py': prep, 'features.py': prep, LICENSE: 'MIT License\n', 'requirements.txt': 'torch==2.1.0\n' });
    const cold = await verify(root, { cacheDir });
    expect(cold.claims.map((c) => c.verdict)).toEqual(['supported', 'supported', 'supported', 'supported']);
    const edits: [string, string][] = [
      ['features.py', prep.replace('median', 'mean')],
      ['LICENSE', 'Apache License\nVersion 2.0, January 2004\n'],
      ['requirements.txt', 'torch==1.13.1\n'],
    ];
    for (const [file, text] of edits) {
      write(root, file, text);
      const warm = await verify(root, { cacheDir });
      expect(warm.stats.cache?.index).toBe('scoped');
      expect(warm.stats.cache?.claimsReused).toBe(cold.claims.length - 1);
      expect(warm.claims).toEqual((await verify(root, {})).claims);
    }
    const last = await verify(root, {});
    expect(last.claims.map((c) => c.verdict)).toEqual(['contradicted', 'supported', 'supported', 'contradicted']);
  });

  it('year filters and values found by their words are decided again on the facts they look up', async () => {
    const card = '# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Learning rate | 0.1 |\n\nWe train on loans issued in 2018.\n\nThe global batch is 512 sequences (16 per device × 32 steps).\n';
    const train = 'df = df[df["issue_year"] == 2018]\nlr = 0.1\nper_device_batch = 16\naccum_steps = 32\nglobal_batch = 512\n';
    const { root, cacheDir } = workspace({ 'card.md': card, 'train.py': train, 'lib/other.py': 'per_device_batch = 16\n' });
    const cold = await verify(root, { cacheDir });
    expect(cold.claims.every((c) => c.verdict === 'supported')).toBe(true);
    const edits = [train.replace('lr = 0.1', 'lr = 0.2'), train.replace('== 2018', '== 2017'), train.replace('per_device_batch = 16\n', '')];
    for (const text of edits) {
      write(root, 'train.py', text);
      const warm = await verify(root, { cacheDir });
      expect(warm.stats.cache?.index).toBe('scoped');
      expect(warm.stats.cache?.claimsReused).toBeGreaterThan(0);
      expect(warm.claims).toEqual((await verify(root, {})).claims);
    }
  });

  it('a claim decided again that now looks up something else is decided on the whole index', async () => {
    const card = '# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Number of features | 3 |\n| Learning rate | 0.1 |\n';
    const { root, cacheDir } = workspace({ 'card.md': card, 'train.py': 'num_features = 3\nlr = 0.1\n', 'prep.py': 'FEATURES = ["age", "income", "term"]\n' });
    const cold = await verify(root, { cacheDir });
    // Without its setting, the feature count is looked for among every fact (the lists of features).
    write(root, 'train.py', 'lr = 0.1\n');
    const warm = await verify(root, { cacheDir });
    expect(warm.stats.cache?.index).toBe('whole');
    const fresh = await verify(root, {});
    expect(warm.claims).toEqual(fresh.claims);
    expect(warm.stats.facts).toBe(fresh.stats.facts);
    expect(cold.claims[0].verdict).toBe('supported');
  });

  it('a word the card uses that the workspace starts to say is decided again', async () => {
    // The workspace's accuracy disagrees with the card's, but says nothing of press releases: not a contradiction.
    const { root, cacheDir } = workspace({ ...FILES, 'results/metrics.json': '{"eval_accuracy": 0.85}' });
    const cold = await verify(root, { cacheDir });
    // A dropped fact's line brings the card's "press releases" into the vocabulary: the metric is
    // no longer about an evaluation the workspace never mentions.
    write(root, 'service/http.py', 'TIMEOUT = 30\nclient = Session(host="localhost", verify=True)  # press releases\n');
    const warm = await verify(root, { cacheDir });
    // Only the metric asked whether the workspace says these words.
    expect(warm.stats.cache?.claimsReused).toBe(cold.claims.length - 1);
    const fresh = await verify(root, {});
    expect(warm.claims).toEqual(fresh.claims);
    const metric = (r: { claims: ClaimResult[] }) => r.claims.find((c) => c.text.includes('press releases'))?.verdict;
    expect([metric(cold), metric(fresh)]).toEqual(['unverified', 'contradicted']);
  });

  it('claims decided by scanning every fact are decided again after any change to a kept fact', async () => {
    const card = '# Credit model\n\nWe train on loans issued in 2018.\n\nMissing values are median-imputed.\n\nCategorical features are one-hot encoded.\n';
    const prep = 'imputer = SimpleImputer(strategy="median")\nenc = OneHotEncoder(handle_unknown="ignore")\n';
    const { root, cacheDir } = workspace({ 'card.md': card, 'train.py': 'df = df[df["issue_year"] == 2018]\n', 'prep.py': prep });
    const cold = await verify(root, { cacheDir });
    expect(cold.claims.map((c) => c.verdict)).toEqual(['supported', 'supported', 'supported']);
    // The one-hot claim is decided from the index of identities the imputer claim built first.
    write(root, 'prep.py', prep.replace('OneHotEncoder', 'OrdinalEncoder'));
    const encoder = await verify(root, { cacheDir });
    expect(encoder.claims).toEqual((await verify(root, {})).claims);
    expect(encoder.claims[2].verdict).not.toBe('supported');
    write(root, 'train.py', 'df = df[df["issue_year"] == 2017]\n');
    const year = await verify(root, { cacheDir });
    expect(year.claims).toEqual((await verify(root, {})).claims);
    expect(year.claims[0].verdict).toBe('contradicted');
  });

  it('a deleted file that supplied evidence is decided again; a deleted one that did not is not', async () => {
    const { root, cacheDir } = workspace(FILES);
    const cold = await verify(root, { cacheDir });
    unlinkSync(path.join(root, 'service/http.py'));
    const noise = await verify(root, { cacheDir });
    expect(noise.stats.cache?.claimsReused).toBe(cold.claims.length);
    expect(noise.stats.facts).toBeLessThan(cold.stats.facts);
    unlinkSync(path.join(root, 'configs/base.yaml'));
    const evidence = await verify(root, { cacheDir });
    expect(evidence.stats.cache?.claimsReused).toBe(0);
    expect(evidence.claims).toEqual((await verify(root, {})).claims);
  });

  it('an edited card, other options or a damaged record decide afresh', async () => {
    const { root, cacheDir } = workspace(FILES);
    await verify(root, { cacheDir });
    const other = await verify(root, { cacheDir, maxFileBytes: 1 << 20 });
    expect(other.stats.cache?.claimsReused).toBe(0);
    write(root, 'card.md', CARD.replace('| Epochs | 10 |', '| Epochs | 12 |'));
    const edited = await verify(root, { cacheDir });
    expect(edited.stats.cache?.claimsReused).toBe(0);
    expect(edited.claims.find((c) => c.text.includes('Epochs'))?.verdict).toBe('contradicted');
    const name = readdirSync(cacheDir).find((n) => n.startsWith('decisions-')) ?? '';
    writeFileSync(path.join(cacheDir, name), '{"version":1,"key":');
    const damaged = await verify(root, { cacheDir });
    expect(damaged.stats.cache?.claimsReused).toBe(0);
    expect(damaged.claims).toEqual(edited.claims);
    expect(damaged.warnings).toEqual(edited.warnings);
  });

  it('a damaged record in the snapshot is extracted again, and the verdicts still hold', async () => {
    const { root, cacheDir } = workspace(FILES);
    const cold = await verify(root, { cacheDir });
    const name = readdirSync(cacheDir).find((n) => n.startsWith('card-') && n.endsWith('.pack')) ?? '';
    const pack = readFileSync(path.join(cacheDir, name));
    // Flip bytes inside the first record (records start the pack): its checksum no longer matches.
    for (let i = 2; i < 12; i++) pack[i] ^= 0x20;
    writeFileSync(path.join(cacheDir, name), pack);
    const next = await verify(root, { cacheDir });
    expect(next.stats.cache?.damaged).toBe(1);
    expect(next.claims).toEqual(cold.claims);
    expect((await verify(root, { cacheDir })).stats.cache).toMatchObject({ damaged: 0, claimsReused: cold.claims.length });
  });

  it('over the index budget, an unseen edit reuses the verdicts and repeats the budget warning; a seen one does not', async () => {
    const big: Record<string, string> = { 'card.md': CARD, 'service/http.py': FILES['service/http.py'] };
    for (let i = 0; i < 12; i++) big[`m${i}.py`] = `learning_rate = ${i}e-4\nbatch_size = ${i + 1}\nwarmup = 0.${i}\n`;
    const { root, cacheDir } = workspace(big);
    const options = { cacheDir, maxIndexedFacts: 5, concurrency: 1 };
    const cold = await verify(root, options);
    const budgetWarnings = (r: { warnings: EngineWarning[] }) => r.warnings.filter((w) => /bear on the card's claims/.test(w.message));
    expect(budgetWarnings(cold).length).toBeGreaterThan(0);
    // m9.py is read last, after the budget is spent: its facts are left out of the index.
    write(root, 'm9.py', `${big['m9.py']}RETRIES = 5\n`);
    const unseen = await verify(root, options);
    expect(unseen.stats.cache?.claimsReused).toBe(cold.claims.length);
    expect(unseen.claims).toEqual(cold.claims);
    expect(budgetWarnings(unseen)).toEqual(budgetWarnings(cold));
    // m0.py is read first, while the budget still admits its facts.
    write(root, 'm0.py', 'learning_rate = 9e-4\nbatch_size = 4\nwarmup = 0.3\n');
    const seen = await verify(root, options);
    expect(seen.stats.cache?.claimsReused).toBeLessThan(cold.claims.length);
    expect(seen.claims).toEqual((await verify(root, { maxIndexedFacts: 5, concurrency: 1 })).claims);
    // Decided again, the budget warns once, as the first run did; the next record holds it once.
    expect(budgetWarnings(seen)).toEqual(budgetWarnings(cold));
    expect(budgetWarnings(await verify(root, options))).toEqual(budgetWarnings(cold));
  });

  it('over the budget, an edit after the place it ran short decides again on a scoped index; one before it on the whole', async () => {
    const big: Record<string, string> = { 'card.md': CARD, 'service/http.py': FILES['service/http.py'] };
    for (let i = 0; i < 12; i++) big[`m${i}.py`] = `learning_rate = ${i}e-4\nbatch_size = ${i + 1}\nsize_hint = ${i + 100}\n`;
    const { root, cacheDir } = workspace(big);
    // Soft limit 20: reached a few files in, after which only facts of a setting the card states get in.
    const options = { maxIndexedFacts: 20, concurrency: 1 };
    const cold = await verify(root, { ...options, cacheDir });
    expect(cold.warnings.some((w) => /bear on the card's claims/.test(w.message))).toBe(true);
    const same = async (r: Awaited<ReturnType<typeof verify>>): Promise<void> => {
      const fresh = await verify(root, options);
      expect(r.claims).toEqual(fresh.claims);
      expect([r.stats.facts, r.stats.factsIndexed]).toEqual([fresh.stats.facts, fresh.stats.factsIndexed]);
    };
    // m9.py is read after the soft limit: a new value, then one more fact the budget admits.
    write(root, 'm9.py', big['m9.py'].replace('batch_size = 10', 'batch_size = 32'));
    const value = await verify(root, { ...options, cacheDir });
    expect(value.stats.cache?.index).toBe('scoped');
    await same(value);
    write(root, 'm9.py', `${big['m9.py']}batch_size = 32\n`);
    const added = await verify(root, { ...options, cacheDir });
    expect(added.stats.cache?.index).toBe('scoped');
    await same(added);
    // m0.py is read first: an edit there the card cannot see, then a new value, leave the place
    // the budget runs short where it was; one more fact there moves it.
    write(root, 'm0.py', `${big['m0.py']}RETRIES = 5\n`);
    const unseen = await verify(root, { ...options, cacheDir });
    expect(unseen.stats.cache?.index).toBe('none');
    await same(unseen);
    write(root, 'm0.py', big['m0.py'].replace('batch_size = 1', 'batch_size = 32'));
    const earlyValue = await verify(root, { ...options, cacheDir });
    expect(earlyValue.stats.cache?.index).toBe('scoped');
    await same(earlyValue);
    write(root, 'm0.py', `${big['m0.py']}learning_rate = 3e-4\n`);
    const early = await verify(root, { ...options, cacheDir });
    expect(early.stats.cache?.index).toBe('whole');
    await same(early);
  });

  it('over the budget, a scoped re-run that skips files meets the budget where it ran short with the count it had there', async () => {
    const card = '# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Batch size | 1 |\n\nWe use a learning rate of 3e-4 and a foo ratio of 0.25.\n';
    // a.py says nothing the sentence looks up (it is skipped), but fills the budget to one short
    // of its soft limit: b.py's first ratio gets in, its second does not.
    const { root, cacheDir } = workspace({ 'card.md': card, 'a.py': 'batch_size = 1\nbatch_size = 2\n', 'b.py': 'foo_ratio = 0.25\nfoo_ratio = 0.5\n', 'z.py': 'learning_rate = 3e-4\n' });
    const options = { concurrency: 1, maxIndexedFacts: 3 };
    await verify(root, { ...options, cacheDir });
    write(root, 'z.py', 'learning_rate = 1e-3\n');
    const cached = await verify(root, { ...options, cacheDir });
    expect(cached.stats.cache?.index).toBe('scoped');
    const fresh = await verify(root, options);
    expect(cached.claims).toEqual(fresh.claims);
    expect([cached.stats.facts, cached.stats.factsIndexed]).toEqual([fresh.stats.facts, fresh.stats.factsIndexed]);
  });

  it('a record the budget had cut short is extracted again in its place in the walk, not after the others', async () => {
    const adamw = 'optimizer = torch.optim.AdamW(params)';
    const card = '# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Timeout | 0.1 |\n';
    const { root, cacheDir } = workspace({ 'card.md': card, 'train.py': `timeout = 0.1\n${adamw}\n${adamw}\n`, 'lib/util.py': `${adamw}\n${adamw}\n`, 'results/metrics.json': '{"eval_accuracy": 0.912}' });
    const options = { concurrency: 1, maxIndexedFacts: 4 };
    await verify(root, { ...options, cacheDir });
    // lib/util.py is where the budget ran short; with one fact less before it, it admits more,
    // and results/metrics.json, read after it, must then meet the budget as a fresh run has it.
    write(root, 'train.py', `${adamw}\n${adamw}\n`);
    const cached = await verify(root, { ...options, cacheDir });
    const fresh = await verify(root, options);
    expect([cached.stats.facts, cached.stats.factsIndexed]).toEqual([fresh.stats.facts, fresh.stats.factsIndexed]);
    expect(cached.claims).toEqual(fresh.claims);
  });

  it('over the budget, an edit that frees room lets in facts the snapshot had left out (fast-check seed 2013307705)', async () => {
    const card = '# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Weight decay | 0.1 |\n';
    const adamw = 'optimizer = torch.optim.AdamW(params)';
    const { root, cacheDir } = workspace({ 'card.md': card, 'train.py': `weight_decay = 0.1\n${adamw}\n`, 'lib/util.py': `${adamw}\n${adamw}\n${adamw}\n`, 'results/metrics.json': '{"eval_accuracy": 0.912}' });
    const options = { concurrency: 1, maxIndexedFacts: 4 };
    await verify(root, { ...options, cacheDir });
    // lib/util.py is read after train.py: the budget refused one of its facts. Without train.py's, it has room.
    write(root, 'train.py', '\n');
    const cached = await verify(root, { ...options, cacheDir });
    const fresh = await verify(root, options);
    expect(cached.stats.factsIndexed).toBe(fresh.stats.factsIndexed);
    expect(cached.claims).toEqual(fresh.claims);
  });

  it('once the budget is no longer in play, a file is compared on all its facts (fast-check seed 1031639658)', async () => {
    const card = '# Card\n\n| Hyperparameter | Value |\n|---|---|\n| Learning rate | 0.1 |\n\nMissing values are median-imputed.\n';
    const imputer = 'imputer = SimpleImputer(strategy="median")';
    const { root, cacheDir } = workspace({ 'card.md': card, 'train.py': `optimizer = torch.optim.AdamW(params)\n${imputer}\nlr = 0.1\n`, 'lib/util.py': '\n', 'results/metrics.json': '{"eval_accuracy": 0.912}' });
    const options = { concurrency: 1, maxIndexedFacts: 4 };
    await verify(root, { ...options, cacheDir });
    // lib/util.py was read after the budget ran out; with train.py gone, the budget is out of play.
    unlinkSync(path.join(root, 'train.py'));
    await verify(root, { ...options, cacheDir });
    write(root, 'lib/util.py', `\n${imputer}\n`);
    const cached = await verify(root, { ...options, cacheDir });
    expect(cached.claims).toEqual((await verify(root, options)).claims);
    expect(cached.claims[1].verdict).toBe('supported');
  });

  it('a card over maxClaims says so on every run, reused or not', async () => {
    const { root, cacheDir } = workspace(FILES);
    const options = { cacheDir, maxClaims: 2 };
    const said = (r: { warnings: EngineWarning[] }) => r.warnings.filter((w) => /maxClaims/.test(w.message)).length;
    const cold = await verify(root, options);
    const warm = await verify(root, options);
    expect(warm.stats.cache?.claimsReused).toBe(cold.claims.length);
    expect([said(cold), said(warm)]).toEqual([1, 1]);
    write(root, 'configs/base.yaml', 'batch_size: 64\nlr: 0.0003\n');
    const decided = await verify(root, options);
    expect(decided.stats.cache?.claimsReused).toBeLessThan(cold.claims.length);
    expect(said(decided)).toBe(1);
  });

  it('after any sequence of edits, a re-run decides as a run without a cache', async () => {
    const names = ['lr', 'learning_rate', 'batch_size', 'dropout', 'epochs', 'seed', 'timeout', 'port', 'weight_decay'];
    const labels = ['Learning rate', 'Batch size', 'Dropout', 'Epochs', 'Seed', 'Weight decay', 'Timeout'];
    const values = ['0.1', '3e-4', '0.0003', '32', '64', '0', '1', '500', '2018'];
    const words = ['press', 'releases', 'held', 'out', 'client', 'tuning'];
    const assignment = fc.tuple(fc.constantFrom(...names), fc.constantFrom(...values)).map(([n, v]) => `${n} = ${v}`);
    const noise = fc.tuple(fc.constantFrom(...words), fc.constantFrom(...words)).map(([a, b]) => `client = Session(verify=True)  # ${a} ${b}`);
    // Names and years are decided by scanning every fact (FactIndex.all, names): edits of these must reach them too.
    const named = fc.constantFrom('optimizer = torch.optim.AdamW(params)', 'optimizer = torch.optim.SGD(params)', 'df = df[df["issue_year"] == 2018]', 'df = df[df["issue_year"] == 2017]', 'imputer = SimpleImputer(strategy="median")');
    const line = fc.oneof(assignment, noise, named);
    const row = fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...values)).map(([l, v]) => `| ${l} | ${v} |`);
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), file: fc.constantFrom('train.py', 'lib/util.py', 'lib/new.py', 'zz/late.py'), line }),
      fc.record({ kind: fc.constant('rewrite' as const), file: fc.constantFrom('train.py', 'lib/util.py', 'zz/late.py'), lines: fc.array(line, { maxLength: 4 }) }),
      fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom('train.py', 'lib/util.py', 'lib/new.py', 'zz/late.py', 'LICENSE', 'requirements.txt') }),
      // Licences and pins are looked up as a whole (FactIndex.withForm).
      fc.record({ kind: fc.constant('rewrite' as const), file: fc.constant('LICENSE'), lines: fc.constantFrom(['MIT License', '', 'Permission is hereby granted'], ['Apache License', 'Version 2.0, January 2004']) }),
      fc.record({ kind: fc.constant('rewrite' as const), file: fc.constant('requirements.txt'), lines: fc.constantFrom(['torch==2.1.0'], ['torch==1.13.1', 'numpy==1.26.0'], ['numpy']) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.array(line, { maxLength: 4 }),
        fc.array(line, { maxLength: 4 }),
        fc.array(row, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(
          '', 'The model reaches 91.2% accuracy on press releases.', 'Accuracy on held-out client tuning data is 0.9.', 'We optimize with AdamW on loans issued in 2018.',
          'Missing values are median-imputed.', 'Licensed under the MIT license.', 'Built with torch 2.1.',
        ),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        // A small budget makes what the index keeps depend on the order files are added in, which
        // must be the walk's however many files are read at once; edits after the places it ran
        // out (zz/late.py is read last) keep the other files' share.
        fc.constantFrom(50_000, 4, 2),
        fc.constantFrom(1, 8),
        async (main, other, late, rows, sentence, steps, maxIndexedFacts, concurrency) => {
          const options = { concurrency, maxIndexedFacts };
          const files: Record<string, string> = {
            'card.md': ['# Card', '', '| Hyperparameter | Value |', '|---|---|', ...rows, '', sentence, ''].join('\n'),
            'train.py': `${main.join('\n')}\n`,
            'lib/util.py': `${other.join('\n')}\n`,
            'zz/late.py': `${late.join('\n')}\n`,
            'results/metrics.json': '{"eval_accuracy": 0.912}',
            LICENSE: 'MIT License\n',
            'requirements.txt': 'torch==2.1.0\n',
          };
          const { root, cacheDir } = workspace(files);
          await verify(root, { ...options, cacheDir });
          const current = { ...files };
          for (const step of steps) {
            if (step.kind === 'delete') {
              if (current[step.file] === undefined) continue;
              unlinkSync(path.join(root, step.file));
              delete current[step.file];
            } else {
              current[step.file] = step.kind === 'append' ? `${current[step.file] ?? ''}${step.line}\n` : `${step.lines.join('\n')}\n`;
              write(root, step.file, current[step.file]);
            }
            const cached = await verify(root, { ...options, cacheDir });
            const fresh = await verify(root, options);
            expect(cached.claims).toEqual(fresh.claims);
            expect(cached.stats.facts).toBe(fresh.stats.facts);
            expect(cached.stats.factsIndexed).toBe(fresh.stats.factsIndexed);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
