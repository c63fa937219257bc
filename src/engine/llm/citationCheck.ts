import type { Claim } from '../card/claim.js';
import type { Evidence, Stance } from '../model.js';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';
import type { FileKind } from '../workspace/fileKind.js';
import { agrees, comparable } from '../verify/decideNumber.js';
import { compareInequality, type CardNumber } from '../verify/numbers.js';
import { versionAgrees } from '../verify/versions.js';
import { namesAgree } from '../verify/names.js';
import { licenseId } from '../verify/decidePackages.js';
import { packageCandidates } from '../verify/packageAliases.js';
import { namedTerms } from '../verify/decideNames.js';
import { keysInText } from '../verify/keyMatch.js';
import { compact, contentTokens } from '../verify/tokens.js';
import type { Citation, Finding } from './prompts.js';

/**
 * The engine's own check of an LLM finding. A verdict is accepted only when every citation is a
 * real line of a deciding workspace file (not a test, fixture, doc or comment), the quote stands
 * on that line, and the engine's value comparison (numbers.ts, versions.ts, names.ts) reaches
 * the same verdict from the cited value. Whatever the model was told or believes, an answer
 * that fails any of this leaves the claim unverified.
 */

export interface CitationFiles {
  file(path: string): WorkspaceFile | undefined;
  lines(path: string): string[] | undefined;
}

export type CheckOutcome =
  | { accepted: true; verdict: 'supported' | 'contradicted'; evidence: Evidence[]; codeValue?: string; where: string }
  | { accepted: false; reason: string };

interface Located {
  citation: Citation;
  file: WorkspaceFile;
  line: number;
  text: string;
  /** 0-based offset of the quote in the line. */
  at: number;
  quote: string;
}

const MAX_CITATIONS = 6;
const MAX_QUOTE = 500;
const SNIPPET_CHARS = 200;
const NOT_DECIDING = new Set(['test', 'fixture', 'vendored', 'doc', 'example', 'ignored']);
const HASH_COMMENT_KINDS = new Set<FileKind>(['python', 'shell', 'yaml', 'toml', 'cfg', 'conda-env', 'requirements', 'pyproject']);

export function checkFinding(claim: Claim, finding: Finding, files: CitationFiles): CheckOutcome {
  if (finding.verdict === 'unverified') return { accepted: false, reason: 'the model found nothing that decides it' };
  if (finding.citations.length === 0) return { accepted: false, reason: `the model said ${finding.verdict} without citing a line` };
  if (finding.citations.length > MAX_CITATIONS) return { accepted: false, reason: `the model cited ${finding.citations.length} lines; at most ${MAX_CITATIONS} are checked` };
  const located: Located[] = [];
  for (const c of finding.citations) {
    const l = locate(c, files);
    if ('reason' in l) return { accepted: false, reason: l.reason };
    located.push(l);
  }
  const decision = compareValue(claim, finding, located);
  if ('reason' in decision) return { accepted: false, reason: decision.reason };
  if (decision.verdict !== finding.verdict) {
    return { accepted: false, reason: `the model said ${finding.verdict}, but the cited value ${decision.shown} makes it ${decision.verdict}` };
  }
  const stance: Stance = decision.verdict === 'supported' ? 'supports' : 'contradicts';
  const evidence = located.map((l) => toEvidence(l, stance));
  return { accepted: true, verdict: decision.verdict, evidence, codeValue: decision.codeValue, where: `${located[0].file.relPath}:${located[0].line}` };
}

function show(s: string, max = 80): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > max ? `${t.slice(0, max - 1)}…` : t);
}

function locate(c: Citation, files: CitationFiles): Located | { reason: string } {
  const file = files.file(c.path);
  if (!file) return { reason: `${show(c.path)} is not a file of the workspace` };
  const flag = file.flags.find((f) => NOT_DECIDING.has(f));
  if (flag) return { reason: `${file.relPath} is ${flag === 'doc' ? 'documentation' : `a ${flag} file`}, never deciding evidence` };
  const lines = files.lines(file.relPath);
  if (!lines) return { reason: `${file.relPath} cannot be read as text` };
  if (!Number.isInteger(c.line) || c.line < 1 || c.line > lines.length) return { reason: `${file.relPath} has no line ${c.line} (it has ${lines.length})` };
  const text = lines[c.line - 1];
  const quote = c.quote.trim();
  if (quote === '' || quote.length > MAX_QUOTE) return { reason: `the quote for ${file.relPath}:${c.line} is empty or too long` };
  const at = findQuote(text, quote);
  if (at < 0) return { reason: `the quote ${show(quote)} is not on ${file.relPath}:${c.line}` };
  if (inComment(text, at, file.kind)) return { reason: `${file.relPath}:${c.line} is a comment, never deciding evidence` };
  return { citation: c, file, line: c.line, text, at, quote };
}

