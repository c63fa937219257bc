import type { ClaimKind } from '../model.js';
import type { ClaimValue, InequalityOp } from './claim.js';
import { findNumbers, type CardNumber } from '../verify/numbers.js';
import { isYearish } from '../verify/factIndex.js';
import { FAMILY_VOCABULARY } from '../verify/familyVocabulary.js';
import { MODEL_VARIANT_FAMILIES } from '../verify/modelVariants.js';
import { CARD_PRECISION, precisionOfCard } from '../verify/decidePrecision.js';
import { keysAroundValue } from '../verify/keyMatch.js';
import { contentTokens } from '../verify/tokens.js';
import { KNOWN_PACKAGES } from '../verify/packageAliases.js';

/**
 * One checkable assertion inside a sentence: a value with the words that name it.
 * Offsets are into the sentence. `start..end` covers the key words when they come right before
 * the value, so adjacent atoms can be merged into one readable claim.
 */
export interface Atom {
  start: number;
  end: number;
  keyText: string;
  /** For numbers: the words before and after the value, kept apart to rank keys by nearness. */
  keyBefore?: string;
  keyAfter?: string;
  /** Where the value itself starts (after its key words) and ends (before a counted noun). */
  valueStart?: number;
  valueEnd?: number;
  /** One factor of a product spelled out in the card ("16 per GPU × 4 steps × 8 GPUs"). */
  factor?: boolean;
  value: ClaimValue;
  kind?: ClaimKind;
}

interface NumberToken { raw: string; index: number; end: number; number: CardNumber }

const INEQUALITY_BEFORE: [RegExp, InequalityOp][] = [
  [/(?:at least|no less than|not less than|≥|>=)\s*$/i, '>='],
  [/(?:above|more than|greater than|higher than|exceeds?|exceeding|>)\s*$/i, '>'],
  [/(?:at most|no more than|not more than|≤|<=)\s*$/i, '<='],
  [/(?:below|under|less than|fewer than|lower than|shorter than|<)\s*$/i, '<'],
];

/** Words that bound a rate ("over 90%", "within 1.5 points") but not a count ("over 2 steps", "up to 15 bins"). */
const RATE_INEQUALITY_BEFORE: [RegExp, InequalityOp][] = [
  [/\bover\s*$/i, '>'],
  [/\b(?:within|up to)\s*$/i, '<='],
];

function isRate(n: CardNumber): boolean {
  return n.percent || (!Number.isInteger(n.value) && Math.abs(n.value) < 1);
}

/** Words that stand before a version number without naming a package: "upgraded from 1.2.3 to 1.4.0". */
const NOT_PACKAGE_NAMES = new Set([
  'from', 'to', 'and', 'or', 'of', 'with', 'at', 'in', 'on', 'for', 'by', 'via', 'than', 'is', 'was', 'are', 'be', 'the', 'a',
  'version', 'versions', 'release', 'releases', 'v', 'ver', 'tag', 'build', 'python', 'value', 'values', 'score', 'step', 'steps',
  'epoch', 'epochs', 'section', 'table', 'figure', 'page', 'chapter', 'rule', 'article', 'paragraph', 'item', 'see', 'per', 'about',
]);

const DROP_VERBS = /\b(dropped|drop|removed|excluded|exclude|discarded|omitted|left out|not used|never used|removes|drops|excludes)\b/i;
const KEEP_VERBS = /\b(one-hot|encoded|used as|uses|features?|inputs?|columns?|labels?|classes|includes?|consists? of|selected)\b/i;
const CLAUSE_BREAK = /[;:()[\]]|,\s|\s(?:and|while|whereas|but|so that|such that)\s/g;

