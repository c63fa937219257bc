import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../../src/engine/model.js';
import { buildCli, runCli } from '../../cli/cliHarness.js';
import { tempWorkspace } from '../../support/tempWorkspace.js';

const CARD = '# Tiny\n\n| Hyperparameter | Value |\n|---|---|\n| Learning rate | 3e-4 |\n| Batch size | 32 |\n';
let cli: string;
let disposeCli: () => void;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  const built = await buildCli();
  cli = built.cli;
  disposeCli = built.dispose;
}, 60_000);
afterAll(() => {
  disposeCli?.();
  for (const c of cleanups) c();
});

function setup(): { root: string; cacheDir: string } {
  const ws = tempWorkspace({ 'card.md': CARD, 'configs/base.yaml': 'lr: 0.0003\nbatch_size: 32\n' });
  cleanups.push(ws.dispose);
  const old = Date.now() / 1000 - 60;
  for (const rel of ['card.md', 'configs/base.yaml']) utimesSync(path.join(ws.root, rel), old, old);
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'cc-cli-cache-'));
  cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
  return { root: ws.root, cacheDir };
}

describe('cardcheck verify --cache-dir / --baseline', () => {
  it('--cache-dir reuses facts and reports what changed since the previous run', async () => {
    const { root, cacheDir } = setup();
    const args = ['verify', 'card.md', '--format', 'json', '--fail-on', 'never', '--cache-dir', cacheDir];
    const first = ReportSchema.parse(JSON.parse((await runCli(cli, args, { cwd: root })).stdout));
    expect(first.stats?.cache).toMatchObject({ misses: 1 });
    expect(first.baseline).toBeUndefined();
    writeFileSync(path.join(root, 'configs/base.yaml'), 'lr: 0.0003\nbatch_size: 64\n');
    const second = ReportSchema.parse(JSON.parse((await runCli(cli, args, { cwd: root })).stdout));
    expect(second.baseline).toMatchObject({ changed: 1, added: 0, removedCount: 0 });
    expect(second.baseline?.source).toMatch(/^the previous run/);
    const batch = second.claims.find((c) => c.text.includes('Batch size'));
    expect(batch?.change).toMatchObject({ from: 'supported', to: 'contradicted' });
    expect(batch?.change?.reason).toContain('configs/base.yaml:2');
    expect(second.claims.find((c) => c.text.includes('Learning rate'))?.change).toBeUndefined();
  });

  it('--baseline compares with a saved report; text output says what changed', async () => {
    const { root } = setup();
    const base = path.join(root, 'base.json');
    const saved = await runCli(cli, ['verify', 'card.md', '--format', 'json', '--fail-on', 'never', '--out', base], { cwd: root });
    expect(saved.code).toBe(0);
    writeFileSync(path.join(root, 'configs/base.yaml'), 'lr: 0.001\nbatch_size: 32\n');
    const text = await runCli(cli, ['verify', 'card.md', '--fail-on', 'never', '--baseline', 'base.json'], { cwd: root });
    expect(text.stdout).toMatch(/Δ supported → contradicted: .*configs\/base\.yaml:1 changed: `lr: 0.001` \(was `lr: 0.0003`\)/);
    expect(text.stdout).toContain('Since base.json: 1 changed verdict, 0 new, 0 gone');
    expect(JSON.parse(readFileSync(base, 'utf8')).claims.every((c: { change?: unknown }) => c.change === undefined)).toBe(true);
  });

  it('a bad --baseline file is a usage error naming the file', async () => {
    const { root } = setup();
    writeFileSync(path.join(root, 'bad.json'), '{"schemaVersion": 2}');
    const r = await runCli(cli, ['verify', 'card.md', '--baseline', 'bad.json'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cardcheck: bad\.json: not a CardCheck report/m);
    const missing = await runCli(cli, ['verify', 'card.md', '--baseline', 'nope.json'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: baseline report not found');
  });
});
