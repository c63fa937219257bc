import type { ClaimUnit } from '../card/extractClaims.js';
import type { Claim } from '../card/claim.js';
import type { ClaimResult, Evidence, Range, Verdict } from '../model.js';
import type { FactIndex } from './factIndex.js';
import { type CardContext, decideAtom } from './decideAtom.js';
import type { AtomDecision, EvidenceRef } from './decision.js';
import { supportByValue } from './decideNumber.js';
import { contentTokens } from './tokens.js';

const MAX_EVIDENCE = 5;
const SNIPPET_CHARS = 200;

/** How much a verdict weighs when neighbouring atoms are reported as one claim. */
const SEVERITY: Record<Verdict, number> = { contradicted: 3, unverified: 2, supported: 1, 'not-checkable': 0 };

interface Decided { claim: Claim; d: AtomDecision }

/**
 * Decides every atom of a unit, then reports neighbouring atoms with the same verdict as one claim:
 * a sentence that is right throughout reads as one finding, a sentence with one wrong number points
 * at that number.
 */
export function verifyUnit(unit: ClaimUnit, index: FactIndex, card: CardContext): ClaimResult[] {
  if (unit.notCheckable) {
    return [{ id: unit.id, text: unit.text, kind: 'other', range: unit.range, verdict: 'not-checkable', confidence: 1, evidence: [], explanation: 'This part of the card describes use or governance, not the code.' }];
  }
  if (unit.atoms.length === 0) {
    const mention: Claim = { id: unit.id, text: unit.text, kind: 'other', range: unit.range, context: unit.text, keyText: '', keys: [], value: { type: 'mention' }, headings: unit.headings };
    return [toResult(unit.id, unit.text, unit.range, [{ claim: mention, d: decideAtom(mention, index, card) }])];
  }
  const decided = resolveGlobalBatch(resolveProducts(unit.atoms.map((claim) => ({ claim, d: decideAtom(claim, index, card) })), index))
    .filter((x) => !x.claim.optional || x.d.verdict === 'supported');
  const groups = groupAtoms(unit, decided);
  if (groups.length === 1) return [toResult(unit.id, unit.text, unit.range, groups[0])];
  return groups.map((g, i) => {
    const { text, range } = segmentOf(unit, groups, i);
    return toResult(`${unit.id}.${i + 1}`, text, range, g);
  });
}

/**
 * Factors the card multiplies out ("512 sequences (16 per GPU × 4 steps × 8 GPUs)") describe the
 * number before them: alone they never contradict, and when each is supported and their product
 * is that number, the number is supported by them.
 */
function resolveProducts(decided: Decided[], index: FactIndex): Decided[] {
  const out = decided.map((x) => (x.claim.factor && x.d.verdict === 'contradicted'
    ? { ...x, d: { ...x.d, verdict: 'unverified' as const, confidence: 0.5, explanation: `Part of a product the card spells out; ${x.d.explanation}` } }
    : x));
  for (let i = 0; i < out.length; i++) {
    if (out[i].claim.factor || out[i].claim.value.type !== 'number') continue;
    const factors: Decided[] = [];
    for (let j = i + 1; j < out.length && out[j].claim.factor; j++) {
      const f = out[j];
      const v = f.claim.value;
      // "16 per GPU" names its quantity only with the product's words ("global batch").
      const byValue = f.d.verdict !== 'supported' && v.type === 'number'
        ? supportByValue(f.claim, v.number, contentTokens(`${out[i].claim.keyText} ${f.claim.keyText}`), index) : undefined;
      out[j] = byValue ? { claim: f.claim, d: byValue } : f;
      factors.push(out[j]);
    }
    if (factors.length < 2 || out[i].d.verdict === 'supported') continue;
    const values = factors.map((f) => numberOf(f.claim));
    const target = numberOf(out[i].claim);
    if (!multipliesTo(values, target) || factors.some((f) => f.d.verdict !== 'supported')) continue;
    out[i] = {
      claim: out[i].claim,
      d: {
        verdict: 'supported', confidence: Math.min(...factors.map((f) => f.d.confidence)) * 0.9,
        evidence: factors.flatMap((f) => f.d.evidence.filter((e) => e.stance === 'supports').slice(0, 1)),
        explanation: `${values.join(' × ')} = ${target}, each factor set in the workspace: ${factors.map((f) => f.d.explanation).join(' ')}`,
      },
    };
  }
  return out;
}

function multipliesTo(values: number[], target: number): boolean {
  return Math.abs(values.reduce((a, b) => a * b, 1) - target) <= 1e-9 * Math.max(1, Math.abs(target));
}

/** What an effective batch multiplies: the batch per device, the accumulation steps, the devices. */
const BATCH_FACTORS: readonly (readonly string[])[] = [['micro_batch_size', 'batch_size'], ['grad_accum'], ['num_gpus'], ['num_nodes']];

/**
 * "An effective batch of 512: 16 sequences per GPU, 4 accumulation steps and 8 GPUs" spells out
 * the product without a × sign: a global batch the workspace never states is supported when the
 * same sentence's per-device batch, accumulation and device count are each supported and multiply
 * to it. It is never contradicted this way (a node count the card leaves out is a factor too).
 */
