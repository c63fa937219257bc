/**
 * Word tokens shared by claims and facts, so "learning-rate", "learningRate" and "learning_rate"
 * meet on the same tokens. Stemming is deliberately crude but symmetric: both sides go through it.
 */

const GREEK: Record<string, string> = { 'α': 'alpha', 'β': 'beta', 'γ': 'gamma', 'ε': 'epsilon', 'λ': 'lambda', 'σ': 'sigma', 'μ': 'mu', 'η': 'eta', 'τ': 'tau' };
const SUPERSCRIPT: Record<string, string> = { '²': '2', '³': '3', '¹': '1', '⁰': '0' };

/** Abbreviations common in ML code, expanded to the words a card uses. */
const ABBREVIATIONS: Record<string, string[]> = {
  lr: ['learning', 'rate'], wd: ['weight', 'decay'], bs: ['batch', 'size'],
  num: ['number'], nb: ['number'], n: ['number'], no: ['number'],
  freq: ['frequency'], dim: ['dimension'], dims: ['dimension'], emb: ['embedding'], embd: ['embedding'], embed: ['embedding'],
  eps: ['epsilon'], ctx: ['context'], seq: ['sequence'], len: ['length'], accum: ['accumulation'], grad: ['gradient'],
  nproc: ['process'], procs: ['process'], ch: ['channel'], chans: ['channel'], feat: ['feature'], feats: ['feature'],
  hid: ['hidden'], attn: ['attention'], ffn: ['feedforward'], mlp: ['feedforward'], fc: ['fully', 'connected'],
  max: ['maximum'], min: ['minimum'], val: ['validation'], eval: ['evaluation'], acc: ['accuracy'],
  cfg: ['config'], conf: ['config'], params: ['parameter'], param: ['parameter'], sched: ['schedule'],
  warm: ['warmup'], cls: ['class'], vocab: ['vocabulary'], tok: ['token'], ckpt: ['checkpoint'],
  pct: ['percent'], perc: ['percent'], est: ['estimator'], estimators: ['estimator'], clf: ['classifier'],
  std: ['standard', 'deviation'], avg: ['average'], dev: ['development'], mean: ['mean'], gpus: ['gpu'], temp: ['temperature'],
};

const STOPWORDS = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'and', 'or', 'is', 'are', 'was', 'were', 'be', 'been',
  'it', 'its', 'this', 'that', 'these', 'those', 'we', 'our', 'us', 'as', 'from', 'into', 'per', 'each', 'every', 'all', 'also',
  'which', 'while', 'where', 'when', 'than', 'then', 'there', 'their', 'has', 'have', 'had', 'uses', 'use', 'used', 'using',
  'set', 'sets', 'up', 'about', 'approximately', 'around', 'roughly', 'only', 'both', 'any', 'one', 'same', 'so', 'such', 'after',
  'before', 'over', 'under', 'not', 'no', 'do', 'does', 'can', 'will', 'would', 'should', 'via', 'i', 'e', 'g', 'eg', 'ie',
]);

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Words naming a sample a year filter makes (`test = df[df["issue_year"] == 2017]`): they tie a
 * card's "the test set covers 2019" to that line (decideYear, and the fact filter that keeps it).
 * As contentTokens gives them: "training" is "train", "eval" is "evaluation".
 */
export const SAMPLE_WORDS: ReadonlySet<string> = new Set(['train', 'test', 'validation', 'valid', 'holdout', 'oot', 'dev', 'development', 'evaluation']);

export function normalizeSymbols(s: string): string {
  // Greek letters and superscripts are not ASCII: most text has nothing to replace.
  if (!NON_ASCII.test(s)) return s;
  let out = '';
  for (const ch of s) out += GREEK[ch] ?? SUPERSCRIPT[ch] ?? ch;
  return out;
}

/** Splits an identifier or phrase into lower-case words (camelCase, snake_case, kebab, dots). */
export function splitWords(s: string): string[] {
  return normalizeSymbols(s)
    // Plural acronyms stay one word: "GPUs", "CNNs".
    .replace(/\b([A-Z]{2,})s\b/g, '$1S')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

export function stem(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (/(ch|sh|x|ss)es$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  // "imputer" and "imputed", "encoder" and "encoded" meet on the stem.
  else if (s.endsWith('er') && s.length > 5) s = s.slice(0, -2);
  // "dropped" and "drop", "issued" and "issue" meet on "drop" and "issu".
  if (/([bdfgmnprt])\1$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  return s;
}

/** Content tokens: split, abbreviations expanded, stop words dropped, stemmed. */
export function contentTokens(s: string): string[] {
  const out: string[] = [];
  for (const w of splitWords(s)) {
    // Own keys only: a word like `constructor` must not find Object.prototype's.
    const expanded = Object.hasOwn(ABBREVIATIONS, w) ? ABBREVIATIONS[w] : [w];
    for (const e of expanded) {
      if (STOPWORDS.has(e)) continue;
      out.push(stem(e));
    }
  }
  return out;
}

export function isStopword(w: string): boolean {
  return STOPWORDS.has(w.toLowerCase());
}

/** Letters and digits only, lower-case: "CIFAR-10" and "cifar10" meet here. */
export function compact(s: string): string {
  return normalizeSymbols(s).toLowerCase().replace(/[^a-z0-9]+/g, '');
}
