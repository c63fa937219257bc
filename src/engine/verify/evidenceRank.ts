import type { Claim } from '../card/claim.js';
import type { IndexedFact } from './factIndex.js';
import { contentTokens } from './tokens.js';

/** How many of the claim's words a fact's names, file and line share: ranks evidence and breaks ties. */
export function contextScore(claim: Claim, f: IndexedFact): number {
  return nameScore(claim, f) + lineScore(claim, f);
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
 * Lists run to thousands of facts on large workspaces: scores are computed once per fact, and
 * files compare by the order their index gave them (FactIndex.finish), not by collation.
 */
export function rankFacts(claim: Claim, facts: IndexedFact[]): IndexedFact[] {
  // Place = file order and line as one number when both fit: the comparator then reads no fact.
  const placed = facts.every((f) => f.fileOrder !== undefined && f.fileOrder < MAX_PLACE && f.fact.line < MAX_PLACE);
  const scored = facts.map((f) => ({ f, s: contextScore(claim, f), t: f.tier, p: placed ? (f.fileOrder as number) * MAX_PLACE + f.fact.line : 0 }));
  if (placed) scored.sort((a, b) => b.s - a.s || b.t - a.t || a.p - b.p);
  else scored.sort((a, b) => b.s - a.s || b.t - a.t || fileOrder(a.f, b.f) || a.f.fact.line - b.f.fact.line);
  return scored.map((x) => x.f);
}

/** File orders and lines below this combine into one safe integer (2^26 squared is under 2^53). */
const MAX_PLACE = 2 ** 26;

function fileOrder(a: IndexedFact, b: IndexedFact): number {
  if (a.fileOrder !== undefined && b.fileOrder !== undefined) return a.fileOrder - b.fileOrder;
  return FILE_ORDER.compare(a.fact.file, b.fact.file);
}
