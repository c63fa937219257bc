import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

// The card `transformers.Trainer` writes after a run, against the files the run leaves behind.
const CARD = `---
license: apache-2.0
base_model: bert-base-uncased
tags:
- generated_from_trainer
metrics:
- accuracy
---

# bert-finetuned-sst2

This model is a fine-tuned version of [bert-base-uncased](https://huggingface.co/bert-base-uncased) on the glue dataset.
It achieves the following results on the evaluation set:
- Loss: 0.2711
- Accuracy: 0.9243

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 3e-05
- train_batch_size: 16
- eval_batch_size: 32
- seed: 7
- gradient_accumulation_steps: 2
- total_train_batch_size: 32
- optimizer: Adam with betas=(0.9,0.98) and epsilon=1e-08
- lr_scheduler_type: linear
- num_epochs: 2

### Training results

| Training Loss | Epoch | Step | Validation Loss | Accuracy |
|:-------------:|:-----:|:----:|:---------------:|:--------:|
| 0.3012        | 1.0   | 2105 | 0.2950          | 0.9106   |
| 0.1723        | 2.0   | 4210 | 0.2711          | 0.9243   |

### Framework versions

- Transformers 4.38.2
- Pytorch 2.2.1+cu121
- Datasets 2.18.0
`;

const TRAIN = `from transformers import Trainer, TrainingArguments
args = TrainingArguments(
    output_dir="out",
    learning_rate=3e-5,
    per_device_train_batch_size=16,
    per_device_eval_batch_size=32,
    gradient_accumulation_steps=2,
    num_train_epochs=3,
    seed=7,
    adam_beta1=0.9,
    adam_beta2=0.999,
    lr_scheduler_type="linear",
)
`;

describe('a Trainer-generated card', () => {
  it('checks the hyperparameter list, results and versions without false alarms on the log table', async () => {
    const run = await runEngine({
      'README.md': CARD,
      'train.py': TRAIN,
      'LICENSE': '                                 Apache License\n                           Version 2.0, January 2004\n',
      'requirements.txt': 'transformers==4.38.2\ntorch==2.2.1\ndatasets==2.18.0\n',
      'all_results.json': '{\n  "epoch": 3.0,\n  "eval_accuracy": 0.9243,\n  "eval_loss": 0.2711\n}\n',
    }, 'README.md');
    expect(run.claim('learning_rate: 3e-05').verdict).toBe('supported');
    expect(run.claim('train_batch_size: 16').verdict).toBe('supported');
    expect(run.claim('eval_batch_size: 32').verdict).toBe('supported');
    expect(run.claim('total_train_batch_size').verdict).not.toBe('contradicted');
    expect(run.claim('seed: 7').verdict).toBe('supported');
    expect(run.claim('num_epochs: 2').verdict).toBe('contradicted');
    expect(run.claim('betas=(0.9,0.98)').verdict).toBe('contradicted');
    expect(run.claim('Loss: 0.2711').verdict).toBe('supported');
    expect(run.claim('Accuracy: 0.9243').verdict).toBe('supported');
    expect(run.claim('Transformers 4.38.2').verdict).toBe('supported');
    expect(run.claim('Pytorch 2.2.1').verdict).toBe('supported');
    expect(run.claim('license').verdict).toBe('supported');
    // Earlier epochs of the log table are not the final values: never a contradiction.
    const logRows = run.claims.filter((c) => /0\.2950|0\.9106|0\.3012/.test(c.text));
    expect(logRows.length).toBeGreaterThan(0);
    expect(logRows.every((c) => c.verdict !== 'contradicted')).toBe(true);
  });
});
