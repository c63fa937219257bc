import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

const TRAIN_PY = `import argparse
import torch

def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    return p.parse_args()

# epochs = 99
`;

describe('effective value', () => {
  it('lets a launch script flag win over the argparse default', async () => {
    const run = await runEngine({
      'train.py': TRAIN_PY,
      'scripts/run.sh': 'python train.py \\\n  --learning-rate 5e-4 \\\n  --epochs 20\n',
      'card.md': '# m\n\nWe train with a learning rate of 5e-4.\n\nTraining lasts 10 epochs.\n\nThe batch size is 64.\n',
    });
    expect(run.claim('learning rate of 5e-4').verdict).toBe('supported');
    const epochs = run.claim('10 epochs');
    expect(epochs.verdict).toBe('contradicted');
    expect(epochs.evidence[0].path).toBe('scripts/run.sh');
    expect(epochs.evidence[0].range.start.line).toBe(3);
    expect(run.claim('batch size is 64').verdict).toBe('supported');
  });

  it('lets a YAML config win over a dataclass default', async () => {
    const run = await runEngine({
      'pkg/config.py': 'from dataclasses import dataclass\n\n@dataclass\nclass ModelConfig:\n    n_layer: int = 6\n    n_head: int = 8\n    dropout: float = 0.1\n',
      'configs/run.yaml': 'model:\n  n_layer: 10\n  n_head: 8\n',
      'card.md': '# m\n\n- 6 transformer layers\n- 8 attention heads\n- Dropout of 0.1\n',
    });
    const layers = run.claim('6 transformer layers');
    expect(layers.verdict).toBe('contradicted');
    expect(layers.evidence[0].path).toBe('configs/run.yaml');
    expect(run.claim('8 attention heads').verdict).toBe('supported');
    // Not in the YAML: the dataclass default is what runs.
    expect(run.claim('Dropout of 0.1').verdict).toBe('supported');
  });

  it('prefers the config the card names over its siblings', async () => {
    const files = {
      'configs/large.yaml': 'lr: 0.0001\nbatch_size: 1024\n',
      'configs/tiny.yaml': 'lr: 0.01\nbatch_size: 16\n',
    };
    const large = await runEngine({ ...files, 'card.md': '# m\n\nThis card covers the large model.\n\nThe batch size is 16.\n' });
    expect(large.claim('batch size is 16').verdict).toBe('contradicted');
    const tiny = await runEngine({ ...files, 'card.md': '# m\n\nThis card covers the tiny model.\n\nThe batch size is 16.\n' });
    expect(tiny.claim('batch size is 16').verdict).toBe('supported');
  });

  it('never decides on tests, fixtures, vendored code or commented-out lines', async () => {
    const run = await runEngine({
      'train.py': 'optimizer_cfg = dict(weight_decay=0.05)\n# weight_decay = 0.3\n',
      'tests/test_train.py': 'def test_x():\n    cfg = dict(weight_decay=0.3)\n',
      'third_party/lib/defaults.py': 'WEIGHT_DECAY = 0.3\n',
      'card.md': '# m\n\nWeight decay is 0.3.\n',
    });
    const wd = run.claim('Weight decay is 0.3');
    expect(wd.verdict).toBe('contradicted');
    expect(wd.evidence[0].path).toBe('train.py');
    expect(wd.evidence.filter((e) => e.stance === 'contradicts').map((e) => e.path)).not.toContain('tests/test_train.py');
  });

  it('leaves a claim unverified when only non-deciding files mention it', async () => {
    const run = await runEngine({
      'tests/fixtures/tiny.yaml': 'num_classes: 3\n',
      'card.md': '# m\n\nThe classifier predicts 12 classes.\n',
    });
    expect(run.claim('12 classes').verdict).toBe('unverified');
  });

  it('never treats the card itself as evidence, also inside the workspace', async () => {
    const run = await runEngine({
      'README.md': '---\nlicense: apache-2.0\n---\n# m\n\nThe learning rate is 0.02.\n',
    }, 'README.md');
    expect(run.claim('learning rate is 0.02').verdict).toBe('unverified');
    expect(run.claim('license').verdict).toBe('unverified');
  });
});