export function findAtoms(sentence: string, tableKey?: string): Atom[] {
  const atoms: Atom[] = [];
  const taken: [number, number][] = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const take = (s: number, e: number) => taken.push([s, e]);

  // Versions first: their digits must not become numbers.
  // "scikit-learn 1.3.2", "scikit-learn version 1.3.2", "torch (version 2.2.2)", "numpy==1.26.4".
  const versionRe = /\b([A-Za-z][A-Za-z0-9+_-]*)(?:\s*[(,]?\s*(?:version|ver\.|release)\s+|\s*==\s*|\s+)v?(\d+\.\d+(?:\.\d+)*(?:[a-z]+\d*)?)\b/g;
  for (const m of sentence.matchAll(versionRe)) {
    const name = m[1];
    const version = m[2];
    const known = KNOWN_PACKAGES.has(name.toLowerCase());
    // An unknown name needs a full x.y.z release, and is no word of the sentence's own ("to 1.4.0").
    if (!known && (version.split('.').length < 3 || NOT_PACKAGE_NAMES.has(name.toLowerCase()) || name.length < 2)) continue;
    const s = m.index ?? 0;
    const e = s + m[0].length;
    atoms.push({ start: s, end: e, keyText: name, value: { type: 'version', pkg: name, version }, kind: 'dependency' });
    take(s, e);
  }

  // A table row naming a package beside its version: "| statsmodels | 0.14.1 |" (under "| Package | Version |").
  const rowPackage = tableKey ? /(?:^|\s)([A-Za-z][\w.+-]*)\s*$/.exec(tableKey)?.[1] : undefined;
  const bareVersion = rowPackage && !NOT_PACKAGE_NAMES.has(rowPackage.toLowerCase()) ? /^\s*v?(\d+\.\d+(?:\.\d+)*(?:[a-z]+\d*)?)\s*$/.exec(sentence) : null;
  if (rowPackage && bareVersion && (bareVersion[1].split('.').length >= 3 || KNOWN_PACKAGES.has(rowPackage.toLowerCase()))) {
    const s = sentence.indexOf(bareVersion[1]);
    atoms.push({ start: s, end: s + bareVersion[1].length, keyText: rowPackage, value: { type: 'version', pkg: rowPackage, version: bareVersion[1] }, kind: 'dependency' });
    take(s, s + bareVersion[1].length);
  }

  // Dates are not quantities: "2021-12-31" must not become 2021, 12 and 31.
  for (const m of sentence.matchAll(/\b(19|20)\d{2}[-/.](0?[1-9]|1[0-2])(?:[-/.](0?[1-9]|[12]\d|3[01]))?\b/g)) take(m.index ?? 0, (m.index ?? 0) + m[0].length);

  const license = /\blicen[cs]ed under (?:the )?([A-Za-z0-9][A-Za-z0-9 .+-]*?)(?:\s+licen[cs]e)?(?=[.,;)]|$)/i.exec(sentence)
    ?? /^\s*licen[cs]e\s*[:：]\s*([A-Za-z0-9][A-Za-z0-9 .+-]*?)\s*$/i.exec(sentence)
    ?? (tableKey && /^licen[cs]e$/i.test(tableKey.trim()) ? /^\s*([A-Za-z0-9][A-Za-z0-9 .+-]*?)\s*$/.exec(sentence) : null);
  if (license && !overlaps(license.index, license.index + license[0].length)) {
    atoms.push({ start: license.index, end: license.index + license[0].length, keyText: 'license', value: { type: 'license', license: license[1] }, kind: 'license' });
    take(license.index, license.index + license[0].length);
  }

  // A training precision ("bf16 mixed", "fp16"): its digits are no quantity.
  for (const m of sentence.matchAll(CARD_PRECISION)) {
    const s = m.index ?? 0;
    const e = s + m[0].length;
    if (overlaps(s, e) || (/bit$/i.test(m[1]) && !/precision|mixed|train/i.test(sentence))) continue;
    atoms.push({ start: s, end: e, keyText: 'numeric precision', value: { type: 'name', name: m[0], precision: precisionOfCard(m[1]) }, kind: 'compute' });
    take(s, e);
  }

  for (const fam of MODEL_VARIANT_FAMILIES) {
    for (const m of sentence.matchAll(fam.card)) {
      const s = m.index ?? 0;
      const e = s + m[0].length;
      if (overlaps(s, e)) continue;
      atoms.push({ start: s, end: e, keyText: tableKey ?? 'architecture', value: { type: 'name', name: m[0], variant: { family: fam.family, size: m[1].toLowerCase() } }, kind: 'architecture' });
      take(s, e);
    }
  }

  for (const entry of FAMILY_VOCABULARY) {
    for (const phrase of entry.card) {
      const re = new RegExp(`\\b${phrase.split(/\s+/).map(escapeRegExp).join('[\\s_-]+')}(?:s|ed|ing)?\\b`, 'gi');
      for (const m of sentence.matchAll(re)) {
        const s = m.index ?? 0;
        const e = s + m[0].length;
        if (overlaps(s, e) || !namesFamily(sentence, s, e)) continue;
        atoms.push({ start: s, end: e, keyText: tableKey ?? entry.role, value: { type: 'name', name: m[0], family: entry.family },
          kind: entry.role === 'estimator' || entry.role === 'network' ? 'architecture' : 'hyperparameter' });
        take(s, e);
      }
    }
  }

  const ids = findIdentifierList(sentence);
  if (ids) {
    atoms.push({ start: ids.start, end: ids.end, keyText: ids.action, value: { type: 'identifiers', ids: ids.ids, action: ids.action }, kind: 'procedure' });
    take(ids.start, ids.end);
  }

  // A numbered paragraph's number ("7.1 The decision threshold …") is no value.
  const paragraphNumber = /^\s*\d+(?:\.\d+)+\.?\s+(?=[A-Z])/.exec(sentence);
  if (paragraphNumber) take(0, paragraphNumber[0].trimEnd().length);
  const numbers = findNumbers(sentence, { words: true })
    .map((n): NumberToken => ({ ...n, end: n.index + n.raw.length }))
    .filter((n) => /\d/.test(n.raw) || countsNoun(sentence, n))
    .filter((n) => !overlaps(n.index, n.end))
    .filter((n) => !isDimension(sentence, n));
  const factors = productFactors(sentence, numbers);
  for (const a of groupNumbers(sentence, numbers, taken, tableKey)) {
    atoms.push(factors.has(a.valueEnd ?? a.end) ? { ...a, factor: true } : a);
  }

  atoms.sort((a, b) => a.start - b.start);
  return atoms;
}

