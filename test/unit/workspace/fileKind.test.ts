import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFile, type FileKind } from '../../../src/engine/workspace/fileKind.js';

const cases: Array<[string, FileKind]> = [
  ['train.py', 'python'],
  ['pkg/stubs.pyi', 'python'],
  ['notebooks/Explore.ipynb', 'notebook'],
  ['configs/base.yaml', 'yaml'],
  ['configs/small.YML', 'yaml'],
  ['environment.yml', 'conda-env'],
  ['environment.yaml', 'conda-env'],
  ['envs/environment-gpu.yml', 'conda-env'],
  ['conda_env.yml', 'conda-env'],
  ['conda.yaml', 'conda-env'],
  ['results/metrics.json', 'json'],
  ['poetry.toml', 'toml'],
  ['pyproject.toml', 'pyproject'],
  ['sub/pyproject.toml', 'pyproject'],
  ['setup.cfg', 'cfg'],
  ['tox.ini', 'cfg'],
  ['results.csv', 'csv'],
  ['preds.TSV', 'tsv'],
  ['logs/train.log', 'log'],
  ['metrics.jsonl', 'log'],
  ['slurm-1234.out', 'log'],
  ['requirements.txt', 'requirements'],
  ['requirements-dev.txt', 'requirements'],
  ['requirements/base.txt', 'requirements'],
  ['constraints.txt', 'requirements'],
  ['requirements.in', 'requirements'],
  ['MANIFEST.in', 'other'],
  ['Pipfile', 'requirements'],
  ['LICENSE', 'license'],
  ['LICENSE.md', 'license'],
  ['LICENSE.txt', 'license'],
  ['LICENSE-APACHE', 'license'],
  ['third_party/x/COPYING', 'license'],
  ['LICENCE', 'license'],
  ['license.py', 'python'],
  ['scripts/train.sh', 'shell'],
  ['run.bash', 'shell'],
  ['jobs/train.slurm', 'shell'],
  ['Makefile', 'other'],
  ['README.md', 'markdown'],
  ['docs/index.rst', 'markdown'],
  ['README', 'text'],
  ['data/labels.txt', 'text'],
  ['model.pt', 'other'],
  ['image.png', 'other'],
  ['.gitignore', 'other'],
  ['windows\\path\\train.py', 'python'],
];

describe('classifyFile', () => {
  it.each(cases)('%s -> %s', (rel, kind) => {
    expect(classifyFile(rel)).toBe(kind);
  });

  it('depends only on the last two non-empty segments, whatever the separators', () => {
    const segment = fc.constantFrom('requirements', 'LICENSE', 'environment.yml', 'base.txt', 'x.py', 'conda-env.yaml', 'README', 'Manifest.in', 'a.b.c');
    const sep = fc.constantFrom('/', '\\', '//', '/\\');
    fc.assert(fc.property(fc.array(fc.tuple(segment, sep), { maxLength: 4 }), segment, segment, fc.boolean(), (prefix, parent, name, trailing) => {
      const rel = `${prefix.map(([s, p]) => s + p).join('')}${parent}/${name}${trailing ? '/' : ''}`;
      expect(classifyFile(rel)).toBe(classifyFile(`${parent}/${name}`));
    }), { numRuns: 500 });
  });
});
