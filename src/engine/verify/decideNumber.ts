import type { Claim, InequalityOp } from '../card/claim.js';
import { isYearish, type FactIndex, type IndexedFact } from './factIndex.js';
import type { CardContext } from './decideAtom.js';
import { type AtomDecision, type EvidenceRef, showValue, unverified, where } from './decision.js';
import { effectiveFacts } from './effectiveValue.js';
import { contextScore, rankFacts, claimWords } from './evidenceRank.js';
import { compareInequality, numbersAgree, toBaseUnit, type CardNumber } from './numbers.js';
import { DERIVED_KEYS, isMetricKey, NARROWER_KEYS } from './keyVocabulary.js';
import { wordsOfKey } from './keyMatch.js';
import { compact, contentTokens, SAMPLE_WORDS } from './tokens.js';
import { namedTerms } from './decideNames.js';
import { decideFeatureCount } from './decideFeatureCount.js';

/**
 * Facts that name the claim's quantity: those carrying its nearest canonical key, or (no key
 * recognised) those sharing its words. `strong` says whether a mismatch may contradict.
 */
export function keyedCandidates(claim: Claim, index: FactIndex): { facts: IndexedFact[]; strong: boolean; key?: string } {
  return candidateGroups(claim, index)[0] ?? { facts: [], strong: false };
}

/**
 * Facts that name the claim's quantity, one group per canonical key the card's words carry
 * (nearest first), or, when no key is recognised, the facts sharing most of its words.
 * `strong` says whether a mismatch may contradict.
 */
