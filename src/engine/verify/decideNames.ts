import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { type AtomDecision, unverified, where } from './decision.js';
import { FAMILY_VOCABULARY, type FamilyEntry } from './familyVocabulary.js';
import { FILE_ORDER, fileScore, lineScore, nameScore, rankFacts } from './evidenceRank.js';
import { compact, contentTokens } from './tokens.js';
import { identityTokensOf, MIN_IDENTITY_TOKENS } from './identityTokens.js';
import { MODEL_VARIANT_FAMILIES, sizeIn } from './modelVariants.js';

function codeMatches(entry: FamilyEntry, name: string): boolean {
  if (entry.role === 'schedule') return entry.code.some((c) => name.includes(c));
  return entry.code.some((c) => name === c || (entry.role === 'estimator' && name.startsWith(c)));
}

/** Words a setting's name has when its string value names a family of that role. */
const ROLE_SETTING = {
  schedule: /sched|decay|anneal|lr|policy/,
  optimizer: /optim|solver/,
  estimator: /model|estimator|algorithm|classifier|regressor|learner|booster/,
  network: /model|arch|backbone|network/,
};
/** Words a callee has when it is of that role ("CosineAnnealingLR", not "nn.Linear"). */
const ROLE_CALLEE = { schedule: /lr|schedul|anneal|warmup/, optimizer: /./, estimator: /./, network: /./ };

/** Whether a name found in a fact may name a family of this role there. */
function roleFits(entry: FamilyEntry, name: string, f: IndexedFact): boolean {
  const fromCode = f.fact.form === 'call' || f.fact.form === 'import';
  if (fromCode) return ROLE_CALLEE[entry.role].test(name);
  return ROLE_SETTING[entry.role].test(`${f.fact.rawKey} ${f.fact.path}`.toLowerCase());
}

/** Facts naming a family: constructors and imports in code, or a setting's string ("optim: adamw_torch"). */
function familyFacts(entry: FamilyEntry, index: FactIndex): IndexedFact[] {
  const out: IndexedFact[] = [];
  const { names, facts } = index.names;
  names.forEach((name, i) => {
    const fact = facts[i];
    if (fact.deciding && codeMatches(entry, name) && roleFits(entry, name, fact)) out.push(fact);
  });
  return out;
}

/** Constructors before imports before strings: the call is what runs. */
function formRank(f: IndexedFact): number {
  return f.fact.form === 'call' ? 0 : f.fact.form === 'import' ? 2 : 1;
}

/** Closest to the claim's words first (the PD notebook for a PD claim); among equals, calls first. */
function rankFamilyEvidence(claim: Claim, facts: IndexedFact[]): IndexedFact[] {
  // The file the claim is about first (the PD notebook for the PD model), then the constructor call
  // that runs before an import line naming several classes.
  return [...facts].sort((a, b) => fileScore(claim, b) - fileScore(claim, a) || formRank(a) - formRank(b)
    || nameScore(claim, b) - nameScore(claim, a) || lineScore(claim, b) - lineScore(claim, a)
    || FILE_ORDER.compare(a.fact.file, b.fact.file) || a.fact.line - b.fact.line);
}

export function decideFamily(claim: Claim, family: string, index: FactIndex): AtomDecision {
  const entry = FAMILY_VOCABULARY.find((e) => e.family === family);
  if (!entry) return unverified(`Unknown family ${family}.`);
  const own = familyFacts(entry, index);
  if (own.length > 0) {
    const ranked = rankFamilyEvidence(claim, own);
    return {
      verdict: 'supported', confidence: 0.85, evidence: ranked.slice(0, 3).map((fact) => ({ fact, stance: 'supports' })),
      explanation: `${where(ranked[0])} uses ${family}: ${ranked[0].fact.snippet.trim()}`,
    };
  }
  // Another family of the same role, constructed in code, and the named one nowhere: the card is wrong.
  const rivals = FAMILY_VOCABULARY.filter((e) => e.role === entry.role && e.family !== family)
    .flatMap((e) => familyFacts(e, index).map((f) => ({ f, e })));
  const constructed = rivals.filter((r) => r.f.fact.form === 'call' || (entry.role !== 'estimator' && r.f.fact.form !== 'import'));
  const mentioned = index.names.names.some((name) => entry.code.some((c) => name.includes(c)));
  if (constructed.length === 0 || mentioned) return unverified(`Nothing in the workspace confirms ${family}.`);
  const ranked = rankFamilyEvidence(claim, rivals.map((r) => r.f));
  const top = ranked[0];
  const rival = rivals.find((r) => r.f === top)?.e.family ?? 'another';
  return {
    verdict: 'contradicted', confidence: 0.8, evidence: ranked.slice(0, 3).map((fact) => ({ fact, stance: 'contradicts' })), codeValue: rival,
    explanation: `card: ${family}; the workspace uses ${rival} (${where(top)}: ${top.fact.snippet.trim()}) and never ${family}.`,
  };
}

