/**
 * What cards call a package versus its name on PyPI / conda (PEP 503 normalised).
 * Only names that differ need an entry; any other word is normalised and tried as is.
 */
export const PACKAGE_ALIASES: Record<string, string[]> = {
  pytorch: ['torch', 'pytorch'],
  torch: ['torch', 'pytorch'],
  'scikit-learn': ['scikit-learn', 'sklearn'],
  sklearn: ['scikit-learn', 'sklearn'],
  tensorflow: ['tensorflow', 'tensorflow-gpu', 'tensorflow-cpu'],
  'hugging-face-transformers': ['transformers'],
  'lightning': ['lightning', 'pytorch-lightning'],
  'pytorch-lightning': ['pytorch-lightning', 'lightning'],
  jax: ['jax', 'jaxlib'],
  cuda: ['cuda', 'cudatoolkit', 'cuda-toolkit', 'pytorch-cuda', 'cuda-version'],
  opencv: ['opencv-python', 'opencv-python-headless', 'opencv'],
  pillow: ['pillow', 'pil'],
  'hf-datasets': ['datasets'],
};

/** Package names cards commonly pair with a version; used to recognise "X 1.2" as a version claim. */
export const KNOWN_PACKAGES = new Set([
  'python', 'pytorch', 'torch', 'torchvision', 'torchaudio', 'transformers', 'datasets', 'tokenizers', 'accelerate',
  'deepspeed', 'peft', 'trl', 'scikit-learn', 'sklearn', 'tensorflow', 'keras', 'jax', 'flax', 'numpy', 'pandas', 'scipy',
  'xgboost', 'lightgbm', 'catboost', 'statsmodels', 'cuda', 'cudnn', 'lightning', 'pytorch-lightning', 'timm', 'spacy',
  'onnx', 'onnxruntime', 'optuna', 'matplotlib', 'seaborn', 'tiktoken', 'sentencepiece', 'safetensors', 'bitsandbytes',
  'vllm', 'triton', 'nltk', 'gensim', 'opencv', 'pillow', 'einops', 'hydra-core', 'omegaconf', 'wandb', 'mlflow', 'evaluate',
]);

export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function packageCandidates(cardName: string): string[] {
  const n = normalizePackageName(cardName);
  return PACKAGE_ALIASES[n] ?? [n];
}
