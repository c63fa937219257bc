import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Claim } from '../card/claim.js';
import type { ClaimUnit } from '../card/extractClaims.js';
import type { Fact, FactValue } from '../facts/fact.js';
import { namedTerms } from './decideNames.js';
import { holdsYear } from './factIndex.js';
import { FAMILY_VOCABULARY } from './familyVocabulary.js';
import { keysInText } from './keyMatch.js';
import { ARRAY_KEYS, DERIVED_KEYS, NARROWER_KEYS } from './keyVocabulary.js';
import type { CardNumber } from './numbers.js';
import { compact, contentTokens, SAMPLE_WORDS, splitWords } from './tokens.js';

/**
 * Which facts a card can possibly use. The claims are known before the workspace is indexed, so
 * the index keeps only facts some claim's question could reach (DESIGN.md memory rules: a large
 * repository states millions of facts, a card asks about a few hundred things):
 *
 * - facts carrying a key any claim asks for (with derived, narrower and array keys),
 * - numeric facts sharing a word of three or more letters with the card (the lookups by word),
 * - facts whose names or strings share a word with the card, or contain one of its named terms,
 *   stated names or ids, or any family's code name (name and family matching is by substring),
 * - numbers a range or list on the card could agree with at any precision or unit (the only
 *   lookups by value alone: other value checks also need a shared word),
 * - string lists (feature, column and drop lists), versions, licences, results and outputs.
 *
 * It over-approximates by design: a kept fact that no claim uses costs memory, a dropped fact
 * that one claim needed would change a verdict. The pipeline's tests compare verdicts with and
 * without the filter.
 */
export interface FactFilter {
  /** Whether a claim could use the fact: the same answer whatever else the index holds. */
  keep(fact: Fact, keys: readonly string[], tokens: readonly string[]): boolean;
  /**
   * The budget's say on a fact `keep` accepted, in the order facts reach the index (absent
   * without a budget). Separate from `keep` so that what a file offers the index does not depend
   * on the files read before it (a card's snapshot and decisions compare exactly that).
   */
  admit?(fact: Fact, keys: readonly string[]): boolean;
  /** The budget's state: 0 admits every kept fact, 1 only strong ones, 2 only versions and licences. */
  regime?(): number;
  /** How many facts the budget has admitted so far (versions and licences are not counted). */
  admitted?(): number;
  /** Sets that count: an index that skips files it does not need picks it up where a run reached a limit (DeferredIndex.replayScoped). */
  seek?(admitted: number): void;
  /** Whether the budget in `regime` admits a kept fact (the same rule as `admit`, without counting). */
  admitsUnder?(regime: number, fact: Fact, keys: readonly string[]): boolean;
  /** Card words and terms: the only ones the index's vocabulary is ever asked about. */
  readonly vocabulary: ReadonlySet<string>;
  /**
   * Equal for two filters that keep exactly the same facts (same words, keys, names, number
   * ranges and budget): a card edit that changes none of them keeps the card's snapshot valid.
   */
  readonly fingerprint: string;
  /** What the filter was built from (absent on hand-made filters in tests). */
  readonly spec?: FactFilterSpec;
}

const ALWAYS_KEPT = new Set<Fact['form']>(['version', 'license', 'result', 'output']);

/** Strings whose verdict `sharesWord` remembers at most (see factFilterOf). */
const MEMO_STRINGS = 20_000;

export interface FactBudget {
  /** Beyond this many kept facts, only facts carrying a key the card asks about are kept. */
  softLimit: number;
  /** Beyond this many, only versions and licences. */
  hardLimit: number;
  /** Told once per limit reached, to warn the user that verdicts may lack evidence. */
  onLimit(message: string): void;
}

/**
 * What a card's filter keeps, as plain data: derived from the card alone, so a re-run of an
 * unchanged card can rebuild its filter from a record (cardDecisions.ts) without reading the
 * claims again.
 */
export const FactFilterSpecSchema = z.object({
  /** Card words (content tokens and split words of every claim text, context and heading). */
  words: z.array(z.string()),
  /** Keys the claims ask for, with derived, narrower and array keys. */
  keys: z.array(z.string()),
  /** Name parts matched by substring, longest first. */
  parts: z.array(z.string()),
  /** Numbers a range or list on the card could agree with. */
  ranges: z.object({ anyPositive: z.boolean(), anyNegative: z.boolean(), spans: z.array(z.tuple([z.number(), z.number()])) }),
});
export type FactFilterSpec = z.infer<typeof FactFilterSpecSchema>;

/**
 * `budget` bounds memory on workspaces where even the relevant facts are too many (a generated
 * 50,000-file repository of training scripts): facts of files walked later are then left out,
 * and the user is told. Without it the filter is exact (no verdict changes).
 */
export function cardFactFilter(units: readonly ClaimUnit[], cardText: string, budget?: FactBudget): FactFilter {
  return factFilterOf(cardFilterSpec(units, cardText), budget);
}

