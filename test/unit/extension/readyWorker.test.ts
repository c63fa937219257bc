import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../../src/engine/model.js';
import { ReadyWorker } from '../../../src/extension/worker/readyWorker.js';
import { forkWorker, WorkerProcess, type WorkerLaunch } from '../../../src/extension/worker/workerProcess.js';
import { bundleFakeWorker } from './fixtures/fakeWorkerBundle.js';
import { alive } from './fixtures/processAlive.js';

let dir: string;
let script: string;
let dispose: () => void;

beforeAll(async () => {
  ({ dir, script, dispose } = await bundleFakeWorker('cardcheck-ready-'));
});
afterAll(() => dispose());


const waitFor = async (cond: () => boolean, ms = 3000): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
};

/** A ReadyWorker that records the processes it starts. */
function readyWorker(idleMs?: number) {
  const started: number[] = [];
  const ready = new ReadyWorker((launch) => {
    const child = forkWorker(launch);
    if (child.pid !== undefined) started.push(child.pid);
    return child;
  }, idleMs);
  return { ready, started };
}

function verify(launch: WorkerLaunch, ready: ReadyWorker) {
  const claims: ClaimResult[] = [];
  const worker = WorkerProcess.verify(launch, { cardPath: join(dir, 'card.md'), workspaceRoot: dir }, undefined, { onClaim: (c) => void claims.push(c) }, ready);
  return { worker, claims };
}

describe('ReadyWorker', () => {
  it('a verification runs in the worker started ahead, which then exits like any other', async () => {
    const { ready, started } = readyWorker();
    const launch = { script, heapMb: 128, env: { FAKE_CLAIMS: '5' } };
    expect(await ready.prepare(launch)).toBe(true);
    expect(started).toHaveLength(1);
    const { worker, claims } = verify(launch, ready);
    expect(worker.pid).toBe(started[0]);
    expect((await worker.outcome).kind).toBe('done');
    expect(claims).toHaveLength(5);
    expect(await waitFor(() => !alive(started[0]))).toBe(true);
    // Taken: the next verification starts its own.
    const next = verify(launch, ready);
    expect(next.worker.pid).not.toBe(started[0]);
    expect((await next.worker.outcome).kind).toBe('done');
  });

  it('told the job to come, it reads ahead first, and the job gets what it read', async () => {
    const { ready, started } = readyWorker();
    const launch = { script, heapMb: 128, env: { FAKE_CLAIMS: '1', FAKE_PREPARE_MS: '150', FAKE_REPORT_WARM: '1' } };
    const next = { cardPath: join(dir, 'card.md'), workspaceRoot: dir };
    const t0 = Date.now();
    expect(await ready.prepare(launch, next)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    // The same job expected again: the same worker; another card: a worker told that one.
    expect(await ready.prepare(launch, next)).toBe(true);
    expect(started).toHaveLength(1);
    expect(await ready.prepare(launch, { ...next, cardPath: join(dir, 'other.md') })).toBe(true);
    expect(started).toHaveLength(2);
    expect(await waitFor(() => !alive(started[0]))).toBe(true);
    const warnings: string[] = [];
    const worker = WorkerProcess.verify(launch, next, undefined, { onClaim: () => undefined, onWarning: (w) => void warnings.push(w.message) }, ready);
    expect(worker.pid).toBe(started[1]);
    expect((await worker.outcome).kind).toBe('done');
    expect(warnings).toEqual(['["card"]']);
  });

  it('is not told a job too large for one message (one that failed to start), and starts all the same', async () => {
    const { ready, started } = readyWorker();
    const launch = { script, heapMb: 128, env: { FAKE_CLAIMS: '1', FAKE_REPORT_WARM: '1' } };
    const huge = { cardPath: join(dir, 'card.md'), workspaceRoot: dir, options: { include: Array.from({ length: 400 }, (_, i) => `generated/${i}/${'x'.repeat(60)}/**`) } };
    expect(await ready.prepare(launch, huge)).toBe(true);
    expect(started).toHaveLength(1);
    // Ready, and told nothing: a job gets no reads from it.
    const warnings: string[] = [];
    const worker = WorkerProcess.verify(launch, { cardPath: join(dir, 'card.md'), workspaceRoot: dir }, undefined, { onClaim: () => undefined, onWarning: (w) => void warnings.push(w.message) }, ready);
    expect(worker.pid).toBe(started[0]);
    expect((await worker.outcome).kind).toBe('done');
    expect(warnings).toEqual(['null']);
  });

  it('a worker started for another launch is stopped, not used', async () => {
    const { ready, started } = readyWorker();
    expect(await ready.prepare({ script, heapMb: 128, env: { FAKE_CLAIMS: '2' } })).toBe(true);
    const { worker } = verify({ script, heapMb: 256, env: { FAKE_CLAIMS: '2' } }, ready);
    expect(worker.pid).not.toBe(started[0]);
    expect((await worker.outcome).kind).toBe('done');
    expect(await waitFor(() => !alive(started[0]))).toBe(true);
  });

  it('preparing twice for one launch starts one worker', async () => {
    const { ready, started } = readyWorker();
    const launch = { script, heapMb: 128, env: { FAKE_CLAIMS: '1' } };
    const [a, b] = await Promise.all([ready.prepare(launch), ready.prepare(launch)]);
    expect([a, b]).toEqual([true, true]);
    expect(started).toHaveLength(1);
    ready.drop();
    expect(await waitFor(() => !alive(started[0]))).toBe(true);
  });

  it('stops a worker nobody took after its idle time', async () => {
    const { ready, started } = readyWorker(300);
    expect(await ready.prepare({ script, heapMb: 128, env: {} })).toBe(true);
    expect(await waitFor(() => !alive(started[0]))).toBe(true);
    expect(ready.take({ script, heapMb: 128, env: {} })).toBeUndefined();
  });

  it('a verification handed a worker that died an instant earlier runs in a new one', async () => {
    const { ready, started } = readyWorker();
    const launch = { script, heapMb: 128, env: { FAKE_CLAIMS: '3' } };
    expect(await ready.prepare(launch)).toBe(true);
    // Killed, and taken before the host has heard of the exit.
    process.kill(started[0], 'SIGKILL');
    const { worker, claims } = verify(launch, ready);
    expect((await worker.outcome).kind).toBe('done');
    expect(claims).toHaveLength(3);
    expect(started).toHaveLength(1);
    expect(worker.pid).not.toBe(started[0]);
  });

  it('a worker that died while waiting is not handed out', async () => {
    const { ready, started } = readyWorker();
    const launch = { script, heapMb: 128, env: {} };
    expect(await ready.prepare(launch)).toBe(true);
    process.kill(started[0], 'SIGKILL');
    expect(await waitFor(() => !alive(started[0]))).toBe(true);
    // The host learns of the exit on its next turns of the event loop.
    await new Promise((r) => setTimeout(r, 200));
    expect(ready.take(launch)).toBeUndefined();
  });
});
