import { describe, expect, it } from 'vitest';
import { CardSequence, sequenceSummary, type SequenceOutcome, type SequenceStep } from '../../../src/extension/runs/cardSequence.js';

interface Card {
  key: string;
  name: string;
}

const cards: Card[] = [
  { key: 'a', name: 'a/MODEL_CARD.md' },
  { key: 'b', name: 'b/card.md' },
  { key: 'c', name: 'c/card.docx' },
];

/** Runs that end when the test says so (or when cancelled), logging what happens. */
function controlledRuns() {
  const log: string[] = [];
  const finishers = new Map<string, (o: SequenceOutcome) => void>();
  let alive = 0;
  let maxAlive = 0;
  return {
    log,
    maxAlive: () => maxAlive,
    run: (card: Card) =>
      new Promise<SequenceOutcome>((resolve) => {
        alive++;
        maxAlive = Math.max(maxAlive, alive);
        log.push(`start ${card.key}`);
        finishers.set(card.key, (o) => {
          alive--;
          log.push(`end ${card.key} ${o.status}`);
          resolve(o);
        });
      }),
    cancel: async (card: Card) => {
      log.push(`cancel ${card.key}`);
      finishers.get(card.key)?.({ status: 'cancelled' });
    },
    finish: (key: string, o: SequenceOutcome) => finishers.get(key)?.(o),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('CardSequence', () => {
  it('runs the cards one at a time, in order, reporting "card i of n" and the progress increments', async () => {
    const runs = controlledRuns();
    const steps: SequenceStep[] = [];
    const seq = new CardSequence(cards, { run: runs.run, cancel: runs.cancel, step: (s) => steps.push(s) });
    const done = seq.run();
    await tick();
    expect(runs.log).toEqual(['start a']);
    runs.finish('a', { status: 'done', contradicted: 2 });
    await tick();
    expect(runs.log).toEqual(['start a', 'end a done', 'start b']);
    runs.finish('b', { status: 'done', contradicted: 0 });
    await tick();
    runs.finish('c', { status: 'failed' });
    const result = await done;
    expect(runs.maxAlive()).toBe(1);
    expect(runs.log).toEqual(['start a', 'end a done', 'start b', 'end b done', 'start c', 'end c failed']);
    expect(steps.map((s) => s.message)).toEqual(['card 1 of 3: a/MODEL_CARD.md', 'card 2 of 3: b/card.md', 'card 3 of 3: c/card.docx', '3 of 3 done']);
    expect(steps[0]!.increment).toBe(0);
    expect(steps.reduce((sum, s) => sum + s.increment, 0)).toBeCloseTo(100);
    expect(result.cancelled).toBe(false);
    expect(result.skipped).toEqual([]);
    expect(result.ran.map((r) => r.card.key)).toEqual(['a', 'b', 'c']);
    expect(sequenceSummary(result)).toBe('CardCheck: 3 cards — 1 with contradictions, 1 failed');
  });

  it('cancel stops the card under way through the caller and skips the rest', async () => {
    const runs = controlledRuns();
    const seq = new CardSequence(cards, { run: runs.run, cancel: runs.cancel });
    const done = seq.run();
    await tick();
    runs.finish('a', { status: 'done', contradicted: 1 });
    await tick();
    expect(runs.log.at(-1)).toBe('start b');
    await seq.cancel();
    const result = await done;
    expect(runs.log).toEqual(['start a', 'end a done', 'start b', 'cancel b', 'end b cancelled']);
    expect(result.cancelled).toBe(true);
    expect(result.ran.map((r) => [r.card.key, r.outcome.status])).toEqual([
      ['a', 'done'],
      ['b', 'cancelled'],
    ]);
    expect(result.skipped.map((c) => c.key)).toEqual(['c']);
    expect(sequenceSummary(result)).toBe('CardCheck: cancelled after 2 of 3 cards — 1 with contradictions, 1 cancelled, 1 skipped');
    // A second cancel is harmless.
    await seq.cancel();
    expect(runs.log.filter((l) => l.startsWith('cancel'))).toHaveLength(1);
  });

  it('a cancel between two cards starts no further card', async () => {
    const runs = controlledRuns();
    let seq: CardSequence<Card, SequenceOutcome> | undefined;
    seq = new CardSequence(cards, {
      run: async (card) => {
        runs.log.push(`start ${card.key}`);
        if (card.key === 'a') void seq?.cancel();
        return { status: 'done' };
      },
      cancel: runs.cancel,
    });
    const result = await seq.run();
    expect(runs.log).toEqual(['start a', 'cancel a']);
    expect(result.ran).toHaveLength(1);
    expect(result.skipped.map((c) => c.key)).toEqual(['b', 'c']);
  });

  it('an empty list runs nothing and a sequence runs once', async () => {
    const seq = new CardSequence<Card, SequenceOutcome>([], { run: async () => ({ status: 'done' }), cancel: async () => undefined });
    const result = await seq.run();
    expect(result).toEqual({ total: 0, ran: [], skipped: [], cancelled: false });
    await expect(seq.run()).rejects.toThrow(/once/);
  });

  it('a failing run ends the sequence with its error (the caller reports it)', async () => {
    const seq = new CardSequence(cards, {
      run: async (card) => {
        if (card.key === 'b') throw new Error('boom');
        return { status: 'done' };
      },
      cancel: async () => undefined,
    });
    await expect(seq.run()).rejects.toThrow('boom');
  });

  it('summaries count cards with contradictions, in singular and plural', () => {
    const one = { total: 1, ran: [{ card: cards[0]!, outcome: { status: 'done' as const, contradicted: 0 } }], skipped: [], cancelled: false };
    expect(sequenceSummary(one)).toBe('CardCheck: 1 card — none with contradictions');
    const two = {
      total: 2,
      ran: [
        { card: cards[0]!, outcome: { status: 'done' as const, contradicted: 3 } },
        { card: cards[1]!, outcome: { status: 'done' as const, contradicted: 1 } },
      ],
      skipped: [],
      cancelled: false,
    };
    expect(sequenceSummary(two)).toBe('CardCheck: 2 cards — 2 with contradictions');
  });
});