/**
 * Whether a family's word stands as the family's name: not inside an identifier (XGBoost's
 * `binary:logistic` objective) and not naming a loss or link ("logistic loss", "sigmoid output").
 */
function namesFamily(s: string, start: number, end: number): boolean {
  if (/[:_./]$/.test(s.slice(0, start)) || /^[:_./]\w/.test(s.slice(end))) return false;
  return !/^\s+(?:loss|objective|link|function|activation|output|units?|layer|head)\b/i.test(s.slice(end));
}

/** End offsets of numbers multiplied together in the card's words: "16 per GPU × 4 steps × 8 GPUs". */
function productFactors(s: string, nums: NumberToken[]): Set<number> {
  const ends = new Set<number>();
  for (let i = 0; i + 1 < nums.length; i++) {
    const between = s.slice(nums[i].end, nums[i + 1].index);
    if (/[×✕*]|\sx\s/.test(between) && !/[().;]/.test(between) && between.length < 40) {
      ends.add(nums[i].end);
      ends.add(nums[i + 1].end);
    }
  }
  return ends;
}

/**
 * Words joining the two ends of a range: "from 2012 to 2016", "between 1 and 5", "the range 300
 * to 850", "2012 through 2016" (years only: "3 through 5" may count steps of a procedure).
 */
function rangeWords(between: string, before: string, a: NumberToken, b: NumberToken): boolean {
  if (/^\s*and\s*$/i.test(between)) return /\bbetween\s*$/i.test(before);
  if (/^\s*to\s*$/i.test(between)) return /\b(?:from|between|range(?:\s+of)?|ranging|scale(?:\s+of)?|within)\s*$/i.test(before);
  return /^\s*(?:through|thru)\s*$/i.test(between) && isYearNumber(a) && isYearNumber(b);
}

function isYearNumber(n: NumberToken): boolean {
  return isYearish(n.number.value) && /^\d{4}$/.test(n.number.raw);
}

/**
 * A number the words right after it name ("…to a minimum of 3e-5, 1k warmup steps"): the comma
 * before it ends a clause, not a pair of values ("betas 0.9, 0.95", "(0.9, 0.999)").
 */
function namesItsOwnKey(s: string, n: NumberToken): boolean {
  const after = s.slice(n.end, n.end + 40);
  return !/^\s*[)\]]/.test(after) && keysAroundValue('', '', after).length > 0;
}

/**
 * A number word read as a value only where it counts what follows ("three epochs", "two frequency
 * masks"): elsewhere "one" is a pronoun and "one of four labels" picks, not sets.
 */
