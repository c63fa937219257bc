import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/engine/model.js';
import { EngineEventSchema } from '../../src/protocol/events.js';
import { buildCli, REPO, runCli, tempDir, type RunOptions } from './cliHarness.js';

const CARD = `# tiny-model

## Training

We train with a learning rate of 3e-4.

The batch size is 64.

Training runs for 10 epochs.
`;

const TRAIN_PY = `import argparse


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=20)
    return p.parse_args()
`;

let cli = '';
let dispose = (): void => undefined;
const dirs: string[] = [];

beforeAll(async () => {
  ({ cli, dispose } = await buildCli());
}, 120_000);

afterAll(() => {
  dispose();
  for (const d of dirs) {
    // An unreadable folder left by a test must not stop the clean-up.
    for (const sub of ['secret']) if (existsSync(join(d, sub))) chmodSync(join(d, sub), 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});

/** A workspace with train.py and a card whose claims are 2 supported, 1 contradicted (epochs). */
function workspace(files: Record<string, string> = {}): string {
  const dir = tempDir('ws');
  dirs.push(dir);
  writeFileSync(join(dir, 'card.md'), CARD);
  writeFileSync(join(dir, 'train.py'), TRAIN_PY);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const run = (args: string[], opts?: RunOptions) => runCli(cli, args, opts);

function jsonReport(stdout: string) {
  return ReportSchema.parse(JSON.parse(stdout));
}

describe('usage', () => {
  it.each([['--help'], ['-h'], ['verify', '--help']])('%s prints usage and exits 0', async (...args) => {
    const r = await run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cardcheck verify CARD [options]');
    expect(r.stdout).toContain('--fail-on LEVEL');
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it.each([
    [[], 'missing command'],
    [['check', 'card.md'], 'unknown command "check"'],
    [['card.md'], 'unknown command "card.md" (did you mean: cardcheck verify card.md)'],
    [['verify'], 'verify needs the path of a model card'],
    [['verify', 'a.md', 'b.md'], 'verify takes one card, got 2'],
    [['verify', 'card.md', '--bogus'], 'unknown option --bogus'],
    [['verify', 'card.md', '--format', 'xml'], '--format must be one of text, json, sarif, ndjson (got "xml")'],
    [['verify', 'card.md', '--format'], '--format needs a value'],
    [['verify', 'card.md', '--fail-on', 'sometimes'], '--fail-on must be one of contradicted, unverified, never'],
    [['verify', 'card.md', '--max-file-size', '2XB'], '--max-file-size must be a size such as 2MB'],
    [['verify', 'card.md', '--quiet=yes'], '--quiet takes no value'],
  ])('%j is a usage error', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cardcheck: ${message}`);
    expect(r.stderr).toContain("Run 'cardcheck --help' for usage.");
  });

  it('bin/cardcheck.js is an executable shim for dist/cli.js', () => {
    const shim = join(REPO, 'bin', 'cardcheck.js');
    expect(readFileSync(shim, 'utf8')).toBe("#!/usr/bin/env node\nrequire('../dist/cli.js');\n");
    expect(statSync(shim).mode & 0o111).not.toBe(0);
  });
});

describe('input errors', () => {
  it('names a missing card', async () => {
    const dir = workspace();
    const r = await run(['verify', 'nope.md', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^cardcheck: nope\.md: .*not found/m);
  });

  it('rejects a folder given as the card', async () => {
    const dir = workspace({ 'docs/readme.txt': 'x' });
    const r = await run(['verify', 'docs'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cardcheck: docs: .*directory/m);
  });

  it('verifies a DOCX card (mammoth loads from its vendor bundle next to the CLI)', async () => {
    const dir = workspace({ 'train.py': TRAIN_PY });
    const doc = new Document({ sections: [{ children: CARD.split('\n').filter((l) => l.trim() !== '').map((l) => new Paragraph(l.replace(/^#+ /, ''))) }] });
    writeFileSync(join(dir, 'card.docx'), await Packer.toBuffer(doc));
    const r = await run(['verify', 'card.docx', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.card.format).toBe('docx');
    expect(report.claims.find((c) => /10 epochs/.test(c.text))?.verdict).toBe('contradicted');
  });

  it('names a corrupt DOCX', async () => {
    const dir = workspace({ 'card.docx': 'this is not a zip archive at all' });
    const r = await run(['verify', 'card.docx', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('cardcheck: card.docx: not a valid .docx (zip) file');
  });

  it('names an empty card', async () => {
    const dir = workspace({ 'empty.md': '' });
    const r = await run(['verify', 'empty.md'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^cardcheck: empty\.md: .*empty/m);
  });

  it('names a binary card', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'card.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2, 3, 0, 0]));
    const r = await run(['verify', 'card.md'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cardcheck: card\.md: .*binary/m);
  });

  it('reports a card error as an ndjson error event too', async () => {
    const dir = workspace();
    const r = await run(['verify', 'nope.md', '--format', 'ndjson'], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n').map((l) => EngineEventSchema.parse(JSON.parse(l)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'error', path: 'nope.md' });
  });

  it('names a missing workspace', async () => {
    const dir = workspace();
    const r = await run(['verify', 'card.md', '--workspace', 'no-such-dir'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cardcheck: no-such-dir: workspace not found');
  });

  it('rejects a workspace that is a file', async () => {
    const dir = workspace();
    const r = await run(['verify', 'card.md', '--workspace', 'train.py'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cardcheck: train.py: the workspace is not a directory');
  });

  it('rejects --out into a missing folder before doing any work', async () => {
    const dir = workspace();
    const r = await run(['verify', 'card.md', '--out', 'missing/report.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cardcheck: missing/report.json: cannot write the report: folder missing not found');
  });
});

describe('verify', () => {
  it('prints a text report grouped by verdict and exits 1 on a contradiction', async () => {
    const dir = workspace();
    const r = await run(['verify', 'card.md'], { cwd: dir });
    expect(r.code).toBe(1);
    const contradicted = r.stdout.indexOf('Contradicted (1)');
    const supported = r.stdout.indexOf('Supported (2)');
    expect(contradicted).toBeGreaterThanOrEqual(0);
    expect(supported).toBeGreaterThan(contradicted);
    expect(r.stdout.slice(contradicted, supported)).toContain('card.md:9:1  [hyperparameter] Training runs for 10 epochs.');
    expect(r.stdout.slice(contradicted, supported)).toMatch(/✗ train\.py:8 /);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✗ 1 contradicted  ? 0 unverified  ✓ 2 supported');
    // No terminal: no progress bar, no colour.
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stdout).not.toContain('\x1b');
  });

  it('follows --fail-on', async () => {
    const dir = workspace({ 'unverified.md': '# m\n\nThe dropout rate is 0.3.\n' });
    expect((await run(['verify', 'card.md', '--fail-on', 'never'], { cwd: dir })).code).toBe(0);
    expect((await run(['verify', 'card.md', '--fail-on', 'unverified'], { cwd: dir })).code).toBe(1);
    const unverified = await run(['verify', 'unverified.md', '--format', 'json'], { cwd: dir });
    expect(jsonReport(unverified.stdout).summary).toMatchObject({ contradicted: 0, unverified: 1 });
    expect(unverified.code).toBe(0);
    expect((await run(['verify', 'unverified.md', '--fail-on', 'unverified'], { cwd: dir })).code).toBe(1);
  });

  it('prints the JSON contract', async () => {
    const dir = workspace();
    const r = await run(['verify', join(dir, 'card.md'), '--workspace', dir, '--format', 'json'], { cwd: REPO });
    expect(r.code).toBe(1);
    const report = jsonReport(r.stdout);
    expect(report.card).toEqual({ path: 'card.md', format: 'markdown' });
    expect(report.claims.map((c) => [c.range.start.line, c.verdict])).toEqual([[5, 'supported'], [7, 'supported'], [9, 'contradicted']]);
    expect(report.claims[2].evidence[0]).toMatchObject({ path: 'train.py', stance: 'contradicts', range: { start: { line: 8 } } });
    expect(report.summary).toEqual({ supported: 2, contradicted: 1, unverified: 0, notCheckable: 0 });
    expect(report.stats?.claims).toBe(3);
  });

  it('prints SARIF with the contradiction at the card line', async () => {
    const dir = workspace();
    const r = await run(['verify', 'card.md', '--format', 'sarif'], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>; relatedLocations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    expect(results.map((x) => x.ruleId)).toEqual(['cardcheck/contradicted']);
    expect(results[0].locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'card.md' }, region: { startLine: 9 } });
    expect(results[0].relatedLocations?.[0].physicalLocation.artifactLocation.uri).toBe('train.py');
  });

  it('prints ndjson events', async () => {
    const dir = workspace();
    const r = await run(['verify', 'card.md', '--format', 'ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    const events = r.stdout.trimEnd().split('\n').map((l) => EngineEventSchema.parse(JSON.parse(l)));
    expect(events[0].type).toBe('start');
    expect(events.at(-1)?.type).toBe('done');
    expect(events.filter((e) => e.type === 'claim')).toHaveLength(3);
  });

  it('writes --out atomically and prints nothing', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'reports'));
    const r = await run(['verify', 'card.md', '--format', 'json', '--out', 'reports/card.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(jsonReport(readFileSync(join(dir, 'reports', 'card.json'), 'utf8')).claims).toHaveLength(3);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['card.json']);
  });

  it('defaults the workspace to the card folder', async () => {
    const dir = workspace();
    const r = await run(['verify', join(dir, 'card.md'), '--format', 'json'], { cwd: REPO });
    expect(jsonReport(r.stdout).summary).toMatchObject({ supported: 2, contradicted: 1 });
  });

  it('passes --exclude and --max-file-size to the engine', async () => {
    const dir = workspace();
    const excluded = jsonReport((await run(['verify', 'card.md', '--format', 'json', '--exclude', 'train.py'], { cwd: dir })).stdout);
    expect(excluded.summary).toMatchObject({ supported: 0, contradicted: 0 });
    const small = await run(['verify', 'card.md', '--format', 'json', '--max-file-size', '100'], { cwd: dir });
    expect(small.code).toBe(0);
    const report = jsonReport(small.stdout);
    expect(report.summary).toMatchObject({ supported: 0, contradicted: 0 });
    expect(report.warnings?.some((w) => w.path === 'train.py')).toBe(true);
  });

  it('reports a card without claims with an empty claims list', async () => {
    const dir = workspace({ 'title.md': '# tiny-model\n' });
    const r = await run(['verify', 'title.md', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = jsonReport(r.stdout);
    expect(report.claims).toEqual([]);
    expect(report.summary).toEqual({ supported: 0, contradicted: 0, unverified: 0, notCheckable: 0 });
  });

  it('survives a hostile workspace and still verifies every claim', async () => {
    const dir = workspace({ 'broken.ipynb': '{"cells": [ {"cell_type": ', 'loop/.keep': '' });
    writeFileSync(join(dir, 'huge_module.py'), '');
    truncateSync(join(dir, 'huge_module.py'), 50 * 1024 * 1024);
    writeFileSync(join(dir, 'blob.py'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    symlinkSync('..', join(dir, 'loop', 'up'));
    symlinkSync('self', join(dir, 'self'));
    const r = await run(['verify', 'card.md', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = jsonReport(r.stdout);
    expect(report.summary).toEqual({ supported: 2, contradicted: 1, unverified: 0, notCheckable: 0 });
    const warned = (path: string) => report.warnings?.find((w) => w.path === path)?.message ?? '';
    expect(warned('huge_module.py')).toMatch(/larger than/);
    expect(warned('blob.py')).toMatch(/binary/);
    expect(warned('broken.ipynb')).toMatch(/JSON/);
    expect(warned('self')).toMatch(/symlink loop/);
    expect(warned('loop/up')).toMatch(/symlink loop/);
    // The same warnings reach stderr, one line each, unless --quiet.
    expect(r.stderr).toContain('cardcheck: warning: huge_module.py: ');
    const quiet = await run(['verify', 'card.md', '--format', 'json', '--quiet'], { cwd: dir });
    expect(quiet.stderr).toBe('');
    expect(jsonReport(quiet.stdout).summary).toEqual(report.summary);
  });

  it('skips an unreadable folder with a warning and verifies the rest', async () => {
    const dir = workspace({ 'secret/hidden.py': 'epochs = 99\n' });
    // chmod 000 does not stop root, so as root the CLI runs as `nobody`; the fixture must be readable to it.
    chmodSync(dir, 0o755);
    for (const f of ['card.md', 'train.py']) chmodSync(join(dir, f), 0o644);
    chmodSync(join(dir, 'secret'), 0o000);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await run(['verify', 'card.md', '--format', 'json'], { cwd: dir, ...asNobody });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    const report = jsonReport(r.stdout);
    expect(report.summary).toEqual({ supported: 2, contradicted: 1, unverified: 0, notCheckable: 0 });
    expect(report.warnings?.find((w) => w.path === 'secret')?.message).toMatch(/permission denied/);
  });

  it('stops on SIGTERM, closing the report with what was decided', async () => {
    const dir = workspace();
    for (let i = 0; i < 2000; i++) writeFileSync(join(dir, `m${i}.py`), `batch_size = ${i}\ndef f(x):\n    return x * ${i}\n`);
    let signalled = false;
    const r = await run(['verify', 'card.md', '--format', 'ndjson'], {
      cwd: dir,
      onStdout: (soFar, child) => {
        if (!signalled && soFar.includes('"type":"start"')) {
          signalled = true;
          child.kill('SIGTERM');
        }
      },
    });
    expect(signalled).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cardcheck: interrupted');
    const events = r.stdout.trimEnd().split('\n').map((l) => EngineEventSchema.parse(JSON.parse(l)));
    expect(events.at(-1)).toEqual({ type: 'error', message: 'interrupted' });
  });
});

describe('--card-text', () => {
  it('prints the card as read, numbered, before the text report', async () => {
    const dir = workspace();
    const r = await run(['verify', join(dir, 'card.md'), '--card-text', '--fail-on', 'never'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('card.md as read (markdown):');
    expect(lines).toContain('5  We train with a learning rate of 3e-4.');
    // The report follows and refers to the same line numbers.
    expect(r.stdout).toMatch(/card\.md:9:1 .*10 epochs/);
  });
});
