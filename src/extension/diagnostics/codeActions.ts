import * as vscode from 'vscode';
import { DOCX_SCHEME } from '../docx/docxDocuments.js';
import { evidenceLabel, IGNORE_MARKER, problemMessage, replacementFor } from './claimProblems.js';
import type { DiagnosticsController } from './diagnosticsController.js';

export const OPEN_EVIDENCE_COMMAND = 'cardcheck.openEvidence';
export const REVEAL_CLAIM_COMMAND = 'cardcheck.revealClaim';

/**
 * Quick fixes on CardCheck diagnostics: replace the card's value with the code's, open the
 * evidence, or ignore the claim with an inline marker the next run honours. A .docx card's
 * virtual document is read-only, so it only gets "open evidence".
 */
export class ClaimCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === 'CardCheck');
    if (ours.length === 0) return [];
    const actions: vscode.CodeAction[] = [];
    const editable = document.uri.scheme !== DOCX_SCHEME;
    const seen = new Set<string>();
    for (const diagnostic of ours) {
      const found = this.diagnostics.claimsAt(document, diagnostic.range);
      if (!found) continue;
      const { run } = found;
      const claim = found.claims.find((c) => problemMessage(c) === diagnostic.message) ?? found.claims[0];
      if (!claim || seen.has(claim.id)) continue;
      seen.add(claim.id);
      const span = this.diagnostics.spanOf(run, claim.id) ?? diagnostic.range;

      if (editable && claim.verdict === 'contradicted' && span.start.line === span.end.line) {
        const line = document.lineAt(span.start.line).text;
        const r = replacementFor(claim, line, span.start.character, span.end.character);
        if (r) {
          const where = claim.evidence[0] ? ` (the value in ${evidenceLabel(claim.evidence[0])})` : '';
          const fix = new vscode.CodeAction(`Replace ${claim.cardValue} with ${r.text}${where}`, vscode.CodeActionKind.QuickFix);
          fix.edit = new vscode.WorkspaceEdit();
          fix.edit.replace(document.uri, new vscode.Range(span.start.line, r.start, span.start.line, r.end), r.text);
          fix.diagnostics = [diagnostic];
          fix.isPreferred = true;
          actions.push(fix);
        }
      }

      claim.evidence.slice(0, 3).forEach((e, index) => {
        const open = new vscode.CodeAction(`Open evidence: ${evidenceLabel(e)}`, vscode.CodeActionKind.QuickFix);
        open.command = { command: OPEN_EVIDENCE_COMMAND, title: 'Open evidence', arguments: [run.cardKey, claim.id, index] };
        open.diagnostics = [diagnostic];
        actions.push(open);
      });

      if (editable && document.languageId === 'markdown' && !inFrontMatter(document, span.start.line)) {
        // The engine skips claims whose first line carries the marker.
        const line = span.start.line;
        const lineText = document.lineAt(line).text;
        if (!lineText.includes(IGNORE_MARKER)) {
          const ignore = new vscode.CodeAction(`Ignore this claim (adds ${IGNORE_MARKER}; the next run skips it)`, vscode.CodeActionKind.QuickFix);
          ignore.edit = new vscode.WorkspaceEdit();
          ignore.edit.insert(document.uri, new vscode.Position(line, lineText.length), ` ${IGNORE_MARKER}`);
          ignore.diagnostics = [diagnostic];
          actions.push(ignore);
        }
      }
    }
    return actions;
  }
}

/** An HTML comment would become part of a YAML value, so front-matter claims get no ignore fix. */
function inFrontMatter(document: vscode.TextDocument, line: number): boolean {
  if (document.lineCount === 0 || document.lineAt(0).text.trim() !== '---') return false;
  for (let i = 1; i < document.lineCount && i <= line; i++) {
    const t = document.lineAt(i).text.trim();
    if (t === '---' || t === '...') return i > line;
  }
  return true;
}
