import type { Claim } from '../card/claim.js';
import type { IndexedFact } from './factIndex.js';
import { contentTokens } from './tokens.js';

/** How many of the claim's words a fact's names, file and line share: ranks evidence and breaks ties. */
export function contextScore(claim: Claim, f: IndexedFact): number {
  const words = claimWords(claim);
  let score = 0;
  for (const t of f.tokens) if (words.has(t)) score += 1;
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

/** Best first: higher context score, then higher tier, then earlier file/line for stable output. */
export function rankFacts(claim: Claim, facts: IndexedFact[]): IndexedFact[] {
  const scored = facts.map((f) => ({ f, s: contextScore(claim, f) }));
  scored.sort((a, b) => b.s - a.s || b.f.tier - a.f.tier || a.f.fact.file.localeCompare(b.f.fact.file) || a.f.fact.line - b.f.fact.line);
  return scored.map((x) => x.f);
}
