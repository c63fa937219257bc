import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractTextFacts, MAX_TEXT_FACTS } from '../../../src/engine/facts/textFacts.js';
import type { Fact } from '../../../src/engine/facts/fact.js';

function byKey(facts: Fact[], rawKey: string): Fact {
  const f = facts.find((x) => x.rawKey === rawKey);
  if (!f) throw new Error(`no fact ${rawKey}; have ${facts.map((x) => x.rawKey).join(' | ')}`);
  return f;
}

describe('extractTextFacts: numbers in prose', () => {
  it('keys each number by the words before it (and the noun right after), with units and percent in the path', () => {
    const md = [
      '# Data',                                                    // 1
      '',                                                          // 2
      '- Rows: 30,000 (one per client)',                           // 3
      'The model reaches 91.2% accuracy after 3 epochs.',          // 4
      'Audio is sampled at 16 kHz; the model has 124M parameters.', // 5
    ].join('\n');
    const { facts, warnings } = extractTextFacts('data/README.md', md);
    expect(warnings).toEqual([]);
    expect(byKey(facts, 'Rows')).toMatchObject({ value: 30000, path: 'Rows', line: 3, column: 9, endColumn: 15, form: 'text', source: 'text', snippet: '- Rows: 30,000 (one per client)' });
    expect(byKey(facts, 'The model reaches accuracy')).toMatchObject({ value: 91.2, path: 'The model reaches accuracy %', line: 4, column: 19 });
    expect(byKey(facts, 'accuracy after epochs')).toMatchObject({ value: 3, line: 4 });
    expect(byKey(facts, 'Audio is sampled at')).toMatchObject({ value: 16, path: 'Audio is sampled at kHz' });
    expect(byKey(facts, 'the model has parameters')).toMatchObject({ value: 124, path: 'the model has parameters M' });
  });

  it('skips identifiers, versions, list markers, footnotes and URLs', () => {
    const md = ['1. Install CIFAR-10 for resnet50 v1.2.3', '## 2) Train', 'See [1] and https://x.org/a/2024/page for gpt2.'].join('\n');
    expect(extractTextFacts('README.md', md).facts).toEqual([]);
  });

  it('keeps at most six words of key', () => {
    const { facts } = extractTextFacts('notes.txt', 'one two three four five six seven eight 42');
    expect(facts[0].rawKey).toBe('three four five six seven eight');
  });

  it('uses the words after a number that starts its clause', () => {
    const { facts } = extractTextFacts('notes.txt', '12 transformer layers');
    expect(facts[0]).toMatchObject({ rawKey: 'transformer layers', value: 12 });
  });
});

describe('extractTextFacts: tables', () => {
  it('keys table numbers by row label and column header', () => {
    const md = ['| Model | Accuracy | F1 |', '|---|---:|---:|', '| base | 91.2 | 90.1 |', '| small | 88.0 | 87.5 |', '', '| Hyperparameter | Value |', '|---|---|', '| Learning rate | 3e-5 |'].join('\n');
    const { facts } = extractTextFacts('README.md', md);
    expect(byKey(facts, 'base Accuracy')).toMatchObject({ value: 91.2, line: 3, column: 10 });
    expect(byKey(facts, 'small F1')).toMatchObject({ value: 87.5, line: 4 });
    expect(byKey(facts, 'Learning rate')).toMatchObject({ value: 3e-5, line: 8 });
  });
});

describe('extractTextFacts: commands in code', () => {
  it('reads commands in shell fences and inline code as flags with source text; other code gives nothing', () => {
    const md = [
      'Train with `python train.py --epochs 3`.',    // 1
      '',                                             // 2
      '```bash',                                      // 3
      'export LR=3e-4',                               // 4
      '$ torchrun --nproc_per_node=8 train.py \\',    // 5
      '    --lr $LR --batch_size 64',                 // 6
      '```',                                          // 7
      '',                                             // 8
      '```python',                                    // 9
      'model.fit(x, epochs=99)',                      // 10
      '```',                                          // 11
    ].join('\n');
    const { facts } = extractTextFacts('README.md', md);
    const flags = facts.filter((f) => f.form === 'flag');
    expect(flags.map((f) => [f.path, f.value, f.line])).toEqual([
      ['train.py.epochs', 3, 1],
      ['torchrun.nproc_per_node', 8, 5],
      ['train.py.lr', 0.0003, 6],
      ['train.py.batch_size', 64, 6],
    ]);
    expect(flags.every((f) => f.source === 'text')).toBe(true);
    expect(flags[1]).toMatchObject({ column: 29, snippet: '$ torchrun --nproc_per_node=8 train.py \\' });
    // Numbers inside code blocks are not prose; no env facts from docs.
    expect(facts.filter((f) => f.form === 'text').map((f) => f.line)).toEqual([]);
    expect(facts.some((f) => f.path.startsWith('env.'))).toBe(false);
  });

  it('reads reST code-block directives', () => {
    const rst = ['Usage', '', '.. code-block:: bash', '', '   python train.py --lr 0.01', '', 'Then 5 more steps.'].join('\n');
    const { facts } = extractTextFacts('docs/usage.rst', rst);
    expect(facts.map((f) => [f.form, f.path, f.value, f.line])).toEqual([
      ['text', 'Then more', 5, 7],
      ['flag', 'train.py.lr', 0.01, 5],
    ]);
  });
});

describe('extractTextFacts: bounds and bad input', () => {
  it('caps the facts of a long document', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `value ${i}`).join('\n');
    expect(extractTextFacts('big.txt', text).facts).toHaveLength(MAX_TEXT_FACTS);
  });

  it('handles empty text and a huge line', () => {
    expect(extractTextFacts('e.md', '')).toEqual({ facts: [], warnings: [] });
    const { facts } = extractTextFacts('h.txt', `${'word '.repeat(200_000)} total 7`);
    expect(facts.length).toBeLessThanOrEqual(MAX_TEXT_FACTS);
  });

  it('property: never throws and every fact points into the text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('```bash', '```', '| a | 1 |', '|---|---|', 'lr 3e-4 %')), { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const { facts } = extractTextFacts('fuzz.md', text);
        for (const f of facts) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines.length);
          expect(f.snippet.length).toBeLessThanOrEqual(200);
        }
      }),
      { numRuns: 300 },
    );
  });
});
