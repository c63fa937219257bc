import * as vscode from 'vscode';
import type { ClaimResult } from '../../engine/model.js';
import type { CardRun } from '../runs/cardRun.js';
import { evidenceLabel } from './claimProblems.js';
import type { DiagnosticsController } from './diagnosticsController.js';
import { OPEN_EVIDENCE_COMMAND } from './codeActions.js';

const VERDICT_LABEL: Record<ClaimResult['verdict'], string> = {
  supported: '✓ supported',
  contradicted: '✗ contradicted',
  unverified: '? unverified',
  'not-checkable': '– not checkable',
};

/** Hover on a claim: its verdict, the reason and the evidence, each a link that opens the file. */
export class ClaimHover implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const found = this.diagnostics.claimsAt(document, new vscode.Range(position, position));
    if (!found) return undefined;
    const parts = found.claims.slice(0, 3).map((c) => hoverFor(found.run, c));
    const range = this.diagnostics.spanOf(found.run, found.claims[0]!.id);
    return new vscode.Hover(parts, range);
  }
}

export function hoverFor(run: CardRun, claim: ClaimResult): vscode.MarkdownString {
  // Workspace text goes through appendText / appendCodeblock, which escape it; only our own
  // command links are trusted.
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: [OPEN_EVIDENCE_COMMAND] };
  md.appendMarkdown(`**CardCheck: ${VERDICT_LABEL[claim.verdict]}** `);
  md.appendText(`(${claim.kind}, confidence ${Math.round(claim.confidence * 100)}%)`);
  md.appendMarkdown('\n\n');
  if (claim.cardValue !== undefined || claim.codeValue !== undefined) {
    md.appendText(`Card: ${claim.cardValue ?? '—'}    Code: ${claim.codeValue ?? '—'}`);
    md.appendMarkdown('\n\n');
  }
  if (claim.explanation) {
    md.appendText(claim.explanation);
    md.appendMarkdown('\n\n');
  }
  if (claim.change) {
    md.appendMarkdown('**Changed since the previous run:** ');
    md.appendText(claim.change.reason);
    md.appendMarkdown('\n\n');
  }
  claim.evidence.slice(0, 3).forEach((e, index) => {
    const args = encodeURIComponent(JSON.stringify([run.cardKey, claim.id, index]));
    md.appendMarkdown(`[${escapeLinkText(evidenceLabel(e))}](command:${OPEN_EVIDENCE_COMMAND}?${args}) `);
    md.appendText(`— ${e.stance}, ${e.source}`);
    md.appendCodeblock(e.snippet, 'text');
  });
  if (claim.evidence.length === 0) md.appendText('No evidence found in the workspace.');
  return md;
}

function escapeLinkText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, (c) => `\\${c}`);
}
