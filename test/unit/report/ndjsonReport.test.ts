import { describe, expect, it, vi } from 'vitest';
import { createReportWriter } from '../../../src/engine/report/reportBuilder.js';
import { EngineEventSchema } from '../../../src/protocol/events.js';
import { claim, Sink, STATS, summarize } from './reportFixtures.js';

function events(text: string) {
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => EngineEventSchema.parse(JSON.parse(line)));
}

describe('ndjson report', () => {
  it('writes one valid EngineEvent per line, in order', async () => {
    const out = new Sink();
    const w = createReportWriter('ndjson', out, { workspaceRoot: '/repo/ws', workspaceDisplay: 'ws' });
    const claims = [claim('supported'), claim('contradicted')];
    await w.start({ path: 'card.md', format: 'markdown' });
    await w.progress({ phase: 'index', claimsDone: 0, claimsTotal: 2, filesScanned: 0 });
    for (const c of claims) await w.claim(c);
    await w.warning({ path: 'x.bin', message: 'skipped: binary file' });
    await w.end(summarize(claims), STATS);
    const evs = events(out.text);
    expect(evs.map((e) => e.type)).toEqual(['start', 'progress', 'claim', 'claim', 'warning', 'done']);
    expect(evs[0]).toEqual({ type: 'start', card: { path: 'card.md', format: 'markdown' }, workspace: 'ws' });
    expect(evs.filter((e) => e.type === 'claim').map((e) => (e.type === 'claim' ? [e.seq, e.claim.id] : []))).toEqual([[0, claims[0].id], [1, claims[1].id]]);
    expect(evs.at(-1)).toEqual({ type: 'done', summary: summarize(claims), stats: STATS });
  });

  it('drops progress snapshots that come too fast, but never a phase change', async () => {
    vi.useFakeTimers();
    try {
      const out = new Sink();
      const w = createReportWriter('ndjson', out, { workspaceRoot: '/repo', progressIntervalMs: 100 });
      for (let i = 0; i < 50; i++) await w.progress({ phase: 'index', claimsDone: 0, claimsTotal: 5, filesScanned: i });
      await w.progress({ phase: 'verify', claimsDone: 0, claimsTotal: 5, filesScanned: 50 });
      vi.advanceTimersByTime(150);
      await w.progress({ phase: 'verify', claimsDone: 3, claimsTotal: 5, filesScanned: 50 });
      await w.end(summarize([]), STATS);
      const progress = events(out.text).filter((e) => e.type === 'progress');
      expect(progress.map((e) => (e.type === 'progress' ? [e.progress.phase, e.progress.filesScanned, e.progress.claimsDone] : []))).toEqual([
        ['index', 0, 0], ['verify', 50, 0], ['verify', 50, 3],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends an aborted run with an error event', async () => {
    const out = new Sink();
    const w = createReportWriter('ndjson', out, { workspaceRoot: '/repo' });
    await w.claim(claim('supported'));
    await w.abort({ message: 'not a valid .docx (zip) file', path: 'card.docx' });
    await w.claim(claim('supported'));
    const evs = events(out.text);
    expect(evs.map((e) => e.type)).toEqual(['claim', 'error']);
    expect(evs[1]).toEqual({ type: 'error', message: 'not a valid .docx (zip) file', path: 'card.docx' });
  });
});
