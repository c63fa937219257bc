import type * as vscode from 'vscode';
import type { ClaimResult } from '../engine/model.js';
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
}

/**
 * The extension's exports (`vscode.extensions.getExtension('cardcheck.cardcheck').exports`): used
 * by the integration tests and available to other extensions. Read-only views plus `verify`.
 */
export interface CardCheckApi {
  /** Verifies a card (a .md/.docx file URI) and resolves when the run is over. */
  verify(card: vscode.Uri, options?: { showPanel?: boolean }): Promise<VerifyOutcome>;
  cancel(card?: vscode.Uri): Promise<void>;
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
