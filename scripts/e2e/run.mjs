#!/usr/bin/env node
// `npm run test:e2e`: installs the e2e tooling (cached outside the repository), packages the
// extension, and runs both suites in a real VS Code:
//   1. the mocha suite inside the extension host (code-server here; `--runner electron` uses
//      @vscode/test-electron where VS Code can be downloaded),
//   2. the UI test: headless Chromium against code-server with the packaged .vsix installed.
// Options: --runner code-server|electron, --only host|ui|prepare|docs-screenshot, --skip-install.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runner = opt('runner', process.env.CARDCHECK_E2E_RUNNER || 'code-server');
const only = opt('only', 'all');
const timings = [];
const t = async (name, fn) => {
  const start = Date.now();
  process.stdout.write(`\n== ${name}\n`);
  try {
    return await fn();
  } finally {
    timings.push({ step: name, seconds: Number(((Date.now() - start) / 1000).toFixed(1)) });
  }
};
const sh = (cmd, argv, extra = {}) => {
  const r = spawnSync(cmd, argv, { cwd: repo, stdio: 'inherit', ...extra });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited with ${r.status}`);
};

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

let failed = false;
const resultsDir = join(repo, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'cardcheck-e2e-'));

try {
  if (!args.includes('--skip-install') && runner === 'code-server') await t('install tooling (cached)', () => sh('bash', [join(repo, 'scripts/e2e/install.sh')]));

  if (only === 'prepare') await t('build', () => sh('npm', ['run', 'build', '--silent']));
  else await t('package .vsix (builds the bundles)', () => sh('npm', ['run', 'package', '--silent']));

  await t('compile e2e tests', async () => {
    sh('npx', ['tsc', '--noEmit', '-p', 'test/e2e/tsconfig.json']);
    const { build } = await import('esbuild');
    rmSync(join(repo, 'dist/e2e'), { recursive: true, force: true });
    await build({
      entryPoints: tsFiles(join(repo, 'test/e2e')),
      outdir: join(repo, 'dist/e2e'),
      outbase: join(repo, 'test/e2e'),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'warning',
    });
  });

  const require = createRequire(import.meta.url);
  const { prepareWorkspace } = require(join(repo, 'dist/e2e/launch/prepareWorkspace.js'));
  const { runHostSuiteInCodeServer, runHostSuiteInElectron, suiteIndexPath } = require(join(repo, 'dist/e2e/launch/runHostSuite.js'));
  const { runUiTest, captureReadmeScreenshot } = require(join(repo, 'dist/e2e/ui/uiTest.js'));

  if (only === 'prepare') {
    // For debugging the suite from VS Code (.vscode/launch.json "Extension Tests").
    const ws = await t('prepare test workspaces', () => prepareWorkspace(repo, join(repo, 'dist/e2e-workspace')));
    process.stdout.write(`  ${relative(repo, ws.workspaceFile)}\n`);
  }

  if (only === 'docs-screenshot') {
    const file = join(repo, 'media/screenshots/panel-and-problems.png');
    await t('README screenshot', () => captureReadmeScreenshot({ repo, vsix: join(repo, 'cardcheck.vsix'), workDir: work, file }));
    process.stdout.write(`  wrote ${relative(repo, file)}\n`);
  }

  if (only === 'all' || only === 'host') {
    const ws = await t('prepare test workspaces', () => prepareWorkspace(repo, join(work, 'host-workspace')));
    const resultsFile = join(resultsDir, 'e2e-host-results.json');
    rmSync(resultsFile, { force: true });
    const code = await t(`extension-host suite (${runner})`, () =>
      (runner === 'electron' ? runHostSuiteInElectron : runHostSuiteInCodeServer)({
        extensionPath: repo,
        suiteIndex: suiteIndexPath(join(repo, 'dist/e2e')),
        workspaceFile: ws.workspaceFile,
        resultsFile,
      }),
    );
    try {
      const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      for (const r of results.results) process.stdout.write(`  ${r.state === 'passed' ? '✓' : '✗'} ${r.title} (${r.durationMs} ms)${r.error ? `\n      ${r.error}` : ''}\n`);
    } catch {
      process.stdout.write('  (no results file: the suite did not run to the end)\n');
    }
    if (code !== 0) {
      failed = true;
      process.stderr.write(`extension-host suite failed (exit ${code})\n`);
    }
  }

  if (only === 'all' || only === 'ui') {
    try {
      const report = await t('UI test (Chromium + code-server + .vsix)', () =>
        runUiTest({ repo, vsix: join(repo, 'cardcheck.vsix'), workDir: work, screenshots: resultsDir }),
      );
      process.stdout.write(`  screenshots: ${report.screenshots.map((s) => relative(repo, s)).join(', ')}\n`);
      writeFileSync(join(resultsDir, 'e2e-ui-steps.json'), JSON.stringify(report.steps, null, 2));
    } catch (error) {
      failed = true;
      process.stderr.write(`UI test failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
} catch (error) {
  failed = true;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  if (!process.env.CARDCHECK_E2E_KEEP) rmSync(work, { recursive: true, force: true });
  writeFileSync(join(resultsDir, 'e2e-timings.json'), JSON.stringify(timings, null, 2));
  process.stdout.write('\n== timings\n');
  for (const { step, seconds } of timings) process.stdout.write(`  ${seconds.toFixed(1).padStart(6)} s  ${step}\n`);
}
process.exit(failed ? 1 : 0);
