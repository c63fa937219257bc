import type { Claim } from '../card/claim.js';
import type { FactIndex, IndexedFact } from './factIndex.js';
import { type AtomDecision, showValue, unverified, where } from './decision.js';
import { packageCandidates, normalizePackageName } from './packageAliases.js';
import { versionAgrees } from './versions.js';
import { compact } from './tokens.js';

export function decideVersion(claim: Claim, pkg: string, version: string, index: FactIndex): AtomDecision {
  const names = new Set(packageCandidates(pkg));
  const facts = index.withForm('version').filter((f) => names.has(normalizePackageName(f.fact.rawKey)));
  const deciding = facts.filter((f) => f.deciding);
  if (deciding.length === 0) return unverified(`No requirements or environment file pins ${pkg}.`, facts);
  const results = deciding.map((f) => ({ f, r: versionAgrees(version, String(f.fact.value)) }));
  const agree = results.find((x) => x.r === 'agree');
  if (agree) {
    return {
      verdict: 'supported', confidence: 0.95, evidence: [{ fact: agree.f, stance: 'supports' }], codeValue: String(agree.f.fact.value),
      explanation: `${where(agree.f)} pins ${agree.f.fact.rawKey}${showSpec(agree.f)}, as the card states (${pkg} ${version}).`,
    };
  }
  const disagree = results.filter((x) => x.r === 'disagree');
  if (disagree.length > 0 && disagree.length === results.length) {
    const f = disagree[0].f;
    return {
      verdict: 'contradicted', confidence: 0.9, evidence: disagree.slice(0, 3).map((x) => ({ fact: x.f, stance: 'contradicts' })), codeValue: String(f.fact.value).replace(/^[=~<>!]+/, ''),
      explanation: `card: ${pkg} ${version}; ${where(f)} pins ${f.fact.rawKey}${showSpec(f)}.`,
    };
  }
  return unverified(`${pkg} is required without a pin that decides ${version}.`, deciding);
}

function showSpec(f: IndexedFact): string {
  const v = String(f.fact.value);
  return /^[=<>!~]/.test(v) ? v : ` ${v}`;
}

/** "apache-2.0", "Apache 2.0", "Apache License 2.0" all compact to the same id. */
export function licenseId(s: string): string {
  return compact(s.replace(/\blicen[cs]e\b/gi, '').replace(/\bversion\b/gi, ''));
}

export function decideLicense(license: string, index: FactIndex): AtomDecision {
  const facts = index.withForm('license');
  const deciding = facts.filter((f) => f.deciding);
  if (deciding.length === 0) return unverified('The workspace has no LICENSE file that names a license.', facts);
  // The shallowest license file covers the project; deeper ones cover their own folder.
  const depth = (f: IndexedFact) => f.fact.file.split('/').length;
  const minDepth = Math.min(...deciding.map(depth));
  const root = deciding.filter((f) => depth(f) === minDepth);
  const want = licenseId(license);
  const match = root.find((f) => licenseId(String(f.fact.value)) === want);
  if (match) {
    return { verdict: 'supported', confidence: 0.95, evidence: [{ fact: match, stance: 'supports' }], explanation: `${where(match)} is the ${String(match.fact.value)} license.`, codeValue: String(match.fact.value) };
  }
  const f = root[0];
  return {
    verdict: 'contradicted', confidence: 0.9, evidence: [{ fact: f, stance: 'contradicts' }], codeValue: String(f.fact.value).toLowerCase(),
    explanation: `card: license ${license}; ${where(f)} is the ${showValue(f.fact.value)} license.`,
  };
}
