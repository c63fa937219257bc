import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { type AtomDecision, unverified, where } from './decision.js';
import { rankFacts } from './evidenceRank.js';

export type NumericPrecision = 'bf16' | 'fp16' | 'fp32';

/** A card's words for a training precision: "bf16 mixed", "fp16", "float32", "16-bit". */
export const CARD_PRECISION = /\b(bf16|bfloat16|fp16|float16|fp32|float32|16[- ]bit|32[- ]bit)\b(?:[- ]mixed)?/gi;

export function precisionOfCard(word: string): NumericPrecision {
  const w = word.toLowerCase();
  if (w.startsWith('bf') || w.startsWith('bfloat')) return 'bf16';
  return /16/.test(w) ? 'fp16' : 'fp32';
}

/**
 * The precision a setting chooses: Lightning's `precision: 16-mixed | bf16-mixed | 32`,
 * accelerate's `mixed_precision: bf16`, the Trainer's `fp16=True` / `--bf16`. Undefined for a
 * setting that chooses none (`fp16: false`, `mixed_precision: no`).
 */
function precisionOfFact(f: IndexedFact): NumericPrecision | undefined {
  const name = (f.fact.path || f.fact.rawKey).toLowerCase();
  const leaf = name.slice(name.lastIndexOf('.') + 1).replace(/^-+/, '');
  const v = f.fact.value;
  if (leaf === 'fp16' || leaf === 'bf16' || leaf === 'tf32') {
    if (v === true || v === 'true' || v === 'True' || v === 1) return leaf === 'bf16' ? 'bf16' : leaf === 'fp16' ? 'fp16' : undefined;
    return undefined;
  }
  if (leaf !== 'precision' && leaf !== 'mixed_precision') return undefined;
  const s = String(v).toLowerCase();
  if (/^bf16|bfloat16/.test(s)) return 'bf16';
  if (/^(16|fp16|float16|half)/.test(s)) return 'fp16';
  if (/^(32|fp32|float32)/.test(s)) return 'fp32';
  return undefined;
}

/**
 * "Mixed precision (bf16)" against the precision the run's settings choose: supported by the same,
 * contradicted when the settings choose only another one.
 */
export function decidePrecision(claim: Claim, precision: NumericPrecision, name: string, index: FactIndex): AtomDecision {
  const facts = new Set<IndexedFact>();
  for (const key of ['numeric_precision', 'precision']) for (const f of index.withKey(key)) facts.add(f);
  const chosen = [...facts].filter((f) => f.deciding).map((f) => ({ f, p: precisionOfFact(f) })).filter((x) => x.p !== undefined);
  const same = rankFacts(claim, chosen.filter((x) => x.p === precision).map((x) => x.f));
  if (same.length > 0) {
    return {
      verdict: 'supported', confidence: 0.85, evidence: same.slice(0, 3).map((fact) => ({ fact, stance: 'supports' })),
      explanation: `${where(same[0])} sets ${precision}: ${same[0].fact.snippet.trim()}`,
    };
  }
  if (chosen.length === 0) return unverified(`No setting in the workspace chooses the training precision ("${name}").`);
  const other = rankFacts(claim, chosen.map((x) => x.f));
  return {
    verdict: 'contradicted', confidence: 0.8, evidence: other.slice(0, 3).map((fact) => ({ fact, stance: 'contradicts' })),
    explanation: `card: ${name}; ${where(other[0])} chooses ${precisionOfFact(other[0])}: ${other[0].fact.snippet.trim()}`,
  };
}