/** Exact, or with runs of white space taken as one (models re-space code). */
function findQuote(line: string, quote: string): number {
  const exact = line.indexOf(quote);
  if (exact >= 0) return exact;
  const parts = quote.split(/\s+/).map(escapeRegExp);
  const m = new RegExp(parts.join('\\s+')).exec(line);
  return m ? m.index : -1;
}

function inComment(line: string, at: number, kind: FileKind): boolean {
  const before = line.slice(0, at);
  if (kind === 'notebook') return /^\s*"\s*#/.test(line) || /^\s*"\s*\/\//.test(line);
  if (/^\s*(\/\/|\/\*|\*)/.test(line) && kind === 'other') return true;
  if (!HASH_COMMENT_KINDS.has(kind)) return false;
  // A '#' outside quotes before the value starts a comment.
  let single = false;
  let double = false;
  for (const ch of before) {
    if (ch === "'" && !double) single = !single;
    else if (ch === '"' && !single) double = !double;
    else if (ch === '#' && !single && !double) return true;
  }
  return false;
}

interface ValueDecision {
  verdict: 'supported' | 'contradicted';
  codeValue?: string;
  shown: string;
}

function compareValue(claim: Claim, finding: Finding, located: Located[]): ValueDecision | { reason: string } {
  const v = claim.value;
  const quotes = located.map((l) => l.quote);
  const codeValue = finding.codeValue?.trim() || undefined;
  switch (v.type) {
    case 'number': return compareNumber(claim, located, codeValue, (code, measured) => agrees(v.number, code, measured), v.number);
    case 'plusminus': return compareNumber(claim, located, codeValue, (code, measured) => agrees(v.mean, code, measured), v.mean);
    case 'inequality': return compareNumber(claim, located, codeValue, (code) => compareInequality(v.op, v.bound, code), v.bound);
    case 'range': {
      const nums = located.flatMap((l) => codeNumbers(l.quote));
      const inside = nums.find((n) => inRange(n.value, v.lo, v.hi));
      return inside ? supportedIfNamed(claim, located, inside.raw) : { reason: 'no cited number lies in the card\'s range' };
    }
    case 'list': {
      const nums = located.flatMap((l) => codeNumbers(l.quote));
      const all = v.items.every((item) => nums.some((n) => agrees(item, n.value, false)));
      return all ? supportedIfNamed(claim, located, nums.map((n) => n.raw).join(', ')) : { reason: 'the cited lines do not hold every number of the card\'s list' };
    }
    case 'version': {
      if (!codeValue) return { reason: 'the model gave no version' };
      if (!quotes.some((q) => squash(q).includes(squash(codeValue)))) return { reason: `the cited lines do not contain the version ${show(codeValue)}` };
      const names = packageCandidates(v.pkg).map(compact);
      if (!quotes.some((q) => names.some((n) => compact(q).includes(n)))) return { reason: `the cited lines do not name ${v.pkg}` };
      const spec = /^[=<>!~]/.test(codeValue) ? codeValue : `==${codeValue}`;
      const r = versionAgrees(v.version, spec);
      if (r === 'unknown') return { reason: `${show(codeValue)} does not decide ${v.pkg} ${v.version}` };
      return { verdict: r === 'agree' ? 'supported' : 'contradicted', codeValue, shown: codeValue };
    }
    case 'license': {
      if (!codeValue) return { reason: 'the model gave no license' };
      if (!quotes.some((q) => licenseId(q).includes(licenseId(codeValue)))) return { reason: `the cited lines do not name the license ${show(codeValue)}` };
      if (licenseId(codeValue) === licenseId(v.license)) return { verdict: 'supported', codeValue, shown: codeValue };
      if (!located.every((l) => l.file.kind === 'license')) return { reason: 'a different license counts only from a LICENSE file' };
      return { verdict: 'contradicted', codeValue, shown: codeValue };
    }
    case 'name': {
      if (!codeValue) return { reason: 'the model gave no name' };
      if (!quotes.some((q) => compact(q).includes(compact(codeValue)))) return { reason: `the cited lines do not contain ${show(codeValue)}` };
      // Different names need not contradict (a name may have several spellings): only agreement counts.
      return namesAgree(v.name, codeValue) ? { verdict: 'supported', codeValue, shown: codeValue } : { reason: `${show(codeValue)} is not the card's ${show(v.name)}` };
    }
    case 'identifiers': {
      const all = compact(quotes.join(' '));
      return v.ids.every((id) => all.includes(compact(id))) ? { verdict: 'supported', shown: v.ids.join(', ') } : { reason: 'the cited lines do not name every identifier of the claim' };
    }
    case 'mention': {
      const all = compact(quotes.join(' '));
      const terms = namedTerms(claim.context).map(compact).filter((t) => t.length >= 4);
      const quoteWords = new Set(contentTokens(quotes.join(' ')));
      const shared = [...new Set(contentTokens(claim.text))].filter((w) => w.length > 2 && quoteWords.has(w));
      if (terms.some((t) => all.includes(t)) || shared.length >= 2) return { verdict: 'supported', codeValue, shown: show(quotes[0]) };
      return { reason: 'the cited lines do not say what the claim names' };
    }
  }
}

