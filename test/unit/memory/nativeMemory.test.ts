import { describe, expect, it } from 'vitest';
import { NativeMemoryGuard } from '../../../src/engine/memory/nativeMemory.js';

const MB = 1024 * 1024;

/** A guard over scripted readings: memory outside the heap is `outside()` MB, time moves 100 ms per check. */
function scripted(outside: () => number, gcMs = 0) {
  let now = 0;
  let collections = 0;
  const guard = new NativeMemoryGuard(64 * MB, 1000, {
    memory: () => ({ rss: (100 + outside()) * MB, heapTotal: 100 * MB }),
    now: () => now,
    gc: () => {
      collections++;
      now += gcMs;
    },
  });
  return { check: () => { now += 100; guard.check(); }, collections: () => collections };
}

describe('native memory guard', () => {
  it('collects at most once a second while memory outside the heap stays above the slack', () => {
    let outside = 40;
    const g = scripted(() => outside);
    for (let i = 0; i < 20; i++) g.check();
    expect(g.collections()).toBe(0);
    // glibc keeps what a collection frees: the reading stays high, and the guard keeps collecting.
    outside = 40 + 80;
    for (let i = 0; i < 50; i++) g.check();
    expect(g.collections()).toBe(5);
  });

  it('spaces long collections so that they take at most a tenth of the time', () => {
    let outside = 40;
    const g = scripted(() => outside, 200);
    outside = 150;
    // 200 ms per collection: one every 2 s at most, over 10 s of checks (plus the collections' own time).
    for (let i = 0; i < 100; i++) g.check();
    expect(g.collections()).toBe(6);
  });

  it('stops collecting when memory outside the heap falls back under the slack', () => {
    let outside = 40;
    const g = scripted(() => outside);
    outside = 150;
    for (let i = 0; i < 20; i++) g.check();
    expect(g.collections()).toBe(2);
    outside = 50;
    for (let i = 0; i < 50; i++) g.check();
    expect(g.collections()).toBe(2);
  });
});
