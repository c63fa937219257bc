import { rm } from 'node:fs/promises';
import { toBaselineClaim } from '../../engine/delta/baselineClaims.js';
import { BaselineStore } from '../../engine/delta/baselineStore.js';
import { ClaimDelta, type BaselineClaim } from '../../engine/delta/claimDelta.js';
import type { Baseline, ClaimChange, ClaimResult } from '../../engine/model.js';
import { truncate } from '../../protocol/messageBudget.js';

/**
 * The previous verdicts of each card, so a run can say per claim what changed since the last one
 * (the engine's ClaimDelta, the same comparison as `cardcheck verify --cache-dir`). The last
 * complete run of a card is the baseline of its next run: this session's, else the one stored in
 * the extension's storage by the engine's BaselineStore (so the comparison survives a reload).
 * Cancelled or failed runs are never a baseline: their missing claims would look removed.
 */
export class RunBaselines {
  private readonly latest = new Map<string, { claims: BaselineClaim[]; savedAt: number }>();
  private readonly store: BaselineStore | undefined;

  constructor(private readonly dir: string | undefined) {
    this.store = dir ? new BaselineStore(dir) : undefined;
  }

  /** The delta of a run that begins now, or undefined when the card has no complete run yet. */
  async deltaFor(cardPath: string): Promise<ClaimDelta | undefined> {
    const known = this.latest.get(cardPath) ?? (await this.store?.load(cardPath));
    if (!known) return undefined;
    return new ClaimDelta(known.claims, `the previous run (${new Date(known.savedAt).toISOString()})`);
  }

  /** Keeps a complete run's verdicts as the card's next baseline; the stored copy is written in the background. */
  async remember(cardPath: string, claims: Iterable<ClaimResult>): Promise<void> {
    const kept = [...claims].map((c) => toBaselineClaim(c));
    this.latest.set(cardPath, { claims: kept, savedAt: Date.now() });
    await this.store?.save(cardPath, kept);
  }

  /** Forgets every card's previous verdicts (Clear Results). */
  async clear(): Promise<void> {
    this.latest.clear();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Bounds of what a change adds to a claim on its way to the panel (16 KB per message). */
const MAX_REASON_CHARS = 600;
const MAX_CHANGE_PATH_CHARS = 200;
const MAX_REMOVED_SHOWN = 5;
const MAX_REMOVED_TEXT_CHARS = 160;

/** A claim's change cut to a few hundred bytes (the engine already caps evidence lines and snippets). */
export function fitChange(change: ClaimChange): ClaimChange {
  return {
    ...change,
    reason: truncate(change.reason, MAX_REASON_CHARS),
    evidence: change.evidence.slice(0, 3).map((e) => ({
      ...e,
      path: truncate(e.path, MAX_CHANGE_PATH_CHARS),
      snippet: truncate(e.snippet, MAX_REASON_CHARS / 3),
      ...(e.was !== undefined ? { was: truncate(e.was, MAX_REASON_CHARS / 3) } : {}),
    })),
  };
}

/** A run's delta summary as the panel gets it: the removed claims are the first few, cut short. */
export function fitBaseline(b: Baseline): Baseline {
  return {
    ...b,
    source: truncate(b.source, MAX_REMOVED_TEXT_CHARS),
    removed: b.removed.slice(0, MAX_REMOVED_SHOWN).map((r) => ({ ...r, text: truncate(r.text, MAX_REMOVED_TEXT_CHARS) })),
  };
}

/** The claim with its change (if any) fitted; a claim without one is returned as is. */
export function annotateClaim(delta: ClaimDelta | undefined, claim: ClaimResult): ClaimResult {
  if (!delta) {
    // A change that arrived from elsewhere (the worker never sets one today) would compare with an unknown baseline.
    if (claim.change === undefined) return claim;
    const { change: _dropped, ...rest } = claim;
    return rest;
  }
  const annotated = delta.annotate(claim);
  return annotated.change ? { ...annotated, change: fitChange(annotated.change) } : annotated;
}