function resolveGlobalBatch(decided: Decided[]): Decided[] {
  return decided.map((x) => {
    if (x.claim.keys[0] !== 'global_batch_size' || x.d.verdict === 'supported' || x.claim.value.type !== 'number') return x;
    const factors = BATCH_FACTORS.map((keys) => decided.find((y) => y !== x && y.d.verdict === 'supported' && keys.includes(y.claim.keys[0] ?? '') && y.claim.value.type === 'number'))
      .filter((y): y is Decided => y !== undefined);
    if (factors.length < 2 || !factors.some((f) => f.claim.keys[0] === 'micro_batch_size' || f.claim.keys[0] === 'batch_size')) return x;
    const values = factors.map((f) => numberOf(f.claim));
    const target = numberOf(x.claim);
    if (!multipliesTo(values, target)) return x;
    return {
      claim: x.claim,
      d: {
        verdict: 'supported', confidence: Math.min(...factors.map((f) => f.d.confidence)) * 0.9,
        evidence: factors.flatMap((f) => f.d.evidence.filter((e) => e.stance === 'supports').slice(0, 1)),
        explanation: `${values.join(' × ')} = ${target}, the batch per device, accumulation and devices the sentence states, each set in the workspace: ${factors.map((f) => f.d.explanation).join(' ')}`,
      },
    };
  });
}

/** Consecutive atoms with one verdict, and atoms joined only by "and" / commas (unless one is contradicted), go together. */
function groupAtoms(unit: ClaimUnit, decided: Decided[]): Decided[][] {
  const groups: Decided[][] = [];
  for (const item of decided) {
    const last = groups[groups.length - 1];
    if (!last) { groups.push([item]); continue; }
    const prev = last[last.length - 1];
    const joined = unit.source === 'prose' && prev.claim.span && item.claim.span
      && /^\s*(,|;|,?\s*(and|or))\s*$/i.test(unit.text.slice(prev.claim.span[1], item.claim.span[0]));
    // A contradiction keeps a claim of its own even in a list: "hydra-core 1.3.2 and albumentations 1.4.0".
    const apart = (prev.d.verdict === 'contradicted') !== (item.d.verdict === 'contradicted');
    if (prev.d.verdict === item.d.verdict || (joined && !apart)) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

function segmentOf(unit: ClaimUnit, groups: Decided[][], i: number): { text: string; range: Range } {
  const g = groups[i];
  if (unit.source !== 'prose') {
    const texts = [...new Set(g.map((x) => x.claim.text))];
    return { text: texts.join('; '), range: { start: g[0].claim.range.start, end: g[g.length - 1].claim.range.end } };
  }
  let prevEnd = i === 0 ? 0 : (groups[i - 1][groups[i - 1].length - 1].claim.span?.[1] ?? 0);
  while (i > 0 && prevEnd < unit.text.length && /[)\]}%\w-]/.test(unit.text[prevEnd])) prevEnd++;
  let end = i === groups.length - 1 ? unit.text.length : (g[g.length - 1].claim.span?.[1] ?? unit.text.length);
  // Keep a closing bracket or unit with the value it closes: "betas=(0.9,0.98)".
  while (end < unit.text.length && /[)\]}%\w-]/.test(unit.text[end])) end++;
  let start = prevEnd;
  while (start < end && /[\s,;:]/.test(unit.text[start])) start++;
  const text = unit.text.slice(start, end).trim();
  const startCol = i === 0 ? unit.range.start : g[0].claim.range.start;
  const endCol = i === groups.length - 1 ? unit.range.end : g[g.length - 1].claim.range.end;
  return { text: text || g.map((x) => x.claim.text).join('; '), range: { start: startCol, end: endCol } };
}

function numberOf(c: Claim): number {
  return c.value.type === 'number' ? c.value.number.value : NaN;
}

function toResult(id: string, text: string, range: Range, group: Decided[]): ClaimResult {
  const worst = group.reduce((a, b) => (SEVERITY[b.d.verdict] > SEVERITY[a.d.verdict] ? b : a));
  const verdict = worst.d.verdict;
  const deciding = group.filter((x) => x.d.verdict === verdict);
  // Interleave the atoms' evidence so each atom's best entry is among the first few.
  const refs: EvidenceRef[] = [];
  const lists = [...deciding, ...group.filter((x) => x.d.verdict !== verdict)].map((x) => x.d.evidence);
  for (let k = 0; refs.length < MAX_EVIDENCE && lists.some((l) => k < l.length); k++) {
    for (const l of lists) {
      if (k >= l.length || refs.length >= MAX_EVIDENCE) continue;
      const f = l[k].fact.fact;
      // One line is one piece of evidence, however many facts it holds.
      if (!refs.some((r) => r.fact.fact.file === f.file && r.fact.fact.line === f.line)) refs.push(l[k]);
    }
  }
  const confidence = Math.min(...deciding.map((x) => x.d.confidence));
  return {
    id, text, kind: worst.claim.kind, range, verdict, confidence,
    evidence: refs.map(toEvidence),
    explanation: deciding.map((x) => x.d.explanation).filter((e, i, all) => all.indexOf(e) === i).join(' '),
    key: worst.claim.keys[0],
    cardValue: cardValueOf(worst.claim),
    codeValue: worst.d.codeValue,
  };
}

function cardValueOf(c: Claim): string | undefined {
  const v = c.value;
  switch (v.type) {
    case 'number': return v.number.raw;
    case 'inequality': return v.bound.raw;
    case 'version': return v.version;
    case 'license': return v.license;
    case 'name': return v.name;
    default: return undefined;
  }
}

function toEvidence(r: EvidenceRef): Evidence {
  const f = r.fact.fact;
  const snippet = f.snippet.length > SNIPPET_CHARS ? `${f.snippet.slice(0, SNIPPET_CHARS - 1)}…` : f.snippet;
  return {
    path: f.file,
    range: { start: { line: f.line, column: f.column }, end: { line: f.endLine, column: f.endColumn } },
    snippet, stance: r.stance, source: f.source,
  };
}
