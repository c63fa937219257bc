import { describe, expect, it } from 'vitest';
import { serveWorker, WORKER_EXIT } from '../../../src/worker/workerRun.js';
import type { WorkerPort } from '../../../src/worker/workerPort.js';
import { WorkerToHostSchema, type WorkerToHost } from '../../../src/protocol/workerMessages.js';
import { fakePipeline } from './fixtures/fakePipeline.js';

/** An in-process port: the test plays the host. */
function fakePort() {
  const sent: WorkerToHost[] = [];
  let onMessage: (m: unknown) => void = () => undefined;
  let onDisconnect: () => void = () => undefined;
  const port: WorkerPort = {
    send: async (m) => {
      // Everything the worker sends must pass the host's schema.
      WorkerToHostSchema.parse(m);
      sent.push(m);
    },
    onMessage: (h) => (onMessage = h),
    onDisconnect: (h) => (onDisconnect = h),
  };
  return { port, sent, deliver: (m: unknown) => onMessage(m), disconnect: () => onDisconnect() };
}

const claimSeqs = (sent: WorkerToHost[]) =>
  sent.flatMap((m) => (m.type === 'event' && m.event.type === 'claim' ? [m.event.seq] : []));
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const noLines = async () => ({ format: 'text' as const, lines: [] });

describe('serveWorker', () => {
  it('stops at the credit window until the host acks, then resumes; nothing is dropped', async () => {
    const { port, sent, deliver } = fakePort();
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 20 }), loadCardLines: noLines, progressIntervalMs: 5 });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 4 });
    await tick();
    expect(claimSeqs(sent)).toEqual([1, 2, 3, 4]);
    deliver({ type: 'ack', upTo: 2 });
    await tick();
    expect(claimSeqs(sent)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < 10; i++) {
      deliver({ type: 'ack', upTo: claimSeqs(sent).at(-1) });
      await tick(5);
    }
    expect(await exit).toBe(WORKER_EXIT.ok);
    expect(claimSeqs(sent)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = sent.at(-1);
    expect(last?.type === 'event' && last.event.type).toBe('done');
  });

  it('says it is ready, first, before any job arrives', async () => {
    const { port, sent, disconnect } = fakePort();
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 1 }), loadCardLines: noLines });
    await tick();
    expect(sent).toEqual([{ type: 'ready' }]);
    disconnect();
    expect(await exit).toBe(WORKER_EXIT.cancelled);
  });

  it('reads ahead on prepare, says prepared, and a job that comes meanwhile waits for the reads', async () => {
    const { port, sent, deliver } = fakePort();
    const order: string[] = [];
    const exit = serveWorker(port, {
      prepareRun: async (job, warm) => {
        order.push(`prepare ${job.cardPath}`);
        await tick(50);
        warm.used.push('pack');
        // The job has come: what only warms up is to stop.
        order.push(`prepared, job ${warm.arrived ? 'arrived' : 'not yet'}`);
      },
      runPipeline: async (job, sink, signal) => {
        order.push(`run with ${JSON.stringify(job.warm?.used)}`);
        return fakePipeline({ claims: 1 })(job, sink, signal);
      },
      loadCardLines: noLines,
    });
    deliver({ type: 'prepare', job: { cardPath: '/w/card.md', workspaceRoot: '/w' } });
    await tick(5);
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 10 });
    expect(await exit).toBe(WORKER_EXIT.ok);
    expect(order).toEqual(['prepare /w/card.md', 'prepared, job arrived', 'run with ["pack"]']);
    expect(sent.slice(0, 2)).toEqual([{ type: 'ready' }, { type: 'prepared' }]);
  });

  it('a job without a prepare message runs without reads made ahead', async () => {
    const { port, deliver } = fakePort();
    let warm: unknown = 'unset';
    const exit = serveWorker(port, {
      runPipeline: async (job, sink, signal) => {
        warm = job.warm;
        return fakePipeline({ claims: 0 })(job, sink, signal);
      },
      loadCardLines: noLines,
    });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 10 });
    expect(await exit).toBe(WORKER_EXIT.ok);
    expect(warm).toBeUndefined();
  });

  it('coalesces progress to the latest snapshot', async () => {
    const { port, sent, deliver } = fakePort();
    const exit = serveWorker(port, {
      runPipeline: fakePipeline({ claims: 50, progressPerClaim: 100 }),
      loadCardLines: noLines,
      progressIntervalMs: 50,
    });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 100 });
    expect(await exit).toBe(WORKER_EXIT.ok);
    const progress = sent.filter((m) => m.type === 'event' && m.event.type === 'progress');
    // 5,000 snapshots emitted; a handful sent.
    expect(progress.length).toBeLessThan(10);
  });

  it('exits on cancel while waiting for credits', async () => {
    const { port, deliver } = fakePort();
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 20 }), loadCardLines: noLines });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 2 });
    await tick();
    deliver({ type: 'cancel' });
    expect(await exit).toBe(WORKER_EXIT.cancelled);
  });

  it('exits when the host disconnects', async () => {
    const { port, deliver, disconnect } = fakePort();
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 20 }), loadCardLines: noLines });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 2 });
    await tick();
    disconnect();
    expect(await exit).toBe(WORKER_EXIT.cancelled);
  });

  it('fails the run, not reports it done, when a claim result cannot be sent', async () => {
    const { port, sent, deliver } = fakePort();
    const send = port.send;
    port.send = async (m) => {
      if (m.type === 'event' && m.event.type === 'claim' && m.event.seq === 3) throw new Error('channel closed');
      return send(m);
    };
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 5 }), loadCardLines: noLines });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 10 });
    expect(await exit).toBe(WORKER_EXIT.failed);
    expect(sent.some((m) => m.type === 'event' && m.event.type === 'done')).toBe(false);
    const err = sent.at(-1);
    expect(err?.type === 'event' && err.event.type === 'error' && err.event.message).toMatch(/channel closed/);
  });

  it('answers an invalid message with an error and a protocol exit code', async () => {
    const { port, sent, deliver } = fakePort();
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 1 }), loadCardLines: noLines });
    deliver({ type: 'verify', job: { cardPath: 42 } });
    expect(await exit).toBe(WORKER_EXIT.protocol);
    const err = sent.find((m) => m.type === 'event');
    expect(err?.type === 'event' && err.event.type === 'error' && err.event.message).toMatch(/invalid message/);
  });

  it('reports a pipeline error with the file it names', async () => {
    const { port, sent, deliver } = fakePort();
    const exit = serveWorker(port, { runPipeline: fakePipeline({ claims: 5, failAfter: 2 }), loadCardLines: noLines });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w' }, window: 10 });
    expect(await exit).toBe(WORKER_EXIT.failed);
    const err = sent.at(-1);
    expect(err?.type === 'event' && err.event.type === 'error' ? err.event : undefined).toMatchObject({ path: '/w/card.md' });
    expect(claimSeqs(sent)).toEqual([1, 2]);
  });

  it('assembles an unsaved buffer from chunks and hands it to the pipeline', async () => {
    const { port, deliver } = fakePort();
    let seen: string | undefined;
    const exit = serveWorker(port, {
      runPipeline: async (job, sink, signal) => {
        seen = job.cardText;
        return fakePipeline({ claims: 0 })(job, sink, signal);
      },
      loadCardLines: noLines,
    });
    deliver({ type: 'cardText', index: 0, text: 'hello ' });
    deliver({ type: 'cardText', index: 1, text: 'world' });
    deliver({ type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w', cardTextChunks: 2 }, window: 10 });
    expect(await exit).toBe(WORKER_EXIT.ok);
    expect(seen).toBe('hello world');
  });
});
