import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';
import { MODEL_VARIANT_FAMILIES, sizeIn } from '../../../src/engine/verify/modelVariants.js';

const family = (name: string) => {
  const f = MODEL_VARIANT_FAMILIES.find((x) => x.family === name);
  if (!f) throw new Error(name);
  return f;
};

describe('sizes of an architecture family', () => {
  it('reads the size a compacted code name gives', () => {
    expect(sizeIn('resnet34', family('resnet'))).toBe('34');
    expect(sizeIn('timmresnet50d', family('resnet'))).toBe('50');
    expect(sizeIn('openaiwhispersmall', family('whisper'))).toBe('small');
    expect(sizeIn('bertbaseuncased', family('bert'))).toBe('base');
    expect(sizeIn('efficientnetb3', family('efficientnetb'))).toBe('3');
    expect(sizeIn('resnetblock', family('resnet'))).toBeUndefined();
  });
});

describe('a card naming a sized architecture', () => {
  it('is contradicted by another size the code chooses, supported by its own', async () => {
    const run = await runEngine({
      'configs/model/unet.yaml': 'arch: Unet\nencoder_name: resnet34\nencoder_weights: imagenet\n',
      'train.sh': 'python train.py --model_name_or_path openai/whisper-small\n',
      'card.md': [
        '# m', '',
        'Encoder: ResNet-50, initialised with ImageNet weights.', '',
        'The speech model is Whisper small.', '',
        'We also tried EfficientNet-B3 in an early study.', '',
      ].join('\n'),
    });
    const enc = run.claim('ResNet-50');
    expect(enc.verdict).toBe('contradicted');
    expect(enc.explanation).toContain('resnet34');
    // The clause after it names what the code confirms: a claim of its own.
    expect(run.claim('ImageNet weights').verdict).toBe('supported');
    expect(run.claim('Whisper small').verdict).toBe('supported');
    // A size of a family the code never names is not contradicted.
    expect(run.claim('EfficientNet-B3').verdict).toBe('unverified');
  });

  it('leaves out a trailing clause the workspace does not confirm', async () => {
    const run = await runEngine({
      'configs/model.yaml': 'encoder_name: resnet34\n',
      'card.md': '# m\n\nEncoder: ResNet-34, a choice the Radiology Board approved.\n',
    });
    expect(run.claim('ResNet-34').verdict).toBe('supported');
    expect(run.claims.some((c) => c.text.includes('Radiology Board') && c.verdict !== 'supported' && !c.text.includes('ResNet'))).toBe(false);
  });
});
