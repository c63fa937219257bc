import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { type AtomDecision, unverified, where } from './decision.js';
import { contentTokens } from './tokens.js';

function stringsOf(f: IndexedFact): string[] {
  const v = f.fact.value;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** A list of column names the code removes: `df.drop(columns=[...])`, `DROP_COLS = [...]`. */
function isDropList(f: IndexedFact): boolean {
  if (!Array.isArray(f.fact.value) || stringsOf(f).length === 0) return false;
  const call = (f.fact.call ?? '').split('.').pop() ?? '';
  if (/^drop/i.test(call)) return true;
  const words = contentTokens(`${f.fact.rawKey} ${f.fact.path}`);
  return words.some((w) => /^(drop|exclud|remov|leak|discard|ignor|blacklist|denylist)/.test(w));
}

/**
 * Column lists: "x, y and z are dropped" holds when the code's drop lists name them all, and is
 * contradicted when a drop list exists, names some of them, and the others are still used.
 */
export function decideIdentifiers(claim: Claim, ids: string[], action: 'dropped' | 'kept', index: FactIndex): AtomDecision {
  const deciding = index.all.filter((f) => f.deciding);
  if (action === 'kept') {
    const lists = deciding.filter((f) => Array.isArray(f.fact.value) && ids.every((id) => stringsOf(f).some((s) => s.toLowerCase() === id.toLowerCase())));
    if (lists.length === 0) return unverified(`No list in the workspace names all of ${ids.join(', ')}.`);
    return { verdict: 'supported', confidence: 0.8, evidence: lists.slice(0, 3).map((fact) => ({ fact, stance: 'supports' })), explanation: `${where(lists[0])} lists ${ids.join(', ')}.` };
  }
  const drops = deciding.filter(isDropList);
  if (drops.length === 0) return unverified(`The workspace has no drop list to check ${ids.join(', ')} against.`);
  const dropped = new Set(drops.flatMap(stringsOf));
  const present = ids.filter((id) => dropped.has(id));
  const missing = ids.filter((id) => !dropped.has(id));
  const relevant = drops.filter((f) => stringsOf(f).some((s) => ids.includes(s)));
  if (missing.length === 0) {
    return { verdict: 'supported', confidence: 0.85, evidence: relevant.slice(0, 3).map((fact) => ({ fact, stance: 'supports' })), explanation: `${where(relevant[0])} drops ${ids.join(', ')}.` };
  }
  if (present.length === 0) return unverified(`No drop list in the workspace names ${ids.join(', ')}.`);
  // The missing names must exist in the code (so they are real columns still in use).
  const uses = deciding.filter((f) => !isDropList(f) && (stringsOf(f).some((s) => missing.includes(s)) || missing.includes(f.fact.rawKey)));
  if (uses.length === 0) return unverified(`${where(relevant[0])} drops ${present.join(', ')} but the workspace never names ${missing.join(', ')}.`);
  return {
    verdict: 'contradicted', confidence: 0.8,
    evidence: [...relevant.slice(0, 2).map((fact) => ({ fact, stance: 'contradicts' as const })), ...uses.slice(0, 2).map((fact) => ({ fact, stance: 'contradicts' as const }))],
    explanation: `card: ${ids.join(', ')} are dropped; ${where(relevant[0])} drops ${present.join(', ')} but not ${missing.join(', ')}, which ${where(uses[0])} still uses.`,
  };
}
