import type { Baseline, ClaimChange, ClaimResult, Evidence, EvidenceChange, Verdict } from '../model.js';

/** What a baseline keeps of a claim: enough to match it and to say what changed. */
export type BaselineClaim = Pick<ClaimResult, 'id' | 'text' | 'kind' | 'verdict' | 'evidence'> &
  Partial<Pick<ClaimResult, 'key' | 'cardValue' | 'codeValue'>>;

/** Evidence lines named per change, and removed claims listed in the report (the rest are counted). */
const MAX_EVIDENCE_CHANGES = 3;
const MAX_REMOVED_LISTED = 20;
const SNIPPET_CHARS = 160;

/** Worse first: a merged claim takes the most severe verdict of the baseline parts it covers. */
const SEVERITY: Record<Verdict, number> = { contradicted: 3, unverified: 2, supported: 1, 'not-checkable': 0 };

/**
 * Compares a run with a baseline run of the same card, claim by claim as results arrive (a run's
 * claims stream; the baseline is known in full). Claims are matched by text, not id: ids number
 * the card's sentences and shift when the card is edited, and a sentence whose numbers part ways
 * (one now contradicted) is reported in parts. A claim whose verdict differs, or which the
 * baseline did not have, gets a `change` saying from what and why (which value or evidence line
 * changed).
 */
export class ClaimDelta {
  private readonly baseline: BaselineClaim[];
  private readonly norms: string[];
  private readonly words: Set<string>[];
  private readonly byText = new Map<string, number[]>();
  private readonly matched = new Set<number>();
  private changed = 0;
  private added = 0;

  constructor(baseline: readonly BaselineClaim[], private readonly source: string) {
    this.baseline = [...baseline];
    this.norms = this.baseline.map((c) => normText(c.text));
    this.words = this.baseline.map((c) => wordSet(c.text));
    this.norms.forEach((t, i) => {
      const list = this.byText.get(t);
      if (list) list.push(i);
      else this.byText.set(t, [i]);
    });
  }

  /** The claim, with `change` set when its verdict differs from the baseline's (or it is new). */
  annotate(claim: ClaimResult): ClaimResult {
    const { change: _previous, ...current } = claim;
    const matches = this.match(current);
    if (matches.length === 0) {
      this.added++;
      return { ...current, change: { to: current.verdict, reason: 'new claim: the baseline did not have it', evidence: evidenceChanges([], current.evidence) } };
    }
    const before = matches.reduce((a, b) => (SEVERITY[b.verdict] > SEVERITY[a.verdict] ? b : a));
    if (before.verdict === current.verdict) return current;
    this.changed++;
    return { ...current, change: describeChange(before, current) };
  }

  /** After the last claim: the run-level view, with the baseline claims nothing matched. */
  summary(): Baseline {
    const removed = this.baseline.filter((_, i) => !this.matched.has(i));
    return {
      source: this.source,
      changed: this.changed,
      added: this.added,
      removed: removed.slice(0, MAX_REMOVED_LISTED).map((c) => ({ id: c.id, text: c.text, verdict: c.verdict })),
      removedCount: removed.length,
    };
  }

