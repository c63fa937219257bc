import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareVersions, parseVersion, parseVersionSpec, satisfies, versionAgrees, type Pep440Version } from '../../../src/engine/verify/versions.js';

function v(s: string): Pep440Version {
  const p = parseVersion(s);
  if (!p) throw new Error(`not a version: ${s}`);
  return p;
}

describe('parseVersion', () => {
  it('reads PEP 440 versions', () => {
    expect(v('2.2.2')).toEqual({ epoch: 0, release: [2, 2, 2] });
    expect(v('v1.3')).toEqual({ epoch: 0, release: [1, 3] });
    expect(v('2.0rc1')).toMatchObject({ release: [2, 0], pre: { label: 'rc', n: 1 } });
    expect(v('1.0-alpha.2')).toMatchObject({ pre: { label: 'a', n: 2 } });
    expect(v('1.0.post2')).toMatchObject({ post: 2 });
    expect(v('1.0-3')).toMatchObject({ post: 3 });
    expect(v('1.0.dev0')).toMatchObject({ dev: 0 });
    expect(v('2.2.2+cu121')).toMatchObject({ release: [2, 2, 2], local: 'cu121' });
    expect(v('1!2.0')).toMatchObject({ epoch: 1, release: [2, 0] });
  });

  it.each(['', 'abc', '1..2', '>=1.0', '1.0 beta gamma'])('rejects %j', (s) => {
    expect(parseVersion(s)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  const ordered = ['1.0.dev1', '1.0a1', '1.0a2', '1.0b1', '1.0rc1', '1.0', '1.0.post1', '1.0.1', '1.1', '2.0', '1!0.1'];
  it('follows PEP 440 order', () => {
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(compareVersions(v(ordered[i]), v(ordered[j]))), `${ordered[i]} vs ${ordered[j]}`).toBe(Math.sign(i - j));
      }
    }
  });

  it('pads releases with zeros', () => {
    expect(compareVersions(v('1.3.2'), v('1.3.2.0'))).toBe(0);
    expect(compareVersions(v('2'), v('2.0.0'))).toBe(0);
  });

  const release = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }).map((r) => r.join('.'));
  it('is antisymmetric and ignores trailing zeros', () => {
    fc.assert(
      fc.property(release, release, (a, b) => {
        expect(Math.sign(compareVersions(v(a), v(b))) + Math.sign(compareVersions(v(b), v(a)))).toBe(0);
        expect(compareVersions(v(a), v(`${a}.0`))).toBe(0);
      }),
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(release, release, release, (a, b, c) => {
        const [x, y, z] = [a, b, c].map(v).sort(compareVersions);
        expect(compareVersions(x, z)).toBeLessThanOrEqual(0);
        expect(compareVersions(x, y)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('parseVersionSpec / satisfies', () => {
  it.each([
    ['4.44.2', '==4.44.2', true],
    ['4.44.2', '==4.40.0', false],
    ['4.44.2', '>=4.40', true],
    ['4.44.2', '>=4.40,<4.44', false],
    ['1.3.2.0', '==1.3.2', true],
    ['1.3.2', '=1.3.2', true],
    ['1.3.2.5', '=1.3.2', true],
    ['1.3.3', '=1.3.2', false],
    ['1.3.2', '=1.3.2=py310h_0', true],
    ['1.3.2', 'scikit-learn=1.3.2=py310h_0', true],
    ['2.2.5', '~=2.2', true],
    ['3.0', '~=2.2', false],
    ['1.4.9', '~=1.4.5', true],
    ['1.5.0', '~=1.4.5', false],
    ['1.3.5', '!=1.3.2', true],
    ['1.3.2', '!=1.3.2', false],
    ['1.3.7', '==1.3.*', true],
    ['1.4.0', '==1.3.*', false],
    ['1.3.7', '!=1.3.*', false],
    ['1.9', '^1.2', true],
    ['2.0', '^1.2', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['2.2.2', 'torch>=2.0; python_version > "3.8"', true],
    ['2.2.2', 'torch[cuda] >=2.0, <3', true],
    ['2.2.2', '(>=2.0)', true],
    ['1.5', '>=1.0 <2.0', true],
    ['2.5', '>=1.0 <2.0', false],
    ['3.11', '3.10.* | 3.11.*', true],
    ['3.12', '3.10.* || 3.11.*', false],
    ['2.2.2', '==2.2.2+cu121', true],
    ['2.2.2+cu121', '==2.2.2', true],
    ['2.0rc1', '<2.0', false],
    ['1.0.post1', '>1.0', false],
    ['1.0.1', '>1.0', true],
    ['5.0', '*', true],
    ['5.0', '', true],
    ['2.2.2', '===2.2.2', true],
  ])('%s satisfies %j: %s', (version, spec, expected) => {
    expect(satisfies(version, spec)).toBe(expected);
  });

  it('cannot read nonsense', () => {
    expect(parseVersionSpec('>=banana')).toBeUndefined();
    expect(parseVersionSpec('torch @ https://example.com/torch.whl')).toBeUndefined();
    expect(parseVersionSpec('>=1.*')).toBeUndefined();
  });

  it('pins exact versions to themselves', () => {
    const ver = fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 4 }).map((r) => r.join('.'));
    fc.assert(
      fc.property(ver, (s) => {
        expect(satisfies(s, `==${s}`)).toBe(true);
        expect(satisfies(s, `>=${s}`)).toBe(true);
        expect(satisfies(s, `<=${s}`)).toBe(true);
        expect(satisfies(s, `<${s}`)).toBe(false);
        expect(satisfies(s, `>${s}`)).toBe(false);
        expect(satisfies(s, `!=${s}`)).toBe(false);
        expect(satisfies(`${s}.0`, `==${s}`)).toBe(true);
      }),
    );
  });
});

describe('versionAgrees', () => {
  it.each([
    ['4.44.2', '==4.44.2', 'agree'],
    ['4.44.2', '==4.40.0', 'disagree'],
    ['4.44.2', '>=4.40', 'agree'],
    ['4.44.2', '<4.40', 'disagree'],
    ['2.2', '==2.2.2', 'agree'],
    ['2.2', '==2.3.0', 'disagree'],
    ['2', '>=2.2', 'agree'],
    ['2.2', '<2.2', 'disagree'],
    ['2.2', '>2.2.0', 'agree'],
    ['1.3', '=1.3.2', 'agree'],
    ['1.3.2', '=1.3.2', 'agree'],
    ['1.4.2', '==1.3.2', 'disagree'],
    ['1.3.2', 'scikit-learn==1.3.2', 'agree'],
    ['3.11', '>=3.8,<3.12', 'agree'],
    ['v2.2.2', '==2.2.2', 'agree'],
    ['2.x', '==2.2.2', 'agree'],
    ['2.2.2', '*', 'unknown'],
    ['2.2.2', '!=2.1', 'unknown'],
    ['2.2.2', '!=2.2.2', 'disagree'],
    ['2.2.2', 'not a spec ><', 'unknown'],
    ['latest', '==2.2.2', 'unknown'],
  ])('card %s vs %j → %s', (card, spec, expected) => {
    expect(versionAgrees(card, spec)).toBe(expected);
  });

  it('takes a parsed spec', () => {
    const spec = parseVersionSpec('>=1.0,<2.0');
    if (!spec) throw new Error('spec did not parse');
    expect(versionAgrees('1.5', spec)).toBe('agree');
    expect(versionAgrees('2.5', spec)).toBe('disagree');
  });

  it('agrees when the card names a prefix of the pinned version', () => {
    const parts = fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(parts, fc.integer({ min: 1, max: 4 }), (r, k) => {
        const full = r.join('.');
        const prefix = r.slice(0, Math.min(k, r.length)).join('.');
        expect(versionAgrees(prefix, `==${full}`)).toBe('agree');
        const other = [...r];
        other[0] += 1;
        expect(versionAgrees(prefix, `==${other.join('.')}`)).toBe('disagree');
      }),
    );
  });
});
