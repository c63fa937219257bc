import * as vscode from 'vscode';

/**
 * A .docx card is shown as a read-only virtual text document: the text the engine reads from the
 * Word file (one paragraph or table row per line), so report ranges land on the right lines and
 * the document can carry diagnostics, hovers and code actions.
 */
export const DOCX_SCHEME = 'cardcheck-docx';
const SUFFIX = '.txt';

export function isDocx(uri: vscode.Uri): boolean {
  return uri.scheme !== DOCX_SCHEME && uri.path.toLowerCase().endsWith('.docx');
}

/** `file:///w/card.docx` → `cardcheck-docx:/w/card.docx.txt` (the original scheme and authority ride in the query). */
export function docxTextUri(file: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({
    scheme: DOCX_SCHEME,
    path: file.path + SUFFIX,
    query: new URLSearchParams({ scheme: file.scheme, authority: file.authority }).toString(),
  });
}

export function docxFileUri(textUri: vscode.Uri): vscode.Uri {
  const q = new URLSearchParams(textUri.query);
  const path = textUri.path.endsWith(SUFFIX) ? textUri.path.slice(0, -SUFFIX.length) : textUri.path;
  return vscode.Uri.from({ scheme: q.get('scheme') || 'file', authority: q.get('authority') ?? '', path });
}

/** Keeps the extracted text of the last few .docx cards; the text comes from a short-lived worker. */
export class DocxTextProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly cache = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private static readonly MAX_CACHED = 8;

  constructor(private readonly load: (file: vscode.Uri) => Promise<string[]>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const file = docxFileUri(uri);
    try {
      const text = (await this.load(file)).join('\n');
      this.remember(key, text);
      return text;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return `CardCheck could not read ${file.fsPath}:\n${message}\n`;
    }
  }

  /** Re-reads the Word file (it may have changed since it was opened). */
  refresh(textUri: vscode.Uri): void {
    this.cache.delete(textUri.toString());
    this.changed.fire(textUri);
  }

  private remember(key: string, text: string): void {
    this.cache.delete(key);
    this.cache.set(key, text);
    while (this.cache.size > DocxTextProvider.MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.cache.clear();
  }
}