export function candidateGroups(claim: Claim, index: FactIndex): { facts: IndexedFact[]; strong: boolean; key?: string }[] {
  const groups: { facts: IndexedFact[]; strong: boolean; key?: string }[] = [];
  for (const key of claim.keys) {
    // A metric's value is what a run measured, never a constant in code (`best_val_loss = 1e9`).
    const metric = isMetricKey(key);
    const facts = index.withKey(key).filter((f) => numericValue(f) !== undefined && (!metric || isMeasuredForm(f)));
    if (facts.length > 0) groups.push({ facts, strong: true, key });
  }
  for (const key of claim.keys) {
    const derived = DERIVED_KEYS[key];
    if (derived && groups.every((g) => g.key !== key)) {
      const facts = index.withKey(derived.from).filter((f) => numericValue(f) !== undefined && isMeasuredForm(f))
        .map((f) => ({ ...f, fact: { ...f.fact, value: derived.convert(numericValue(f) as number), path: `${derived.name} of ${f.fact.path}` } }));
      if (facts.length > 0) groups.push({ facts, strong: false, key: derived.from });
    }
    for (const narrow of NARROWER_KEYS[key] ?? []) {
      const facts = index.withKey(narrow).filter((f) => numericValue(f) !== undefined && (!isMetricKey(narrow) || isMeasuredForm(f)));
      if (facts.length > 0) groups.push({ facts, strong: false, key: narrow });
    }
  }
  // The card names a known quantity the code never sets: words in common prove nothing.
  if (groups.length > 0 || claim.keys.length > 0) return groups;
  const named = identifierFacts(claim, index);
  if (named.length > 0) return [{ facts: named, strong: true }];
  if (claim.value.type === 'number' && (claim.value.number.unit || claim.value.number.approx)) return [];
  const words = contentTokens(claim.keyText).filter((t) => t.length > 2 && !/^\d/.test(t));
  const counts = new Map<IndexedFact, number>();
  // Words of the fact's own name: its file's ("train" of src/train.py) name nothing it sets.
  const nameWords = new Map<string, Set<string>>();
  const names = (f: IndexedFact, w: string): boolean => {
    const name = f.fact.path || f.fact.rawKey;
    let set = nameWords.get(name);
    if (!set) nameWords.set(name, (set = new Set(contentTokens(name))));
    return set.has(w);
  };
  for (const w of words) for (const f of index.withToken(w)) if (names(f, w)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const best = Math.max(0, ...counts.values());
  if (best === 0) return [];
  const facts = [...counts.entries()].filter(([f, c]) => c === best && numericValue(f) !== undefined).map(([f]) => f);
  return facts.length > 0 ? [{ facts, strong: false }] : [];
}

/**
 * Facts whose own name is a code identifier the card writes out ("| num_leaves | 63 |", "we set
 * `max_bin` to 255"): the same setting even where no key of the vocabulary names it.
 */
function identifierFacts(claim: Claim, index: FactIndex): IndexedFact[] {
  const ids = [...new Set(claim.keyText.match(/\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b/g) ?? [])];
  const out: IndexedFact[] = [];
  for (const id of ids) {
    const wanted = compact(id);
    const first = contentTokens(id)[0];
    if (!first) continue;
    for (const f of index.withToken(first)) {
      const name = f.fact.path || f.fact.rawKey;
      if (compact(name.slice(name.lastIndexOf('.') + 1)) === wanted && numericValue(f) !== undefined && !out.includes(f)) out.push(f);
    }
  }
  return out;
}

export function numericValue(f: IndexedFact): number | undefined {
  const v = f.fact.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A card's "6%" and a step count, or "1,000 steps" and a ratio, measure different things. */
export function comparable(card: CardNumber, code: number): boolean {
  const c = toBaseUnit(card).value;
  if (card.percent) return code >= 0 && code <= 100;
  if (Number.isInteger(c) && Math.abs(c) >= 2 && !Number.isInteger(code) && Math.abs(code) < 1) return false;
  if (!Number.isInteger(c) && Math.abs(c) < 1 && Number.isInteger(code) && Math.abs(code) >= 2) return false;
  return true;
}

/**
 * Measured values (results, logs, outputs, metrics) agree when they round to the card's display;
 * settings must be equal: a learning rate of 0.05 is not "0.1".
 */
export function agrees(card: CardNumber, code: number, measured = true): boolean {
  const precision = measured || card.scale !== undefined || card.approx ? 'display' : 'exact';
  if (numbersAgree(card, code, { precision })) return true;
  // "16 kHz" against a sample rate of 16000: compare in base units.
  const base = toBaseUnit(card);
  return base.unit !== undefined && Math.abs(base.value - code) <= Math.abs(code) * 1e-9;
}

export function isMeasured(f: IndexedFact, claim: Claim): boolean {
  const form = f.fact.form;
  return form === 'result' || form === 'output' || form === 'text' || claim.kind === 'metric';
}

const METRIC_GENERIC = new Set(contentTokens(
  'model reaches achieves achieved scores scored final run test tests set split splits evaluation validation mean average overall top on data dataset sample samples result results performance measured reported obtained gets is the our same statistic statistics value values metric metrics trained training above below most least more less than within percentage percent points point between higher lower over under exceeds '
  // Evaluation splits every validation names, not data sets of their own ("out-of-time", "hold-out").
  + 'out time oot oos holdout hold unseen',
));

/**
 * A metric claimed for a part of the evaluation ("cat accuracy is 74.1%") that the workspace
 * reports by that part's name (a per-class table's "cat 0.741"): the measured numbers whose names
 * carry a word of the claim that the key's best fact does not. The overall figure says nothing
 * against such a claim; the part's own figure may support it.
 */
function subsetMeasures(claim: Claim, index: FactIndex, key: string | undefined, ranked: IndexedFact[]): { words: string[]; measures: IndexedFact[] } {
  if (!key || !isMetricKey(key) || ranked.length === 0) return { words: [], measures: [] };
  const keyWords = wordsOfKey(key);
  const top = new Set([...ranked[0].tokens, ...ranked[0].snippetTokens]);
  const inRanked = new Set(ranked);
  const words: string[] = [];
  const measures = new Set<IndexedFact>();
  for (const w of new Set(contentTokens(claim.context))) {
    if (METRIC_GENERIC.has(w) || keyWords.has(w) || top.has(w) || /^\d/.test(w) || w.length < 2) continue;
    const found = index.withToken(w).filter((f) => f.deciding && (f.fact.form === 'output' || f.fact.form === 'result') && numericValue(f) !== undefined && !inRanked.has(f));
    if (found.length === 0) continue;
    words.push(w);
    for (const f of found) measures.add(f);
  }
  return { words, measures: [...measures] };
}

/** Words of the samples a metric is measured on, by the sample they name. */
const SAMPLE_OF: Record<string, string> = {
  // Not "eval": HF Trainer's `eval_accuracy` is whatever split it was given, the test split too.
  train: 'train', development: 'dev', validation: 'validation', valid: 'validation',
  test: 'test', holdout: 'holdout', oot: 'oot',
};
/** Samples that may be one and the same: an out-of-time test, a development set that is either. */
const SAME_SAMPLE = new Set(['test holdout', 'test oot', 'holdout oot', 'dev train', 'dev validation']);

function samplesIn(...lists: readonly (readonly string[])[]): Set<string> {
  const out = new Set<string>();
  for (const tokens of lists) for (const t of tokens) { const s = SAMPLE_OF[t]; if (s) out.add(s); }
  return out;
}

/** The samples a claim names, once per claim: decisions ask for every candidate fact. */
const claimSamples = new WeakMap<Claim, Set<string>>();

/**
 * A measured figure whose line names only samples other than the claim's ("PD scorecard dev
 * Gini=0.61" for "Gini, OOT sample") is another evaluation's: it neither supports nor contradicts.
 */
function ofOtherSample(claim: Claim, f: IndexedFact): boolean {
  let wanted = claimSamples.get(claim);
  if (!wanted) {
    wanted = samplesIn(contentTokens(`${claim.context} ${claim.keyText}`));
    claimSamples.set(claim, wanted);
  }
  if (wanted.size === 0) return false;
  const named = samplesIn(f.snippetTokens, f.tokens);
  if (named.size === 0) return false;
  for (const a of wanted) for (const b of named) if (a === b || SAME_SAMPLE.has([a, b].sort().join(' '))) return false;
  return true;
}

/** Splits by how they are drawn, named alike whatever the workspace: "Out-of-time" is no data set. */
const GENERIC_SPLIT_NAMES = new Set(['outoftime', 'outofsample', 'insample', 'intime', 'holdout', 'oot', 'oos']);

/**
 * A metric claimed on a data set or split the workspace never mentions ("on CIFAR-10-C",
 * "on 2,000 press releases") is about an evaluation the code does not contain: the workspace's
 * own metric of the same name says nothing against it.
 */
export function unknownQualifiers(claim: Claim, index: FactIndex, key: string | undefined): string[] {
  if (!key || !isMetricKey(key)) return [];
  const keyWords = wordsOfKey(key);
  const words = contentTokens(claim.context).filter((w) => !METRIC_GENERIC.has(w) && !keyWords.has(w) && !/^\d+(\.\d+)?$/.test(w) && w.length > 1);
  const unknown = [...new Set(words.filter((w) => !index.hasWord(w)))];
  // A named data set the workspace never names ("CIFAR-10-C") is a qualifier on its own.
  // …but not a capitalised name of the metric itself ("Mean Dice", "Macro F1").
  const unknownNames = namedTerms(claim.context).filter((t) => !GENERIC_SPLIT_NAMES.has(compact(t)) && !index.hasName(compact(t))
    && !contentTokens(t).every((w) => METRIC_GENERIC.has(w) || keyWords.has(w)));
  // One unfamiliar word ("coefficient") is wording; two, or an unknown name, is another evaluation.
  return unknownNames.length > 0 ? [...unknownNames, ...unknown] : unknown.length >= 2 ? unknown : [];
}

type Candidates = ReturnType<typeof keyedCandidates>;
type ValueTest = (code: number, fact: IndexedFact) => boolean;

function decideWith(claim: Claim, cands: Candidates, index: FactIndex, card: CardContext, test: ValueTest, accept: ValueTest, stated: string): AtomDecision {
  const { facts, strong, key } = cands;
  if (facts.length === 0) return unverified(`No setting or result in the workspace names ${claim.keyText ? `"${keyLabel(claim)}"` : 'this value'}.`);
  if (!strong) {
    // Words in common but no known key: agreement supports, disagreement proves nothing.
    const metric = metricKey(claim, key);
    const agreeingWeak = rankFacts(claim, facts.filter((f) => f.deciding && accept(numericValue(f) ?? NaN, f) && test(numericValue(f) ?? NaN, f) && !(metric && ofOtherSample(claim, f))));
    if (agreeingWeak.length > 0) {
      const f = agreeingWeak[0];
      return {
        verdict: 'supported', confidence: 0.6, evidence: agreeingWeak.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })), codeValue: showValue(f.fact.value),
        explanation: `${where(f)} sets ${f.fact.path || f.fact.rawKey} = ${showValue(f.fact.value)}, matching the card's ${stated}.`,
      };
    }
    const ranked = rankFacts(claim, facts);
    return unverified(`${where(ranked[0])} has ${ranked[0].fact.path} = ${showValue(ranked[0].fact.value)}, but it may not be the same quantity as "${keyLabel(claim)}".`, ranked);
  }
  // A row of a results table is decided at its own step of the log, not by the final value.
  const atRow = claim.series ? decideSeriesRow(claim, facts, index, test, accept, stated) : undefined;
  if (atRow) return atRow;
  const metric = metricKey(claim, key);
  const eff = effectiveFacts(facts, card.namedConfigs, metric, new Set(contentTokens(claim.context)))
    .filter((f) => accept(numericValue(f) ?? NaN, f) && !(metric && ofOtherSample(claim, f)));
  let ranked = rankFacts(claim, eff);
  // A row of a table by model ("| PD scorecard | Gini, OOT sample | 0.52 |") is about the places
  // that name that model, when some do: the challenger's Gini on the next line is another model's.
  const rowLabel = claim.rowQualifier;
  if (rowLabel) {
    const own = ranked.filter((f) => mentions(f, rowLabel));
    if (own.length > 0) ranked = own;
  }
  // A metric the claim's words place ("the PD model's AUC") is that evaluation's: another one's
  // equal figure (the LGD model's AUC) does not support it.
  const placed = metric && ranked.length > 1 ? contextScore(claim, ranked[0]) : undefined;
  // "Mean Dice (test)" against dice.mean, dice.lungs, dice.heart: a figure whose name says nothing
  // the claim does not is the one it states; the per-class ones name parts the claim never does.
  const precise = metric ? preciselyNamed(claim, key, ranked) : [];
  const agreeing = ranked.filter((f) => test(numericValue(f) ?? NaN, f) && (placed === undefined || contextScore(claim, f) >= placed || precise.includes(f)));
  const inEff = new Set(eff);
  const others = rankFacts(claim, facts.filter((f) => !inEff.has(f))).slice(0, 2);
  if (agreeing.length > 0) {
    const ev: EvidenceRef[] = [...agreeing.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })), ...others.map((fact) => ({ fact, stance: 'related' as const }))];
    const f = agreeing[0];
    return {
      verdict: 'supported', confidence: strong ? 0.9 : 0.7, evidence: ev, codeValue: showValue(f.fact.value),
      explanation: `${where(f)} sets ${f.fact.path || f.fact.rawKey} = ${showValue(f.fact.value)}, matching the card's ${stated}.`,
    };
  }
  if (ranked.length === 0) {
    // Docs (a data README's "Rows: 30,000") may confirm what no code states, never contradict it.
    const docs = rankFacts(claim, facts.filter(isDocFact).filter((f) => accept(numericValue(f) ?? NaN, f) && test(numericValue(f) ?? NaN, f)));
    if (docs.length > 0) {
      return {
        verdict: 'supported', confidence: 0.55, evidence: docs.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })), codeValue: showValue(docs[0].fact.value),
        explanation: `Only documentation states it: ${where(docs[0])} says ${docs[0].fact.snippet.trim()}`,
      };
    }
    return unverified(`Only non-deciding places (tests, vendored code, docs, other configs) mention ${keyLabel(claim)}.`, rankFacts(claim, facts));
  }
  const own = key ? card.commandFacts.withKey(key).find((f) => numericValue(f) !== undefined && test(numericValue(f) as number, f)) : undefined;
  if (own) {
    return unverified(`The card's own example command sets ${own.fact.rawKey} = ${showValue(own.fact.value)}; the workspace's ${ranked[0].fact.path} is ${showValue(ranked[0].fact.value)} (${where(ranked[0])}) when run without it.`, ranked);
  }
  if (ranked.every((f) => (f.fact.flags ?? []).includes('signature'))) {
    return unverified(`Only a function's default argument sets this (${where(ranked[0])}: ${ranked[0].fact.rawKey} = ${showValue(ranked[0].fact.value)}); callers may pass another value.`, ranked);
  }
  if (precise.length > 0) ranked = precise;
  const split = disagreeingPlaces(claim, ranked);
  if (split) return unverified(split, ranked);
  if (claim.rowQualifier && !mentions(ranked[0], claim.rowQualifier)) {
    return unverified(`The card's value is for ${claim.rowQualifier}; ${where(ranked[0])} (${ranked[0].fact.path} = ${showValue(ranked[0].fact.value)}) does not say it is about ${claim.rowQualifier}.`, ranked);
  }
  if (claim.series) return unverified(`This row of a logged series need not equal the final ${keyLabel(claim)}; ${where(ranked[0])} has ${showValue(ranked[0].fact.value)}.`, ranked);
  const unknown = unknownQualifiers(claim, index, key);
  if (unknown.length > 0) {
    return unverified(`The card's figure is about ${unknown.slice(0, 3).join(', ')}, which the workspace does not mention; ${where(ranked[0])} (${ranked[0].fact.path} = ${showValue(ranked[0].fact.value)}) may be another evaluation.`, ranked);
  }
  const subset = subsetMeasures(claim, index, key, ranked);
  if (subset.measures.length > 0) {
    const agreeingSubset = rankFacts(claim, subset.measures.filter((f) => accept(numericValue(f) ?? NaN, f) && test(numericValue(f) ?? NaN, f)));
    if (agreeingSubset.length > 0) {
      const f = agreeingSubset[0];
      return {
        verdict: 'supported', confidence: 0.7, evidence: agreeingSubset.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })), codeValue: showValue(f.fact.value),
        explanation: `${where(f)} reports ${f.fact.rawKey} = ${showValue(f.fact.value)}, matching the card's ${stated} for ${subset.words.join(', ')}.`,
      };
    }
    const f = rankFacts(claim, subset.measures)[0];
    return unverified(`The card's figure is for ${subset.words.join(', ')}; ${where(ranked[0])} (${ranked[0].fact.path} = ${showValue(ranked[0].fact.value)}) is not, and ${where(f)} reports ${f.fact.rawKey} = ${showValue(f.fact.value)}.`, [f, ...ranked]);
  }
  // Contradict only on the facts closest to the claim's words (train vs eval batch size).
  const top = ranked[0];
  const ev: EvidenceRef[] = [...ranked.slice(0, 3).map((fact) => ({ fact, stance: 'contradicts' as const })), ...others.map((fact) => ({ fact, stance: 'related' as const }))];
  return {
    verdict: 'contradicted', confidence: 0.85, evidence: ev, codeValue: showValue(top.fact.value),
    explanation: `card: ${keyLabel(claim)} ${stated}; ${where(top)} sets ${top.fact.path || top.fact.rawKey} = ${showValue(top.fact.value)}.`,
  };
}

