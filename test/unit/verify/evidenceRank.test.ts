import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../../src/engine/card/claim.js';
import type { Fact } from '../../../src/engine/facts/fact.js';
import { contextScore, rankFacts } from '../../../src/engine/verify/evidenceRank.js';
import type { IndexedFact } from '../../../src/engine/verify/factIndex.js';

const WORDS = ['learning', 'rate', 'batch', 'size', 'dropout', 'train', 'eval'];
const FILES = ['b.py', 'a.py', 'configs/base.yaml', 'B.py', 'train.py'];

const claim: Claim = {
  id: 'c1', text: 'learning rate 3e-4', kind: 'hyperparameter', range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
  context: 'The learning rate is 3e-4 during train', keyText: 'learning rate', keys: ['learning_rate'],
  value: { type: 'number', number: { value: 3e-4, raw: '3e-4', decimals: 4, significant: 1, percent: false, approx: false } }, headings: ['Training'],
};

const arbFact = fc.record({
  tokens: fc.subarray(WORDS),
  snippetTokens: fc.subarray(WORDS),
  tier: fc.integer({ min: 1, max: 5 }),
  file: fc.constantFrom(...FILES),
  line: fc.integer({ min: 1, max: 40 }),
});

function indexed(x: { tokens: string[]; snippetTokens: string[]; tier: number; file: string; line: number }, ordered: boolean): IndexedFact {
  const fact = { rawKey: 'lr', path: 'lr', value: 1, file: x.file, line: x.line, column: 1, endLine: x.line, endColumn: 2, source: 'ast', form: 'assignment', snippet: '' } as Fact;
  const sorted = [...FILES].sort((a, b) => a.localeCompare(b));
  return { fact, keys: [], tokens: x.tokens, snippetTokens: x.snippetTokens, tier: x.tier, deciding: true, ...(ordered ? { fileOrder: sorted.indexOf(x.file) } : {}), seq: 0 } as IndexedFact;
}

/** The order rankFacts promises, written out plainly. */
function expected(facts: IndexedFact[]): IndexedFact[] {
  return [...facts].sort((a, b) => contextScore(claim, b) - contextScore(claim, a) || b.tier - a.tier
    || a.fact.file.localeCompare(b.fact.file) || a.fact.line - b.fact.line);
}

describe('rankFacts', () => {
  it('orders by score, tier, file and line, whether or not the index has ordered its files', () => {
    fc.assert(fc.property(fc.array(arbFact, { maxLength: 40 }), fc.boolean(), (xs, ordered) => {
      const facts = xs.map((x) => indexed(x, ordered));
      expect(rankFacts(claim, facts)).toEqual(expected(facts));
    }), { numRuns: 200 });
  });

  it('gives the same order when the facts come listed by place, as an index lists them', () => {
    fc.assert(fc.property(fc.array(arbFact, { maxLength: 60 }), (xs) => {
      const facts = xs.map((x) => indexed(x, true)).sort((a, b) => (a.fileOrder ?? 0) - (b.fileOrder ?? 0) || a.fact.line - b.fact.line);
      expect(rankFacts(claim, facts)).toEqual(expected(facts));
    }), { numRuns: 300 });
  });

  it('falls back to collating files when one fact has no file order', () => {
    const facts = [indexed({ tokens: [], snippetTokens: [], tier: 3, file: 'b.py', line: 1 }, true), indexed({ tokens: [], snippetTokens: [], tier: 3, file: 'a.py', line: 9 }, false)];
    expect(rankFacts(claim, facts).map((f) => f.fact.file)).toEqual(['a.py', 'b.py']);
  });
});
