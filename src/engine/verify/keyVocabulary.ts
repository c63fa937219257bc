import type { ClaimKind } from '../model.js';

/**
 * The canonical vocabulary: what a card calls a setting and what code calls it.
 * Each phrase is matched on content tokens (see tokens.ts), so "learning-rate", "lr" and
 * "learningRate" need no separate entries. Kept as data so a new synonym is one line.
 * `card` phrases are looked for in the words around a card's number; `code` phrases in a fact's
 * key path. A phrase listed in `both` serves both sides.
 */
export interface KeyEntry {
  key: string;
  kind: ClaimKind;
  both: string[];
  card?: string[];
  code?: string[];
  /** A measured quantity (metric) rather than a setting: the last logged value is the effective one. */
  metric?: boolean;
  /** Card words that name the value only right after it ("30,000 clients"), count nouns mostly. */
  countNouns?: string[];
  /** The base unit a card's number for this key carries ("16 kHz"); a number in another unit is another quantity. */
  unit?: 's' | 'Hz' | 'byte';
  /** Only a number in `unit` names this key: "longer than 20 seconds" is a duration, "longer than 256 tokens" is not. */
  requiresUnit?: boolean;
}

export const KEY_VOCABULARY: KeyEntry[] = [
  { key: 'learning_rate', kind: 'hyperparameter', both: ['learning rate', 'lr'], card: ['peak learning rate', 'step size'], code: ['max_lr', 'base_lr', 'eta'] },
  { key: 'min_learning_rate', kind: 'hyperparameter', both: ['min lr', 'minimum learning rate', 'final lr', 'lr floor'], code: ['eta_min', 'end_lr'] },
  // A lower bound on an estimate (a regulatory LGD floor); a learning rate's floor is only one of them (NARROWER_KEYS).
  { key: 'floor', kind: 'procedure', both: ['floor', 'regulatory floor', 'lgd floor', 'pd floor'] },
  { key: 'batch_size', kind: 'hyperparameter', both: ['batch size'], card: ['batch', 'examples per device', 'samples per device', 'sequences per device', 'examples per gpu', 'samples per gpu', 'sequences per gpu'], code: ['batch_size', 'bs'] },
  { key: 'global_batch_size', kind: 'hyperparameter', both: ['global batch', 'effective batch', 'total batch', 'total train batch size', 'total batch size', 'global batch size', 'effective batch size'] },
  { key: 'betas', kind: 'hyperparameter', both: ['betas', 'adam betas'] },
  { key: 'micro_batch_size', kind: 'hyperparameter', both: ['micro batch', 'per device batch', 'per gpu batch', 'device batch'] },
  { key: 'grad_accum', kind: 'hyperparameter', both: ['gradient accumulation', 'accumulation steps', 'accumulation', 'accumulate', 'grad accum'] },
  { key: 'epochs', kind: 'hyperparameter', both: ['epochs', 'num epochs', 'max epochs', 'train epochs'], card: ['epoch'] },
  { key: 'max_steps', kind: 'hyperparameter', both: ['max steps', 'total steps', 'training steps', 'max iters', 'train steps'] },
  { key: 'warmup', kind: 'hyperparameter', both: ['warmup', 'warm up', 'warmup steps', 'warmup ratio'] },
  { key: 'weight_decay', kind: 'hyperparameter', both: ['weight decay', 'l2 penalty'] },
  { key: 'momentum', kind: 'hyperparameter', both: ['momentum'] },
  { key: 'beta1', kind: 'hyperparameter', both: ['beta1', 'adam beta1', 'betas 0'] },
  { key: 'beta2', kind: 'hyperparameter', both: ['beta2', 'adam beta2', 'betas 1'] },
  { key: 'epsilon', kind: 'hyperparameter', both: ['epsilon', 'adam epsilon', 'optimizer epsilon'] },
  // Not the optimizer's: HF configs' layer_norm_eps (1e-5) against a card's "epsilon=1e-08" (Adam's).
  { key: 'layer_norm_eps', kind: 'architecture', both: ['layer norm epsilon', 'norm eps', 'layer norm eps', 'norm epsilon', 'layernorm epsilon', 'layernorm eps'] },
  { key: 'dropout', kind: 'hyperparameter', both: ['dropout', 'dropout rate', 'drop rate', 'dropout p', 'dropout probability'], code: ['Dropout.p', 'Dropout.0', 'dropout prob'] },
  { key: 'label_smoothing', kind: 'hyperparameter', both: ['label smoothing'] },
  // Regularisers of image training (timm's argument names).
  { key: 'mixup_alpha', kind: 'hyperparameter', both: ['mixup alpha', 'mixup', 'mixup α'] },
  { key: 'cutmix_alpha', kind: 'hyperparameter', both: ['cutmix alpha', 'cutmix', 'cutmix α'] },
  { key: 'drop_path', kind: 'hyperparameter', both: ['drop path', 'drop path rate', 'stochastic depth', 'stochastic depth rate'] },
  { key: 'ema_decay', kind: 'hyperparameter', both: ['ema decay', 'model ema decay', 'ema'] },
  { key: 'opset', kind: 'procedure', both: ['opset', 'opset version', 'onnx opset'] },
  { key: 'grad_clip', kind: 'hyperparameter', both: ['gradient clipping', 'clip grad', 'max grad norm', 'grad clip', 'gradient norm', 'gradient clip val', 'gradient clip'] },
  { key: 'seed', kind: 'hyperparameter', both: ['seed', 'random seed', 'random state'] },
  { key: 'num_layers', kind: 'architecture', both: ['layers', 'num layers', 'number layers', 'n layer', 'n layers', 'num hidden layers', 'transformer layers', 'encoder layers', 'decoder layers', 'blocks'], code: ['n_layer', 'num_hidden_layers', 'num_layers', 'n_layers'] },
  { key: 'num_heads', kind: 'architecture', both: ['heads', 'attention heads', 'num heads', 'n head', 'num attention heads'] },
  { key: 'hidden_size', kind: 'architecture', both: ['hidden size', 'hidden dimension', 'model width', 'width', 'd model', 'embedding dimension', 'n embd', 'hidden dim', 'model dimension', 'embed dim', 'embedding size', 'embed size', 'embedding dim'] },
  { key: 'ffn_size', kind: 'architecture', both: ['intermediate size', 'feedforward', 'feed forward', 'ffn dimension', 'd ff', 'mlp dimension'] },
  { key: 'vocab_size', kind: 'architecture', both: ['vocabulary', 'vocabulary size', 'vocab size', 'embedding table'] },
  { key: 'context_length', kind: 'architecture', both: ['context length', 'block size', 'sequence length', 'context window', 'n ctx', 'max seq len', 'seq len', 'context size', 'max sequence length'] },
  { key: 'max_length', kind: 'data', both: ['max length', 'truncated', 'truncation', 'maximum length', 'max len', 'max input length', 'max source length'] },
  // Code side only: a card's "confusion" is decided on the matrix (decideConfusion), not as a number.
  { key: 'confusion_matrix', kind: 'metric', both: [], code: ['confusion matrix'], metric: true },
  { key: 'num_classes', kind: 'architecture', both: ['classes', 'num classes', 'number classes', 'num labels', 'labels', 'n classes', 'output classes'] },
  // Its own key: an image model's 3 input channels say nothing of a layer's output channels.
  // (`in_channels` itself reads as plain "channels": keyMatch's keysOfCodeName tells it by its prefix.)
  { key: 'in_channels', kind: 'architecture', both: ['input channels', 'input channel', 'image channels', 'num channels'] },
  { key: 'out_channels', kind: 'architecture', both: ['filters', 'channels', 'out channels', 'out ch', 'num filters', 'feature maps'] },
  { key: 'out_features', kind: 'architecture', both: ['units', 'hidden units', 'out features', 'neurons'], code: ['Linear.out_features', 'Linear.1', 'Dense.units', 'Dense.0'] },
  { key: 'kernel_size', kind: 'architecture', both: ['kernel size', 'kernel', 'filter size'] },
  { key: 'n_estimators', kind: 'architecture', both: ['trees', 'estimators', 'n estimators', 'num trees', 'boosting rounds', 'num boost round'] },
  { key: 'num_leaves', kind: 'architecture', both: ['num leaves', 'number leaves', 'max leaves', 'leaves per tree'], countNouns: ['leaves'] },
  // Row and column subsampling of gradient boosting (LightGBM, XGBoost): fractions, not counts.
  { key: 'subsample', kind: 'hyperparameter', both: ['subsample', 'bagging fraction', 'row subsample', 'row sampling', 'subsample ratio'] },
  { key: 'colsample', kind: 'hyperparameter', both: ['colsample bytree', 'feature fraction', 'column subsample', 'colsample', 'column sampling', 'max features'] },
  { key: 'patience', kind: 'hyperparameter', both: ['patience', 'early stopping patience', 'early stopping rounds', 'stopping rounds', 'early stopping round'] },
  { key: 'min_samples_leaf', kind: 'hyperparameter', both: ['min samples leaf', 'minimum samples leaf', 'samples per leaf', 'min leaf size', 'minimum leaf size', 'min child samples'] },
  { key: 'min_samples_split', kind: 'hyperparameter', both: ['min samples split', 'minimum samples split', 'samples to split'] },
  { key: 'max_depth', kind: 'architecture', both: ['max depth', 'maximum depth', 'tree depth'], card: ['depth'] },
  { key: 'n_splits', kind: 'procedure', both: ['n splits', 'num folds', 'n folds', 'cv folds', 'k fold', 'number folds'], card: ['folds', 'fold'], code: ['cv'] },
  { key: 'n_mels', kind: 'data', both: ['mel', 'mels', 'mel bins', 'n mels', 'mel filterbank', 'filterbank', 'num mel bins'] },
  { key: 'freq_mask', kind: 'data', both: ['freq mask', 'frequency mask', 'frequency masking', 'freq mask param', 'freq mask width'] },
  { key: 'time_mask', kind: 'data', both: ['time mask', 'time masking', 'time mask param', 'time mask width'] },
  { key: 'num_freq_masks', kind: 'data', both: ['num freq masks', 'n freq masks', 'number frequency masks'] },
  { key: 'num_time_masks', kind: 'data', both: ['num time masks', 'n time masks', 'number time masks'] },
  { key: 'sample_rate', kind: 'data', unit: 'Hz', both: ['sample rate', 'sampling rate', 'sr', 'hz', 'khz'] },
  { key: 'image_size', kind: 'data', both: ['image size', 'resolution', 'input size', 'crop size', 'img size'] },
  { key: 'padding', kind: 'data', both: ['padding', 'pad'] },
  { key: 'num_gpus', kind: 'compute', both: ['nproc per node', 'num processes', 'num gpus', 'world size', 'gpu count', 'num devices', 'number gpus'], code: ['gpus'], countNouns: ['gpus', 'gpu', 'devices', 'accelerators'] },
  { key: 'num_nodes', kind: 'compute', both: ['nnodes', 'num nodes', 'number nodes'], code: ['nodes'], countNouns: ['nodes', 'node', 'machines', 'hosts'] },
  { key: 'pdo', kind: 'hyperparameter', both: ['pdo', 'points double odds', 'points to double the odds', 'points double the odds'] },
  { key: 'base_score', kind: 'hyperparameter', both: ['base score', 'target score', 'anchor score', 'base points'] },
  { key: 'base_odds', kind: 'hyperparameter', both: ['base odds', 'odds', 'target odds'] },
  { key: 'days_past_due', kind: 'data', unit: 's', both: ['days past due', 'dpd', 'days overdue', 'delinquency days'] },
  { key: 'performance_window', kind: 'data', both: ['performance window', 'outcome window', 'performance period'] },
  { key: 'observation_window', kind: 'data', both: ['observation window', 'observation period', 'lookback window'] },
  { key: 'n_bins', kind: 'procedure', both: ['bins', 'n bins', 'num bins', 'max bins', 'number bins', 'binning bins'] },
  { key: 'threshold', kind: 'procedure', both: ['cutoff', 'cut off', 'decision threshold', 'threshold', 'approval cutoff', 'score cutoff', 'cutoff score'] },
  { key: 'test_size', kind: 'data', both: ['test size', 'test split', 'holdout fraction', 'validation split', 'test fraction'] },
  { key: 'num_samples', kind: 'data', both: ['num samples', 'n samples', 'num rows', 'n rows', 'dataset size', 'num examples'], countNouns: ['rows', 'samples', 'examples', 'clients', 'customers', 'records', 'instances', 'loans'], code: ['rows'] },
  { key: 'num_features', kind: 'data', both: ['num features', 'n features', 'number features', 'feature count'], card: ['input features', 'features', 'predictors', 'input variables', 'explanatory variables'] },
  { key: 'accuracy', kind: 'metric', metric: true, both: ['accuracy', 'acc', 'top 1 accuracy', 'top1'] },
  { key: 'f1', kind: 'metric', metric: true, both: ['f1', 'f1 score', 'macro f1', 'f score'] },
  { key: 'precision', kind: 'metric', metric: true, both: ['precision'] },
  { key: 'recall', kind: 'metric', metric: true, both: ['recall', 'sensitivity'] },
  { key: 'auc', kind: 'metric', metric: true, both: ['auc', 'roc auc', 'auroc', 'area under curve'] },
  { key: 'gini', kind: 'metric', metric: true, both: ['gini'] },
  { key: 'ks', kind: 'metric', metric: true, both: ['ks', 'ks statistic', 'kolmogorov smirnov'] },
  { key: 'r2', kind: 'metric', metric: true, both: ['r2', 'r squared', 'coefficient of determination', 'explained variance'] },
  { key: 'rmse', kind: 'metric', metric: true, both: ['rmse', 'root mean squared error'] },
  { key: 'mae', kind: 'metric', metric: true, both: ['mae', 'mean absolute error'] },
  { key: 'val_loss', kind: 'metric', metric: true, both: ['validation loss', 'val loss', 'eval loss', 'evaluation loss', 'dev loss', 'valid loss'] },
  { key: 'train_loss', kind: 'metric', metric: true, both: ['train loss', 'training loss'] },
  { key: 'test_loss', kind: 'metric', metric: true, both: ['test loss'] },
  { key: 'loss', kind: 'metric', metric: true, both: ['loss'] },
  { key: 'perplexity', kind: 'metric', metric: true, both: ['perplexity', 'ppl'] },
  { key: 'bleu', kind: 'metric', metric: true, both: ['bleu'] },
  { key: 'wer', kind: 'metric', metric: true, both: ['wer', 'word error rate'] },
  { key: 'dice', kind: 'metric', metric: true, both: ['dice', 'dice score', 'dice coefficient', 'mean dice', 'dsc'] },
  { key: 'iou', kind: 'metric', metric: true, both: ['iou', 'mean iou', 'miou', 'jaccard', 'intersection over union', 'jaccard index'] },
  { key: 'cer', kind: 'metric', metric: true, both: ['cer', 'character error rate'] },
  { key: 'mse', kind: 'metric', metric: true, both: ['mse', 'mean squared error'] },
  { key: 'log_loss', kind: 'metric', metric: true, both: ['log loss', 'logloss', 'logistic loss'] },
  { key: 'brier', kind: 'metric', metric: true, both: ['brier', 'brier score'] },
  { key: 'average_precision', kind: 'metric', metric: true, both: ['average precision', 'pr auc', 'auprc', 'auc pr', 'precision recall auc'] },
  { key: 'psi', kind: 'metric', metric: true, both: ['psi', 'population stability index', 'stability index'] },
  { key: 'difference', kind: 'metric', metric: true, both: ['difference', 'gap', 'differs', 'diff', 'calibration gap'] },
  { key: 'default_rate', kind: 'metric', metric: true, both: ['default rate', 'bad rate', 'event rate'] },
  // "weights" only on the card side: a code name ending in `weight` (`dice_weight`) is a loss weight, not a parameter count.
  // Settings that choose a training precision (decidePrecision reads their values): no card phrase, the card's words are read by claimAtoms.
  { key: 'numeric_precision', kind: 'compute', both: [], code: ['fp16', 'bf16', 'mixed precision'] },
  { key: 'max_duration', kind: 'data', unit: 's', requiresUnit: true, both: ['max duration', 'maximum duration', 'max duration seconds', 'max audio length', 'max clip length', 'max duration s'], card: ['longer than', 'clips longer', 'duration'] },
  { key: 'train_runtime', kind: 'compute', metric: true, unit: 's', requiresUnit: true, both: ['train runtime', 'training time', 'wall clock time', 'wall clock', 'training took', 'run took', 'training runtime'] },
  { key: 'eval_runtime', kind: 'compute', metric: true, unit: 's', requiresUnit: true, both: ['eval runtime', 'evaluation runtime', 'evaluation time'] },
  // Thresholds of scorecard development: an Information Value below which characteristics are dropped.
  { key: 'iv', kind: 'procedure', both: ['information value', 'iv', 'iv min', 'min iv', 'iv cutoff', 'iv threshold'] },
  // LoRA adapters (PEFT's LoraConfig, launch flags --lora_r / --lora_alpha).
  { key: 'lora_r', kind: 'architecture', both: ['lora rank', 'lora r', 'lora config r', 'adapter rank'], card: ['rank'] },
  { key: 'lora_alpha', kind: 'hyperparameter', both: ['lora alpha', 'lora config lora alpha', 'lora scaling alpha'] },
  { key: 'lora_dropout', kind: 'hyperparameter', both: ['lora dropout', 'lora config lora dropout'] },
  { key: 'parameters', kind: 'architecture', both: ['parameters', 'params', 'num parameters', 'parameter count'], card: ['weights'] },
];

