import type { IndexedFact } from './factIndex.js';
import { wordsOfKey } from './keyMatch.js';
import { contentTokens, SAMPLE_WORDS } from './tokens.js';

/**
 * The facts that decide a setting: deciding files only, the highest tier present, and among
 * config files the ones the card names (base.yaml when the card says "base configuration").
 */
export function effectiveFacts(facts: IndexedFact[], namedConfigs: Set<string>, measured = false, claimWords?: ReadonlySet<string>): IndexedFact[] {
  let deciding = facts.filter((f) => f.deciding);
  if (deciding.length === 0) return [];
  deciding = withoutComposedOverrides(deciding);
  const configs = new Set(deciding.map((f) => f.configName).filter((n): n is string => n !== undefined));
  if (configs.size > 1) {
    const named = [...configs].filter((c) => namedConfigs.has(c));
    if (named.length > 0) deciding = deciding.filter((f) => f.configName === undefined || named.includes(f.configName));
  }
  // A setting is what the code sets; a result file's "epoch: 3.0" only echoes it.
  if (!measured && deciding.some((f) => !isMeasuredForm(f))) deciding = deciding.filter((f) => !isMeasuredForm(f));
  // A config overrides the code's value of the same setting, not another setting the key also
  // covers: `monitoring.psi_bins: 10` leaves binning.py's `MAX_BINS = 8` standing.
  const top = new Map<string, number>();
  for (const f of deciding) top.set(qualifierOf(f), Math.max(top.get(qualifierOf(f)) ?? -Infinity, f.tier));
  let best = deciding.filter((f) => f.tier === top.get(qualifierOf(f)));
  // The setting whose own words the claim uses ("generated with a maximum length" and
  // `generation_max_length`) is the one it states.
  if (claimWords) {
    const said = [...claimWords];
    // Stems differ by word form ("generat" of "generated", "generation"): a shared start will do.
    const says = (q: string) => claimWords.has(q) || (q.length >= 5 && said.some((w) => w.length >= 5 && (w.startsWith(q) || q.startsWith(w))));
    const named = best.filter((f) => { const q = qualifierOf(f); return q !== '' && q.split(' ').every(says); });
    if (named.length > 0) best = named;
    else if (!measured) best = unqualifiedSetting(best, says);
  }
  // A measured quantity logged many times: the last value in each file is the final one.
  const final = lastPerFileAndKey(best);
  // A run's summary (all_results.json) states the final figure; the last entry of its logged
  // history (trainer_state.json's `log_history.163.eval_wer`) may predate reloading the best model.
  const summaries = final.filter((f) => isMeasuredForm(f) && !LOGGED_ENTRY.test(f.fact.path));
  return measured && summaries.length > 0 ? final.filter((f) => !(isMeasuredForm(f) && LOGGED_ENTRY.test(f.fact.path))) : final;
}

/** Words of a setting's name that tie it to evaluation, data handling or another phase than training. */
const OTHER_PHASE = new Set(contentTokens('eval evaluation test tests valid validation predict prediction inference generation data split shuffle sampler smoke debug prepare preprocessing'));

/** The same words as they start a path or command ("eval/run_eval.sh", "lm_eval", "prepare_mix"), with the word a claim would say. */
const PHASE_TEXT: [string, string][] = ['eval', 'test', 'valid', 'predict', 'inference', 'generat', 'data', 'split', 'shuffl', 'sampler', 'smoke', 'debug', 'prepar', 'preprocess']
  .map((t) => [t, contentTokens(t)[0] ?? t]);

/**
 * A claim that qualifies its setting by nothing ("Micro-batch: 8 sequences per GPU", "Random
 * seed: 1234") states the training setting: the plainly named one (`seed`) over `split_seed`, and
 * the training batch over `per_device_eval_batch_size`. Left as is when nothing is plainer.
 */
function unqualifiedSetting(best: IndexedFact[], says: (w: string) => boolean): IndexedFact[] {
  // Another phase by the setting's name, its command (`lm_eval --batch_size 8`) or its file
  // (eval/run_eval.sh, data/prepare_mix.py). The path and command are matched as text: thousands
  // of candidates must not each be tokenized (the 10k bench's post-walk peak grew 12 MB so).
  const unsaid = [...OTHER_PHASE].filter((w) => !says(w));
  if (unsaid.length === 0) return best;
  const unsaidText = PHASE_TEXT.filter(([, word]) => !says(word)).map(([text]) => text);
  const phaseText = new RegExp(`(?:^|[^a-z])(?:${unsaidText.join('|')})`, 'i');
  const otherPhase = (f: IndexedFact) => qualifierOf(f).split(' ').some((w) => unsaid.includes(w))
    || phaseText.test(f.fact.file) || (f.fact.call !== undefined && phaseText.test(f.fact.call));
  const training = best.filter((f) => !otherPhase(f));
  if (training.length > 0 && training.length < best.length) best = training;
  const plain = best.filter((f) => qualifierOf(f) === '');
  return plain.length > 0 && plain.length < best.length ? plain : best;
}

