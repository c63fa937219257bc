import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';
import { countsInstancesOf, keysOfCodeName } from '../../../src/engine/verify/keyMatch.js';

describe('which setting a code name is', () => {
  it('does not take a bound on a quantity for the quantity', () => {
    expect(keysOfCodeName('split.min_rows')).toEqual([]);
    expect(keysOfCodeName('max_samples')).toEqual([]);
    expect(keysOfCodeName('num_rows')).toEqual(['num_samples']);
    // Bounds that are keys of their own keep them.
    expect(keysOfCodeName('trainer.max_epochs')).toEqual(['epochs']);
    expect(keysOfCodeName('min_child_samples')).toEqual(['min_samples_leaf']);
  });

  it('does not take a loss weight for a parameter count', () => {
    expect(keysOfCodeName('loss.dice_weight')).toEqual([]);
    expect(keysOfCodeName('num_parameters')).toEqual(['parameters']);
  });

  it('tells input channels from output channels, and boosting fractions from feature counts', () => {
    expect(keysOfCodeName('in_channels')).toEqual(['in_channels']);
    expect(keysOfCodeName('model.in_chans')).toEqual(['in_channels']);
    expect(keysOfCodeName('out_channels')).toEqual(['out_channels']);
    expect(keysOfCodeName('model.feature_fraction')).toEqual(['colsample']);
    expect(keysOfCodeName('bagging_fraction')).toEqual(['subsample']);
    expect(keysOfCodeName('gradient_clip_val')).toEqual(['grad_clip']);
    expect(keysOfCodeName('early_stopping_rounds')).toEqual(['patience']);
  });

  it('reads a plural after a number as a count of things the key does not count', () => {
    expect(countsInstancesOf('seed', ' random seeds to check')).toBe(true);
    expect(countsInstancesOf('batch_size', ' batches')).toBe(true);
    expect(countsInstancesOf('epochs', ' epochs')).toBe(false);
    expect(countsInstancesOf('num_layers', ' layers')).toBe(false);
    expect(countsInstancesOf('seed', '')).toBe(false);
  });
});

describe('claims the vocabulary used to misread', () => {
  it('keeps a row bound, a loss weight and a seed value out of counts', async () => {
    const run = await runEngine({
      'params.yaml': 'split:\n  min_rows: 5000\nloss:\n  dice_weight: 1.0\n',
      'train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--seed", type=int, default=42)\n',
      'card.md': [
        '# m', '',
        'The training table holds 1,284,316 rows.', '',
        'In total the network has about 24.4M trainable parameters.', '',
        'We re-trained with 5 random seeds to check the ranking.', '',
        'The random seed is 7.', '',
      ].join('\n'),
    });
    expect(run.claim('1,284,316 rows').verdict).toBe('unverified');
    expect(run.claim('24.4M trainable parameters').verdict).toBe('unverified');
    expect(run.claim('5 random seeds').verdict).toBe('unverified');
    expect(run.claim('random seed is 7').verdict).toBe('contradicted');
  });

  it('does not let a word of a file name stand for the setting a claim names', async () => {
    const run = await runEngine({
      'src/train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--num-leaves", type=int, default=31)\n',
      'card.md': '# m\n\nThe median tenure in the training window is 31 months.\n',
    });
    expect(run.claim('31 months').verdict).toBe('unverified');
  });

  it('decides a setting the card names by its code identifier', async () => {
    const run = await runEngine({
      'src/train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--lambda-l1", type=float, default=0.1)\np.add_argument("--min-sum-hessian", type=float, default=0.001)\n',
      'card.md': '# m\n\n| Parameter | Value |\n|---|---|\n| lambda_l1 | 0.5 |\n| min_sum_hessian | 0.001 |\n',
    });
    const l1 = run.claim('lambda_l1');
    expect(l1.verdict).toBe('contradicted');
    expect(l1.explanation).toContain('0.1');
    expect(run.claim('min_sum_hessian').verdict).toBe('supported');
  });

  it('checks boosting fractions against their own settings, not each other', async () => {
    const run = await runEngine({
      'params.yaml': 'model:\n  feature_fraction: 0.8\n  bagging_fraction: 0.7\n  num_leaves: 31\n',
      'card.md': '# m\n\n| Parameter | Value |\n|---|---|\n| feature_fraction | 0.8 |\n| bagging_fraction | 0.8 |\n| num_leaves | 63 |\n',
    });
    expect(run.claim('feature_fraction').verdict).toBe('supported');
    expect(run.claim('bagging_fraction').verdict).toBe('contradicted');
    expect(run.claim('num_leaves').verdict).toBe('contradicted');
  });

  it('reads a count written as a word before what it counts', async () => {
    const run = await runEngine({
      'train.py': 'from transformers import TrainingArguments\nargs = TrainingArguments(num_train_epochs=3, per_device_train_batch_size=32)\n',
      'card.md': '# m\n\nTraining ran for three epochs.\n\nWe tried five epochs first.\n\nEach run used one of four epochs schedules.\n',
    });
    expect(run.claim('three epochs').verdict).toBe('supported');
    expect(run.claim('five epochs').verdict).toBe('contradicted');
    // "one of four …" picks among them; it sets nothing.
    expect(run.claim('one of four').verdict).not.toBe('contradicted');
  });

  it('does not take an image model\'s input channels for its output channels', async () => {
    const run = await runEngine({
      'configs/model.yaml': 'in_channels: 3\nclasses: 4\n',
      'card.md': '# m\n\nThe head has 3 output channels.\n\nImages enter with 3 input channels.\n',
    });
    expect(run.claim('3 output channels').verdict).not.toBe('supported');
    expect(run.claim('3 input channels').verdict).toBe('supported');
  });
});

describe('where a learning rate decays to', () => {
  it('is the schedule\'s minimum, in prose and in a table cell', async () => {
    const run = await runEngine({
      'configs/optimizer.yaml': 'lr: 3.0e-4\n',
      'configs/scheduler.yaml': 'name: cosine\nmin_lr: 1.0e-6\n',
      'card.md': [
        '# m', '',
        'The learning rate of 3e-4 decays with a cosine schedule to 1e-6.', '',
        '| Hyperparameter | Value |', '|---|---|', '| LR schedule | cosine decay to 1e-5 |', '',
      ].join('\n'),
    });
    expect(run.claims.find((c) => c.cardValue === '1e-6')?.verdict).toBe('supported');
    const cell = run.claims.find((c) => c.text.includes('LR schedule') && c.cardValue === '1e-5');
    expect(cell?.verdict).toBe('contradicted');
    expect(cell?.explanation).toContain('min_lr');
  });
});