/**
 * A row of a training-results table ("| 0.1647 | 2.9608 | 2000 | 0.3498 | 16.0433 |") against
 * the log entry of the same step (or epoch) in a structured log such as the Trainer's
 * trainer_state.json (`log_history.80.eval_wer` beside `log_history.80.step`): that entry's value
 * is the one the row states. Undefined when no logged entry stands at the row's step.
 */
function decideSeriesRow(claim: Claim, facts: IndexedFact[], index: FactIndex, test: ValueTest, accept: ValueTest, stated: string): AtomDecision | undefined {
  const at = claim.seriesAt;
  if (!at) return undefined;
  const positions = loggedPositions(index);
  const entryAt = (f: IndexedFact): boolean => {
    const prefix = f.fact.path.slice(0, f.fact.path.lastIndexOf('.'));
    if (prefix === '') return false;
    const step = positions.get(`${f.fact.file}\u0000${prefix}.step`);
    const epoch = positions.get(`${f.fact.file}\u0000${prefix}.epoch`);
    if (at.step !== undefined && step !== undefined) return step === at.step;
    return at.epoch !== undefined && epoch !== undefined && Math.abs(epoch - at.epoch) < 1e-3;
  };
  const logged = rankFacts(claim, facts.filter((f) => f.deciding && entryAt(f) && accept(numericValue(f) ?? NaN, f)));
  if (logged.length === 0) return undefined;
  const agreeing = logged.filter((f) => test(numericValue(f) ?? NaN, f));
  const top = agreeing[0] ?? logged[0];
  const position = at.step !== undefined ? `step ${at.step}` : `epoch ${at.epoch}`;
  if (agreeing.length > 0) {
    return {
      verdict: 'supported', confidence: 0.9, evidence: agreeing.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })), codeValue: showValue(top.fact.value),
      explanation: `${where(top)} logs ${top.fact.path} = ${showValue(top.fact.value)} at ${position}, matching the card's ${stated}.`,
    };
  }
  return {
    verdict: 'contradicted', confidence: 0.85, evidence: logged.slice(0, 3).map((fact) => ({ fact, stance: 'contradicts' as const })), codeValue: showValue(top.fact.value),
    explanation: `card: ${keyLabel(claim)} ${stated} at ${position}; ${where(top)} logs ${top.fact.path} = ${showValue(top.fact.value)} there.`,
  };
}

