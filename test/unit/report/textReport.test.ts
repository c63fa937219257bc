import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReportWriter } from '../../../src/engine/report/reportBuilder.js';
import { clean } from '../../../src/engine/report/textReport.js';
import { claim, Sink, STATS, summarize } from './reportFixtures.js';
import type { ClaimResult } from '../../../src/engine/model.js';

const ESC = '\x1b[';

async function render(claims: ClaimResult[], opts: { color?: boolean; isTTY?: boolean } = {}): Promise<string> {
  const out = new Sink({ isTTY: opts.isTTY });
  const w = createReportWriter('text', out, {
    workspaceRoot: '/repo/ws', cardFile: '/repo/docs/card.md', baseDir: '/repo',
    ...(opts.color !== undefined ? { color: opts.color } : {}),
  });
  await w.start({ path: 'card.md', format: 'markdown' });
  for (const c of claims) await w.claim(c);
  await w.warning({ path: 'data/big.csv', message: 'skipped: larger than 2 MB' });
  await w.end(summarize(claims), STATS);
  return out.text;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('text report', () => {
  it('groups claims by verdict, contradicted first, whatever order they arrive in', async () => {
    const claims = [claim('supported'), claim('not-checkable'), claim('unverified'), claim('contradicted'), claim('supported')];
    const text = await render(claims, { color: false });
    const order = ['Contradicted (1)', 'Unverified (1)', 'Supported (2)', 'Not checkable (1)', 'Warnings (1)'].map((h) => text.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text.indexOf(claims[3].text)).toBeLessThan(text.indexOf(claims[2].text));
    expect(text.indexOf(claims[2].text)).toBeLessThan(text.indexOf(claims[0].text));
  });

  it('shows each claim at its card place with explanation and evidence', async () => {
    const c = claim('contradicted');
    const text = await render([c], { color: false });
    expect(text).toContain(`  docs/card.md:${c.range.start.line}:5  [hyperparameter] ${c.text}\n`);
    expect(text).toContain('      card: learning rate 3e-5; src/train.py:41 sets 2e-5\n');
    expect(text).toContain('      ✗ ws/src/train.py:41  learning_rate=2e-5,\n');
    expect(text).toContain('      · ws/configs/base.yaml:3  lr: 2e-5\n');
    expect(text).toContain('  ws/data/big.csv: skipped: larger than 2 MB');
  });

  it('ends with the summary line', async () => {
    const claims = [claim('contradicted'), claim('contradicted'), claim('contradicted'), claim('unverified'), claim('supported')];
    const text = await render(claims, { color: false });
    expect(text.trimEnd().split('\n').at(-1)).toBe('✗ 3 contradicted  ? 1 unverified  ✓ 1 supported');
  });

  it('says so when the card has no claims', async () => {
    const text = await render([], { color: false });
    expect(text).toContain('No claims found in docs/card.md.');
    expect(text.trimEnd().split('\n').at(-1)).toBe('✗ 0 contradicted  ? 0 unverified  ✓ 0 supported');
  });

  it('colours only a terminal without NO_COLOR', async () => {
    vi.stubEnv('NO_COLOR', '');
    expect(await render([claim('contradicted')], { isTTY: false })).not.toContain(ESC);
    expect(await render([claim('contradicted')], { isTTY: true })).toContain(`${ESC}31m`);
    vi.stubEnv('NO_COLOR', '1');
    expect(await render([claim('contradicted')], { isTTY: true })).not.toContain(ESC);
    expect(await render([claim('contradicted')], { color: true })).toContain(ESC);
  });

  it('does not let workspace text drive the terminal', async () => {
    const c = claim('contradicted');
    c.evidence[0].snippet = 'x = 1 \x1b[2J\x1b]0;pwned\x07 # \u202eevil';
    c.text = 'line one\nline two';
    const text = await render([c], { color: false });
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('line one line two');
  });

  it('closes an aborted run with the claims so far and the error', async () => {
    const out = new Sink();
    const w = createReportWriter('text', out, { workspaceRoot: '/repo', color: false, cardDisplayPath: 'card.md' });
    await w.claim(claim('supported'));
    await w.abort({ message: 'worker crashed' });
    expect(out.text).toContain('Supported (1)');
    expect(out.text).toContain('error: worker crashed');
    expect(out.text.trimEnd().split('\n').at(-1)).toBe('✗ 0 contradicted  ? 0 unverified  ✓ 1 supported');
  });
});

describe('clean', () => {
  it('cuts long text and flattens lines', () => {
    expect(clean('a\tb\r\nc', 80)).toBe('a b c');
    expect(clean('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
