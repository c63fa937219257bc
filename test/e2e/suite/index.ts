import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/**
 * The extension-host test entry (test-electron style): VS Code loads this file in the extension
 * host and waits for `run()`. Launched by @vscode/test-electron where VS Code can be downloaded
 * and by the code-server launcher here (test/e2e/launch/runHostSuite.ts).
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  mocha.addFile(join(__dirname, 'extension.e2e.js'));
  const results: Array<{ title: string; state: string; durationMs: number; error?: string }> = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('test end', (t) => {
      results.push({ title: t.fullTitle(), state: t.state ?? 'pending', durationMs: t.duration ?? 0, ...(t.err ? { error: String(t.err) } : {}) });
    });
  });
  const out = process.env.CARDCHECK_E2E_RESULTS;
  if (out) writeFileSync(out, JSON.stringify({ failures, results }, null, 2));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}
