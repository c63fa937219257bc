import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from '../support/browser.js';
import { startCodeServer, removeRunDir } from '../support/codeServer.js';
import { readTooling } from '../support/tooling.js';

/**
 * Runs the mocha suite inside code-server's extension host (the recipe of VSCODE-E2E.md): the
 * dev/test payload in the URL, the exit code through `codeAutomationExit`.
 */
export async function runHostSuiteInCodeServer(opts: {
  extensionPath: string;
  suiteIndex: string;
  workspaceFile: string;
  resultsFile: string;
  timeoutMs?: number;
}): Promise<number> {
  const tooling = readTooling();
  const server = await startCodeServer(tooling, { workspace: opts.workspaceFile, env: { CARDCHECK_E2E_RESULTS: opts.resultsFile } });
  const context = await launchBrowser(tooling, server.env);
  try {
    const page = await context.newPage();
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // Mocha's reporter logs with format strings ("%s (%dms)"): apply them as console.log would.
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (type === 'error') process.stderr.write(`${line}\n`);
      else process.stdout.write(`${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(opts.extensionPath)],
      ['extensionTestsPath', remote(opts.suiteIndex)],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}/?workspace=${encodeURIComponent(opts.workspaceFile)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = opts.timeoutMs ?? 6 * 60_000;
    const code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(124), timeout))]);
    if (code === 124) process.stderr.write(`extension-host suite timed out after ${timeout} ms\n`);
    if (code !== 0 && existsSync(server.logFile)) {
      process.stderr.write(`--- code-server log (tail) ---\n${readFileSync(server.logFile, 'utf8').split('\n').slice(-40).join('\n')}\n`);
    }
    return code;
  } finally {
    await context.close().catch(() => undefined);
    await server.stop();
    if (!process.env.CARDCHECK_E2E_KEEP) removeRunDir(server.runDir);
  }
}

/** The same suite in a downloaded VS Code (for machines that can reach the update server). */
export async function runHostSuiteInElectron(opts: { extensionPath: string; suiteIndex: string; workspaceFile: string; resultsFile: string }): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    return await runTests({
      extensionDevelopmentPath: opts.extensionPath,
      extensionTestsPath: opts.suiteIndex,
      launchArgs: [opts.workspaceFile, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: { CARDCHECK_E2E_RESULTS: opts.resultsFile },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

export function suiteIndexPath(distE2e: string): string {
  return join(distE2e, 'suite', 'index.js');
}