/**
 * Each logged entry's step and epoch (`log_history.80.step`), by file and path. Looked up anew for
 * every row, not cached: a decision's lookups are what a re-run uses to tell which claims an edit
 * can change (FactIndex.track).
 */
function loggedPositions(index: FactIndex): Map<string, number> {
  const positions = new Map<string, number>();
  for (const leaf of ['step', 'epoch']) {
    for (const f of index.withToken(leaf)) {
      const v = numericValue(f);
      if (v !== undefined && f.fact.path.endsWith(`.${leaf}`)) positions.set(`${f.fact.file}\u0000${f.fact.path}`, v);
    }
  }
  return positions;
}

/** The facts among `ranked` whose names say nothing the claim's words (and its key's) do not. */
function preciselyNamed(claim: Claim, key: string | undefined, ranked: IndexedFact[]): IndexedFact[] {
  const words = new Set([...contentTokens(`${claim.context} ${claim.keyText}`), ...(key ? wordsOfKey(key) : [])]);
  return ranked.filter((f) => contentTokens(f.fact.path).every((w) => words.has(w) || /^\d/.test(w)));
}

function metricKey(claim: Claim, key: string | undefined): boolean {
  return claim.kind === 'metric' || (key !== undefined && isMetricKey(key));
}

/** Documentation of the project itself, not tests, fixtures, vendored or ignored files. */
function isDocFact(f: IndexedFact): boolean {
  const flags = f.fact.flags ?? [];
  return (f.fact.source === 'text' || flags.includes('doc')) && !flags.some((x) => x === 'test' || x === 'fixture' || x === 'vendored' || x === 'ignored');
}

