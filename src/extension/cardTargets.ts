import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { DOCX_SCHEME, docxFileUri } from './docx/docxDocuments.js';
import type { CardTarget } from './runs/verificationService.js';

const CARD_EXTENSIONS = ['.md', '.markdown', '.docx'];

export function isCardUri(uri: vscode.Uri): boolean {
  if (uri.scheme === DOCX_SCHEME) return true;
  const p = uri.path.toLowerCase();
  return CARD_EXTENSIONS.some((e) => p.endsWith(e));
}

/** The card file behind a URI (a .docx card's virtual document maps back to the Word file). */
export function cardFileUri(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === DOCX_SCHEME ? docxFileUri(uri) : uri;
}

export function targetFor(uri: vscode.Uri): CardTarget {
  const cardUri = cardFileUri(uri);
  const folder = vscode.workspace.getWorkspaceFolder(cardUri);
  const rootUri = folder?.uri ?? cardUri.with({ path: dirname(cardUri.path) });
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === cardUri.toString());
  // Only an unsaved buffer crosses to the worker; otherwise the worker reads the file itself.
  return open?.isDirty && !cardUri.path.toLowerCase().endsWith('.docx') ? { cardUri, rootUri, cardText: open.getText() } : { cardUri, rootUri };
}

/** The card a command is about: its argument, the active editor, or the user's pick. */
export async function pickCard(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isCardUri(arg)) return cardFileUri(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isCardUri(active)) return cardFileUri(active);
  const files = await vscode.workspace.findFiles('**/*.{md,markdown,docx}', '{**/node_modules/**,**/.git/**}', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('CardCheck: no Markdown or Word files in this workspace to verify.');
    return undefined;
  }
  const items = files
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri, true), uri }))
    .sort((a, b) => Number(!/card/i.test(a.label)) - Number(!/card/i.test(b.label)) || a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Which model card should CardCheck verify?' });
  return picked?.uri;
}

const EXCLUDE = '{**/node_modules/**,**/.git/**}';
const MAX_CARDS = 200;

/**
 * The model cards of the workspace: files matching `cardGlob`, plus README.md files that open with
 * YAML front matter (the Hugging Face model-card layout).
 */
export async function findCards(cardGlob: string): Promise<vscode.Uri[]> {
  const byGlob = await vscode.workspace.findFiles(cardGlob, EXCLUDE, MAX_CARDS);
  const seen = new Set(byGlob.map((u) => u.toString()));
  const cards = [...byGlob];
  for (const readme of await vscode.workspace.findFiles('**/README.md', EXCLUDE, MAX_CARDS)) {
    if (cards.length >= MAX_CARDS || seen.has(readme.toString())) continue;
    try {
      const head = Buffer.from(await vscode.workspace.fs.readFile(readme)).subarray(0, 4).toString('utf8');
      if (/^---\r?\n/.test(head)) cards.push(readme);
    } catch {
      // Unreadable: not a card we can verify anyway.
    }
  }
  return cards.sort((a, b) => a.toString().localeCompare(b.toString()));
}
