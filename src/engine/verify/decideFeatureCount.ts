import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { type AtomDecision, unverified, where } from './decision.js';
import type { CardNumber } from './numbers.js';
import { contentTokens } from './tokens.js';

const FEATURE_LIST_NAME = /^(feature|featur|numer|numeric|categor|categorical|cat|num|continu|predictor|input|col|column|var|variabl)$/;
const NOT_FEATURES = /^(drop|exclud|remov|leak|target|label|id|ignor|discard)$/;

function stringList(f: IndexedFact): string[] | undefined {
  const v = f.fact.value;
  if (!Array.isArray(v) || v.length < 2 || !v.every((x) => typeof x === 'string')) return undefined;
  return v as string[];
}

/** Named lists of column names a tabular model takes as inputs (NUMERIC, CATEGORICAL, FEATURES). */
function featureLists(index: FactIndex): IndexedFact[] {
  return index.all.filter((f) => {
    if (!f.deciding || f.fact.form !== 'assignment' || !stringList(f)) return false;
    const words = contentTokens(f.fact.rawKey);
    return words.some((w) => FEATURE_LIST_NAME.test(w)) && !words.some((w) => NOT_FEATURES.test(w));
  });
}

/**
 * "It uses 23 input features": the feature lists of one module, together, must name that many
 * columns. Only one module with feature lists may contradict; several leave it open.
 */
export function decideFeatureCount(claim: Claim, n: CardNumber, index: FactIndex): AtomDecision {
  const lists = featureLists(index);
  if (lists.length === 0) return unverified('The workspace has no named list of feature columns to count.');
  const byFile = new Map<string, IndexedFact[]>();
  for (const f of lists) byFile.set(f.fact.file, [...(byFile.get(f.fact.file) ?? []), f]);
  for (const [file, facts] of byFile) {
    const single = facts.find((f) => stringList(f)?.length === n.value);
    const total = new Set(facts.flatMap((f) => stringList(f) ?? [])).size;
    if (single || total === n.value) {
      const ev = single ? [single] : facts;
      return {
        verdict: 'supported', confidence: 0.75, evidence: ev.slice(0, 3).map((fact) => ({ fact, stance: 'supports' as const })),
        explanation: `${file} lists ${n.value} feature columns (${ev.map((f) => `${f.fact.rawKey}: ${stringList(f)?.length ?? 0}`).join(', ')}).`,
      };
    }
  }
  if (byFile.size !== 1) return unverified(`Feature lists in ${byFile.size} files; none counts ${n.raw}.`, lists);
  const [file, facts] = [...byFile.entries()][0];
  const total = new Set(facts.flatMap((f) => stringList(f) ?? [])).size;
  return {
    verdict: 'contradicted', confidence: 0.7, codeValue: String(total),
    evidence: facts.slice(0, 3).map((fact) => ({ fact, stance: 'contradicts' as const })),
    explanation: `card: ${n.raw} input features; ${file} lists ${total} feature columns (${facts.map((f) => `${f.fact.rawKey}: ${stringList(f)?.length ?? 0} at ${where(f)}`).join(', ')}).`,
  };
}