function keyLabel(claim: Claim): string {
  return claim.keys[0]?.replace(/_/g, ' ') ?? claim.keyText.replace(/\s*\|\s*/g, ' ').trim().slice(0, 60);
}

/**
 * When the card's words carry several keys ("two frequency masks of up to 15 mel bins"), any key
 * whose effective value agrees supports the claim; only the nearest key may contradict it.
 */
function decideOverKeys(claim: Claim, index: FactIndex, card: CardContext, test: ValueTest, accept: ValueTest, stated: string): AtomDecision {
  const groups = candidateGroups(claim, index);
  if (groups.length === 0) return decideWith(claim, { facts: [], strong: false }, index, card, test, accept, stated);
  // Only the key nearest the value may contradict; the others can only support.
  const decisions = groups.map((g) => decideWith(claim, g.key === claim.keys[0] ? g : { ...g, strong: false }, index, card, test, accept, stated));
  return decisions.find((d) => d.verdict === 'supported') ?? decisions[0];
}

export function decideNumber(claim: Claim, n: CardNumber, index: FactIndex, card: CardContext): AtomDecision {
  // "| Sequence length | 2048 |" names its quantity: only a number nothing names may be a year.
  if (isYear(n) && claim.keys.length === 0 && !claim.series) return decideYear(claim, n, index);
  if (claim.keys[0] === 'num_features' && index.withKey('num_features').length === 0) return decideFeatureCount(claim, n, index);
  return decideOverKeys(claim, index, card, (c, f) => agrees(n, c, isMeasured(f, claim)), (c) => comparable(n, c), n.raw);
}