export function cardFilterSpec(units: readonly ClaimUnit[], cardText: string): FactFilterSpec {
  const claims = units.flatMap((u) => u.atoms.flatMap(withParts));
  const texts = [cardText, ...units.map((u) => u.text), ...claims.flatMap((c) => [c.text, c.context, c.keyText, ...c.headings, c.rowQualifier ?? ''])];

  const words = new Set<string>();
  for (const t of texts) {
    for (const w of contentTokens(t)) words.add(w);
    for (const w of splitWords(t)) words.add(w);
  }

  const keys = new Set<string>(['num_features']);
  for (const c of claims) for (const k of c.keys) keys.add(k);
  for (const k of keysInText(cardText, 'card')) keys.add(k);
  for (const k of [...keys]) {
    const derived = DERIVED_KEYS[k];
    if (derived) keys.add(derived.from);
    for (const n of NARROWER_KEYS[k] ?? []) keys.add(n);
    for (const a of ARRAY_KEYS[k] ?? []) keys.add(a);
  }

  // Substring matching of names is asked about family code names, the card's named terms
  // ("CIFAR-10-C", "AdamW") and the names, ids and licences claims state, never about plain words.
  const nameParts = new Set<string>();
  for (const e of FAMILY_VOCABULARY) for (const c of e.code) nameParts.add(c);
  for (const t of texts) {
    for (const term of namedTerms(t)) {
      const c = compact(term);
      if (c.length > 0) nameParts.add(c);
    }
  }
  for (const c of claims) for (const s of claimStrings(c)) if (compact(s).length > 0) nameParts.add(compact(s));
  const parts = [...nameParts].filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
  const ranges = agreementSpans(claims.flatMap((c) => (c.value.type === 'range' || c.value.type === 'list' ? cardNumbers(c.value) : [])));
  return { words: [...words].sort(), keys: [...keys].sort(), parts, ranges };
}

/** The filter `spec` describes, with `budget` (see cardFactFilter). */
export function factFilterOf(spec: FactFilterSpec, budget?: FactBudget): FactFilter {
  const words = new Set(spec.words);
  const keys = new Set(spec.keys);
  const parts = spec.parts;
  const namePattern = parts.length > 0 ? new RegExp(parts.map(escapeRegExp).join('|')) : /(?!)/;
  const vocabulary = new Set(words);
  for (const p of parts) vocabulary.add(p);
  const ranges = rangesOf(spec.ranges);
  // Identity matching (decideNames) is by token equality on strings and callees: memoized, as
  // the same strings recur across facts. The memo lives as long as the filter, through the
  // index's build: at 100,000 entries it held a 3.7 MB table and the strings of facts long
  // dropped (stdlib heap snapshot), so it starts over at MEMO_STRINGS.
  const stringTokens = new Map<string, boolean>();
  const sharesWord = (s: string): boolean => {
    let hit = stringTokens.get(s);
    if (hit === undefined) {
      hit = contentTokens(s).some((t) => words.has(t)) || namePattern.test(compact(s));
      if (stringTokens.size >= MEMO_STRINGS) stringTokens.clear();
      stringTokens.set(s, hit);
    }
    return hit;
  };

  const weak = (fact: Fact, tokens: readonly string[]): boolean => {
    // Lookups by shared word (withToken, supportByValue, year filters) take numeric facts and
    // words of three or more characters only.
    if (hasNumberValue(fact.value)) for (const t of tokens) if (t.length > 2 && words.has(t)) return true;
    if (isStringList(fact.value)) return true;
    for (const s of factStrings(fact)) if (sharesWord(s)) return true;
    // A year filter whose line makes a sample the card names (decideYear).
    if (holdsYear(fact.value) && contentTokens(fact.snippet).some((t) => SAMPLE_WORDS.has(t) && words.has(t))) return true;
    return numbersOf(fact.value).some((x) => ranges.contains(x));
  };

  const fingerprint = createHash('sha1')
    .update(JSON.stringify([spec.words, spec.keys, parts, JSON.stringify([spec.ranges.anyPositive, spec.ranges.anyNegative, spec.ranges.spans]), budget ? [budget.softLimit, budget.hardLimit] : 0]))
    .digest('hex');

  let admitted = 0;
  // Once per limit for the filter's life: a run that counts its facts again (an index built after
  // the walk, after `seek(0)`) passes the same limits.
  const told = [false, false];
  const strength = (fact: Fact, factKeys: readonly string[]): number => {
    if (fact.form === 'version' || fact.form === 'license') return 0;
    if (ALWAYS_KEPT.has(fact.form)) return 1;
    for (const k of factKeys) if (keys.has(k)) return 1;
    return 2;
  };
  const regime = (): number => (!budget || admitted < budget.softLimit ? 0 : admitted < budget.hardLimit ? 1 : 2);
  // Told when a limit is reached (not when a fact is first refused): where that happens depends
  // only on the files before, which a re-run that skips files it does not need can tell.
  const admit = (fact: Fact, factKeys: readonly string[]): boolean => {
    const s = strength(fact, factKeys);
    if (s === 0 || !budget) return true;
    if (s > 2 - regime()) return false;
    admitted++;
    if (admitted === budget.softLimit && !told[0]) {
      told[0] = true;
      budget.onLimit(`${admitted.toLocaleString('en-US')} facts of this workspace bear on the card's claims: to bound memory, facts of the files read after this point are kept only when they name a setting the card states (narrow the workspace with exclude globs)`);
    }
    if (admitted === budget.hardLimit && !told[1]) {
      told[1] = true;
      budget.onLimit(`${admitted.toLocaleString('en-US')} facts of this workspace bear on the card's claims, the most CardCheck keeps in memory: facts of the files read after this point are left out (narrow the workspace with exclude globs)`);
    }
    return true;
  };

  return {
    vocabulary,
    fingerprint,
    spec,
    keep(fact, factKeys, tokens) {
      if (ALWAYS_KEPT.has(fact.form)) return true;
      for (const k of factKeys) if (keys.has(k)) return true;
      return weak(fact, tokens);
    },
    admitsUnder: (r, fact, factKeys) => strength(fact, factKeys) <= 2 - r,
    ...(budget ? { admit, regime, admitted: () => admitted, seek: (n: number) => { admitted = n; } } : {}),
  };
}

