import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  extractCondaEnvFacts,
  extractPipfileFacts,
  extractPyprojectDependencyFacts,
  extractRequirementsFacts,
  extractSetupCfgDependencyFacts,
  normalizePackageName,
  parseCondaSpec,
  parseRequirementLine,
} from '../../../src/engine/facts/dependencyFacts.js';
import type { Fact } from '../../../src/engine/facts/fact.js';

function summary(facts: Fact[]): [string, string | number | boolean | unknown, number, number][] {
  return facts.map((f) => [f.rawKey, f.value, f.line, f.column]);
}

describe('normalizePackageName', () => {
  it('follows PEP 503', () => {
    expect(normalizePackageName('Scikit_Learn')).toBe('scikit-learn');
    expect(normalizePackageName('zope.interface')).toBe('zope-interface');
    expect(normalizePackageName('a-_.b')).toBe('a-b');
  });
});

describe('parseRequirementLine', () => {
  it.each([
    ['torch==2.2.2', 'torch', '==2.2.2'],
    ['numpy>=1.24,<2.0', 'numpy', '>=1.24,<2.0'],
    ['numpy >= 1.24 , < 2.0', 'numpy', '>=1.24,<2.0'],
    ['transformers[torch]==4.44.2', 'transformers', '==4.44.2'],
    ['scikit_learn~=1.3  # pinned', 'scikit-learn', '~=1.3'],
    ['torch==2.3.1+cu121 ; sys_platform == "linux"', 'torch', '==2.3.1+cu121'],
    ['requests', 'requests', '*'],
    ['pkg @ https://example.com/pkg-1.0.whl', 'pkg', '@ https://example.com/pkg-1.0.whl'],
    ['torch==2.0.0 --hash=sha256:abc', 'torch', '==2.0.0'],
  ])('%s', (line, name, spec) => {
    expect(parseRequirementLine(line)).toMatchObject({ normalized: name, spec });
  });

  it.each(['', '# comment', '-r other.txt', '-e .', '--index-url https://x', 'git+https://github.com/a/b.git', '   '])('ignores %j', (line) => {
    expect(parseRequirementLine(line)).toBeUndefined();
  });

  it('property: a generated requirement line parses back to its name and spec', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,5}(?:[-_.][A-Za-z0-9]{1,4}){0,2}$/);
    const version = fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('.'));
    const op = fc.constantFrom('==', '>=', '<=', '~=', '!=', '>', '<', '===');
    const spec = fc.option(fc.array(fc.tuple(op, version), { minLength: 1, maxLength: 2 }), { nil: undefined });
    const extras = fc.option(fc.constantFrom('[dev]', '[a,b]'), { nil: undefined });
    const marker = fc.option(fc.constant(' ; python_version >= "3.8"'), { nil: undefined });
    const comment = fc.option(fc.constant('  # why'), { nil: undefined });
    fc.assert(
      fc.property(name, extras, spec, marker, comment, fc.boolean(), (n, e, s, m, c, spaced) => {
        const specText = s ? s.map(([o, v]) => (spaced ? `${o} ${v}` : `${o}${v}`)).join(spaced ? ', ' : ',') : '';
        const line = `${n}${e ?? ''}${spaced && specText ? ' ' : ''}${specText}${m ?? ''}${c ?? ''}`;
        const r = parseRequirementLine(line);
        expect(r?.normalized).toBe(normalizePackageName(n));
        expect(r?.spec).toBe(s ? s.map(([o, v]) => `${o}${v}`).join(',') : '*');
        expect(line.slice(r?.nameStart, r?.specEnd).startsWith(n)).toBe(true);
      }),
    );
  });
});

describe('extractRequirementsFacts', () => {
  it('one fact per requirement with positions; options and comments skipped', () => {
    const text = ['# pinned', '-r base.txt', 'torch==2.2.2', '', 'Scikit-Learn>=1.3  # ok', 'numpy==1.26.4 \\', '    --hash=sha256:abc'].join('\n');
    const { facts, warnings } = extractRequirementsFacts('requirements.txt', text);
    expect(warnings).toEqual([]);
    expect(summary(facts)).toEqual([
      ['torch', '==2.2.2', 3, 1],
      ['scikit-learn', '>=1.3', 5, 1],
      ['numpy', '==1.26.4', 6, 1],
    ]);
    expect(facts[0]).toMatchObject({ path: 'requires.torch', form: 'version', source: 'requirements', endColumn: 13, snippet: 'torch==2.2.2' });
  });

  it('handles an empty file', () => {
    expect(extractRequirementsFacts('requirements.txt', '')).toEqual({ facts: [], warnings: [] });
  });
});