/**
 * Words that make a bound on a metric a monitoring rule: "| PSI, red trigger | above 0.25 |",
 * "alert when AUC falls below 0.65". (A "Threshold" column beside a measured value is the bar that
 * value must clear, checked against the measurement.)
 */
const THRESHOLD_WORDS = /\b(?:triggers?|triggered|alerts?|alarms?|breach(?:es)?|escalat\w*|flag(?:s|ged)?)\b/i;

/** Verbs of a rule that filters by a threshold. */
const FILTER_RULE = /\b(?:dropped|removed|excluded|discarded|filtered|rejected|omitted|pruned)\b/i;

export function decideInequality(claim: Claim, op: InequalityOp, bound: CardNumber, index: FactIndex, card: CardContext): AtomDecision {
  // "Characteristics with an IV below 0.02 were dropped", "accounts with fewer than 3 months on book
  // were excluded": a filter's rule states its threshold, which the code's setting must equal.
  if (claim.keys.length > 0 && !claim.keys.some(isMetricKey) && FILTER_RULE.test(claim.context)) {
    return decideOverKeys(claim, index, card, (c, f) => agrees(bound, c, isMeasured(f, claim)), (c) => comparable(bound, c), bound.raw);
  }
  // A monitoring trigger states the threshold the code compares with, not what a run measured:
  // the measured PSI of 0.08 says nothing against "red above 0.25"; `PSI_RED = 0.25` supports it.
  if (claim.keys.some(isMetricKey) && THRESHOLD_WORDS.test(claim.keyText)) {
    const setting: Claim = { ...claim, kind: 'procedure', keys: claim.keys.filter((k) => !isMetricKey(k)) };
    return decideOverKeys(setting, index, card, (c, f) => agrees(bound, c, false) && !isMeasuredForm(f), (c, f) => comparable(bound, c) && !isMeasuredForm(f), bound.raw);
  }
  // "at most 1.5 percentage points" against a logged "0.91 pp": a small number may be a percent too.
  const holds = (c: number) => compareInequality(op, bound, c)
    || (bound.percent && Math.abs(c) <= 1 && compareInequality(op, bound, c, { measuredIsPercentUnit: true }));
  return decideOverKeys(claim, index, card, holds, (c) => comparable(bound, c), `${op} ${bound.raw}`);
}

