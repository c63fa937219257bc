import type { ClaimResult, Evidence } from '../../engine/model.js';
import type { OptionalSeveritySetting, SeveritySetting } from '../settingsSchema.js';

/**
 * What a claim becomes in the Problems view, without `vscode`: the message states both sides,
 * the related entries point at the evidence, and the list is ranked and capped (VS Code shows
 * about 1,000 problems per file at most, so the user must see the important ones).
 */

/** The inline marker that makes the next run skip a claim on that line (Markdown cards). */
export const IGNORE_MARKER = '<!-- cardcheck-ignore -->';

export interface ProblemSpec {
  claimId: string;
  severity: SeveritySetting;
  message: string;
  /** `verdict` shown as the diagnostic code. */
  code: string;
  related: Array<{ evidence: Evidence; message: string }>;
}

const RELATED_PER_PROBLEM = 3;

export function keyLabel(key: string | undefined): string | undefined {
  if (!key) return undefined;
  return key.replace(/[_.]+/g, ' ').trim();
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function evidenceLabel(e: Evidence): string {
  return `${e.path}:${e.range.start.line}`;
}

/** "card: learning rate 3e-5; train.py:41 has 2e-5" and the like. */
export function problemMessage(claim: ClaimResult): string {
  const deciding = claim.evidence[0];
  const what = keyLabel(claim.key);
  if (claim.verdict === 'contradicted') {
    const cardSide = claim.cardValue !== undefined ? `${what ? `${what} ` : ''}${claim.cardValue}` : `"${oneLine(claim.text, 100)}"`;
    let codeSide: string;
    if (deciding && claim.codeValue !== undefined) codeSide = `${evidenceLabel(deciding)} has ${claim.codeValue}`;
    else if (deciding) codeSide = `${evidenceLabel(deciding)}: ${oneLine(deciding.snippet, 100)}`;
    else if (claim.codeValue !== undefined) codeSide = `the workspace has ${claim.codeValue}`;
    else codeSide = oneLine(claim.explanation) || 'the workspace disagrees';
    // Both sides are stated already when the code's value is known; the hover has the full reason.
    const extra = claim.codeValue === undefined && claim.explanation && !codeSide.includes(claim.explanation) ? ` (${oneLine(claim.explanation, 200)})` : '';
    return `Contradicted: card says ${cardSide}; ${codeSide}${extra}`;
  }
  if (claim.verdict === 'unverified') {
    const because = claim.explanation ? ` (${oneLine(claim.explanation, 200)})` : '';
    return `Unverified: nothing in the workspace confirms or contradicts "${oneLine(claim.text, 120)}"${because}`;
  }
  return `${claim.verdict}: ${oneLine(claim.text)}`;
}

function relatedMessage(e: Evidence): string {
  const stance = e.stance === 'supports' ? 'supports the card' : e.stance === 'contradicts' ? 'contradicts the card' : 'related';
  return `${stance}: ${oneLine(e.snippet, 200)}`;
}

export interface ProblemOptions {
  contradicted: SeveritySetting;
  unverified: OptionalSeveritySetting;
  maxProblems: number;
  /** True when the card line carries the ignore marker (checked against the live document). */
  isIgnored?: (claim: ClaimResult) => boolean;
}

const SEVERITY_RANK: Record<SeveritySetting, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Ranked, capped problems for a card's claims; `omitted` counts what the cap left out. */
export function claimProblems(claims: Iterable<ClaimResult & { stale?: boolean }>, opts: ProblemOptions): { problems: ProblemSpec[]; omitted: number } {
  const all: Array<ProblemSpec & { rank: number; line: number; confidence: number }> = [];
  for (const claim of claims) {
    if (claim.stale) continue;
    let severity: SeveritySetting | undefined;
    if (claim.verdict === 'contradicted') severity = opts.contradicted;
    else if (claim.verdict === 'unverified' && opts.unverified !== 'off') severity = opts.unverified;
    if (!severity) continue;
    if (opts.isIgnored?.(claim)) continue;
    all.push({
      claimId: claim.id,
      severity,
      message: problemMessage(claim),
      code: claim.verdict,
      related: claim.evidence.slice(0, RELATED_PER_PROBLEM).map((evidence) => ({ evidence, message: relatedMessage(evidence) })),
      rank: SEVERITY_RANK[severity] * 10 + (claim.verdict === 'contradicted' ? 0 : 1),
      line: claim.range.start.line,
      confidence: claim.confidence,
    });
  }
  // Most severe first, then the surer ones, then card order.
  all.sort((a, b) => a.rank - b.rank || b.confidence - a.confidence || a.line - b.line);
  const kept = all.slice(0, opts.maxProblems);
  kept.sort((a, b) => a.line - b.line);
  return {
    problems: kept.map(({ rank: _r, line: _l, confidence: _c, ...p }) => p),
    omitted: all.length - kept.length,
  };
}

/** The value replacement a quick fix offers: where the card's value stands in the claim's text. */
export function replacementFor(claim: ClaimResult, lineText: string, claimStartColumn0: number, claimEndColumn0: number): { start: number; end: number; text: string } | undefined {
  if (claim.verdict !== 'contradicted' || claim.cardValue === undefined || claim.codeValue === undefined) return undefined;
  const cardValue = claim.cardValue.trim();
  if (!cardValue) return undefined;
  const searchFrom = Math.max(0, claimStartColumn0);
  const searchTo = claimEndColumn0 > searchFrom ? Math.min(lineText.length, claimEndColumn0) : lineText.length;
  const within = lineText.slice(searchFrom, searchTo);
  const at = indexOfValue(within, cardValue);
  if (at < 0) return undefined;
  return { start: searchFrom + at, end: searchFrom + at + cardValue.length, text: claim.codeValue.trim() };
}

/** Finds `value` as a whole token (so "3" does not match inside "0.003"). */
function indexOfValue(haystack: string, value: string): number {
  let from = 0;
  for (;;) {
    const i = haystack.indexOf(value, from);
    if (i < 0) return -1;
    const before = haystack[i - 1] ?? ' ';
    const after = haystack[i + value.length] ?? ' ';
    if (!/[\w.]/.test(before) && !/\w/.test(after) && !(after === '.' && /\d/.test(haystack[i + value.length + 1] ?? ''))) return i;
    from = i + 1;
  }
}
