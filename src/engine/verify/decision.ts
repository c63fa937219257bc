import type { Stance, Verdict } from '../model.js';
import type { IndexedFact } from './factIndex.js';

export interface EvidenceRef {
  fact: IndexedFact;
  stance: Stance;
}

/** The verifier's finding on one atom of a claim. */
export interface AtomDecision {
  verdict: Verdict;
  confidence: number;
  evidence: EvidenceRef[];
  explanation: string;
  /** The code's value as text, for "replace with the code's value" fixes. */
  codeValue?: string;
}

export function unverified(explanation: string, related: IndexedFact[] = []): AtomDecision {
  return { verdict: 'unverified', confidence: 0.5, evidence: related.slice(0, 3).map((fact) => ({ fact, stance: 'related' })), explanation };
}

export function where(f: IndexedFact): string {
  return `${f.fact.file}:${f.fact.line}`;
}

export function showValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(showValue).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}
