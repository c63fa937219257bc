import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WATCH_DEBOUNCE_MS, WatchTriggers, type WatchTimers } from '../../../src/extension/runs/watchTriggers.js';

/** Timers driven by the test: `advance(ms)` fires what falls due, in order. */
function manualTimers(): WatchTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  return {
    set(fn, ms) {
      const id = ++next;
      queue.set(id, { at: now + ms, fn });
      return id;
    },
    clear(handle) {
      queue.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...queue.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        queue.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => queue.size,
  };
}

const root = path.resolve('/ws/project');
const card = path.join(root, 'MODEL_CARD.md');
const cardKey = 'file:///ws/project/MODEL_CARD.md';
const on = () => true;

function setup(debounceMs = WATCH_DEBOUNCE_MS) {
  const timers = manualTimers();
  const reruns: string[] = [];
  const watch = new WatchTriggers((k) => reruns.push(k), { debounceMs, timers });
  return { timers, reruns, watch };
}

describe('WatchTriggers', () => {
  it('re-verifies a card verified in this session when it is saved, after the debounce', () => {
    const { timers, reruns, watch } = setup();
    watch.track(cardKey, card);
    expect(watch.saved(card, on)).toEqual([cardKey]);
    timers.advance(WATCH_DEBOUNCE_MS - 1);
    expect(reruns).toEqual([]);
    timers.advance(1);
    expect(reruns).toEqual([cardKey]);
  });

  it('turns several saves in a row into one run, timed from the last save', () => {
    const { timers, reruns, watch } = setup(600);
    watch.track(cardKey, card);
    watch.saved(card, on);
    timers.advance(400);
    watch.saved(card, on);
    timers.advance(400);
    watch.saved(card, on);
    timers.advance(599);
    expect(reruns).toEqual([]);
    timers.advance(1);
    expect(reruns).toEqual([cardKey]);
    expect(timers.pending()).toBe(0);
    // A later save starts a new run.
    watch.saved(card, on);
    timers.advance(600);
    expect(reruns).toEqual([cardKey, cardKey]);
  });

  it('re-verifies when a file that supplied evidence to the last run is saved (relative or absolute paths)', () => {
    const { timers, reruns, watch } = setup();
    watch.track(cardKey, card);
    watch.recordEvidence(cardKey, root, ['train.py', 'scripts/launch.sh', path.join(root, 'configs', 'base.yaml')], true);
    expect(watch.cardsFor(path.join(root, 'scripts', 'launch.sh'))).toEqual([cardKey]);
    expect(watch.cardsFor(path.join(root, 'configs', 'base.yaml'))).toEqual([cardKey]);
    expect(watch.saved(path.join(root, 'scripts', '..', 'train.py'), on)).toEqual([cardKey]);
    timers.advance(WATCH_DEBOUNCE_MS);
    expect(reruns).toEqual([cardKey]);
  });

  it('ignores files that gave no evidence, relative paths, and cards not verified in this session', () => {
    const { timers, reruns, watch } = setup();
    watch.recordEvidence(cardKey, root, ['train.py'], true); // not tracked yet: nothing is kept
    expect(watch.saved(card, on)).toEqual([]);
    expect(watch.saved(path.join(root, 'train.py'), on)).toEqual([]);
    watch.track(cardKey, card);
    watch.recordEvidence(cardKey, root, ['train.py'], true);
    expect(watch.saved(path.join(root, 'README.md'), on)).toEqual([]);
    expect(watch.saved('train.py', on)).toEqual([]);
    expect(watch.saved('Untitled-1', on)).toEqual([]);
    timers.advance(10 * WATCH_DEBOUNCE_MS);
    expect(reruns).toEqual([]);
  });

  it('does nothing while the setting is off for that card', () => {
    const { timers, reruns, watch } = setup();
    const other = path.join(root, 'other', 'card.md');
    const otherKey = 'file:///ws/project/other/card.md';
    watch.track(cardKey, card);
    watch.track(otherKey, other);
    watch.recordEvidence(cardKey, root, ['train.py'], true);
    watch.recordEvidence(otherKey, root, ['train.py'], true);
    expect(watch.saved(path.join(root, 'train.py'), (k) => k === otherKey)).toEqual([otherKey]);
    timers.advance(WATCH_DEBOUNCE_MS);
    expect(reruns).toEqual([otherKey]);
    expect(watch.saved(path.join(root, 'train.py'), () => false)).toEqual([]);
    timers.advance(WATCH_DEBOUNCE_MS);
    expect(reruns).toEqual([otherKey]);
  });

  it('a complete run replaces the evidence files, a partial one adds to them', () => {
    const { watch } = setup();
    watch.track(cardKey, card);
    watch.recordEvidence(cardKey, root, ['a.py'], true);
    watch.recordEvidence(cardKey, root, ['b.py'], false);
    expect(watch.cardsFor(path.join(root, 'a.py'))).toEqual([cardKey]);
    expect(watch.cardsFor(path.join(root, 'b.py'))).toEqual([cardKey]);
    watch.recordEvidence(cardKey, root, ['c.py'], true);
    expect(watch.cardsFor(path.join(root, 'a.py'))).toEqual([]);
    expect(watch.cardsFor(path.join(root, 'c.py'))).toEqual([cardKey]);
  });

  it('debounces per card: a save concerning two cards schedules both, each once', () => {
    const { timers, reruns, watch } = setup();
    const otherKey = 'file:///ws/project/other.md';
    watch.track(cardKey, card);
    watch.track(otherKey, path.join(root, 'other.md'));
    watch.recordEvidence(cardKey, root, ['shared.yaml'], true);
    watch.recordEvidence(otherKey, root, ['shared.yaml'], true);
    watch.saved(path.join(root, 'shared.yaml'), on);
    watch.saved(card, on);
    expect(watch.pendingKeys().sort()).toEqual([cardKey, otherKey].sort());
    timers.advance(WATCH_DEBOUNCE_MS);
    expect(reruns.sort()).toEqual([cardKey, otherKey].sort());
  });

  it('forgetting a card (Clear Results) drops its pending run and stops watching it', () => {
    const { timers, reruns, watch } = setup();
    watch.track(cardKey, card);
    watch.saved(card, on);
    watch.forget(cardKey);
    timers.advance(WATCH_DEBOUNCE_MS);
    expect(reruns).toEqual([]);
    expect(watch.isTracked(cardKey)).toBe(false);
    expect(watch.saved(card, on)).toEqual([]);
  });

  it('dispose cancels every pending run', () => {
    const { timers, reruns, watch } = setup();
    watch.track(cardKey, card);
    watch.saved(card, on);
    watch.dispose();
    timers.advance(WATCH_DEBOUNCE_MS);
    expect(reruns).toEqual([]);
    expect(timers.pending()).toBe(0);
  });

  it('works with real timers', async () => {
    const reruns: string[] = [];
    const watch = new WatchTriggers((k) => reruns.push(k), { debounceMs: 20 });
    watch.track(cardKey, card);
    watch.saved(card, on);
    watch.saved(card, on);
    await new Promise((r) => setTimeout(r, 80));
    expect(reruns).toEqual([cardKey]);
    watch.dispose();
  });
});
