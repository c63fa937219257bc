import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/**
 * The panel's HTML shell: a strict Content-Security-Policy (no remote content, scripts only with
 * this load's nonce), resources through `asWebviewUri` from the media folder. All content is
 * built by media/panel.js with DOM APIs (textContent), never with HTML strings.
 */
export function panelHtml(webview: vscode.Webview, mediaRoot: vscode.Uri, joinPath: (base: vscode.Uri, ...p: string[]) => vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(joinPath(mediaRoot, 'panel.js'));
  const style = webview.asWebviewUri(joinPath(mediaRoot, 'panel.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>CardCheck evidence</title>
</head>
<body>
<main id="app" aria-live="polite">
  <header id="header">
    <h1 id="title">CardCheck</h1>
    <div id="status" role="status"></div>
    <div class="actions">
      <button id="verify" type="button">Verify again</button>
      <button id="cancel" type="button">Cancel</button>
    </div>
  </header>
  <section id="progress" aria-label="Progress"></section>
  <section id="delta" aria-label="Changes since the previous run"></section>
  <section id="filters" aria-label="Filters"></section>
  <section id="notices" aria-label="Notices"></section>
  <section id="claims" aria-label="Claims"><p class="empty">No results yet. Run “CardCheck: Verify Model Card”.</p></section>
</main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