/**
 * What sets a fact's name apart from others of its key: the words of its last name segment the
 * key's own words do not cover ("psi" of `psi_bins`, "max" of `MAX_BINS`). Names that differ only
 * in spelling (`lr`, `learning_rate`, `args.lr`) are one setting.
 */
function qualifierOf(f: IndexedFact): string {
  const name = f.fact.path || f.fact.rawKey;
  // By name, then by the (shared) keys list: names repeat across thousands of facts, and a lookup
  // must not allocate per fact.
  let byKeys = QUALIFIERS.get(name);
  if (!byKeys) {
    if (QUALIFIERS.size >= MAX_QUALIFIERS) QUALIFIERS.clear();
    byKeys = new Map();
    QUALIFIERS.set(name, byKeys);
  }
  let q = byKeys.get(f.keys);
  if (q === undefined) {
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    q = contentTokens(leaf).filter((t) => !f.keys.some((k) => wordsOfKey(k).has(t))).sort().join(' ');
    byKeys.set(f.keys, q);
  }
  return q;
}

/** qualifierOf's answers by fact name and keys list. */
const QUALIFIERS = new Map<string, Map<readonly string[], string>>();
const MAX_QUALIFIERS = 20_000;

const YAML = /\.ya?ml$/i;

/**
 * Hydra composes a run's config from group files (configs/trainer/default.yaml) under the primary
 * config beside them (configs/train.yaml), whose own keys come last and win: `trainer:
 * max_epochs: 80` in train.yaml overrides `max_epochs: 100` in any option of the trainer group.
 * A group file's value the primary sets again under the group's name is not the run's.
 */
function withoutComposedOverrides(facts: IndexedFact[]): IndexedFact[] {
  const yaml = facts.filter((f) => YAML.test(f.fact.file));
  if (yaml.length < 2) return facts;
  // Only a key under a group folder's name can override: most candidate sets have none.
  const groups = new Set(yaml.map((f) => { const d = dirOf(f.fact.file); return d.slice(d.lastIndexOf('/') + 1); }));
  const primaries = yaml.filter((f) => { const dot = f.fact.path.indexOf('.'); return dot > 0 && groups.has(f.fact.path.slice(0, dot)); });
  if (primaries.length === 0) return facts;
  const composed = new Set(primaries.map((f) => `${dirOf(f.fact.file)}\u0000${f.fact.path}`));
  const overridden = (f: IndexedFact): boolean => {
    const dirs = dirOf(f.fact.file).split('/');
    // Each ancestor folder may hold the primary; the folders below it name the group (model/encoder).
    for (let k = dirs.length - 1; k >= 1; k--) {
      const root = dirs.slice(0, k).join('/');
      const group = dirs.slice(k).join('.');
      if (composed.has(`${root}\u0000${group}.${f.fact.path}`)) return true;
    }
    return false;
  };
  const out = facts.filter((f) => !YAML.test(f.fact.file) || !overridden(f));
  return out.length > 0 ? out : facts;
}

function dirOf(file: string): string {
  const at = file.lastIndexOf('/');
  return at < 0 ? '' : file.slice(0, at);
}

/** A path through an array of logged entries: `log_history.40.eval_loss`. */
const LOGGED_ENTRY = /\.\d+\./;

/** Lines between two prints of one name in one output (a training log prints one per line or so). */
const NOTEBOOK_SERIES_GAP = 6;

/** The sample words a fact's line names ("dev", "oot", "test"), as one string to compare. */
function samplesOf(f: IndexedFact): string {
  return [...new Set(f.snippetTokens.filter((t) => SAMPLE_WORDS.has(t)))].sort().join(' ');
}

function isNotebook(f: IndexedFact): boolean {
  return f.fact.file.endsWith('.ipynb');
}

function isMeasuredForm(f: IndexedFact): boolean {
  return f.fact.form === 'output' || f.fact.form === 'result';
}

function lastPerFileAndKey(facts: IndexedFact[]): IndexedFact[] {
  const measured = facts.filter(isMeasuredForm);
  if (measured.length === 0) return facts;
  const last = new Map<string, IndexedFact>();
  for (const f of [...measured].sort((a, b) => a.fact.line - b.fact.line)) {
    // Entries of a logged array (`log_history.40.eval_wer`) are one series: the last is the final value.
    const k = `${f.fact.file}\u0000${f.fact.path.replace(/\.\d+(?=\.)/g, '.#')}`;
    const prev = last.get(k);
    // In a notebook, a name printed again far from its last print is another cell's result ("R2"
    // of the LGD model, then of the EAD model), not the next value of a series.
    // Nor is a line that names another sample ("PD scorecard dev AUC=…", then "… oot AUC=…").
    if (prev && ((isNotebook(f) && f.fact.line - prev.fact.line > NOTEBOOK_SERIES_GAP) || samplesOf(prev) !== samplesOf(f))) {
      last.set(`${k}\u0000${f.fact.line}`, prev);
    }
    last.set(k, f);
  }
  const measuredSet = new Set(measured);
  return [...facts.filter((f) => !measuredSet.has(f)), ...last.values()];
}
