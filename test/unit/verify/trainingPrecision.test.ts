import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

describe('the training precision a card states', () => {
  it('is checked against the precision a Lightning config chooses', async () => {
    const run = await runEngine({
      'configs/trainer/default.yaml': 'max_epochs: 80\nprecision: 16-mixed\n',
      'card.md': '# m\n\n| Setting | Value |\n|---|---|\n| Precision | bf16 mixed |\n\nWe trained in fp16 mixed precision.\n',
    });
    const bf16 = run.claim('bf16 mixed');
    expect(bf16.verdict).toBe('contradicted');
    expect(bf16.explanation).toContain('16-mixed');
    expect(run.claim('fp16 mixed precision').verdict).toBe('supported');
  });

  it('reads the Trainer\'s boolean switches, ignoring one that is off', async () => {
    const run = await runEngine({
      'train.py': 'from transformers import TrainingArguments\nargs = TrainingArguments(fp16=False, bf16=True)\n',
      'card.md': '# m\n\nMixed precision (bf16) training was enabled.\n\nWeights were trained in FP16.\n',
    });
    expect(run.claim('(bf16)').verdict).toBe('supported');
    expect(run.claim('FP16').verdict).toBe('contradicted');
  });

  it('leaves a precision no setting chooses unverified', async () => {
    const run = await runEngine({
      'train.py': 'import torch\nmodel = torch.nn.Linear(4, 2)\n',
      'card.md': '# m\n\nTraining used bf16.\n',
    });
    expect(run.claim('bf16').verdict).toBe('unverified');
  });
});