function withParts(c: Claim): Claim[] {
  return [c, ...(c.parts ?? []).flatMap(withParts)];
}

function claimStrings(c: Claim): string[] {
  const v = c.value;
  switch (v.type) {
    // A sized architecture ("ResNet-50") is checked against every size of its family the code names.
    case 'name': return [v.name, ...(v.family ? [v.family] : []), ...(v.variant ? [v.variant.family] : [])];
    case 'identifiers': return v.ids;
    case 'license': return [v.license];
    case 'version': return [v.pkg];
    default: return [];
  }
}

/** Strings a fact offers name and identity matching: its callee, its names and its string values. */
function factStrings(f: Fact): string[] {
  const out = [f.rawKey];
  if (f.call) out.push(f.call, f.call.split('.').pop() ?? '');
  if (typeof f.value === 'string') out.push(f.value);
  else if (Array.isArray(f.value)) for (const x of f.value) if (typeof x === 'string') out.push(x);
  return out;
}

function hasNumberValue(v: FactValue): boolean {
  return typeof v === 'number' || (Array.isArray(v) && v.some((x) => typeof x === 'number'));
}

function isStringList(v: FactValue): boolean {
  return Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'string');
}

function numbersOf(v: FactValue): number[] {
  if (typeof v === 'number') return [v];
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => numbersOf(x));
}

/** Every CardNumber in a claim value, whatever its shape (a generic walk: new shapes need no change here). */
function cardNumbers(value: unknown, depth = 0): CardNumber[] {
  if (depth > 4 || typeof value !== 'object' || value === null) return [];
  const o = value as Record<string, unknown>;
  if (typeof o.value === 'number' && typeof o.raw === 'string' && typeof o.decimals === 'number') return [o as unknown as CardNumber];
  return Object.values(o).flatMap((x) => (Array.isArray(x) ? x.flatMap((y) => cardNumbers(y, depth + 1)) : cardNumbers(x, depth + 1)));
}

interface Ranges {
  contains(x: number): boolean;
}

/**
 * Intervals holding every code number numbersAgree could accept for a card number, whatever
 * precision, percent or approximation it is asked with: the value, the value as a fraction and
 * as a percent, each widened by half the displayed resolution and the approximation tolerance.
 * A number with a unit may meet code in any unit of its dimension: any number of its sign.
 */
function agreementSpans(numbers: readonly CardNumber[]): FactFilterSpec['ranges'] {
  const spans: [number, number][] = [];
  let anyPositive = false;
  let anyNegative = false;
  for (const n of numbers) {
    if (!Number.isFinite(n.value)) continue;
    if (n.unit) {
      if (n.value > 0) anyPositive = true;
      else if (n.value < 0) anyNegative = true;
    }
    const res = 10 ** -n.decimals;
    const candidates: [number, number][] = [[n.value, res], [n.value / 100, res / 100], [n.value * 100, res * 100]];
    for (const [c, r] of candidates) {
      // Approximate card numbers: numbersAgree's default tolerance is 10%; allow more.
      const h = Math.max(r / 2, n.approx ? Math.abs(c) * 0.25 : 0, Math.abs(c) * 1e-9) * 1.01;
      spans.push([c - h, c + h]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return { anyPositive, anyNegative, spans: merged };
}

function rangesOf({ anyPositive, anyNegative, spans: merged }: FactFilterSpec['ranges']): Ranges {
  return {
    contains(x) {
      if (!Number.isFinite(x)) return false;
      if ((anyPositive && x > 0) || (anyNegative && x < 0)) return true;
      let lo = 0;
      let hi = merged.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (merged[mid][0] > x) hi = mid - 1;
        else if (merged[mid][1] < x) lo = mid + 1;
        else return true;
      }
      return false;
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
