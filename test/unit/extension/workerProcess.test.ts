import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../../src/engine/model.js';
import type { Progress } from '../../../src/protocol/events.js';
import { loadCardLines, WorkerProcess, type WorkerHandlers } from '../../../src/extension/worker/workerProcess.js';
import { bundleFakeWorker } from './fixtures/fakeWorkerBundle.js';
import { alive } from './fixtures/processAlive.js';

let dir: string;
let script: string;

let dispose: () => void;

beforeAll(async () => {
  ({ dir, script, dispose } = await bundleFakeWorker('cardcheck-worker-'));
});

afterAll(() => dispose());

function start(env: Record<string, string>, handlers: Partial<WorkerHandlers> = {}, window = 8) {
  const claims: ClaimResult[] = [];
  const progress: Progress[] = [];
  const worker = WorkerProcess.verify(
    { script, heapMb: 128, window, env },
    { cardPath: join(dir, 'card.md'), workspaceRoot: dir },
    undefined,
    {
      onClaim: (c) => void claims.push(c),
      onProgress: (p) => progress.push(p),
      ...handlers,
    },
  );
  return { worker, claims, progress };
}


describe('WorkerProcess (a real forked worker with a fake pipeline)', () => {
  it('delivers every claim in order and the summary', async () => {
    const { worker, claims, progress } = start({ FAKE_CLAIMS: '300' });
    const outcome = await worker.outcome;
    expect(outcome.kind).toBe('done');
    expect(claims.map((c) => c.id)).toEqual(Array.from({ length: 300 }, (_, i) => `c${i + 1}`));
    if (outcome.kind === 'done') expect(outcome.summary.contradicted + outcome.summary.supported + outcome.summary.unverified).toBe(300);
    expect(progress.at(-1)?.phase).toBe('done');
    expect(progress.at(-1)?.rssMb).toBeGreaterThan(0);
    // Coalesced: far fewer progress messages than the 300 snapshots the pipeline emitted.
    expect(progress.length).toBeLessThan(100);
  });

  it('reports an engine error naming the card and keeps the claims already decided', async () => {
    const { worker, claims } = start({ FAKE_CLAIMS: '10', FAKE_FAIL_AFTER: '4' });
    const outcome = await worker.outcome;
    expect(outcome.kind).toBe('failed');
    if (outcome.kind === 'failed') {
      expect(outcome.message).toContain('card.md');
      expect(outcome.path).toContain('card.md');
    }
    expect(claims).toHaveLength(4);
  });

  it('reports a crash (worker killed) and keeps the claims already decided', async () => {
    let worker!: WorkerProcess;
    const claims: ClaimResult[] = [];
    const started = start(
      { FAKE_CLAIMS: '1000', FAKE_DELAY_MS: '2' },
      {
        onClaim: (c) => {
          claims.push(c);
          if (claims.length === 5) process.kill(worker.pid!, 'SIGKILL');
        },
      },
    );
    worker = started.worker;
    const outcome = await worker.outcome;
    expect(outcome.kind).toBe('crashed');
    if (outcome.kind === 'crashed') {
      expect(outcome.signal).toBe('SIGKILL');
      expect(outcome.message).toMatch(/killed by SIGKILL/);
      expect(outcome.message).toMatch(/kept/);
    }
    expect(claims.length).toBeGreaterThanOrEqual(5);
    expect(claims.length).toBeLessThan(1000);
  });

  it('cancel kills the whole process tree within a second', async () => {
    let grandchild = 0;
    const { worker, claims } = start(
      { FAKE_CLAIMS: '100000', FAKE_DELAY_MS: '5', FAKE_SPAWN_GRANDCHILD: '1' },
      {
        onStderr: (line) => {
          const m = /grandchild (\d+)/.exec(line);
          if (m) grandchild = Number(m[1]);
        },
      },
    );
    while (claims.length < 3 || grandchild === 0) await new Promise((r) => setTimeout(r, 5));
    expect(alive(grandchild)).toBe(true);
    const t0 = Date.now();
    await worker.cancel();
    const outcome = await worker.outcome;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(outcome.kind).toBe('cancelled');
    expect(alive(worker.pid!)).toBe(false);
    // The grandchild was in the worker's process group: gone too (reaped by init, give it a moment).
    const deadline = Date.now() + 1000;
    while (alive(grandchild) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a worker that outgrows its heap cap, naming the setting, and keeps its claims', async () => {
    const claims: ClaimResult[] = [];
    const worker = WorkerProcess.verify(
      { script, heapMb: 64, env: { FAKE_CLAIMS: '2', FAKE_ALLOCATE: '1' } },
      { cardPath: join(dir, 'card.md'), workspaceRoot: dir },
      undefined,
      { onClaim: (c) => void claims.push(c) },
    );
    const outcome = await worker.outcome;
    expect(outcome.kind).toBe('crashed');
    if (outcome.kind === 'crashed') expect(outcome.message).toMatch(/64 MB heap cap \(setting cardcheck\.workerMemoryMb\)/);
    expect(claims).toHaveLength(2);
  }, 30_000);

  it("starts the worker with glibc's malloc thresholds fixed, unless the environment sets them", async () => {
    const lines: string[] = [];
    const { worker } = start({ FAKE_CLAIMS: '1', FAKE_REPORT_MALLOC: '1' }, { onStderr: (l) => void lines.push(l) });
    expect((await worker.outcome).kind).toBe('done');
    expect(lines).toContain('malloc 131072 131072');
    const own: string[] = [];
    const mine = start({ FAKE_CLAIMS: '1', FAKE_REPORT_MALLOC: '1', MALLOC_TRIM_THRESHOLD_: '65536' }, { onStderr: (l) => void own.push(l) });
    expect((await mine.worker.outcome).kind).toBe('done');
    expect(own).toContain('malloc 131072 65536');
  });

  it('forwards a bounded number of warnings and counts the rest', async () => {
    const warnings: string[] = [];
    let omitted = 0;
    const { worker } = start(
      { FAKE_CLAIMS: '1', FAKE_WARNINGS: '1000' },
      { onWarning: (w) => void warnings.push(w.message), onWarningsOmitted: (n) => (omitted = n) },
    );
    expect((await worker.outcome).kind).toBe('done');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(200);
    expect(warnings.length + omitted).toBe(1000);
  });

  it('sends an unsaved card buffer larger than one message in chunks', async () => {
    // The fake pipeline ignores the text; the worker must still accept the chunks in order.
    const worker = WorkerProcess.verify(
      { script, heapMb: 128, env: { FAKE_CLAIMS: '2' } },
      { cardPath: join(dir, 'card.md'), workspaceRoot: dir },
      'x'.repeat(100_000),
      { onClaim: () => undefined },
    );
    expect((await worker.outcome).kind).toBe('done');
  });

  it('loads card lines for a virtual document in batches', async () => {
    const { promise } = loadCardLines({ script, heapMb: 128 }, join(dir, 'card.docx'));
    const { format, lines } = await promise;
    expect(format).toBe('docx');
    expect(lines).toHaveLength(2000);
    expect(lines[1999]).toMatch(/^paragraph 2000 /);
    await expect(loadCardLines({ script, heapMb: 128 }, join(dir, 'missing.docx')).promise).rejects.toThrow(/missing\.docx: file not found/);
  });

  it('reports a worker that cannot start as a crash', async () => {
    const worker = WorkerProcess.verify(
      { script: join(dir, 'does-not-exist.js'), heapMb: 128 },
      { cardPath: join(dir, 'card.md'), workspaceRoot: dir },
      undefined,
      { onClaim: () => undefined },
    );
    const outcome = await worker.outcome;
    expect(outcome.kind).toBe('crashed');
    if (outcome.kind === 'crashed') expect(outcome.message).toMatch(/does-not-exist|Cannot find module|code 1/);
  });
});

