import type { Claim } from '../card/claim.js';
import { readSummary, type ConfusionSummary, type NamedConfusion } from '../facts/confusionMatrix.js';
import type { AtomDecision } from './decision.js';
import { unverified, where } from './decision.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { contentTokens } from './tokens.js';

/** A sentence about what a model mistakes for what. */
const CONFUSION_WORDS = /\bconfus(?:e|es|ed|ing|ion|ions)\b|\bmistak(?:e|es|en|ing)\b|\bmisclassif/i;
/** A sentence about what is rare or absent ("rarely confuses", "the least confused pair"): left to the mention check. */
const NEGATED = /\b(?:least|rarely|seldom|never|hardly|not|no|fewest|lowest|smallest)\b|n't\b/i;
/** A sentence about the largest confusion, not just one that happens. */
const SUPERLATIVE = /\b(?:most|largest|biggest|main|primary|top|highest|commonest|dominant|leading)\b/i;

interface Matrix {
  f: IndexedFact;
  s: ConfusionSummary;
  /** The matrix's classes the sentence names. */
  named: string[];
}

/**
 * Which classes a model confuses ("the most frequent confusion is between cats and dogs"),
 * decided on the confusion matrices the workspace prints (confusionMatrix.ts). Undefined, for the
 * general mention check to decide, when the sentence is not about confusions, is about what is
 * rarely confused, or names two classes of no matrix. A superlative claim agrees with a matrix whose largest off-diagonal cell, or whose
 * pair of classes with both directions summed, is the named pair, and is contradicted when every
 * deciding matrix naming both classes says another pair; "cats are often confused with dogs" is
 * supported by any of the largest pairs and never contradicted.
 */
export function decideConfusion(claim: Claim, index: FactIndex): AtomDecision | undefined {
  if (!CONFUSION_WORDS.test(claim.context) || NEGATED.test(claim.context)) return undefined;
  const words = new Set(contentTokens(claim.context));
  const matrices: Matrix[] = [];
  for (const f of index.withKey('confusion_matrix')) {
    const s = readSummary(f.fact.value);
    const named = s?.labels.filter((label) => mentions(words, label)) ?? [];
    if (s && new Set(named).size === 2) matrices.push({ f, s, named });
  }
  if (matrices.length === 0) return undefined;
  const pool = matrices.some((m) => m.f.deciding) ? matrices.filter((m) => m.f.deciding) : matrices;
  const superlative = SUPERLATIVE.test(claim.context);
  const agreeing = pool.filter((m) => agrees(m, superlative));
  if (agreeing.length > 0) {
    const m = agreeing[0];
    return {
      verdict: 'supported', confidence: m.f.deciding ? 0.8 : 0.6,
      evidence: agreeing.slice(0, 3).map((x) => ({ fact: x.f, stance: 'supports' as const })),
      explanation: `${where(m.f)}: the confusion matrix's largest confusions are ${describe(m.s)}, matching the card's ${m.named.join(' and ')}.`,
    };
  }
  const m = pool[0];
  if (!superlative || !m.f.deciding) {
    return unverified(`${where(m.f)}: the confusion matrix's largest confusions are ${describe(m.s)}; ${m.named.join(' and ')} are not among them.`, pool.map((x) => x.f));
  }
  return {
    verdict: 'contradicted', confidence: 0.8,
    evidence: pool.slice(0, 3).map((x) => ({ fact: x.f, stance: 'contradicts' as const })),
    explanation: `card: the most frequent confusion is between ${m.named.join(' and ')}; ${where(m.f)}: the confusion matrix's largest confusions are ${describe(m.s)}.`,
  };
}

function agrees(m: Matrix, superlative: boolean): boolean {
  const isNamedPair = (c: NamedConfusion) => c.a !== c.b && m.named.includes(c.a) && m.named.includes(c.b);
  return isNamedPair(m.s.top) || (superlative ? m.s.pairs.slice(0, 1) : m.s.pairs).some(isNamedPair);
}

/** Every word of the class name is in the sentence ("cats" names the class "cat"). */
function mentions(words: ReadonlySet<string>, label: string): boolean {
  const tokens = contentTokens(label);
  return tokens.length > 0 && tokens.every((t) => words.has(t));
}

function describe(s: ConfusionSummary): string {
  const pair = s.pairs[0];
  const top = `${s.top.a} predicted as ${s.top.b} (${s.top.count})`;
  return pair && !(pair.a === s.top.a && pair.b === s.top.b) && !(pair.a === s.top.b && pair.b === s.top.a)
    ? `${top}, and ${pair.a} with ${pair.b} both ways (${pair.count})`
    : `${top}${pair ? `, ${pair.count} counting both ways` : ''}`;
}