  private match(claim: ClaimResult): BaselineClaim[] {
    const text = normText(claim.text);
    // 1. The same text, first unmatched one in card order (a card may repeat a sentence).
    const same = this.byText.get(text);
    if (same) {
      const i = same.find((j) => !this.matched.has(j)) ?? same[0];
      this.matched.add(i);
      return [this.baseline[i]];
    }
    // 2. Parts of one sentence: this claim is a part of a baseline claim, or covers baseline parts.
    const parts: number[] = [];
    this.baseline.forEach((c, i) => {
      const t = this.norms[i];
      if (t.length >= 8 && text.length >= 8 && (t.includes(text) || text.includes(t)) && sameKey(c, claim)) parts.push(i);
    });
    if (parts.length > 0) {
      for (const i of parts) this.matched.add(i);
      return parts.map((i) => this.baseline[i]);
    }
    // 3. An edited sentence: mostly the same words (numbers aside), the same key if it has one.
    let best = -1;
    let bestScore = 0;
    const words = wordSet(claim.text);
    this.baseline.forEach((c, i) => {
      if (this.matched.has(i) || c.kind !== claim.kind) return;
      const keyed = c.key !== undefined && c.key === claim.key;
      const score = jaccard(words, this.words[i]);
      if (score >= (keyed ? 0.5 : 0.8) && score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best < 0) return [];
    this.matched.add(best);
    return [this.baseline[best]];
  }
}

function sameKey(a: { key?: string }, b: { key?: string }): boolean {
  return a.key === undefined || b.key === undefined || a.key === b.key;
}

function describeChange(before: BaselineClaim, now: ClaimResult): ClaimChange {
  const evidence = evidenceChanges(before.evidence, now.evidence);
  const reasons: string[] = [];
  if (before.cardValue !== undefined && now.cardValue !== undefined && before.cardValue !== now.cardValue) {
    reasons.push(`the card now says ${now.cardValue} (was ${before.cardValue})`);
  }
  if (before.codeValue !== now.codeValue && (before.codeValue !== undefined || now.codeValue !== undefined)) {
    if (before.codeValue === undefined) reasons.push(`the workspace now states ${now.codeValue}`);
    else if (now.codeValue === undefined) reasons.push(`the workspace no longer states ${before.codeValue}`);
    else reasons.push(`the workspace now states ${now.codeValue} (was ${before.codeValue})`);
  }
  const first = evidence[0];
  if (first) reasons.push(describeEvidenceChange(first) + (evidence.length > 1 ? ` (+${evidence.length - 1} more)` : ''));
  if (reasons.length === 0) reasons.push('the evidence shown is the same; how it was weighed changed');
  return { from: before.verdict, to: now.verdict, reason: `${before.verdict} → ${now.verdict}: ${reasons.join('; ')}`, evidence };
}

function describeEvidenceChange(e: EvidenceChange): string {
  const at = `${e.path}:${e.line}`;
  if (e.change === 'changed') return `${at} changed: \`${e.snippet}\` (was \`${e.was ?? ''}\`)`;
  if (e.change === 'added') return `new evidence at ${at}: \`${e.snippet}\``;
  return `evidence gone from ${at}: \`${e.snippet}\``;
}

/**
 * Deciding evidence (supports / contradicts) in one run and not the other. A line that only
 * moved (same file, same text) is no change; the same file and line with other text is `changed`.
 */
export function evidenceChanges(before: readonly Evidence[], now: readonly Evidence[]): EvidenceChange[] {
  const deciding = (list: readonly Evidence[]) => list.filter((e) => e.stance !== 'related');
  const old = deciding(before);
  const cur = deciding(now);
  const oldLeft = new Set(old.map((_, i) => i));
  const curLeft: number[] = [];
  cur.forEach((e, i) => {
    const j = old.findIndex((o, k) => oldLeft.has(k) && o.path === e.path && normText(o.snippet) === normText(e.snippet));
    if (j >= 0) oldLeft.delete(j);
    else curLeft.push(i);
  });
  const out: EvidenceChange[] = [];
  for (const i of curLeft) {
    const e = cur[i];
    const j = old.findIndex((o, k) => oldLeft.has(k) && o.path === e.path && o.range.start.line === e.range.start.line);
    if (j >= 0) {
      oldLeft.delete(j);
      out.push({ change: 'changed', path: e.path, line: e.range.start.line, snippet: cut(e.snippet), was: cut(old[j].snippet) });
    } else {
      out.push({ change: 'added', path: e.path, line: e.range.start.line, snippet: cut(e.snippet) });
    }
  }
  for (const k of oldLeft) out.push({ change: 'removed', path: old[k].path, line: old[k].range.start.line, snippet: cut(old[k].snippet) });
  return out.slice(0, MAX_EVIDENCE_CHANGES);
}

function cut(s: string): string {
  const t = s.trim();
  return t.length <= SNIPPET_CHARS ? t : `${t.slice(0, SNIPPET_CHARS - 1)}…`;
}

function normText(s: string): string {
  return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The words of a claim without its numbers: an edited value leaves the wording the same. */
function wordSet(s: string): Set<string> {
  return new Set((s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter((w) => /^\p{L}/u.test(w)));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
