import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { prepareUiWorkspace } from '../launch/prepareWorkspace.js';
import { launchBrowser } from '../support/browser.js';
import { removeRunDir, startCodeServer } from '../support/codeServer.js';
import { readTooling } from '../support/tooling.js';

/**
 * The UI test: code-server with the packaged .vsix installed, driven through headless Chromium
 * like a user: Verify from the command palette, Problems rows, the panel's claims and evidence,
 * an evidence link that opens the file at its line. Screenshots go to test-results/.
 */

export interface UiTestOptions {
  repo: string;
  vsix: string;
  workDir: string;
  screenshots: string;
}

export interface UiTestReport {
  steps: Array<{ step: string; ms: number }>;
  screenshots: string[];
}

const TIMEOUT = 60_000;

export async function runUiTest(opts: UiTestOptions): Promise<UiTestReport> {
  const tooling = readTooling();
  const ws = prepareUiWorkspace(opts.repo, join(opts.workDir, 'ui-workspace'));
  mkdirSync(opts.screenshots, { recursive: true });
  const report: UiTestReport = { steps: [], screenshots: [] };
  let last = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    report.steps.push({ step: name, ms: now - last });
    process.stdout.write(`  ✓ ${name} (${now - last} ms)\n`);
    last = now;
  };

  const server = await startCodeServer(tooling, { workspace: ws.folder, vsix: opts.vsix });
  step('code-server started with the .vsix installed');
  const context = await launchBrowser(tooling, server.env);
  const shot = async (page: Page, name: string) => {
    const file = join(opts.screenshots, name);
    await page.screenshot({ path: file });
    report.screenshots.push(file);
  };
  let page: Page | undefined;
  try {
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    // Anything the panel's Content-Security-Policy blocks would show up here.
    const webviewErrors: string[] = [];
    page.on('console', (m) => {
      const where = m.location().url;
      if ((m.type() === 'error' || /Content Security Policy/i.test(m.text())) && /webview|vscode-resource|vscode-cdn/.test(where)) webviewErrors.push(`${m.text()} (${where})`);
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws.folder)}`);
    await page.waitForSelector('.monaco-workbench');
    await page.waitForSelector(`.explorer-folders-view .monaco-list-row:has-text("${ws.cardName}")`);
    step('workbench ready');

    // Open the card with Quick Open.
    await page.keyboard.press('Control+P');
    await page.fill('.quick-input-widget input', ws.cardName);
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${ws.cardName}")`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tabs-container .tab[data-resource-name="${ws.cardName}"]`);
    await page.waitForSelector('.monaco-editor .view-lines');
    step('card opened');

    // Run the command from the palette.
    await page.keyboard.press('F1');
    await page.fill('.quick-input-widget input', '>CardCheck: Verify Model Card');
    // "Verify All Model Cards" matches the same words: pick the exact command.
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'CardCheck: Verify Model Card' }).filter({ hasNotText: 'All' });
    await row.first().waitFor();
    await row.first().click();
    step('command run from the palette');

    // Problems: the status bar count, then the Problems panel rows.
    await page.waitForFunction(
      () => {
        const label = document.querySelector('[id="status.problems"]')?.getAttribute('aria-label') ?? '';
        const m = /Warnings?: (\d+)/.exec(label);
        return m !== null && Number(m[1]) >= 2;
      },
      undefined,
      { timeout: TIMEOUT },
    );
    step('diagnostics counted in the status bar');

    // The evidence panel: claims, grouped, with evidence.
    const panel: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await panel.locator('.group-contradicted .claim').first().waitFor();
    await panel.locator('.progress-text:has-text("Finished")').waitFor();
    const contradicted = await panel.locator('.group-contradicted .claim-text').allTextContents();
    assert.ok(contradicted.some((t) => /Epochs/.test(t)), `contradicted claims: ${JSON.stringify(contradicted)}`);
    assert.ok(contradicted.some((t) => /512 tokens/.test(t)), `contradicted claims: ${JSON.stringify(contradicted)}`);
    const supportedCount = await panel.locator('.group-supported .claim').count();
    assert.ok(supportedCount > 0, 'no supported claims listed');
    step('panel lists the claims by verdict');

    // Workspace text renders as text: the planted <script>/<img onerror> shows literally, runs nothing.
    const lengthClaim = panel.locator('.claim', { has: panel.locator('.claim-text', { hasText: '512 tokens' }) });
    const snippet = await lengthClaim.locator('.snippet').first().textContent();
    assert.ok(snippet?.includes('<script>window.__pwned = 1</script>'), `snippet: ${snippet}`);
    assert.ok(snippet?.includes('<img src=x onerror='), `snippet: ${snippet}`);
    assert.equal(await panel.locator('#claims img, #claims script').count(), 0, 'markup from the workspace became elements');
    const pwned = await panel.locator('body').evaluate(() => (window as unknown as { __pwned?: number }).__pwned);
    assert.equal(pwned, undefined, 'a planted script ran in the webview');
    assert.deepEqual(webviewErrors, [], 'the webview logged errors or CSP violations');
    step('planted <script> and <img onerror> render as text; no CSP violations');

    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    const rows = await page.locator('.markers-panel .monaco-list-row').allTextContents();
    assert.ok(rows.some((r) => /Contradicted: card says .*3; scripts\/launch\.sh:\d+ has 4/.test(r)), `Problems rows: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /train\.py:\d+ has 256/.test(r)), `Problems rows: ${JSON.stringify(rows)}`);
    await page.waitForSelector('.monaco-editor .squiggly-warning');
    step('Problems view rows and squiggles');
    await shot(page, 'cardcheck-panel-and-problems.png');

    // Keyboard: the claim headers are reachable and arrow keys move between them.
    const firstHead = panel.locator('.claim-head').first();
    await firstHead.focus();
    await firstHead.press('ArrowDown');
    const focusedKey = await panel.locator(':focus').getAttribute('data-focus-key');
    assert.match(focusedKey ?? '', /^head:/, 'ArrowDown did not move to the next claim');
    step('keyboard navigation between claims');

    // An evidence link opens the file at the evidence line.
    const epochsClaim = panel.locator('.claim', { has: panel.locator('.claim-text', { hasText: 'Epochs' }) });
    const link = epochsClaim.locator('.evidence-link').first();
    const linkText = (await link.textContent()) ?? '';
    const m = /^(.*):(\d+)$/.exec(linkText);
    assert.ok(m, `evidence link text: ${linkText}`);
    const [, path, line] = m;
    const fileName = path!.split('/').pop()!;
    await link.click();
    await page.waitForSelector(`.tabs-container .tab.active[data-resource-name="${fileName}"]`);
    await page.waitForFunction(
      (expected) => new RegExp(`Ln ${expected},`).test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''),
      line,
      { timeout: TIMEOUT },
    );
    step(`evidence link opened ${path} at line ${line}`);
    await shot(page, 'cardcheck-evidence-opened.png');

    // Changes since the previous run: the evidence file changes on disk, "Verify again" re-runs,
    // and the flipped claim carries a badge, the reason, and the "Changed only" filter finds it.
    const launchFile = join(ws.folder, 'scripts', 'launch.sh');
    const launchText = readFileSync(launchFile, 'utf8');
    const epochsIn = (group: string) => panel.locator(`.group-${group} .claim`, { has: panel.locator('.claim-text', { hasText: 'Epochs' }) });
    try {
      writeFileSync(launchFile, launchText.replace('--epochs 4', '--epochs 3'));
      await panel.locator('#verify').click();
      const badge = epochsIn('supported').locator('.badge-changed');
      await badge.waitFor();
      assert.equal((await badge.textContent())?.trim(), 'changed: was contradicted');
      const reason = (await epochsIn('supported').locator('.change-reason').textContent()) ?? '';
      assert.match(reason, /contradicted → supported: .*scripts\/launch\.sh:\d+ changed/, `reason: ${reason}`);
      assert.match((await panel.locator('#delta-summary').textContent()) ?? '', /Since the previous run: \d+ claims? changed verdict/);
      await panel.locator('#f-changed').check();
      await panel.locator('.claim').first().waitFor();
      const shown = await panel.locator('.claim').count();
      assert.equal(await panel.locator('.claim .badge-changed').count(), shown, 'the filter shows a claim that did not change');
      assert.ok(shown >= 1);
      await shot(page, 'cardcheck-changed-since-last-run.png');
      await panel.locator('#f-changed').uncheck();
      step('a changed verdict shows its badge, reason and filter');
    } finally {
      writeFileSync(launchFile, launchText);
    }
    await panel.locator('#verify').click();
    await epochsIn('contradicted').locator('.badge-changed', { hasText: 'was supported' }).waitFor();
    step('verified again with the original evidence');

    // A window reload restores the panel (serializer + saved results) and the diagnostics.
    await page.keyboard.press('F1');
    await page.fill('.quick-input-widget input', '>Developer: Reload Window');
    const reloaded = page.waitForEvent('load');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().click();
    await reloaded;
    await page.waitForSelector('.monaco-workbench');
    await panel.locator('.group-contradicted .claim-text', { hasText: 'Epochs' }).waitFor();
    await page.waitForFunction(
      () => /Warnings?: [2-9]/.test(document.querySelector('[id="status.problems"]')?.getAttribute('aria-label') ?? ''),
      undefined,
      { timeout: TIMEOUT },
    );
    step('window reloaded: panel and diagnostics restored');

    // High-contrast theme: the panel stays readable (screenshot to look at).
    await page.keyboard.press('F1');
    await page.fill('.quick-input-widget input', '>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
    await page.fill('.quick-input-widget input', 'Dark High Contrast');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark High Contrast' }).first().click();
    await page.waitForSelector('.monaco-workbench.hc-black', { timeout: 20_000 });
    await panel.locator('body.vscode-high-contrast .claim').first().waitFor();
    step('high-contrast theme applied');
    await shot(page, 'cardcheck-high-contrast.png');
    return report;
  } catch (error) {
    if (page) await shot(page, 'cardcheck-failure.png').catch(() => undefined);
    throw error;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    if (!process.env.CARDCHECK_E2E_KEEP) removeRunDir(server.runDir);
  }
}

