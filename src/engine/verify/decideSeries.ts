import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import type { CardContext } from './decideAtom.js';
import { type AtomDecision, showValue, unverified, where } from './decision.js';
import { agrees, keyedCandidates } from './decideNumber.js';
import { effectiveFacts } from './effectiveValue.js';
import { contextScore, rankFacts } from './evidenceRank.js';
import type { CardNumber } from './numbers.js';
import { ARRAY_KEYS } from './keyVocabulary.js';

const NEAR_LINES = 12;

function numbersOf(f: IndexedFact): number[] {
  const v = f.fact.value;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  return [];
}

/** An array literal or call that holds `items` in order as neighbours (`between(2012, 2016)`, `clip(x, 0, 1)`). */
function holdsInOrder(values: unknown[], items: CardNumber[]): boolean {
  for (let i = 0; i + items.length <= values.length; i++) {
    if (items.every((it, k) => typeof values[i + k] === 'number' && agrees(it, values[i + k] as number))) return true;
  }
  return false;
}

/**
 * Where the card states several numbers together (a range, cut-offs, filters per layer), the code
 * usually holds them together too: in one array or call, or on neighbouring lines of one file.
 */
function findTogether(claim: Claim, items: CardNumber[], index: FactIndex): IndexedFact[] | undefined {
  const arrays = index.all.filter((f) => f.deciding && Array.isArray(f.fact.value) && holdsInOrder(f.fact.value, items));
  if (arrays.length > 0) return rankFacts(claim, arrays).slice(0, 3);
  const byFile = new Map<string, IndexedFact[]>();
  for (const f of index.all) {
    if (!f.deciding || f.fact.form === 'call') continue;
    const nums = numbersOf(f);
    if (nums.length === 0 || !items.some((it) => nums.some((n) => agrees(it, n)))) continue;
    const list = byFile.get(f.fact.file);
    if (list) list.push(f);
    else byFile.set(f.fact.file, [f]);
  }
  let best: { facts: IndexedFact[]; score: number } | undefined;
  for (const facts of byFile.values()) {
    facts.sort((a, b) => a.fact.line - b.fact.line);
    for (let i = 0; i < facts.length; i++) {
      const window = facts.filter((f) => f.fact.line >= facts[i].fact.line && f.fact.line <= facts[i].fact.line + NEAR_LINES);
      const chosen: IndexedFact[] = [];
      for (const it of items) {
        const hit = window.find((f) => numbersOf(f).some((n) => agrees(it, n)) && !chosen.includes(f))
          ?? window.find((f) => numbersOf(f).some((n) => agrees(it, n)));
        if (!hit) { chosen.length = 0; break; }
        if (!chosen.includes(hit)) chosen.push(hit);
      }
      if (chosen.length === 0) continue;
      const score = chosen.reduce((s, f) => s + contextScore(claim, f), 0);
      if (!best || score > best.score) best = { facts: chosen, score };
    }
  }
  return best?.facts;
}

export function decideRange(claim: Claim, lo: CardNumber, hi: CardNumber, index: FactIndex): AtomDecision {
  const found = findTogether(claim, [lo, hi], index);
  if (!found) return unverified(`No place in the workspace holds the bounds ${lo.raw} and ${hi.raw} together.`);
  return {
    verdict: 'supported', confidence: 0.75, evidence: found.map((fact) => ({ fact, stance: 'supports' })),
    explanation: `${where(found[0])} holds the bounds ${lo.raw} and ${hi.raw}: ${found[0].fact.snippet.trim()}`,
  };
}

export function decideList(claim: Claim, items: CardNumber[], index: FactIndex, card: CardContext): AtomDecision {
  const cands = keyedCandidates(claim, index);
  if (cands.strong) {
    // An array setting under the claim's own key ("betas") decides it element by element.
    const arrays = effectiveFacts(index.withKey(cands.key ?? '').filter((f) => Array.isArray(f.fact.value)), card.namedConfigs);
    const ranked = rankFacts(claim, arrays);
    if (ranked.length > 0) {
      const arr = ranked[0];
      const vals = numbersOf(arr);
      if (vals.length === items.length) {
        const ok = items.every((it, i) => agrees(it, vals[i]));
        return ok
          ? { verdict: 'supported', confidence: 0.9, evidence: [{ fact: arr, stance: 'supports' }], explanation: `${where(arr)} sets ${arr.fact.path} = ${showValue(arr.fact.value)}.`, codeValue: showValue(arr.fact.value) }
          : { verdict: 'contradicted', confidence: 0.8, evidence: [{ fact: arr, stance: 'contradicts' }], explanation: `card: ${(cands.key ?? 'values').replace(/_/g, ' ')} ${items.map((i) => i.raw).join(', ')}; ${where(arr)} sets ${arr.fact.path} = ${showValue(arr.fact.value)}.`, codeValue: showValue(arr.fact.value) };
      }
    }
  }
  const elementwise = decideElementwise(claim, items, index, card);
  if (elementwise) return elementwise;
  const found = findTogether(claim, items, index);
  if (!found) return unverified(`The values ${items.map((i) => i.raw).join(', ')} do not appear together in the workspace.`);
  return {
    verdict: 'supported', confidence: 0.75, evidence: found.slice(0, 4).map((fact) => ({ fact, stance: 'supports' })),
    explanation: `${items.map((i) => i.raw).join(', ')} appear together at ${found.map(where).join(', ')}.`,
  };
}

/** "betas=(0.9, 0.98)" against `adam_beta1=0.9, adam_beta2=0.999`: one key per element. */
function decideElementwise(claim: Claim, items: CardNumber[], index: FactIndex, card: CardContext): AtomDecision | undefined {
  const keys = claim.keys.map((k) => ARRAY_KEYS[k]).find((k) => k !== undefined && k.length === items.length);
  if (!keys) return undefined;
  const picked = keys.map((k) => rankFacts(claim, effectiveFacts(index.withKey(k).filter((f) => typeof f.fact.value === 'number'), card.namedConfigs))[0]);
  if (picked.some((f) => f === undefined)) return undefined;
  const facts = picked as IndexedFact[];
  const ok = items.every((it, i) => agrees(it, facts[i].fact.value as number, false));
  const values = facts.map((f) => showValue(f.fact.value)).join(', ');
  return {
    verdict: ok ? 'supported' : 'contradicted', confidence: ok ? 0.9 : 0.8,
    evidence: facts.map((fact) => ({ fact, stance: ok ? 'supports' as const : 'contradicts' as const })), codeValue: `(${values})`,
    explanation: ok ? `${facts.map(where).join(', ')} set ${values}.` : `card: ${items.map((i) => i.raw).join(', ')}; ${facts.map(where).join(', ')} set ${values}.`,
  };
}
