import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact, FactForm } from '../../../src/engine/facts/fact.js';
import { answersSome, LOOKED_AT_ALL, LOOKED_AT_NAMES, LookupSet, lookupsOf, type FactWords } from '../../../src/engine/verify/factIndex.js';

const FORMS: FactForm[] = ['assignment', 'keyword', 'positional', 'call', 'import', 'default', 'config', 'compare', 'result', 'version', 'license', 'text'];
const NAMES = ['lr', 'strategy', 'SimpleImputer', 'issue_year', 'torch', 'MIT', 'median'];

const factArb = fc.record({
  rawKey: fc.constantFrom(...NAMES),
  value: fc.oneof(fc.constantFrom<Fact['value']>(0.1, 32, 2018, true, 'median', 'torch.optim.AdamW', '2.1.0', [2012, 2016], ['a', 'b'])),
  form: fc.constantFrom(...FORMS),
  call: fc.option(fc.constantFrom('SimpleImputer', 'nn.Linear'), { nil: undefined }),
  flags: fc.option(fc.constant<Fact['flags']>(['test']), { nil: undefined }),
}).map((r): Fact => ({
  rawKey: r.rawKey, path: r.rawKey, value: r.value, file: 'train.py', line: 1, column: 1, endLine: 1, endColumn: 2,
  source: r.form === 'config' ? 'config' : 'ast', form: r.form, snippet: `${r.rawKey} = ${String(r.value)}`,
  ...(r.call ? { call: r.call } : {}), ...(r.flags ? { flags: r.flags } : {}),
}));

const wordsArb = fc.record({
  keys: fc.uniqueArray(fc.constantFrom('learning_rate', 'batch_size', 'seed'), { maxLength: 2 }),
  tokens: fc.uniqueArray(fc.constantFrom('rate', 'learning', 'year', 'issue'), { maxLength: 2 }),
  lineWords: fc.constant([] as string[]),
}).map((w): FactWords => w);

describe('answersSome', () => {
  it('answers as lookupsOf does, for any set of lookups a scoped index is built for', () => {
    fc.assert(
      fc.property(factArb, wordsArb, fc.array(fc.tuple(factArb, wordsArb), { maxLength: 3 }), fc.integer({ min: 0, max: 1 << 12 }), (fact, words, others, mask) => {
        // Lookups drawn from what this and other facts answer, less the scans no scoped set holds.
        const pool = [...new Set([fact, ...others.map(([f]) => f)].flatMap((f, i) => lookupsOf(f, i === 0 ? words : others[i - 1][1])))]
          .filter((l) => l !== LOOKED_AT_ALL && l !== LOOKED_AT_NAMES);
        const chosen = new Set(pool.filter((_, i) => (mask >> (i % 12)) & 1));
        const expected = lookupsOf(fact, words).some((l) => chosen.has(l));
        expect(answersSome(fact, words, new LookupSet(chosen))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
