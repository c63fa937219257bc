import { describe, expect, it } from 'vitest';
import { createReportWriter } from '../../../src/engine/report/reportBuilder.js';
import { ReportSchema } from '../../../src/engine/model.js';
import { claim, Sink, STATS, summarize } from './reportFixtures.js';

const opts = { workspaceRoot: '/repo/ws' };

describe('json report', () => {
  it('writes the FORMAT.md contract, validated by ReportSchema', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, opts);
    const claims = [claim('supported'), claim('contradicted'), claim('unverified'), claim('not-checkable')];
    await w.start({ path: 'card.md', format: 'markdown' });
    for (const c of claims) await w.claim(c);
    await w.warning({ path: 'big.csv', message: 'skipped: larger than 2 MB' });
    await w.end(summarize(claims), STATS);

    const report = ReportSchema.parse(JSON.parse(out.text));
    expect(report.schemaVersion).toBe(1);
    expect(report.card).toEqual({ path: 'card.md', format: 'markdown' });
    expect(report.claims).toEqual(claims);
    expect(report.summary).toEqual({ supported: 1, contradicted: 1, unverified: 1, notCheckable: 1 });
    expect(report.warnings).toEqual([{ path: 'big.csv', message: 'skipped: larger than 2 MB' }]);
    expect(report.stats).toEqual(STATS);
  });

  it('writes each claim as it arrives, before the run ends', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, opts);
    await w.start({ path: 'card.md', format: 'markdown' });
    const first = claim('supported', { text: 'first claim text' });
    await w.claim(first);
    expect(out.text).toContain('"first claim text"');
    expect(out.text).not.toContain('"summary"');
    await w.end(summarize([first]), STATS);
    expect(ReportSchema.parse(JSON.parse(out.text)).claims).toHaveLength(1);
  });

  it('writes an empty claims array for a card without claims', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, opts);
    await w.start({ path: 'card.docx', format: 'docx' });
    await w.end(summarize([]), STATS);
    const report = ReportSchema.parse(JSON.parse(out.text));
    expect(report.claims).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.card.format).toBe('docx');
  });

  it('stays valid when claims come before the card', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, opts);
    const c = claim('supported');
    await w.claim(c);
    await w.start({ path: 'card.md', format: 'markdown' });
    await w.end(summarize([c]), STATS);
    const report = ReportSchema.parse(JSON.parse(out.text));
    expect(report.card).toEqual({ path: 'card.md', format: 'markdown' });
    expect(report.claims).toEqual([c]);
  });

  it('uses the display path for the card when given', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, { ...opts, cardDisplayPath: 'docs/card.md' });
    await w.start({ path: '/abs/docs/card.md', format: 'markdown' });
    await w.end(summarize([]), STATS);
    expect(ReportSchema.parse(JSON.parse(out.text)).card.path).toBe('docs/card.md');
  });

  it('closes an aborted run with what was decided and the error', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, opts);
    await w.start({ path: 'card.md', format: 'markdown' });
    await w.claim(claim('contradicted'));
    await w.claim(claim('supported'));
    await w.abort({ message: 'worker crashed', path: 'card.md' });
    const report = ReportSchema.parse(JSON.parse(out.text));
    expect(report.claims).toHaveLength(2);
    expect(report.summary).toEqual({ supported: 1, contradicted: 1, unverified: 0, notCheckable: 0 });
    expect(report.warnings?.at(-1)).toEqual({ path: 'card.md', message: 'run aborted: worker crashed' });
    // Closing twice writes nothing more.
    const before = out.text;
    await w.end(summarize([]), STATS);
    expect(out.text).toBe(before);
  });

  it('keeps a bounded number of warnings', async () => {
    const out = new Sink();
    const w = createReportWriter('json', out, opts);
    await w.start({ path: 'card.md', format: 'markdown' });
    for (let i = 0; i < 700; i++) await w.warning({ path: `f${i}.py`, message: 'skipped: binary file' });
    await w.end(summarize([]), STATS);
    const report = ReportSchema.parse(JSON.parse(out.text));
    expect(report.warnings).toHaveLength(501);
    expect(report.warnings?.at(-1)?.message).toBe('200 more warnings not shown');
  });

  it('waits for a slow reader instead of buffering without bound', async () => {
    const out = new Sink({ highWaterMark: 64, delayMs: 1 });
    const w = createReportWriter('json', out, opts);
    await w.start({ path: 'card.md', format: 'markdown' });
    const claims = Array.from({ length: 40 }, () => claim('supported'));
    let waited = 0;
    for (const c of claims) {
      const r = w.claim(c);
      if (r instanceof Promise) {
        waited++;
        await r;
      }
      expect(out.writableLength).toBeLessThan(4096);
    }
    await w.end(summarize(claims), STATS);
    expect(waited).toBeGreaterThan(0);
    expect(ReportSchema.parse(JSON.parse(out.text)).claims).toHaveLength(40);
  });
});