export function decidePlusMinus(claim: Claim, mean: CardNumber, err: CardNumber, index: FactIndex, card: CardContext): AtomDecision {
  const isSpread = (f: IndexedFact) => /\b(std|stdev|stderr|sd|sem|err|error|ci)\b/i.test(f.fact.path.replace(/[._]/g, ' '));
  const decisions = candidateGroups(claim, index).map((cands) => {
    const meanDecision = decideWith(claim, { ...cands, facts: cands.facts.filter((f) => !isSpread(f)) }, index, card, (c) => agrees(mean, c), (c) => comparable(mean, c), mean.raw);
    const spread = cands.facts.filter(isSpread);
    if (meanDecision.verdict !== 'supported' || spread.length === 0) return meanDecision;
    const spreadDecision = decideWith(claim, { ...cands, facts: spread }, index, card, (c) => agrees(err, c), (c) => comparable(err, c), `± ${err.raw}`);
    if (spreadDecision.verdict === 'contradicted') return spreadDecision;
    return { ...meanDecision, evidence: [...meanDecision.evidence.slice(0, 2), ...spreadDecision.evidence.slice(0, 1)] };
  });
  return decisions.find((d) => d.verdict === 'supported') ?? decisions[0] ?? unverified(`No result in the workspace names ${keyLabel(claim)}.`);
}

function isYear(n: CardNumber): boolean {
  return Number.isInteger(n.value) && n.value >= 1900 && n.value <= 2100 && !n.percent && !n.unit && !n.scale && !/,/.test(n.raw);
}


/**
 * A year in prose ("loans issued in 2018") is checked against the filters that split data by
 * year: `df['issue_year'] == 2017`, `.between(2012, 2016)`, `year >= 2015`. The filtered field
 * must share a word with the sentence; only an equality filter that names another year contradicts.
 */