function compareNumber(claim: Claim, located: Located[], codeValue: string | undefined, holds: (code: number, measured: boolean) => boolean, card: CardNumber): ValueDecision | { reason: string } {
  const measured = claim.kind === 'metric' || located.some((l) => ['csv', 'tsv', 'log', 'notebook'].includes(l.file.kind));
  const inQuotes = located.flatMap((l) => codeNumbers(l.quote).map((n) => ({ ...n, l })));
  if (inQuotes.length === 0) return { reason: 'the cited lines hold no number' };
  if (codeValue !== undefined) {
    const wanted = codeNumbers(codeValue)[0];
    if (!wanted) return { reason: `the model's value ${show(codeValue)} is not a number` };
    const found = inQuotes.find((n) => sameNumber(n.value, wanted.value));
    if (!found) return { reason: `the cited lines do not contain the value ${show(codeValue)}` };
    if (holds(found.value, measured)) return supportedIfNamed(claim, located, found.raw);
    // A different number contradicts only when it measures the same kind of thing, on a line naming the quantity.
    if (!comparable(card, found.value)) return { reason: `${found.raw} and the card's ${card.raw} measure different things` };
    if (!namesQuantity(claim, found.l.text)) return { reason: `${found.l.file.relPath}:${found.l.line} does not name the claim's quantity` };
    return { verdict: 'contradicted', codeValue: found.raw, shown: found.raw };
  }
  const agreeing = inQuotes.find((n) => holds(n.value, measured));
  return agreeing ? supportedIfNamed(claim, located, agreeing.raw) : { reason: 'no cited number agrees with the card, and the model named no value' };
}

/**
 * An equal number proves nothing alone (a 6 is everywhere): some cited line must also name what
 * the claim is about, the value's own line or another ("def __init__(self, dim, heads)").
 */
function supportedIfNamed(claim: Claim, located: Located[], raw: string): ValueDecision | { reason: string } {
  if (!located.some((l) => mentionsQuantity(claim, l.text))) return { reason: 'no cited line names what the claim is about; cite the line that sets or names it too' };
  return { verdict: 'supported', codeValue: raw, shown: raw };
}

/** Looser than namesQuantity: a canonical key or any of the claim's key words. */
function mentionsQuantity(claim: Claim, line: string): boolean {
  const lineKeys = new Set(keysInText(line, 'code'));
  if (claim.keys.some((k) => lineKeys.has(k))) return true;
  const words = new Set(contentTokens(line));
  return contentTokens(claim.keyText).some((w) => w.length > 2 && words.has(w));
}

/** The cited line names what the claim is about: one of its canonical keys, or else one of its words. */
function namesQuantity(claim: Claim, line: string): boolean {
  const lineKeys = new Set(keysInText(line, 'code'));
  if (claim.keys.length > 0) return claim.keys.some((k) => lineKeys.has(k));
  const words = new Set(contentTokens(line));
  return contentTokens(claim.keyText).some((w) => w.length > 2 && words.has(w));
}

export interface CodeNumber {
  value: number;
  raw: string;
}

/** Number literals as code and logs write them: 3e-4, 0.0003, 1_000, -2, 91.2%. Digits inside names (gpt2, v1.5) are not numbers. */
export function codeNumbers(text: string): CodeNumber[] {
  const out: CodeNumber[] = [];
  for (const m of text.matchAll(/(?<![\w.])[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?(?![\w])/g)) {
    const raw = m[0];
    const value = Number(raw.replace(/_/g, '').replace(/%$/, ''));
    if (Number.isFinite(value)) out.push({ value, raw });
  }
  return out;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** A percent range ("80–90%") holds a fraction (0.85) as well as a percent number (85). */
function inRange(n: number, lo: CardNumber, hi: CardNumber): boolean {
  const x = lo.percent && Math.abs(n) <= 1 ? n * 100 : n;
  return x >= lo.value && x <= hi.value;
}

function squash(s: string): string {
  return s.replace(/\s+/g, '').toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toEvidence(l: Located, stance: Stance): Evidence {
  const snippet = l.text.trim();
  return {
    path: l.file.relPath,
    range: { start: { line: l.line, column: l.at + 1 }, end: { line: l.line, column: l.at + 1 + l.quote.length } },
    snippet: snippet.length > SNIPPET_CHARS ? `${snippet.slice(0, SNIPPET_CHARS - 1)}…` : snippet,
    stance,
    source: 'llm',
  };
}