/** Narrower keys a card's general word may mean ("loss" may be the eval loss): they can support it, not contradict it. */
export const NARROWER_KEYS: Record<string, string[]> = {
  loss: ['val_loss', 'test_loss', 'train_loss'],
  batch_size: ['micro_batch_size'],
  floor: ['min_learning_rate'],
};

/**
 * Metrics a card may state that the code records as another: a Gini coefficient is 2·AUC − 1.
 * They can support a claim (the conversion is exact), never contradict it.
 */
export const DERIVED_KEYS: Record<string, { from: string; convert: (v: number) => number; name: string }> = {
  gini: { from: 'auc', convert: (auc) => 2 * auc - 1, name: '2·AUC − 1' },
};

/** Settings a card may state as one array but code sets element by element (Adam's betas). */
export const ARRAY_KEYS: Record<string, string[]> = {
  betas: ['beta1', 'beta2'],
};

/** Metric words whose qualifiers (split, dataset) must be found in the workspace before a contradiction. */
export function isMetricKey(key: string): boolean {
  return KEY_VOCABULARY.some((e) => e.key === key && e.metric === true);
}

const UNIT_OF_KEY = new Map(KEY_VOCABULARY.map((e) => [e.key, e.unit]));

/** Whether a card number in `unit` (a base unit, or none) can be the value of `key`. */
export function keyTakesUnit(key: string, unit: string | undefined): boolean {
  if (unit === undefined) return !UNIT_REQUIRED.has(key);
  return UNIT_OF_KEY.get(key) === unit;
}

const UNIT_REQUIRED = new Set(KEY_VOCABULARY.filter((e) => e.requiresUnit).map((e) => e.key));