function decideYear(claim: Claim, n: CardNumber, index: FactIndex): AtomDecision {
  const words = new Set(contentTokens(claim.context));
  const related = index.withYear().filter((f) => f.deciding && (f.fact.form === 'compare' || f.fact.form === 'positional' || f.fact.form === 'assignment' || f.fact.form === 'keyword' || f.fact.form === 'config')
    && (contentTokens(`${f.fact.rawKey} ${f.fact.path}`).some((t) => words.has(t) && t.length > 2)
      // "the test set covers 2019" and `test = df[df["issue_year"] == 2017]`: the split the line makes.
      || f.snippetTokens.some((t) => SAMPLE_WORDS.has(t) && words.has(t))));
  if (related.length === 0) return unverified(`No year filter in the workspace concerns this sentence's ${n.raw}.`);
  const ranked = rankFacts(claim, related);
  const equal = ranked.filter((f) => f.fact.value === n.value || (Array.isArray(f.fact.value) && f.fact.value.includes(n.value)));
  if (equal.length > 0) {
    return { verdict: 'supported', confidence: 0.8, evidence: equal.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })), explanation: `${where(equal[0])} filters on ${n.raw}: ${equal[0].fact.snippet.trim()}`, codeValue: n.raw };
  }
  const equalities = ranked.filter((f) => f.fact.form === 'compare' && /==|\bin\b|isin/.test(f.fact.path) && isYearish(f.fact.value));
  if (equalities.length === 0) return unverified(`${where(ranked[0])} filters years (${ranked[0].fact.snippet.trim()}) but does not decide ${n.raw}.`, ranked);
  const top = equalities[0];
  return {
    verdict: 'contradicted', confidence: 0.8, codeValue: showValue(top.fact.value),
    evidence: [...equalities.slice(0, 2), ...ranked.filter((f) => !equalities.includes(f)).slice(0, 1)].map((fact) => ({ fact, stance: equalities.includes(fact) ? 'contradicts' as const : 'related' as const })),
    explanation: `card: ${n.raw}; ${where(top)} selects ${showValue(top.fact.value)}: ${top.fact.snippet.trim()}`,
  };
}

/**
 * Support by value among facts that share a word with `words`: for a factor of a product the card
 * spells out, whose own words ("16 per GPU") name its quantity only together with the product's.
 */
export function supportByValue(claim: Claim, n: CardNumber, words: string[], index: FactIndex): AtomDecision | undefined {
  // A numeric fact that shares a word is found under that word (FactIndex.withToken); in index order.
  const candidates = new Set<IndexedFact>();
  for (const w of new Set(words.filter((x) => x.length > 2))) for (const f of index.withToken(w)) candidates.add(f);
  const hits = [...candidates].sort((a, b) => a.seq - b.seq)
    .filter((f) => f.deciding && numericValue(f) !== undefined && agrees(n, numericValue(f) as number, false));
  if (hits.length === 0) return undefined;
  const ranked = rankFacts(claim, hits);
  return {
    verdict: 'supported', confidence: 0.6, evidence: ranked.slice(0, 2).map((fact) => ({ fact, stance: 'supports' as const })),
    explanation: `${where(ranked[0])} sets ${ranked[0].fact.path} = ${showValue(ranked[0].fact.value)}.`,
  };
}

function isMeasuredForm(f: IndexedFact): boolean {
  return f.fact.form === 'result' || f.fact.form === 'output' || f.fact.form === 'text';
}

/**
 * Several files set the quantity to different values and none is closer to the claim's words than
 * the rest: which one the card describes is not decidable (nanoGPT-style config/*.py per run).
 */
function disagreeingPlaces(claim: Claim, ranked: IndexedFact[]): string | undefined {
  if (ranked.length < 2) return undefined;
  // One shared word with a heading or a comment does not single a place out; two do.
  const topScore = contextScore(claim, ranked[0]);
  const tied = ranked.filter((f) => contextScore(claim, f) > topScore - 2);
  const values = new Set(tied.map((f) => showValue(f.fact.value)));
  const files = new Set(tied.map((f) => f.fact.file));
  // Two values in one file may be two layers of one model; three or more are a table of variants.
  if (values.size < 2 || (files.size < 2 && values.size < 3)) return undefined;
  return `The workspace sets this differently in ${tied.length} places (${tied.slice(0, 3).map((f) => `${showValue(f.fact.value)} at ${where(f)}`).join(', ')}); which one the card describes is not clear.`;
}

/** Whether a fact's file, name or line names `label` ("gpt2-medium"). */
function mentions(f: IndexedFact, label: string): boolean {
  const want = compact(label);
  return want.length > 0 && [f.fact.file, f.fact.path, f.fact.snippet].some((s) => compact(s).includes(want));
}
