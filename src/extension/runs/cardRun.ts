import type { Baseline, ClaimResult, EngineWarning, LlmStats, Summary } from '../../engine/model.js';
import type { Progress } from '../../protocol/events.js';
import type { PanelClaim, RunStatus } from '../../protocol/webviewMessages.js';

/** Notices kept per card (limits hit, warnings, crashes); older ones are counted, not kept. */
export const MAX_NOTICES = 100;

/**
 * Everything the host knows about one card's latest verification. The claim map is the single
 * copy of the results in the host: diagnostics, hover, code actions and the panel read it.
 * Its size is bounded by the engine's claim limit (cardcheck.maxClaimsPerCard).
 */
export class CardRun {
  status: RunStatus = 'idle';
  message: string | undefined;
  progress: Progress | undefined;
  summary: Summary | undefined;
  startedAt: number | undefined;
  durationMs: number | undefined;
  /** What the LLM pass spent and achieved in the last finished run, when it ran. */
  llmStats: LlmStats | undefined;
  /** What changed since the card's previous complete run (set when this run completes and there was one). */
  baseline: Baseline | undefined;
  readonly claims = new Map<string, PanelClaim>();
  readonly notices: string[] = [];
  omittedNotices = 0;
  /** Claims not turned into diagnostics because of cardcheck.maxProblemsPerFile. */
  problemsOmitted = 0;

  constructor(
    /** The card file's URI string (file:// or vscode-remote://…): the key of this run. */
    readonly cardKey: string,
    readonly cardPath: string,
    readonly workspaceRoot: string,
    readonly label: string,
  ) {}

  begin(now: number): void {
    this.status = 'running';
    this.message = undefined;
    this.progress = undefined;
    this.summary = undefined;
    this.startedAt = now;
    this.durationMs = undefined;
    this.llmStats = undefined;
    this.baseline = undefined;
    this.claims.clear();
    this.notices.length = 0;
    this.omittedNotices = 0;
    this.problemsOmitted = 0;
  }

  addClaim(claim: ClaimResult): void {
    this.claims.set(claim.id, claim);
  }

  markStale(id: string): void {
    const c = this.claims.get(id);
    if (c && !c.stale) this.claims.set(id, { ...c, stale: true });
  }

  addNotice(text: string): void {
    if (this.notices.length >= MAX_NOTICES) {
      this.omittedNotices += 1;
      return;
    }
    this.notices.push(text);
  }

  addWarning(w: EngineWarning): void {
    this.addNotice(w.path ? `${w.path}: ${w.message}` : w.message);
  }

  finish(status: RunStatus, now: number, message?: string): void {
    this.status = status;
    this.message = message;
    if (this.startedAt !== undefined) this.durationMs = now - this.startedAt;
  }

  /** Counts of the claims received so far (the engine's summary arrives only at the end). */
  counts(): Summary {
    const s: Summary = { supported: 0, contradicted: 0, unverified: 0, notCheckable: 0 };
    for (const c of this.claims.values()) {
      if (c.verdict === 'supported') s.supported++;
      else if (c.verdict === 'contradicted') s.contradicted++;
      else if (c.verdict === 'unverified') s.unverified++;
      else s.notCheckable++;
    }
    return s;
  }

  /** Claims in card order. */
  orderedClaims(): PanelClaim[] {
    return [...this.claims.values()].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.id.localeCompare(b.id),
    );
  }
}
