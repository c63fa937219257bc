import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

describe('quantities the vocabulary names with units, thresholds and parts', () => {
  it('reads a clip-length filter in seconds, not a token length', async () => {
    const run = await runEngine({
      'run_finetune.py': 'from dataclasses import dataclass, field\n@dataclass\nclass DataArgs:\n    max_duration_in_seconds: float = field(default=20.0)\n',
      'train.sh': 'python run_finetune.py \\\n  --max_duration_in_seconds 30 \\\n  --max_length 256\n',
      'card.md': '# m\n\nClips longer than 20 seconds were removed.\n\nSequences longer than 256 tokens are cut.\n',
    });
    const clips = run.claim('longer than 20 seconds');
    expect(clips.verdict).toBe('contradicted');
    expect(clips.explanation).toContain('30');
    expect(run.claim('256 tokens').verdict).not.toBe('contradicted');
  });

  it('checks a stated training time against the run\'s recorded runtime', async () => {
    const run = await runEngine({
      'output/all_results.json': '{\n  "eval_runtime": 1168.9,\n  "train_runtime": 41234.6\n}\n',
      'card.md': '# m\n\nThe run took about 9 hours of wall-clock time.\n\nTraining took about 11.5 hours.\n',
    });
    expect(run.claim('9 hours').verdict).toBe('contradicted');
    expect(run.claim('11.5 hours').verdict).toBe('supported');
  });

  it('takes the mean of a per-class metric for a claim that names no class', async () => {
    const run = await runEngine({
      'results/test_metrics.json': '{\n  "dice": {\n    "lungs": 0.951,\n    "heart": 0.903,\n    "mean": 0.842\n  },\n  "iou": {\n    "mean": 0.747\n  }\n}\n',
      'card.md': '# m\n\n| Metric | Value |\n|---|---|\n| Mean Dice (test) | 0.870 |\n| Heart Dice | 0.903 |\n| Mean IoU | 0.747 |\n',
    });
    const mean = run.claim('Mean Dice');
    expect(mean.verdict).toBe('contradicted');
    expect(mean.explanation).toContain('0.842');
    expect(run.claim('Heart Dice').verdict).toBe('supported');
    expect(run.claim('Mean IoU').verdict).toBe('supported');
  });

  it('reads a filter rule\'s bound as the threshold it sets', async () => {
    const run = await runEngine({
      'config/model_config.yaml': 'selection:\n  iv_min: 0.05\n  iv_max: 0.50\n',
      'card.md': '# m\n\nCharacteristics with an Information Value (IV) below 0.02 were dropped.\n\nCharacteristics with an IV below 0.05 were removed.\n',
    });
    expect(run.claim('below 0.02').verdict).toBe('contradicted');
    expect(run.claim('below 0.05').verdict).toBe('supported');
  });
});

describe('adapter, regulariser and export settings, and names used as keys', () => {
  it('checks LoRA, mixup, drop-path and opset settings against their own keys', async () => {
    const run = await runEngine({
      'train_sft.py': 'from peft import LoraConfig\ncfg = LoraConfig(r=64, lora_alpha=128, lora_dropout=0.05)\n',
      'configs/vit.yaml': 'mixup: 0.2\ndrop_path: 0.1\nlabel_smoothing: 0.1\n',
      'export_onnx.py': 'import torch\ntorch.onnx.export(model, x, "m.onnx", opset_version=14)\n',
      'card.md': [
        '# m', '',
        '| Setting | Value |', '|---|---|',
        '| Rank (r) | 16 |', '| LoRA alpha | 128 |', '| Mixup α | 0.8 |', '| Label smoothing | 0.1 |', '',
        'We use a drop-path rate of 0.2.', '',
        'The model is exported to ONNX at opset 17.', '',
      ].join('\n'),
    });
    expect(run.claim('Rank (r)').verdict).toBe('contradicted');
    expect(run.claim('LoRA alpha').verdict).toBe('supported');
    expect(run.claim('Mixup').verdict).toBe('contradicted');
    expect(run.claim('Label smoothing').verdict).toBe('supported');
    expect(run.claim('drop-path rate of 0.2').verdict).toBe('contradicted');
    expect(run.claim('opset 17').verdict).toBe('contradicted');
  });

  it('finds a data set named as a dictionary key of a mixture', async () => {
    const run = await runEngine({
      'data/prepare_mix.py': 'MIXTURE = {\n    "HuggingFaceH4/ultrachat_200k": 0.55,\n    "meta-math/MetaMathQA": 0.30,\n}\n',
      'card.md': '---\ndatasets:\n  - HuggingFaceH4/ultrachat_200k\n  - meta-math/MetaMathQA\n---\n# m\n',
    });
    expect(run.claim('ultrachat_200k').verdict).toBe('supported');
    expect(run.claim('MetaMathQA').verdict).toBe('supported');
  });
});