function countsNoun(s: string, n: NumberToken): boolean {
  if (n.number.value < 2) return false;
  if (/\bof\s+(?:the\s+)?$/i.test(s.slice(Math.max(0, n.index - 8), n.index))) return false;
  const noun = COUNTED_NOUN.exec(s.slice(n.end, n.end + 60));
  return noun !== null && !/^\s+of\b/.test(s.slice(n.end + noun[0].length));
}

/** A plural noun, maybe after one word that qualifies it: "epochs", "frequency masks", "convolutional blocks". */
const COUNTED_NOUN = /^\s+(?:[A-Za-z][\w-]*\s+)?[A-Za-z][\w-]*[a-rt-z]s\b/;

/** "32×32", "3x3": sizes of a patch or kernel, not a setting on their own. */
function isDimension(s: string, n: NumberToken): boolean {
  // Part of a formula ("1/√N", "d/2"), not a value.
  if (/^\s*\/\s*[^\d\s]/.test(s.slice(n.end, n.end + 4)) || /[^\d\s]\s*\/\s*$/.test(s.slice(Math.max(0, n.index - 4), n.index))) return true;
  // A speed-up factor ("2-3X faster", "10x") is not a setting either.
  if (/^(?:\s*[-–]\s*\d+(?:\.\d+)?)?\s*[xX×](?![\w\d])/.test(s.slice(n.end, n.end + 12))) return true;
  return /^\s*[×x*]\s*\d/.test(s.slice(n.end, n.end + 4)) || /\d\s*[×x*]\s*$/.test(s.slice(Math.max(0, n.index - 4), n.index));
}

function groupNumbers(s: string, nums: NumberToken[], taken: [number, number][], tableKey?: string): Atom[] {
  const atoms: Atom[] = [];
  let i = 0;
  // Key words never reach back past an earlier atom: "16 kHz clips into 35 classes".
  const floorOf = (at: number) => Math.max(0, ...taken.filter(([, e]) => e <= at).map(([, e]) => e), ...atoms.map((a) => a.valueEnd ?? a.end).filter((e) => e <= at));
  const makeAtom = (s: string, vs: number, ve: number, value: ClaimValue, key?: string) => makeNumberAtom(s, vs, ve, value, key, floorOf(vs));
  while (i < nums.length) {
    const a = nums[i];
    const next = nums[i + 1];
    const between = next ? s.slice(a.end, next.index) : '';
    const before = s.slice(Math.max(0, a.index - 20), a.index);
    // Ranges: "300–850", "from 2012 to 2016", "between 1 and 5", "[0, 1]".
    if (next && (/^\s*[–—-]\s*$/.test(between) || rangeWords(between, before, a, next)
      || (/^\s*,\s*$/.test(between) && /\[\s*$/.test(before) && /^\s*[\])]/.test(s.slice(next.end))))) {
      const end = /^\s*[\])]/.test(s.slice(next.end)) ? next.end + s.slice(next.end).indexOf(s.slice(next.end).trim()[0]) + 1 : next.end;
      atoms.push(makeAtom(s, a.index, end, { type: 'range', lo: a.number, hi: next.number }, tableKey));
      i += 2;
      continue;
    }
    if (next && /^\s*(±|\+\/-|\+-)\s*$/.test(between)) {
      atoms.push(makeAtom(s, a.index, next.end, { type: 'plusminus', mean: a.number, err: next.number }, tableKey));
      i += 2;
      continue;
    }
    // Lists: "32, 64 and 128", "580, 620, 660".
    let j = i;
    while (j + 1 < nums.length && /^\s*(,|,?\s*and|,?\s*or)\s*$/i.test(s.slice(nums[j].end, nums[j + 1].index))) j++;
    // "580/620/660/700": three or more numbers a slash joins (two may be a fraction).
    if (j === i) {
      let k = i;
      while (k + 1 < nums.length && /^\/$/.test(s.slice(nums[k].end, nums[k + 1].index))) k++;
      if (k - i >= 2) j = k;
    }
    const listLen = j - i + 1;
    const hasComma = listLen >= 2 && s.slice(nums[i].end, nums[j].index).includes(',');
    if (listLen >= 3 || (listLen === 2 && hasComma && !namesItsOwnKey(s, nums[j]))) {
      atoms.push(makeAtom(s, a.index, nums[j].end, { type: 'list', items: nums.slice(i, j + 1).map((n) => n.number) }, tableKey));
      i = j + 1;
      continue;
    }
    // A ratio "10:1" states the first number against one.
    const ratio = /^:\s*1\b/.exec(s.slice(a.end));
    const end = ratio ? a.end + ratio[0].length : a.end;
    if (ratio && next && next.index < end) i++;
    const lead = s.slice(Math.max(0, a.index - 24), a.index);
    const op = INEQUALITY_BEFORE.find(([re]) => re.test(lead)) ?? (isRate(a.number) ? RATE_INEQUALITY_BEFORE.find(([re]) => re.test(lead)) : undefined);
    if (op) atoms.push(makeAtom(s, a.index, end, { type: 'inequality', op: op[1], bound: a.number }, tableKey));
    else atoms.push(makeAtom(s, a.index, end, { type: 'number', number: a.number }, tableKey));
    i++;
  }
  return atoms;
}

