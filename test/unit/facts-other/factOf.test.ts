import { describe, expect, it } from 'vitest';
import { factOf, type FactFields } from '../../../src/engine/facts/fact.js';

const FIELDS: FactFields = {
  rawKey: 'lr', path: 'optim.lr', value: [1, 'a'], file: 'train.py', line: 3, column: 5, endLine: 3, endColumn: 9,
  source: 'ast', form: 'keyword', snippet: 'optim = Adam(lr=1e-3)',
};
const BASE_KEYS = Object.keys(FIELDS).sort();

describe('factOf', () => {
  it('gives a fact with exactly the fields it was given, and call and flags only when present', () => {
    const cases: [string | undefined, ('test' | 'signature')[] | undefined][] = [
      [undefined, undefined], ['Adam', undefined], [undefined, ['test']], ['Adam', ['test', 'signature']],
    ];
    for (const [call, flags] of cases) {
      const f = factOf({ ...FIELDS, extra: 'dropped' } as FactFields, call, flags);
      const expected = [...BASE_KEYS, ...(call !== undefined ? ['call'] : []), ...(flags !== undefined ? ['flags'] : [])].sort();
      expect(Object.keys(f).sort()).toEqual(expected);
      expect(f).toStrictEqual({ ...FIELDS, ...(call !== undefined ? { call } : {}), ...(flags !== undefined ? { flags } : {}) });
      expect(f.value).toBe(FIELDS.value);
    }
  });
});
