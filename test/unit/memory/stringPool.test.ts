import { describe, expect, it } from 'vitest';
import { StringPool } from '../../../src/engine/memory/stringPool.js';

describe('StringPool', () => {
  it('hands out one frozen list per content', () => {
    const pool = new StringPool();
    const a = pool.list(['test', 'signature']);
    expect(pool.list(['test', 'signature'])).toBe(a);
    expect(pool.list(['test'])).not.toBe(a);
    expect(pool.list(['signature', 'test'])).not.toBe(a);
    expect(a).toEqual(['test', 'signature']);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('does not keep the list it was given, and still answers once over its bound', () => {
    const pool = new StringPool(2);
    const given = ['a'];
    const kept = pool.list(given);
    given.push('b');
    expect(kept).toEqual(['a']);
    for (const s of ['x', 'y', 'z', 'x']) expect(pool.of(s)).toBe(s);
    expect(pool.list(['b'])).toEqual(['b']);
    expect(pool.list(['c'])).toEqual(['c']);
    expect(pool.list(['c'])).toBe(pool.list(['c']));
  });
});
