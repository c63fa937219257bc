import { z } from 'zod';
import { BaselineSchema, ClaimResultSchema, LlmStatsSchema, SummarySchema } from '../engine/model.js';
import { ProgressSchema } from './events.js';

/**
 * Messages between the extension host and the evidence panel's webview. The host posts nothing
 * before the webview says `ready`; while the panel is hidden only the latest state per kind is
 * kept and is replayed on the next `ready`.
 */

export const RunStatusSchema = z.enum(['idle', 'queued', 'running', 'done', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const PanelRunSchema = z.object({
  cardLabel: z.string(),
  cardUri: z.string(),
  status: RunStatusSchema,
  /** Failure or cancellation text, shown above the claims. */
  message: z.string().optional(),
  startedAt: z.number().optional(),
  durationMs: z.number().optional(),
  /** The LLM pass's requests, tokens, time and accepted / rejected answers (`done.stats.llm`), when it ran. */
  llm: LlmStatsSchema.optional(),
  /**
   * What changed since the card's previous complete run (counts and the first few removed claims);
   * per claim, `change` says from what and why.
   */
  baseline: BaselineSchema.optional(),
});
export type PanelRun = z.infer<typeof PanelRunSchema>;

/** A claim as the panel shows it: the result plus host-side state. */
export const PanelClaimSchema = ClaimResultSchema.extend({
  /** The card was edited over this claim since it was decided. */
  stale: z.boolean().optional(),
});
export type PanelClaim = z.infer<typeof PanelClaimSchema>;

export const HostToWebviewSchema = z.discriminatedUnion('type', [
  /** Starts a replay or a new run: the webview drops what it holds. */
  z.object({ type: z.literal('reset'), run: PanelRunSchema }),
  z.object({ type: z.literal('run'), run: PanelRunSchema }),
  z.object({ type: z.literal('progress'), progress: ProgressSchema }),
  /** New or changed claims, in card order; a batch stays under the message ceiling. */
  z.object({ type: z.literal('claims'), claims: z.array(PanelClaimSchema) }),
  z.object({ type: z.literal('summary'), summary: SummarySchema }),
  /** Limits hit, warnings, crashes: the latest list (bounded) replaces the previous one. */
  z.object({ type: z.literal('notices'), notices: z.array(z.string()), omitted: z.number().int().min(0) }),
]);
export type HostToWebview = z.infer<typeof HostToWebviewSchema>;

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Evidence is addressed by claim and index: the webview never names a file the host opens. */
  z.object({ type: z.literal('openEvidence'), claimId: z.string(), index: z.number().int().min(0) }),
  z.object({ type: z.literal('revealClaim'), claimId: z.string() }),
  z.object({ type: z.literal('verify') }),
  z.object({ type: z.literal('cancel') }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

/** What the webview keeps in `vscode.setState`: UI state only, never domain data. */
export const PanelUiStateSchema = z.object({
  cardUri: z.string().optional(),
  verdicts: z.array(z.string()).optional(),
  kinds: z.array(z.string()).optional(),
  expanded: z.array(z.string()).optional(),
  /** Only the claims whose verdict changed since the previous run are shown. */
  changedOnly: z.boolean().optional(),
});
export type PanelUiState = z.infer<typeof PanelUiStateSchema>;