/** A dataset or model name: supported where code or config writes the same name. */
export function decideName(claim: Claim, name: string, index: FactIndex): AtomDecision {
  const target = compact(name);
  if (target.length < 3) return unverified(`"${name}" is too short to look up.`);
  const { names, facts } = index.names;
  const hits = facts.filter((fact, i) => fact.deciding && (names[i] === target || (target.length >= 6 && names[i].includes(target))));
  if (hits.length === 0) return unverified(`"${name}" does not appear in the workspace's code or configs.`);
  const ranked = rankFacts(claim, [...new Set(hits)]);
  return {
    verdict: 'supported', confidence: 0.8, evidence: ranked.slice(0, 3).map((fact) => ({ fact, stance: 'supports' })),
    explanation: `${where(ranked[0])} names ${name}: ${ranked[0].fact.snippet.trim()}`,
  };
}

/** Forms of a fact that choose a model: a setting, an argument, a constructor or a loaded name. */
const CHOOSING_FORMS = new Set(['config', 'keyword', 'assignment', 'default', 'positional', 'call', 'import', 'flag']);

/**
 * "ResNet-50" against the sizes of its family the workspace names: supported by the same size,
 * contradicted when the code chooses only other sizes (`encoder_name: resnet34`).
 */
export function decideVariant(claim: Claim, name: string, variant: { family: string; size: string }, index: FactIndex): AtomDecision {
  const family = MODEL_VARIANT_FAMILIES.find((f) => f.family === variant.family);
  if (!family) return decideName(claim, name, index);
  const { names, facts } = index.names;
  const same: IndexedFact[] = [];
  const other: IndexedFact[] = [];
  names.forEach((n, i) => {
    const f = facts[i];
    if (!f.deciding) return;
    const size = sizeIn(n, family);
    if (size === undefined) return;
    if (size === variant.size || variant.size.startsWith(size)) same.push(f);
    else if (CHOOSING_FORMS.has(f.fact.form)) other.push(f);
  });
  if (same.length > 0) {
    const ranked = rankFacts(claim, [...new Set(same)]);
    return {
      verdict: 'supported', confidence: 0.85, evidence: ranked.slice(0, 3).map((fact) => ({ fact, stance: 'supports' })),
      explanation: `${where(ranked[0])} names ${name}: ${ranked[0].fact.snippet.trim()}`,
    };
  }
  if (other.length === 0) return unverified(`"${name}" does not appear in the workspace's code or configs.`);
  const ranked = rankFacts(claim, [...new Set(other)]);
  return {
    verdict: 'contradicted', confidence: 0.8, evidence: ranked.slice(0, 3).map((fact) => ({ fact, stance: 'contradicts' })),
    explanation: `card: ${name}; ${where(ranked[0])} uses another size of it: ${ranked[0].fact.snippet.trim()}`,
  };
}

/** Names in prose worth looking up: mixed case, digits or hyphenated terms ("CIFAR-10", "FineWeb-Edu", "GPT-2"). */
export function namedTerms(text: string): string[] {
  const out: string[] = [];
  // Runs of capitalised words name things too ("Charged Off", "Speech Commands"), as do quotes.
  for (const m of text.matchAll(/(?<![.!?]\s|^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+/g)) out.push(m[0]);
  for (const m of text.matchAll(/["“']([^"”']{3,60})["”']/g)) out.push(m[1]);
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*(?:[-_/.][A-Za-z0-9]+)*/g)) {
    const w = m[0];
    const interesting = /[A-Z].*[A-Z0-9]|[a-z][A-Z]|\d|[-_]/.test(w) && !/^[A-Z][a-z]+$/.test(w);
    if (interesting && compact(w).length >= 4) out.push(w);
  }
  return out;
}

/**
 * A sentence with no number or known name: supported when a construct of the code says the same
 * thing in its own words (RandomHorizontalFlip ↔ "random horizontal flips", class_weight="balanced"
 * ↔ "class weights are balanced"). Never contradicted: absence of a mention proves nothing.
 */
export function decideMention(claim: Claim, index: FactIndex): AtomDecision {
  const words = new Set(contentTokens(claim.context));
  const hits: { fact: IndexedFact; score: number }[] = [];
  for (const term of namedTerms(claim.context)) {
    const target = compact(term);
    const { names, facts } = index.names;
    names.forEach((name, i) => {
      if (facts[i].deciding && (name === target || (target.length >= 6 && name.includes(target)))) hits.push({ fact: facts[i], score: 3 });
    });
  }
  const candidates = new Set<IndexedFact>();
  for (const w of words) for (const f of index.withIdentityToken(w)) candidates.add(f);
  for (const f of candidates) {
    const id = identityTokens(f);
    const matched = id.filter((t) => words.has(t)).length;
    if (matched >= MIN_IDENTITY_TOKENS && matched / id.length >= 0.5) hits.push({ fact: f, score: matched });
  }
  if (hits.length === 0) return unverified('No code, config or result in the workspace states this.');
  hits.sort((a, b) => b.score - a.score);
  const seen = new Set<IndexedFact>();
  const best = hits.filter((h) => (seen.has(h.fact) ? false : (seen.add(h.fact), true))).slice(0, 3);
  return {
    verdict: 'supported', confidence: 0.65, evidence: best.map((h) => ({ fact: h.fact, stance: 'supports' })),
    explanation: `${where(best[0].fact)} says the same: ${best[0].fact.fact.snippet.trim()}`,
  };
}

const identityCache = new WeakMap<IndexedFact, string[]>();

function identityTokens(f: IndexedFact): string[] {
  let tokens = identityCache.get(f);
  if (!tokens) {
    tokens = identityTokensOf(f.fact);
    identityCache.set(f, tokens);
  }
  return tokens;
}
