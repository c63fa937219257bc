import { describe, expect, it } from 'vitest';
import { RunQueue, type RunHandle } from '../../../src/extension/runs/runQueue.js';

/** A run that finishes when told to (or when cancelled). */
function controllable(log: string[], key: string) {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => (finish = r));
  const handle: RunHandle = {
    finished,
    cancel: async () => {
      log.push(`cancel ${key}`);
      finish();
      await finished;
    },
  };
  return { handle, finish: () => finish() };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RunQueue', () => {
  it('runs one card at a time, in order', async () => {
    const q = new RunQueue();
    const log: string[] = [];
    const a = controllable(log, 'a');
    const b = controllable(log, 'b');
    expect(await q.enqueue('a', () => (log.push('start a'), a.handle))).toBe('started');
    expect(await q.enqueue('b', () => (log.push('start b'), b.handle))).toBe('queued');
    expect(log).toEqual(['start a']);
    a.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    expect(q.activeKey).toBe('b');
  });

  it('a second verify of the running card cancels it and restarts first in line', async () => {
    const q = new RunQueue();
    const log: string[] = [];
    const a1 = controllable(log, 'a1');
    const a2 = controllable(log, 'a2');
    const b = controllable(log, 'b');
    await q.enqueue('a', () => (log.push('start a1'), a1.handle));
    await q.enqueue('b', () => (log.push('start b'), b.handle));
    expect(await q.enqueue('a', () => (log.push('start a2'), a2.handle))).toBe('restarted');
    await tick();
    expect(log).toEqual(['start a1', 'cancel a1', 'start a2']);
    expect(q.activeKey).toBe('a');
    expect(q.pendingKeys).toEqual(['b']);
  });

  it('never queues a card twice and drops cancelled requests', async () => {
    const q = new RunQueue();
    const log: string[] = [];
    const a = controllable(log, 'a');
    await q.enqueue('a', () => a.handle);
    await q.enqueue('b', () => controllable(log, 'b').handle, () => log.push('dropped b1'));
    expect(await q.enqueue('b', () => controllable(log, 'b').handle, () => log.push('dropped b2'))).toBe('already-queued');
    await q.cancel();
    expect(log).toEqual(['dropped b2', 'dropped b1', 'cancel a']);
    await tick();
    expect(q.activeKey).toBeUndefined();
    expect(q.pendingKeys).toEqual([]);
  });
});
