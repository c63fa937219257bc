import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import {
  extractIniFacts,
  extractJsonFacts,
  extractTomlFacts,
  extractYamlFacts,
  looksLikeResultsPath,
  tomlKeyPositions,
} from '../../../src/engine/facts/configFacts.js';
import type { Fact } from '../../../src/engine/facts/fact.js';

function byPath(facts: Fact[], path: string): Fact {
  const f = facts.find((x) => x.path === path);
  if (!f) throw new Error(`no fact ${path}; have ${facts.map((x) => x.path).join(', ')}`);
  return f;
}

describe('extractYamlFacts', () => {
  const yaml = [
    '# run config',           // 1
    'model:',                 // 2
    '  n_layers: 12',         // 3
    '  name: "kws"',          // 4
    'optim:',                 // 5
    '  lr: 3.0e-4',           // 6
    '  betas: [0.9, 0.95]',   // 7
    '  milestones:',          // 8
    '    - 30',               // 9
    '    - 60',               // 10
    '  nothing: null',        // 11
    'use_amp: true',          // 12
  ].join('\n');

  it('reports every scalar leaf at its value with the dotted path', () => {
    const { facts, warnings } = extractYamlFacts('configs/base.yaml', yaml);
    expect(warnings).toEqual([]);
    const lr = byPath(facts, 'optim.lr');
    expect(lr).toMatchObject({ rawKey: 'lr', value: 0.0003, line: 6, column: 7, endLine: 6, endColumn: 13, form: 'config', source: 'config', file: 'configs/base.yaml' });
    expect(lr.snippet).toBe('lr: 3.0e-4');
    expect(byPath(facts, 'model.n_layers')).toMatchObject({ value: 12, line: 3, column: 13 });
    expect(byPath(facts, 'model.name')).toMatchObject({ value: 'kws', line: 4, column: 9 });
    expect(byPath(facts, 'use_amp')).toMatchObject({ value: true, line: 12 });
    expect(facts.some((f) => f.path === 'optim.nothing')).toBe(false);
  });

  it('reports arrays of scalars whole and by index', () => {
    const { facts } = extractYamlFacts('c.yaml', yaml);
    expect(byPath(facts, 'optim.betas')).toMatchObject({ rawKey: 'betas', value: [0.9, 0.95], line: 7, column: 3 });
    expect(byPath(facts, 'optim.betas.0')).toMatchObject({ rawKey: 'betas', value: 0.9, line: 7, column: 11 });
    expect(byPath(facts, 'optim.betas.1')).toMatchObject({ value: 0.95, line: 7, column: 16 });
    expect(byPath(facts, 'optim.milestones')).toMatchObject({ value: [30, 60], line: 8 });
    expect(byPath(facts, 'optim.milestones.1')).toMatchObject({ value: 60, line: 10, column: 7 });
  });

  it('reads every document of a multi-document file', () => {
    const { facts } = extractYamlFacts('multi.yaml', 'a: 1\n---\nb: 2\n');
    expect(byPath(facts, 'a')).toMatchObject({ value: 1, line: 1 });
    expect(byPath(facts, 'b')).toMatchObject({ value: 2, line: 3 });
  });

  it('resolves aliases and merge keys, explicit keys winning', () => {
    const text = 'base: &b\n  lr: 0.1\n  wd: 0.01\nrun:\n  <<: *b\n  lr: 0.2\nref: *b\n';
    const { facts, warnings } = extractYamlFacts('anchors.yaml', text);
    expect(warnings).toEqual([]);
    expect(facts.filter((f) => f.path === 'run.lr').map((f) => f.value)).toEqual([0.2]);
    expect(byPath(facts, 'run.wd').value).toBe(0.01);
    expect(byPath(facts, 'ref.lr').value).toBe(0.1);
  });

  it('gives a warning naming the file and the place, and no facts, for invalid YAML', () => {
    const { facts, warnings } = extractYamlFacts('bad.yaml', 'a: 1\nb: [1, 2\nc: 3\n');
    expect(facts).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^bad\.yaml: invalid YAML at line \d+, column \d+: /);
  });

  it('accepts duplicate keys like PyYAML and json.load do, reporting both', () => {
    expect(extractYamlFacts('d.yaml', 'a: 1\na: 2\n').facts.map((f) => [f.value, f.line])).toEqual([[1, 1], [2, 2]]);
    const json = extractJsonFacts('d.json', '{"a": 1, "a": 2}');
    expect(json.warnings).toEqual([]);
    expect(json.facts.map((f) => f.value)).toEqual([1, 2]);
  });

  it('handles empty and comment-only files', () => {
    expect(extractYamlFacts('e.yaml', '')).toEqual({ facts: [], warnings: [] });
    expect(extractYamlFacts('e.yaml', '# nothing\n')).toEqual({ facts: [], warnings: [] });
    expect(extractJsonFacts('e.json', '  \n')).toEqual({ facts: [], warnings: [] });
  });

  it('caps the facts of a huge file with one warning', () => {
    const big = Array.from({ length: 6000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const { facts, warnings } = extractYamlFacts('vocab.yaml', big);
    expect(facts.length).toBe(5000);
    expect(warnings).toEqual(['vocab.yaml: more than 5000 facts; the rest of the file was not used']);
  });

  it('does not parse a YAML file too big to be configuration', () => {
    const big = `items:\n${'  - {file: a.jpg, label: 1}\n'.repeat(30_000)}`;
    const { facts, warnings } = extractYamlFacts('data/ann.yaml', big);
    expect(facts).toEqual([]);
    expect(warnings).toEqual(['data/ann.yaml: YAML larger than 512 KB is taken for data, not configuration, and was not read']);
  });

  it('property: every leaf of a generated nested mapping is found on a line naming its key', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    const leaf = fc.oneof(fc.integer({ min: -1000, max: 100000 }), fc.boolean(), fc.stringMatching(/^[a-z][a-z ]{0,10}[a-z]$/));
    const tree = fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 4 })), { minKeys: 1, maxKeys: 6 });
    fc.assert(
      fc.property(tree, fc.boolean(), (obj, asJson) => {
        const text = asJson ? JSON.stringify(obj, null, 2) : stringify(obj);
        const { facts, warnings } = asJson ? extractJsonFacts('p.json', text) : extractYamlFacts('p.yaml', text);
        expect(warnings).toEqual([]);
        const lines = text.split('\n');
        for (const [k, v] of Object.entries(obj)) {
          const entries: [string, unknown][] = typeof v === 'object' && v !== null ? Object.entries(v).map(([k2, v2]) => [`${k}.${k2}`, v2]) : [[k, v]];
          for (const [path, value] of entries) {
            const f = facts.find((x) => x.path === path);
            expect(f?.value).toEqual(value);
            const last = path.split('.').pop() ?? '';
            expect(lines[(f?.line ?? 0) - 1]).toContain(last);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('JSON configs and results', () => {
  const hf = ['{', '  "hidden_size": 768,', '  "id2label": {', '    "0": "World",', '    "1": "Sports"', '  },', '  "classifier_dropout": null', '}'].join('\n');

  it('reads an HF config.json with positions; an index-keyed mapping is also one array', () => {
    const { facts } = extractJsonFacts('config.json', hf);
    expect(byPath(facts, 'hidden_size')).toMatchObject({ value: 768, line: 2, column: 18, form: 'config', source: 'config' });
    expect(byPath(facts, 'id2label')).toMatchObject({ value: ['World', 'Sports'], line: 3, column: 3 });
    expect(byPath(facts, 'id2label.1')).toMatchObject({ value: 'Sports', line: 5 });
    expect(facts.some((f) => f.path === 'classifier_dropout')).toBe(false);
  });

  it('marks results files as results', () => {
    const { facts } = extractJsonFacts('results/eval_results.json', '{\n  "eval_accuracy": 0.9123\n}', { role: 'results' });
    expect(facts[0]).toMatchObject({ path: 'eval_accuracy', value: 0.9123, form: 'result', source: 'results', line: 2, column: 20 });
  });

  it('a long array gets facts for its first and last elements only, and no whole-array fact', () => {
    const history = Array.from({ length: 1000 }, (_, i) => `    {"step": ${i}}`).join(',\n');
    const { facts } = extractJsonFacts('trainer_state.json', `{\n  "log_history": [\n${history}\n  ]\n}`);
    expect(facts).toHaveLength(256);
    expect(facts.some((f) => f.path === 'log_history')).toBe(false);
    expect(byPath(facts, 'log_history.999.step')).toMatchObject({ value: 999, line: 1002 });
    expect(byPath(facts, 'log_history.127.step').value).toBe(127);
    expect(facts.some((f) => f.path === 'log_history.128.step')).toBe(false);
  });

  it('tolerates NaN written by Python json.dump', () => {
    const { facts, warnings } = extractJsonFacts('m.json', '{"loss": NaN, "acc": 0.5, "best": -Infinity, "note": "NaN here", "v": [1, NaN]}');
    expect(warnings).toEqual([]);
    expect(byPath(facts, 'acc')).toMatchObject({ value: 0.5, column: 22 });
    expect(byPath(facts, 'note').value).toBe('NaN here');
    expect(facts.map((f) => f.path).sort()).toEqual(['acc', 'note', 'v.0']);
  });

  it('warns on invalid JSON', () => {
    const { facts, warnings } = extractJsonFacts('broken.json', '{\n  "a": 1,,\n}');
    expect(facts).toEqual([]);
    expect(warnings).toEqual(['broken.json: invalid JSON at line 2, column 10: PropertyNameExpected']);
  });

  it('cuts the snippet of a minified line around the value', () => {
    const pad = Array.from({ length: 80 }, (_, i) => `"k${i}": ${i}`).join(', ');
    const { facts } = extractJsonFacts('min.json', `{${pad}, "target_key": 424242}`);
    const f = byPath(facts, 'target_key');
    expect(f.snippet.length).toBeLessThanOrEqual(200);
    expect(f.snippet).toContain('424242');
  });
});

describe('looksLikeResultsPath', () => {
  it.each([
    ['results/eval_results.json', true],
    ['eval_results.json', true],
    ['all_results.json', true],
    ['metrics/cv_scores.json', true],
    ['outputs/run1/metrics.json', true],
    ['test_scores.json', true],
    ['eval.json', true],
    ['config.json', false],
    ['configs/model.json', false],
    ['tokenizer_config.json', false],
    ['evaluator.json', false],
  ])('%s → %s', (p, expected) => {
    expect(looksLikeResultsPath(p)).toBe(expected);
  });
});

describe('extractTomlFacts', () => {
  const toml = [
    'title = "run"',                 // 1
    '',                              // 2
    '[model]',                       // 3
    'n_layers = 12  # depth',        // 4
    'dims = [',                      // 5
    '  64,',                         // 6
    '  128,',                        // 7
    ']',                             // 8
    '"quoted.key" = 1',              // 9
    'optim.lr = 3e-4',               // 10
    '',                              // 11
    '[[runs]]',                      // 12
    'seed = 1',                      // 13
    '[[runs]]',                      // 14
    'seed = 2',                      // 15
    'inline = { a = 1, b = "x" }',   // 16
  ].join('\n');

  it('finds each key on its line inside its table', () => {
    const { facts, warnings } = extractTomlFacts('cfg.toml', toml);
    expect(warnings).toEqual([]);
    expect(byPath(facts, 'title')).toMatchObject({ value: 'run', line: 1, column: 9 });
    expect(byPath(facts, 'model.n_layers')).toMatchObject({ value: 12, line: 4, column: 12, endColumn: 14 });
    expect(byPath(facts, 'model.dims')).toMatchObject({ value: [64, 128], line: 5 });
    expect(byPath(facts, 'model.dims.1')).toMatchObject({ value: 128, line: 5 });
    expect(byPath(facts, 'model.quoted.key')).toMatchObject({ value: 1, line: 9 });
    expect(byPath(facts, 'model.optim.lr')).toMatchObject({ value: 0.0003, line: 10 });
    expect(byPath(facts, 'runs.0.seed')).toMatchObject({ value: 1, line: 13 });
    expect(byPath(facts, 'runs.1.seed')).toMatchObject({ value: 2, line: 15 });
    expect(byPath(facts, 'runs.1.inline.b')).toMatchObject({ value: 'x', line: 16 });
  });

  it('does not take keys inside multi-line strings or arrays for assignments', () => {
    const pos = tomlKeyPositions('a = """\nb = 1\n"""\nc = [\n  "d = 2",\n]\ne = 3\n');
    expect([...pos.keys()]).toEqual(['a', 'c', 'e']);
    expect(pos.get('e')?.start.line).toBe(7);
  });

  it('warns on invalid TOML with its line', () => {
    const { facts, warnings } = extractTomlFacts('bad.toml', 'a = 1\nb = = 2\n');
    expect(facts).toEqual([]);
    expect(warnings[0]).toMatch(/^bad\.toml: invalid TOML at line 2, column \d+/);
  });

  it('handles an empty file', () => {
    expect(extractTomlFacts('e.toml', '')).toEqual({ facts: [], warnings: [] });
  });
});

describe('extractIniFacts', () => {
  it('reads sections, keys, typed values and continuation lists', () => {
    const text = ['; comment', 'top = 1', '[train]', 'lr = 0.001', 'name: resnet  # the model', 'fp16 = true', 'layers =', '    3', '    4'].join('\n');
    const { facts } = extractIniFacts('setup.cfg', text);
    expect(byPath(facts, 'top')).toMatchObject({ value: 1, line: 2, column: 7 });
    expect(byPath(facts, 'train.lr')).toMatchObject({ value: 0.001, line: 4, column: 6, endColumn: 11 });
    expect(byPath(facts, 'train.name')).toMatchObject({ value: 'resnet', line: 5 });
    expect(byPath(facts, 'train.fp16').value).toBe(true);
    expect(byPath(facts, 'train.layers')).toMatchObject({ value: [3, 4], line: 7 });
  });
});
