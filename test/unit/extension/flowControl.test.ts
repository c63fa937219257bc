import { describe, expect, it } from 'vitest';
import { CancelledError, CoalescingSender, CreditGranter, CreditWindow, LatestSlot } from '../../../src/protocol/flowControl.js';

describe('CreditWindow', () => {
  it('lets `window` sends through, then waits for an ack', async () => {
    const w = new CreditWindow(3);
    expect(await w.acquire()).toBe(1);
    expect(await w.acquire()).toBe(2);
    expect(await w.acquire()).toBe(3);
    let fourth: number | undefined;
    const p = w.acquire().then((s) => (fourth = s));
    await new Promise((r) => setTimeout(r, 10));
    expect(fourth).toBeUndefined();
    expect(w.inFlight).toBe(3);
    w.ack(1);
    await p;
    expect(fourth).toBe(4);
    expect(w.inFlight).toBe(3);
  });

  it('ignores stale and out-of-range acks', async () => {
    const w = new CreditWindow(2);
    await w.acquire();
    w.ack(10);
    expect(w.inFlight).toBe(0);
    w.ack(0);
    expect(w.inFlight).toBe(0);
  });

  it('wakes a waiting sender with CancelledError on close', async () => {
    const w = new CreditWindow(1);
    await w.acquire();
    const p = w.acquire();
    w.close();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await expect(w.acquire()).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects a non-positive window', () => {
    expect(() => new CreditWindow(0)).toThrow(RangeError);
  });
});

describe('CreditGranter', () => {
  it('acks in batches of half the window and flushes the tail', () => {
    const acks: number[] = [];
    const g = new CreditGranter(8, (n) => acks.push(n));
    for (let i = 1; i <= 9; i++) g.handledUpTo(i);
    expect(acks).toEqual([4, 8]);
    g.flush();
    expect(acks).toEqual([4, 8, 9]);
    g.flush();
    expect(acks).toEqual([4, 8, 9]);
  });

  it('a window-limited sender and a granter never deadlock', async () => {
    const w = new CreditWindow(4);
    const g = new CreditGranter(4, (n) => w.ack(n));
    const received: number[] = [];
    for (let i = 0; i < 50; i++) {
      const seq = await w.acquire();
      received.push(seq);
      g.handledUpTo(seq);
    }
    expect(received).toHaveLength(50);
    expect(w.inFlight).toBeLessThanOrEqual(4);
  });
});

describe('LatestSlot', () => {
  it('keeps only the newest value and counts replacements', () => {
    const s = new LatestSlot<number>();
    expect(s.take()).toBeUndefined();
    s.set(1);
    s.set(2);
    s.set(3);
    expect(s.replaced).toBe(2);
    expect(s.take()).toBe(3);
    expect(s.hasValue).toBe(false);
  });
});

describe('CoalescingSender', () => {
  it('sends the latest snapshot and drops the superseded ones', async () => {
    const sent: number[] = [];
    const sender = new CoalescingSender<number>(async (v) => {
      sent.push(v);
      await new Promise((r) => setTimeout(r, 5));
    }, 20);
    for (let i = 1; i <= 1000; i++) sender.offer(i);
    await new Promise((r) => setTimeout(r, 60));
    await sender.flush();
    expect(sent[sent.length - 1]).toBe(1000);
    expect(sent.length).toBeLessThan(5);
    expect(sender.coalesced).toBeGreaterThan(990);
  });

  it('sends nothing after stop', async () => {
    const sent: number[] = [];
    const sender = new CoalescingSender<number>(async (v) => void sent.push(v), 10);
    sender.offer(1);
    sender.stop();
    sender.offer(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toEqual([]);
  });
});
