import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { E2eTooling } from './tooling.js';

export interface CodeServer {
  url: string;
  port: number;
  runDir: string;
  /** HOME/XDG folders for the browser too, so nothing lands in the user's home. */
  env: NodeJS.ProcessEnv;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function isolatedEnv(runDir: string, tooling: E2eTooling, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = join(runDir, 'home');
  for (const d of ['home', 'xdg-config', 'xdg-data', 'xdg-cache']) mkdirSync(join(runDir, d), { recursive: true });
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(runDir, 'xdg-config'),
    XDG_DATA_HOME: join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: join(runDir, 'xdg-cache'),
    // code-server needs Node 24 first on PATH (its extension host is a child of it).
    PATH: `${join(tooling.node, '..')}:${process.env.PATH ?? ''}`,
    ...extra,
  };
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Installs a .vsix into a run's extension folder (under a second). */
export function installVsix(tooling: E2eTooling, runDir: string, vsix: string): void {
  const env = isolatedEnv(runDir, tooling);
  const r = spawnSync(
    tooling.node,
    [join(tooling.codeServerDir, 'out/node/entry.js'), '--user-data-dir', join(runDir, 'data'), '--extensions-dir', join(runDir, 'ext'), '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/**
 * A fresh code-server (fresh user-data-dir) for one run. Started in its own process group so
 * `stop` can kill it with its extension hosts.
 */
export async function startCodeServer(
  tooling: E2eTooling,
  opts: { workspace: string; runDir?: string; env?: NodeJS.ProcessEnv; settings?: Record<string, unknown>; vsix?: string },
): Promise<CodeServer> {
  const runDir = opts.runDir ?? mkdtempSync(join(tmpdir(), 'cardcheck-cs-'));
  mkdirSync(join(runDir, 'data', 'User'), { recursive: true });
  mkdirSync(join(runDir, 'ext'), { recursive: true });
  writeFileSync(join(runDir, 'data', 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...opts.settings }, null, 2));
  if (opts.vsix) installVsix(tooling, runDir, opts.vsix);
  const port = await freePort();
  const env = isolatedEnv(runDir, tooling, opts.env);
  const logFile = join(runDir, 'code-server.log');
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    tooling.node,
    [
      join(tooling.codeServerDir, 'out/node/entry.js'),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', join(runDir, 'data'),
      '--extensions-dir', join(runDir, 'ext'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--vscode-option', 'enable-smoke-test-driver',
      opts.workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    runDir,
    env,
    logFile,
    stop: async () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      log.end();
    },
  };
}

export function removeRunDir(runDir: string): void {
  try {
    rmSync(runDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (e) {
    console.warn(`could not remove ${runDir}: ${String(e)}`);
  }
}