/**
 * The README screenshot (media/screenshots/panel-and-problems.png): the unmodified example, the
 * card verified from the palette, the evidence panel beside it and the Problems view below.
 */
export async function captureReadmeScreenshot(opts: { repo: string; vsix: string; workDir: string; file: string }): Promise<void> {
  const tooling = readTooling();
  const ws = prepareUiWorkspace(opts.repo, join(opts.workDir, 'docs-workspace'), { plant: false });
  const server = await startCodeServer(tooling, { workspace: ws.folder, vsix: opts.vsix });
  const context = await launchBrowser(tooling, server.env, { width: 1440, height: 900 });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws.folder)}`);
    await page.waitForSelector(`.explorer-folders-view .monaco-list-row:has-text("${ws.cardName}")`);
    await page.keyboard.press('Control+P');
    await page.fill('.quick-input-widget input', ws.cardName);
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${ws.cardName}")`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines');
    await page.keyboard.press('F1');
    await page.fill('.quick-input-widget input', '>CardCheck: Verify Model Card');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'CardCheck: Verify Model Card' }).filter({ hasNotText: 'All' }).first().click();
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await panel.locator('.progress-text:has-text("Finished")').waitFor();
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row');
    await page.waitForSelector('.monaco-editor .squiggly-warning');
    // Scroll the card to its table so the squiggles are in the picture.
    await page.keyboard.press('Control+G');
    await page.fill('.quick-input-widget input', ':24');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .squiggly-warning');
    mkdirSync(join(opts.file, '..'), { recursive: true });
    await page.screenshot({ path: opts.file });
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    if (!process.env.CARDCHECK_E2E_KEEP) removeRunDir(server.runDir);
  }
}
