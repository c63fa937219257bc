import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

describe('prose of validation reports and training write-ups', () => {
  it('does not read a numbered paragraph\'s number or a "so that" clause as the setting before it', async () => {
    const run = await runEngine({
      'config/params.yaml': 'decision:\n  threshold: 0.62\n  alert_rate: 0.005\n',
      'card.md': [
        '# Report', '',
        '## 7. Threshold', '',
        '7.1 The decision threshold is set on the dev hold-out so that 0.5% of authorisations are alerted.', '',
        '7.2 The threshold itself is 0.70.', '',
      ].join('\n'),
    });
    expect(run.claims.some((c) => c.verdict === 'contradicted' && /7\.1|0\.5%/.test(c.text))).toBe(false);
    const threshold = run.claim('itself is 0.70');
    expect(threshold.verdict).toBe('contradicted');
    expect(threshold.explanation).toContain('0.62');
  });

  it('reads model families as names, not inside identifiers or loss names', async () => {
    const run = await runEngine({
      'src/train.py': 'import xgboost as xgb\nmodel = xgb.XGBClassifier(objective="binary:logistic", max_depth=6)\n',
      'card.md': '# m\n\nThe model is a gradient-boosted decision tree ensemble trained with XGBoost using the `binary:logistic` objective.\n\nIt is a logistic regression.\n',
    });
    expect(run.claim('gradient-boosted decision tree').verdict).toBe('supported');
    expect(run.claims.filter((c) => c.text.includes('binary:logistic')).every((c) => c.verdict !== 'contradicted')).toBe(true);
    expect(run.claim('logistic regression').verdict).toBe('contradicted');
  });

  it('takes an unqualified setting for training, not evaluation or data preparation', async () => {
    const run = await runEngine({
      'train_sft.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--per_device_train_batch_size", type=int, default=4)\np.add_argument("--seed", type=int, default=42)\n',
      'eval/run_eval.sh': 'lm_eval --model hf --tasks mmlu --batch_size 8\n',
      'data/prepare_mix.py': 'import argparse\nap = argparse.ArgumentParser()\nap.add_argument("--seed", type=int, default=1234)\n',
      'card.md': '# m\n\n- Batch size: 8 sequences per GPU\n- Random seed (training): 1234\n- Evaluation batch size: 8\n',
    });
    expect(run.claim('Batch size: 8').verdict).toBe('contradicted');
    expect(run.claim('Random seed').verdict).toBe('contradicted');
    expect(run.claim('Evaluation batch size').verdict).toBe('supported');
  });

  it('does not take an epoch number for the number of epochs', async () => {
    const run = await runEngine({
      'configs/train.yaml': 'epochs: 40\n',
      'logs/train.log': 'epoch 34 | val_acc 0.9893\nepoch 40 | val_acc 0.9881\n',
      'card.md': '# m\n\nValidation accuracy peaked in epoch 34.\n\nWe trained for 50 epochs.\n',
    });
    expect(run.claim('in epoch 34').verdict).not.toBe('contradicted');
    expect(run.claim('50 epochs').verdict).toBe('contradicted');
  });
});
