import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

export const REPO = resolve(__dirname, '..', '..');

/**
 * Bundles src/cli/main.ts the way esbuild.config.mjs makes dist/cli.js (CJS, node20, everything
 * bundled but native addons, vendor bundles beside it), but on its own: other entries being mid-edit must not break these
 * tests, and test files building at once must not write the same file. The bundle sits under the
 * repo so `require` finds the native packages in node_modules.
 */
export async function buildCli(): Promise<{ cli: string; dispose: () => void }> {
  const dir = join(REPO, 'node_modules', '.cache', 'cardcheck-cli-test', `${process.pid}-${Date.now()}`);
  const cli = join(dir, 'cli.js');
  // As in esbuild.config.mjs: native addons find their binaries relative to their own folder, and
  // the LLM pass's and DOCX cards' libraries load from vendor bundles next to the CLI.
  const { buildVendorBundles, vendorBundlesPlugin } = await import('../../scripts/vendorBundles.mjs');
  const common: BuildOptions = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', '@ast-grep/*'], logLevel: 'silent' };
  await Promise.all([
    build({ ...common, entryPoints: [join(REPO, 'src/cli/main.ts')], outfile: cli, plugins: [vendorBundlesPlugin] }),
    buildVendorBundles(build, dir, common),
  ]);
  return { cli, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  timeoutMs?: number;
  /** Sees standard output as it arrives; may signal the child. */
  onStdout?: (soFar: string, child: ChildProcess) => void;
}

export function runCli(cli: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: '1', CARDCHECK_DEBUG: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cardcheck-${prefix}-`));
}