function makeNumberAtom(s: string, valueStart: number, valueEnd: number, value: ClaimValue, tableKey: string | undefined, floor: number): Atom {
  // Key words: from the last clause break (or earlier atom) before the value, and a few words after it.
  const breaks = [floor];
  for (const m of s.slice(floor, valueStart).matchAll(CLAUSE_BREAK)) breaks.push(floor + (m.index ?? 0) + m[0].length);
  // "Model width (d_model) of 1024": when the last clause holds no word, reach back one more.
  let b = breaks.length - 1;
  // A value right after an opening bracket ("(2-3X)") has no key words: the clause before it is not its key.
  const afterBracket = b > 0 && /\s[([]\s*$/.test(s.slice(0, breaks[b])) && s.slice(breaks[b], valueStart).trim() === '';
  // Nor is the count noun of the value before it in a list ("4 layers, 4 heads, 128 ...").
  const afterListComma = b > 0 && floor > 0 && /,\s*$/.test(s.slice(0, breaks[b])) && s.slice(breaks[b], valueStart).trim() === '';
  // A clause "so that 0.5% of … are alerted" has the value for its subject: what came before is not its key.
  const afterSoThat = b > 0 && /\s(?:so|such) that\s*$/i.test(s.slice(0, breaks[b]));
  // (The words of a bound are no key words either: "an Information Value (IV) below 0.02".)
  while (b > 0 && !afterBracket && !afterListComma && !afterSoThat && !/[A-Za-zα-ω]{2,}/.test(s.slice(breaks[b], valueStart).replace(/\b(of|is|are|was|to|at|by|with|below|above|under|over|than|less|more|fewer|greater|higher|lower|least|most|exceeds?|exceeding|up|=)\b/gi, ''))) b--;
  // A value inside parentheses is about the noun before them ("2 frequency masks (width up to 15)"):
  // that clause joins its key words, and keysAroundValue weighs it first.
  const inParentheses = b > 0 && !afterBracket && /\(\s*$/.test(s.slice(0, breaks[b]));
  const keyStart = inParentheses ? breaks[b - 1] : breaks[b];
  const before = s.slice(keyStart, valueStart);
  // The words after a value name it only up to the next clause: "a loss of 1.88 and therefore worse samples".
  const afterMatch = /^[^.;,:()[\]0-9]*?(?=\s+(?:and|but|while|whereas|which|so|because|therefore)\b|[.;,:()[\]0-9]|$)/.exec(s.slice(valueEnd));
  // The unit as the card wrote it ("days", "kHz"): its words may name the key ("90 days past due").
  const unit = value.type === 'number' && value.number.unit ? `${value.number.raw.replace(/^[^A-Za-z%µ]*/, '')} ` : '';
  const afterWords = unit + (afterMatch ? afterMatch[0] : '').trim().split(/\s+/).slice(0, 5).join(' ');
  const keyText = [tableKey ?? '', before, afterWords].filter((x) => x.trim() !== '').join(' | ');
  // The span starts at the key when the key sits right before the value ("β2 = 0.999").
  const shortKey = /([A-Za-zα-ωΑ-Ω0-9_²-]+(?:\s+[A-Za-zα-ωΑ-Ω0-9_²-]+){0,3})\s*(?:=|:|of|is|was|at)?\s*$/.exec(before);
  let start = shortKey ? keyStart + shortKey.index : valueStart;
  // A span starts at its key words, not at a linking word ("at a learning rate of" → "learning rate of").
  const linking = /^(?:(?:at|with|a|an|the|of|to|and|or|by|on|in|for)\s+)+/i.exec(s.slice(start, valueStart));
  if (linking) start += linking[0].length;
  // A count whose noun follows ("Two nodes with 8 GPUs") reads as a claim only with that noun.
  const counted = start === valueStart ? COUNTED_NOUN.exec(s.slice(valueEnd, valueEnd + 60)) : null;
  const end = counted && afterMatch && counted[0].length <= afterMatch[0].length ? valueEnd + counted[0].length : valueEnd;
  return { start, end, valueStart, valueEnd, keyText, keyBefore: before, keyAfter: afterWords, value };
}

interface IdentifierList { start: number; end: number; ids: string[]; action: 'dropped' | 'kept' }

/** Words right before "column(s)" / "field(s)", joined by commas, "and" or "or". */
const COLUMN_NOUN_LIST = /\b([A-Za-z][\w-]*(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)[A-Za-z][\w-]*)*)\s+(?:columns?|fields?|variables?)\b/;
/** Names joined by commas, "and" or "or". */
const NAME_CHAIN = /[A-Za-z_]\w*(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)[A-Za-z_]\w*)+/g;
/** Words before "columns" that say which kind, not which one. */
const NOT_COLUMN_NAMES = new Set(['the', 'a', 'an', 'all', 'these', 'those', 'other', 'some', 'any', 'its', 'their', 'numeric', 'numerical', 'categorical', 'text', 'date', 'input', 'raw', 'extra', 'remaining', 'unused', 'redundant', 'constant', 'empty', 'duplicate', 'sensitive', 'protected', 'personal', 'identifier', 'identifying']);

/** Column names a sentence lists with what happens to them ("x, y and z are dropped"). */
function findIdentifierList(s: string): IdentifierList | undefined {
  const ids = new Map<string, number>();
  for (const m of s.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) ids.set(m[0], m.index ?? 0);
  // Plain names listed with them: "total_pymnt, total_rec_prncp and recoveries".
  if (ids.size > 0) {
    for (const chain of s.matchAll(NAME_CHAIN)) {
      const names = [...chain[0].matchAll(/[A-Za-z_]\w*/g)].filter((n) => !/^(?:and|or)$/i.test(n[0]));
      if (!names.some((n) => ids.has(n[0]))) continue;
      // Not a linking word the chain ran into: "…, last_pymnt_amnt, are dropped".
      for (const n of names) if (!ids.has(n[0]) && !NOT_COLUMN_NAMES.has(n[0].toLowerCase()) && contentTokens(n[0]).length > 0) ids.set(n[0], (chain.index ?? 0) + (n.index ?? 0));
    }
  }
  for (const m of s.matchAll(/\(([^()]{2,200})\)/g)) {
    const items = m[1].split(/\s*(?:,|\band\b|\bor\b|;)\s*/).map((x) => x.trim()).filter((x) => x.length > 0);
    if (items.length >= 2 && items.every((x) => /^[\w/.-]+$/.test(x) && x.length <= 40)) {
      let at = (m.index ?? 0) + 1;
      for (const it of items) { ids.set(it, s.indexOf(it, at)); at = s.indexOf(it, at) + it.length; }
    }
  }
  // Plain words a sentence that drops something calls columns: "the id and age columns are dropped".
  if (ids.size === 0 && DROP_VERBS.test(s)) {
    const named = COLUMN_NOUN_LIST.exec(s);
    const words = named ? named[1].split(/\s*(?:,|\band\b|\bor\b)\s*/).filter((w) => w !== '' && !NOT_COLUMN_NAMES.has(w.toLowerCase())) : [];
    let at = named?.index ?? 0;
    for (const w of words) {
      at = s.indexOf(w, at);
      ids.set(w, at);
      at += w.length;
    }
  }
  if (ids.size === 0) return undefined;
  const action = DROP_VERBS.test(s) ? 'dropped' : KEEP_VERBS.test(s) && ids.size >= 2 ? 'kept' : undefined;
  if (!action) return undefined;
  const positions = [...ids.values()];
  const first = Math.min(...positions);
  const lastId = [...ids.entries()].sort((a, b) => b[1] - a[1])[0];
  return { start: first, end: lastId[1] + lastId[0].length, ids: [...ids.keys()], action };
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