describe('extractPyprojectDependencyFacts', () => {
  it('reads [project] dependencies, optional groups and requires-python, each on its own line', () => {
    const text = [
      '[project]',                          // 1
      'name = "demo"',                      // 2
      'requires-python = ">=3.10"',         // 3
      'dependencies = [',                   // 4
      '  "torch>=2.1",',                    // 5
      '  "transformers==4.44.2",',          // 6
      ']',                                  // 7
      '[project.optional-dependencies]',    // 8
      'dev = ["pytest==8.0"]',              // 9
    ].join('\n');
    const { facts, warnings } = extractPyprojectDependencyFacts('pyproject.toml', text);
    expect(warnings).toEqual([]);
    expect(summary(facts)).toEqual([
      ['python', '>=3.10', 3, 19],
      ['torch', '>=2.1', 5, 4],
      ['transformers', '==4.44.2', 6, 4],
      ['pytest', '==8.0', 9, 9],
    ]);
  });

  it('reads Poetry tables, string and table forms', () => {
    const text = ['[tool.poetry.dependencies]', 'python = "^3.11"', 'torch = { version = "2.1.0", source = "pytorch" }', 'rich = "*"', '', '[tool.poetry.group.dev.dependencies]', 'black = "^24.1"'].join('\n');
    const { facts } = extractPyprojectDependencyFacts('pyproject.toml', text);
    expect(summary(facts)).toEqual([
      ['python', '^3.11', 2, 10],
      ['torch', '2.1.0', 3, 9],
      ['rich', '*', 4, 8],
      ['black', '^24.1', 7, 9],
    ]);
  });

  it('warns on invalid TOML', () => {
    const r = extractPyprojectDependencyFacts('pyproject.toml', '[project\nname = 1');
    expect(r.facts).toEqual([]);
    expect(r.warnings[0]).toMatch(/^pyproject\.toml: invalid TOML at line 1/);
  });
});

describe('extractPipfileFacts', () => {
  it('reads packages and python_version', () => {
    const text = '[packages]\nnumpy = "==1.26.4"\nrequests = "*"\n\n[requires]\npython_version = "3.11"\n';
    expect(summary(extractPipfileFacts('Pipfile', text).facts)).toEqual([
      ['numpy', '==1.26.4', 2, 9],
      ['requests', '*', 3, 12],
      ['python', '3.11', 6, 18],
    ]);
  });
});

describe('conda environment files', () => {
  it.each([
    ['python=3.11', 'python', '=3.11'],
    ['scikit-learn=1.4.2', 'scikit-learn', '=1.4.2'],
    ['numpy==1.26.4', 'numpy', '==1.26.4'],
    ['conda-forge::numpy=1.26.4=py311h64a7726_0', 'numpy', '=1.26.4'],
    ['numpy 1.26.*', 'numpy', '1.26.*'],
    ['pytorch>=2.1', 'pytorch', '>=2.1'],
    ['pip', 'pip', '*'],
  ])('parseCondaSpec(%s)', (text, name, spec) => {
    expect(parseCondaSpec(text)).toEqual({ name, spec });
  });

  it('reads conda and nested pip dependencies with positions', () => {
    const text = ['name: env', 'channels:', '  - conda-forge', 'dependencies:', '  - python=3.11', '  - scikit-learn=1.4.2', '  - pip', '  - pip:', '      - shap==0.45.0', '      - -r extra.txt'].join('\n');
    const { facts, warnings } = extractCondaEnvFacts('environment.yml', text);
    expect(warnings).toEqual([]);
    expect(summary(facts)).toEqual([
      ['python', '=3.11', 5, 5],
      ['scikit-learn', '=1.4.2', 6, 5],
      ['pip', '*', 7, 5],
      ['shap', '==0.45.0', 9, 9],
    ]);
    expect(facts[1]).toMatchObject({ path: 'requires.scikit-learn', endColumn: 23, snippet: '- scikit-learn=1.4.2' });
  });

  it('warns on invalid YAML and tolerates files without dependencies', () => {
    const bad = extractCondaEnvFacts('environment.yml', 'dependencies: [a\nname: x');
    expect(bad.facts).toEqual([]);
    expect(bad.warnings[0]).toMatch(/^environment\.yml: invalid YAML at line \d+, column \d+/);
    expect(extractCondaEnvFacts('environment.yml', 'name: x\n')).toEqual({ facts: [], warnings: [] });
    expect(extractCondaEnvFacts('environment.yml', '')).toEqual({ facts: [], warnings: [] });
  });
});

describe('extractSetupCfgDependencyFacts', () => {
  it('reads install_requires continuation lines and python_requires', () => {
    const text = ['[metadata]', 'name = demo', '[options]', 'python_requires = >=3.9', 'install_requires =', '    torch>=2.0', '    numpy==1.26.4', '[options.extras_require]', 'dev = pytest==8.0'].join('\n');
    expect(summary(extractSetupCfgDependencyFacts('setup.cfg', text).facts)).toEqual([
      ['python', '>=3.9', 4, 19],
      ['torch', '>=2.0', 6, 5],
      ['numpy', '==1.26.4', 7, 5],
      ['pytest', '==8.0', 9, 7],
    ]);
  });
});
