import type * as vscode from 'vscode';
import type { Baseline, ClaimResult, Summary } from '../engine/model.js';
import type { HostToWebview } from '../protocol/webviewMessages.js';
import type { PanelFeedStats } from './panel/panelFeed.js';

/** What a finished (or dropped) verification reports to the caller of `verify`. */
export interface VerifyOutcome {
  status: 'done' | 'cancelled' | 'failed' | 'dropped';
  message?: string;
  /** Claim results the host received and kept. */
  claims: number;
  /** How many claims the engine reported deciding (its summary), when the run finished. */
  engineClaims?: number;
  /** Verdict counts: the engine's when the run finished, else those of the claims kept. */
  summary?: Summary;
}

/** What started a run. */
export type RunTrigger = 'command' | 'watch' | 'verifyAll' | 'panel' | 'api';

/** One run, as the run log keeps it: what started it, when its worker lived, how it ended. */
export interface RunRecord {
  /** The card's URI string. */
  card: string;
  trigger: RunTrigger;
  startedAt: number;
  /** pid of its worker, once started. */
  pid?: number;
  endedAt?: number;
  status?: 'done' | 'cancelled' | 'failed' | 'crashed';
}

/** What *Verify All Model Cards* did: the cards it ran (one at a time, in order) and those a cancel skipped. */
export interface VerifyAllResult {
  total: number;
  cancelled: boolean;
  outcomes: Array<VerifyOutcome & { card: string }>;
  skipped: string[];
  /** The closing message shown to the user. */
  message: string;
}

/**
 * The extension's exports (`vscode.extensions.getExtension('cardcheck.cardcheck').exports`): used
 * by the integration tests and available to other extensions. Read-only views plus `verify`.
 */
export interface CardCheckApi {
  /** Verifies a card (a .md/.docx file URI) and resolves when the run is over. */
  verify(card: vscode.Uri, options?: { showPanel?: boolean }): Promise<VerifyOutcome>;
  cancel(card?: vscode.Uri): Promise<void>;
  /** *Verify All Model Cards*: the workspace's cards one at a time; resolves when it is over. */
  verifyAll(): Promise<VerifyAllResult>;
  /** Cancels a running *Verify All* as its notification's Cancel button does. */
  cancelVerifyAll(): Promise<void>;
  /** The latest runs (what started them, their worker's pid, when they started and ended), oldest first. */
  runLog(): RunRecord[];
  /** What changed in the card's last complete run since the run before it (per claim: `change`). */
  delta(card: vscode.Uri): Baseline | undefined;
  /** Watch mode: cards watched (verified in this session) and those with a re-run waiting for the debounce. */
  watched(): { cards: string[]; pending: string[] };
  /** The claims decided for a card so far. */
  results(card: vscode.Uri): ClaimResult[];
  /** The document that carries a card's diagnostics (the file, or a .docx card's virtual text). */
  diagnosticsUri(card: vscode.Uri): vscode.Uri;
  /** pid of the worker verifying a card, while it runs. */
  workerPid(card: vscode.Uri): number | undefined;
  /** Fires for every claim result the host receives. */
  onDidReceiveClaim: vscode.Event<{ card: string; claimId: string }>;
  panel(): { visible: boolean; card: string | undefined; stats: PanelFeedStats | undefined };
  /** What the evidence panel is sent when it loads on its current card (its whole content). */
  panelSnapshot(): HostToWebview[];
  /** The CardCheck Output channel's most recent lines (all levels), oldest first. */
  outputLines(): string[];
  /**
   * Stores the LLM endpoint's key in VS Code's SecretStorage, as *CardCheck: Set LLM API Key*
   * does; an empty string removes it. The key can be set, never read back.
   */
  setLlmApiKey(key: string): Promise<void>;
}
