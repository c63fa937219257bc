import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractFacts } from '../../../src/engine/facts/extractFacts.js';
import type { FactFlag } from '../../../src/engine/facts/fact.js';
import type { FileKind } from '../../../src/engine/workspace/fileKind.js';
import type { WorkspaceFile } from '../../../src/engine/workspace/walkWorkspace.js';

function file(relPath: string, kind: FileKind, flags: FactFlag[] = []): WorkspaceFile {
  return { relPath, absPath: `/ws/${relPath}`, size: 0, mtimeMs: 0, kind, flags };
}

describe('extractFacts dispatcher', () => {
  it('YAML configs are config; YAML/JSON under results folders are results', () => {
    expect(extractFacts(file('configs/base.yaml', 'yaml'), 'lr: 0.1\n').facts[0]).toMatchObject({ form: 'config', source: 'config', path: 'lr' });
    expect(extractFacts(file('results/base/metrics.json', 'json'), '{"acc": 0.9}').facts[0]).toMatchObject({ form: 'result', source: 'results' });
    expect(extractFacts(file('config.json', 'json'), '{"hidden_size": 768}').facts[0]).toMatchObject({ form: 'config', value: 768 });
    expect(extractFacts(file('conf/train.toml', 'toml'), '[optim]\nlr = 0.1\n').facts[0]).toMatchObject({ path: 'optim.lr', line: 2 });
  });

  it('setup.cfg gives config and dependency facts; other cfg only config', () => {
    const text = '[options]\ninstall_requires =\n    torch>=2.0\n';
    const forms = extractFacts(file('setup.cfg', 'cfg'), text).facts.map((f) => `${f.form}:${f.path}`);
    expect(forms).toEqual(['config:options.install_requires', 'version:requires.torch']);
    expect(extractFacts(file('tox.ini', 'cfg'), text).facts.map((f) => f.form)).toEqual(['config']);
  });

  it('results tables, logs and tail reads', () => {
    expect(extractFacts(file('logs/metrics.csv', 'csv'), 'step,loss\n1,2.0\n').facts.map((f) => f.path)).toEqual(['final.step', 'final.loss']);
    expect(extractFacts(file('logs/metrics.tsv', 'tsv'), 'step\tloss\n1\t2.0\n').facts.map((f) => f.path)).toEqual(['final.step', 'final.loss']);
    expect(extractFacts(file('train.log', 'log'), 'loss 1.5\n').facts[0]).toMatchObject({ path: 'final.loss', value: 1.5 });
    const tail = extractFacts(file('logs/big.csv', 'csv'), 'step,loss\n999,0.5\n', 'tail', { headerLines: 1, tailStartLine: 1000 });
    expect(tail.facts.map((f) => f.line)).toEqual([1000, 1000]);
  });

  it('dependency files by kind and name', () => {
    expect(extractFacts(file('requirements.txt', 'requirements'), 'torch==2.2.2\n').facts[0]).toMatchObject({ rawKey: 'torch', value: '==2.2.2' });
    expect(extractFacts(file('Pipfile', 'requirements'), '[packages]\ntorch = "==2.2.2"\n').facts[0]).toMatchObject({ rawKey: 'torch', value: '==2.2.2', line: 2 });
    expect(extractFacts(file('environment.yml', 'conda-env'), 'dependencies:\n  - python=3.11\n').facts[0]).toMatchObject({ rawKey: 'python', value: '=3.11' });
    const py = extractFacts(file('pyproject.toml', 'pyproject'), '[project]\ndependencies = ["numpy>=1.26"]\n[tool.black]\nline-length = 100\n');
    expect(py.facts.map((f) => `${f.form}:${f.path}`)).toEqual(['version:requires.numpy', 'config:project.dependencies', 'config:project.dependencies.0', 'config:tool.black.line-length']);
  });

  it('an invalid pyproject.toml is reported once', () => {
    const r = extractFacts(file('pyproject.toml', 'pyproject'), '[project\n');
    expect(r.facts).toEqual([]);
    expect(r.warnings).toHaveLength(1);
  });

  it('licence, shell, markdown and text', () => {
    expect(extractFacts(file('LICENSE', 'license'), 'MIT License\n').facts[0]).toMatchObject({ value: 'MIT', source: 'license' });
    expect(extractFacts(file('launch.sh', 'shell'), 'torchrun --nproc_per_node=8 train.py\n').facts[0]).toMatchObject({ path: 'torchrun.nproc_per_node', source: 'script' });
    expect(extractFacts(file('README.md', 'markdown', ['doc']), 'We train for 3 epochs.\n').facts[0]).toMatchObject({ form: 'text', value: 3, flags: ['doc'] });
    expect(extractFacts(file('notes.txt', 'text'), 'batch size 32\n').facts[0]).toMatchObject({ rawKey: 'batch size', value: 32 });
    expect(extractFacts(file('model.bin', 'other'), 'lr = 3\n')).toEqual({ facts: [], warnings: [] });
  });

  it('python and notebooks go to their extractors', () => {
    const py = extractFacts(file('train.py', 'python'), 'learning_rate = 3e-4\n');
    expect(py.facts.some((f) => f.source === 'ast' && f.rawKey === 'learning_rate' && f.line === 1)).toBe(true);
    const nb = extractFacts(file('nb.ipynb', 'notebook'), 'not json');
    expect(nb.facts).toEqual([]);
    expect(nb.warnings[0]).toMatch(/^nb\.ipynb: /);
  });

  it('passes the file flags to every fact', () => {
    const { facts } = extractFacts(file('tests/fixtures/tiny.yaml', 'yaml', ['test', 'fixture']), 'a: 1\nb: [2]\n');
    expect(facts.length).toBeGreaterThan(0);
    for (const f of facts) expect(f.flags).toEqual(['test', 'fixture']);
  });

  it('drops a byte-order mark without shifting columns', () => {
    const { facts } = extractFacts(file('c.yaml', 'yaml'), '\uFEFFlr: 0.5\n');
    expect(facts[0]).toMatchObject({ line: 1, column: 5 });
  });

  it('names the file in warnings for invalid input', () => {
    expect(extractFacts(file('configs/bad.yaml', 'yaml'), 'a: [1\n').warnings[0]).toMatch(/^configs\/bad\.yaml: invalid YAML/);
    expect(extractFacts(file('bad.json', 'json'), '{').warnings[0]).toMatch(/^bad\.json: invalid JSON/);
    expect(extractFacts(file('bad.toml', 'toml'), 'a = \n').warnings[0]).toMatch(/^bad\.toml: invalid TOML/);
  });

  it('property: never throws, whatever the kind and text', () => {
    const kinds: FileKind[] = ['yaml', 'json', 'toml', 'csv', 'tsv', 'log', 'requirements', 'pyproject', 'conda-env', 'license', 'shell', 'markdown', 'text', 'cfg', 'other'];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string({ maxLength: 300 }), (kind, text) => {
        const r = extractFacts(file(`f.${kind}`, kind), text);
        expect(Array.isArray(r.facts)).toBe(true);
        for (const f of r.facts) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(f.snippet.length).toBeLessThanOrEqual(200);
        }
      }),
      { numRuns: 500 },
    );
  });
});
