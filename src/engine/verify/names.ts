/**
 * Names of algorithms, optimizers, schedules and datasets as a card writes them ("logistic
 * regression", "AdamW") and as code spells them (`LogisticRegression`, `torch.optim.AdamW`,
 * `"adamw_torch"`). Two names agree when one, run together, is a whole run of the other's words:
 * "gradient boosting" ~ `GradientBoostingClassifier`, but "Adam" is not `AdamW`.
 */

/** Abbreviations on either side, spelled out so "SGD" meets "stochastic gradient descent". */
const ALIASES: Array<[string[], string[]]> = [
  [['sgd'], ['stochastic', 'gradient', 'descent']],
  [['svm'], ['support', 'vector', 'machine']],
  [['svc'], ['support', 'vector', 'classifier']],
  [['svr'], ['support', 'vector', 'regressor']],
  [['knn'], ['k', 'nearest', 'neighbors']],
  [['gbm'], ['gradient', 'boosting', 'machine']],
  [['gbdt'], ['gradient', 'boosted', 'decision', 'trees']],
  [['mlp'], ['multi', 'layer', 'perceptron']],
  [['lstm'], ['long', 'short', 'term', 'memory']],
  [['gru'], ['gated', 'recurrent', 'unit']],
  [['cnn'], ['convolutional', 'neural', 'network']],
  [['rnn'], ['recurrent', 'neural', 'network']],
  [['bpe'], ['byte', 'pair', 'encoding']],
  [['pca'], ['principal', 'component', 'analysis']],
  [['ols'], ['ordinary', 'least', 'squares']],
  [['ce'], ['cross', 'entropy']],
  [['mse'], ['mean', 'squared', 'error']],
  [['mae'], ['mean', 'absolute', 'error']],
  [['woe'], ['weight', 'of', 'evidence']],
];

/** British and American spellings meet on one form. */
const SPELLING: Record<string, string> = {
  neighbours: 'neighbors', neighbour: 'neighbor', normalisation: 'normalization', normalise: 'normalize',
  normalised: 'normalized', regularisation: 'regularization', optimiser: 'optimizer', colour: 'color',
  tokeniser: 'tokenizer', multilayer: 'multi layer',
};

const STOP = new Set(['the', 'a', 'an', 'of', 'with', 'and', 'for', 'to', 'in', 'on', 'by', 'using', 'via']);

/**
 * Lower-case words of a name: CamelCase, snake_case, kebab-case and dotted paths are split,
 * punctuation dropped. A single capital closing a word stays with it ("AdamW" → "adamw"), and
 * digits stay with the letters they follow ("gpt2", "resnet50" after "ResNet-50" → "res", "net", "50").
 */
export function nameTokens(s: string): string[] {
  const spaced = s
    .normalize('NFKC')
    // lower→Upper+lower starts a word: "logisticRegression", "GradientBoosting"
    .replace(/(\p{Ll})(\p{Lu}\p{Ll})/gu, '$1 $2')
    // lower→acronym: "CosineAnnealingLR", "DistilBERT"; a lone closing capital stays ("AdamW")
    .replace(/(\p{Ll})(\p{Lu}{2,})/gu, '$1 $2')
    // an acronym before a word: "SGDClassifier" → "SGD Classifier", "RMSProp" → "RMS Prop"
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    // a digit run before a capitalised word: "GPT2Model" → "GPT2 Model"
    .replace(/(\d)(\p{Lu}\p{Ll})/gu, '$1 $2');
  const out: string[] = [];
  for (const w of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (w.length === 0) continue;
    const spelled = SPELLING[w] ?? w;
    out.push(...spelled.split(' '));
  }
  return out;
}

/** The name's words joined by single spaces ("torch.optim.AdamW" → "torch optim adamw"). */
export function normalizeName(s: string): string {
  return nameTokens(s).join(' ');
}

/**
 * The forms a name is compared in: its words with stop words dropped, the same with
 * abbreviations spelled out ("SGD with momentum" and "stochastic gradient descent with momentum"),
 * and for a qualified code name its last segment (`torch.optim.SGD` is "SGD").
 */
function nameForms(s: string): string[][] {
  const forms = wordForms(s);
  const last = /^[\w.:/]+[.:/](\w+)$/u.exec(s.trim());
  if (last) forms.push(...wordForms(last[1]));
  return forms;
}

function wordForms(s: string): string[][] {
  const words = nameTokens(s).filter((w) => !STOP.has(w));
  const expanded: string[] = [];
  let changed = false;
  for (const w of words) {
    const alias = ALIASES.find(([short]) => short.length === 1 && short[0] === w);
    if (alias) {
      expanded.push(...alias[1].filter((x) => !STOP.has(x)));
      changed = true;
    } else {
      expanded.push(w);
    }
  }
  return changed ? [words, expanded] : [words];
}

/** Whether `needle` (run together) equals a run of consecutive words of `hay`. */
function isWordRun(needle: string, hay: string[]): boolean {
  if (needle.length < 2) return false;
  for (let i = 0; i < hay.length; i++) {
    let acc = '';
    for (let j = i; j < hay.length && acc.length < needle.length; j++) {
      acc += hay[j];
      if (acc === needle) return true;
    }
  }
  return false;
}

/**
 * Whether two names denote the same thing: "AdamW" ~ "torch.optim.AdamW" ~ "adamw_torch",
 * "logistic regression" ~ "LogisticRegression", "gradient boosting" ~ "GradientBoostingClassifier",
 * "SGD" ~ "stochastic gradient descent". "Adam" does not agree with "AdamW", nor "linear
 * regression" with "LogisticRegression". Symmetric.
 */
export function namesAgree(a: string, b: string): boolean {
  for (const ta of nameForms(a)) {
    for (const tb of nameForms(b)) {
      if (ta.length === 0 || tb.length === 0) continue;
      const ca = ta.join('');
      const cb = tb.join('');
      if (ca === cb || isWordRun(ca, tb) || isWordRun(cb, ta)) return true;
    }
  }
  return false;
}
