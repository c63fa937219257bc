import { describe, expect, it } from 'vitest';
import type { FactFlag } from '../../../src/engine/facts/fact.js';
import { pathFlags } from '../../../src/engine/workspace/pathFlags.js';

const cases: Array<[string, FactFlag[]]> = [
  ['train.py', []],
  ['src/model/layers.py', []],
  ['tests/test_model.py', ['test']],
  ['test/helpers.py', ['test']],
  ['pkg/test_utils.py', ['test']],
  ['pkg/model_test.py', ['test']],
  ['conftest.py', ['test']],
  ['test.py', []],
  ['latest/contest.py', []],
  ['tests/fixtures/tiny.yaml', ['test', 'fixture']],
  ['fixture/a.json', ['fixture']],
  ['third_party/melfront/frontend.py', ['vendored']],
  ['vendor/lib.py', ['vendored']],
  ['vendored/lib.py', ['vendored']],
  ['external/x.py', ['vendored']],
  ['extern/x.py', ['vendored']],
  ['lib/site-packages/torch/x.py', ['vendored']],
  ['third_party/melfront/README.md', ['vendored', 'doc']],
  ['docs/conf.py', ['doc']],
  ['doc/usage.yaml', ['doc']],
  ['README.md', ['doc']],
  ['README', ['doc']],
  ['notes.rst', ['doc']],
  ['data/labels.txt', ['doc']],
  ['requirements.txt', []],
  ['requirements/dev.txt', []],
  ['LICENSE.txt', []],
  ['examples/demo.py', ['example']],
  ['example/config.yaml', ['example']],
  ['Tests/Test_Model.py', ['test']],
];

describe('pathFlags', () => {
  it.each(cases)('%s -> %j', (rel, flags) => {
    expect(pathFlags(rel)).toEqual(flags);
  });
});
