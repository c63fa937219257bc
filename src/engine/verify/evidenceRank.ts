import type { Claim } from '../card/claim.js';
import type { IndexedFact } from './factIndex.js';
import { contentTokens } from './tokens.js';

/** How many of the claim's words a fact's names, file and line share: ranks evidence and breaks ties. */
export function contextScore(claim: Claim, f: IndexedFact): number {
  return scoreIn(claimWords(claim), f);
}

/** contextScore with the claim's words at hand: rankFacts scores thousands of facts per claim. */
function scoreIn(words: ReadonlySet<string>, f: IndexedFact): number {
  let score = 0;
  for (const t of f.tokens) if (words.has(t)) score += 1;
  for (const t of f.snippetTokens) if (words.has(t)) score += 0.25;
  return score;
}

/** Claim words in the fact's own names: its key path, callee and file. */
export function nameScore(claim: Claim, f: IndexedFact): number {
  const words = claimWords(claim);
  let score = 0;
  for (const t of f.tokens) if (words.has(t)) score += 1;
  return score;
}

/** Claim words in the name of the fact's file ("pd" in 02_pd_scorecard.ipynb). */
export function fileScore(claim: Claim, f: IndexedFact): number {
  const words = claimWords(claim);
  const base = (f.fact.file.split('/').pop() ?? f.fact.file).replace(/\.[a-z0-9]+$/i, '');
  return contentTokens(base).filter((t) => words.has(t)).length;
}

/** Claim words anywhere on the fact's line (comments, neighbours): a weaker hint. */
export function lineScore(claim: Claim, f: IndexedFact): number {
  const words = claimWords(claim);
  let score = 0;
  for (const t of f.snippetTokens) if (words.has(t)) score += 0.25;
  return score;
}

const wordCache = new WeakMap<Claim, Set<string>>();

export function claimWords(claim: Claim): Set<string> {
  let w = wordCache.get(claim);
  if (!w) {
    w = new Set([...contentTokens(claim.context), ...contentTokens(claim.keyText), ...claim.headings.flatMap((h) => contentTokens(h))]);
    wordCache.set(claim, w);
  }
  return w;
}

let collator: Intl.Collator | undefined;

/**
 * localeCompare's order, without building a collator per comparison. The collator is built on
 * first use: building one loads ICU's data, ~9 ms of every worker start, and a re-run that hands
 * every verdict back compares no files.
 */
export const FILE_ORDER = { compare: (a: string, b: string): number => (collator ??= new Intl.Collator()).compare(a, b) };

/**
 * Best first: higher context score, then higher tier, then earlier file/line for stable output.
 * Lists run to thousands of facts on large workspaces, ranked again for each claim about their
 * key: scores are computed once per fact, files compare by the order their index gave them
 * (FactIndex.finish), not by collation, and facts listed by place are only grouped.
 */
export function rankFacts(claim: Claim, facts: IndexedFact[]): IndexedFact[] {
  // Place = file order and line as one number when both fit: the comparator then reads no fact.
  const placed = facts.every((f) => f.fileOrder !== undefined && f.fileOrder < MAX_PLACE && f.fact.line < MAX_PLACE);
  const words = claimWords(claim);
  if (!placed) {
    const scored = facts.map((f) => ({ f, s: scoreIn(words, f), t: f.tier, p: 0 }));
    scored.sort((a, b) => b.s - a.s || b.t - a.t || fileOrder(a.f, b.f) || a.f.fact.line - b.f.fact.line);
    return scored.map((x) => x.f);
  }
  // An index lists a key's facts by place already: then grouping them by score and tier, in that
  // order, sorts them without comparing facts (scores and tiers take a few values; a stable sort
  // of the whole list gives the same order).
  const groups = new Map<number, IndexedFact[]>();
  let lastPlace = -1;
  for (const f of facts) {
    const p = (f.fileOrder as number) * MAX_PLACE + f.fact.line;
    if (p < lastPlace || !(Number.isInteger(f.tier) && f.tier >= 0 && f.tier < 4096)) return ranked(words, facts);
    lastPlace = p;
    // Scores are multiples of 0.25 and tiers small integers: one number orders both.
    const key = scoreIn(words, f) * 4096 + f.tier;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.keys()].sort((a, b) => b - a).flatMap((k) => groups.get(k) as IndexedFact[]);
}

/** rankFacts by comparisons, for placed facts in any order. */
function ranked(words: ReadonlySet<string>, facts: IndexedFact[]): IndexedFact[] {
  const scored = facts.map((f) => ({ f, s: scoreIn(words, f), t: f.tier, p: (f.fileOrder as number) * MAX_PLACE + f.fact.line }));
  return scored.sort(byRank).map((x) => x.f);
}

interface Scored {
  f: IndexedFact;
  s: number;
  t: number;
  p: number;
}

const byRank = (a: Scored, b: Scored): number => b.s - a.s || b.t - a.t || a.p - b.p;

/** File orders and lines below this combine into one safe integer (2^26 squared is under 2^53). */
const MAX_PLACE = 2 ** 26;

function fileOrder(a: IndexedFact, b: IndexedFact): number {
  if (a.fileOrder !== undefined && b.fileOrder !== undefined) return a.fileOrder - b.fileOrder;
  return FILE_ORDER.compare(a.fact.file, b.fact.file);
}
