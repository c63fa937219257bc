/**
 * Architectures that come in sizes, as a card and code name them: "ResNet-50" and `resnet34`,
 * "whisper-small" and `openai/whisper-medium`, "EfficientNet-B3" and `efficientnet_b0`. Within a
 * family the size is a choice: a workspace that builds another size (and never the card's) says
 * the card is wrong.
 */
export interface ModelVariantFamily {
  /** Compacted family name as it starts a compacted code name (`resnet`, `efficientnetb`). */
  family: string;
  /** The card's spelling: the family word and its size, in one match. */
  card: RegExp;
  /** A size as it follows the family in a compacted code name. */
  size: RegExp;
}

const SIZES = '(?:tiny|mini|small|base|medium|large|xlarge|xl|huge)';

export const MODEL_VARIANT_FAMILIES: ModelVariantFamily[] = [
  { family: 'resnet', card: /\bResNet[-_ ]?(18|26|34|50|101|152|200)\b/gi, size: /^(18|26|34|50|101|152|200)(?![0-9])/ },
  { family: 'resnext', card: /\bResNeXt[-_ ]?(26|50|101|152)\b/gi, size: /^(26|50|101|152)(?![0-9])/ },
  { family: 'wideresnet', card: /\bWide[-_ ]?ResNet[-_ ]?(28|50|101)\b/gi, size: /^(28|50|101)(?![0-9])/ },
  { family: 'densenet', card: /\bDenseNet[-_ ]?(121|161|169|201)\b/gi, size: /^(121|161|169|201)(?![0-9])/ },
  { family: 'vgg', card: /\bVGG[-_ ]?(11|13|16|19)\b/gi, size: /^(11|13|16|19)(?![0-9])/ },
  { family: 'efficientnetb', card: /\bEfficientNet[-_ ]?B([0-8])\b/gi, size: /^([0-8])(?![0-9])/ },
  { family: 'mobilenetv', card: /\bMobileNet[-_ ]?V([1-4])\b/gi, size: /^([1-4])(?![0-9])/ },
  { family: 'convnext', card: new RegExp(`\\bConvNeXt[-_ ]?(${SIZES})\\b`, 'gi'), size: new RegExp(`^(${SIZES})`) },
  { family: 'swin', card: new RegExp(`\\bSwin[-_ ]?(${SIZES})\\b`, 'gi'), size: new RegExp(`^(${SIZES})`) },
  { family: 'bert', card: new RegExp(`(?<![A-Za-z])BERT[-_ ](${SIZES})\\b`, 'gi'), size: new RegExp(`^(${SIZES})`) },
  { family: 'roberta', card: new RegExp(`\\bRoBERTa[-_ ](${SIZES})\\b`, 'gi'), size: new RegExp(`^(${SIZES})`) },
  { family: 'debertav3', card: new RegExp(`\\bDeBERTa[-_ ]?v3[-_ ](${SIZES}|xsmall)\\b`, 'gi'), size: new RegExp(`^(xsmall|${SIZES})`) },
  { family: 'gpt2', card: /\bGPT[-_ ]?2[-_ ](medium|large|xl)\b/gi, size: /^(medium|large|xl)/ },
  { family: 't5', card: /\bT5[-_ ](small|base|large|3b|11b)\b/gi, size: /^(small|base|large|3b|11b)/ },
  { family: 'whisper', card: /\bWhisper[-_ ](tiny|base|small|medium|large(?:[-_ ]?v[23])?)\b/gi, size: /^(tiny|base|small|medium|large)/ },
  { family: 'wav2vec2', card: /\bwav2vec\s?2(?:\.0)?[-_ ](base|large)\b/gi, size: /^(base|large)/ },
];

/** The size a compacted code name gives the family, if it names the family at all. */
export function sizeIn(name: string, family: ModelVariantFamily): string | undefined {
  let at = name.indexOf(family.family);
  while (at >= 0) {
    const m = family.size.exec(name.slice(at + family.family.length));
    if (m) return m[1].toLowerCase();
    at = name.indexOf(family.family, at + 1);
  }
  return undefined;
}
