import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPythonFacts } from '../../../src/engine/facts/pythonFacts.js';
import { decodePythonString, parsePythonFloat, parsePythonInteger } from '../../../src/engine/facts/pythonLiterals.js';

function assigned(src: string): unknown {
  const f = extractPythonFacts('t.py', src).filter((x) => x.form === 'assignment' && x.path === 'x');
  return f.length === 1 ? f[0].value : 'no fact';
}

/** Ways Python source writes the same number. */
function pythonSpellings(v: number): string[] {
  const abs = Math.abs(v);
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const out = [`${sign}${String(abs)}`, `${sign}${abs.toExponential()}`, `${sign}${abs.toExponential().replace('e+', 'E')}`];
  if (Number.isSafeInteger(abs)) out.push(`${sign}${abs.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '_')}`);
  return out;
}

describe('numeric literals', () => {
  it('round-trips any finite number through every Python spelling', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        for (const text of pythonSpellings(v)) {
          expect(assigned(`x = ${text}\n`), text).toBe(v === 0 ? 0 : v);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips integers written in hex, octal, binary and with underscores', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(assigned(`x = 0x${n.toString(16)}`)).toBe(n);
        expect(assigned(`x = 0o${n.toString(8)}`)).toBe(n);
        expect(assigned(`x = 0b${n.toString(2)}`)).toBe(n);
        expect(assigned(`x = ${n.toLocaleString('en-US').replace(/,/g, '_')}`)).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects what is not a real number literal', () => {
    expect(parsePythonInteger('12j')).toBeUndefined();
    expect(parsePythonFloat('1.5J')).toBeUndefined();
    expect(parsePythonFloat('1e999')).toBeUndefined();
    expect(parsePythonInteger('0x')).toBeUndefined();
    expect(parsePythonInteger('10L')).toBe(10);
  });
});

describe('string literals', () => {
  it('decodes any string written with escapes (JSON escapes are valid Python)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(decodePythonString(JSON.stringify(s))).toBe(s);
        expect(assigned(`x = ${JSON.stringify(s)}\n`)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('handles prefixes, quotes and Python-only escapes', () => {
    expect(decodePythonString("'a\\tb'")).toBe('a\tb');
    expect(decodePythonString('"""multi\nline"""')).toBe('multi\nline');
    expect(decodePythonString("r'C:\\new'")).toBe('C:\\new');
    expect(decodePythonString("u'\\x41\\101\\N{DASH}'")).toBe('AA\\N{DASH}');
    expect(decodePythonString("'\\U0001F600'")).toBe('😀');
    expect(decodePythonString("'line\\\ncontinued'")).toBe('linecontinued');
    expect(decodePythonString("b'bytes'")).toBeUndefined();
    expect(decodePythonString('not a string')).toBeUndefined();
    expect(decodePythonString(`'${'x'.repeat(600)}'`)).toBeUndefined();
  });
});
