import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmOptionsSchema } from '../../../src/engine/llm/llmOptions.js';
import type { VerifyJob } from '../../../src/engine/pipeline.js';
import type { EngineWarning } from '../../../src/engine/model.js';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/events.js';
import {
  assertMessageSize,
  HostToWorkerSchema,
  MAX_LLM_API_KEY_CHARS,
  WorkerToHostSchema,
  type HostToWorker,
  type WorkerToHost,
} from '../../../src/protocol/workerMessages.js';
import { WorkerProcess } from '../../../src/extension/worker/workerProcess.js';
import { serveWorker, WORKER_EXIT } from '../../../src/worker/workerRun.js';
import type { WorkerPort } from '../../../src/worker/workerPort.js';
import { fakeClaim, fakePipeline } from './fixtures/fakePipeline.js';
import { bundleFakeWorker } from './fixtures/fakeWorkerBundle.js';

const KEY = 'sk-test-KEY-7c1e93b2d4';
const LLM = { enabled: true, baseUrl: 'http://127.0.0.1:9/v1', model: 'scripted-model', maxRequests: 7, cacheDir: '/tmp/llm-cache' };

function verifyMessage(job: Record<string, unknown>): unknown {
  return { type: 'verify', job: { cardPath: '/w/card.md', workspaceRoot: '/w', ...job }, window: 8 };
}

describe('wire schemas carry the LLM key and options', () => {
  it('keeps llmApiKey, workspaceTrusted and options.llm (zod would strip unknown keys)', () => {
    const parsed = HostToWorkerSchema.parse(verifyMessage({ llmApiKey: KEY, workspaceTrusted: false, options: { maxClaims: 10, llm: LLM } }));
    expect(parsed.type).toBe('verify');
    if (parsed.type !== 'verify') return;
    expect(parsed.job.llmApiKey).toBe(KEY);
    expect(parsed.job.workspaceTrusted).toBe(false);
    expect(parsed.job.options?.llm).toMatchObject(LLM);
    expect(parsed.job.options?.maxClaims).toBe(10);
  });

  it('leaves them out when the host sends none', () => {
    const parsed = HostToWorkerSchema.parse(verifyMessage({}));
    if (parsed.type !== 'verify') throw new Error('not a verify message');
    expect(parsed.job.llmApiKey).toBeUndefined();
    expect(parsed.job.workspaceTrusted).toBeUndefined();
    expect(parsed.job.options?.llm).toBeUndefined();
  });

  it('rejects an empty or oversized key and malformed LLM options', () => {
    expect(HostToWorkerSchema.safeParse(verifyMessage({ llmApiKey: '' })).success).toBe(false);
    expect(HostToWorkerSchema.safeParse(verifyMessage({ llmApiKey: 'k'.repeat(MAX_LLM_API_KEY_CHARS + 1) })).success).toBe(false);
    expect(HostToWorkerSchema.safeParse(verifyMessage({ workspaceTrusted: 'yes' })).success).toBe(false);
    expect(HostToWorkerSchema.safeParse(verifyMessage({ options: { llm: { baseUrl: 'not a url' } } })).success).toBe(false);
    expect(HostToWorkerSchema.safeParse(verifyMessage({ options: { llm: { maxRequests: 0 } } })).success).toBe(false);
  });

  it('a verify message with the longest key and full LLM options stays under the 16 KB ceiling', () => {
    const message = verifyMessage({
      llmApiKey: 'k'.repeat(MAX_LLM_API_KEY_CHARS),
      workspaceTrusted: true,
      options: { maxFileBytes: 2 << 20, include: ['outputs/**/metrics.json'], exclude: ['data/**'], maxClaims: 2000, llm: LlmOptionsSchema.parse(LLM) },
    }) as HostToWorker;
    expect(() => assertMessageSize(message)).not.toThrow();
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(MAX_MESSAGE_BYTES / 2);
  });
});

/** The test plays the host over an in-process port. */
function fakePort() {
  const sent: WorkerToHost[] = [];
  let onMessage: (m: unknown) => void = () => undefined;
  const port: WorkerPort = {
    send: async (m) => {
      WorkerToHostSchema.parse(m);
      sent.push(m);
    },
    onMessage: (h) => (onMessage = h),
    onDisconnect: () => undefined,
  };
  return { port, sent, deliver: (m: unknown) => onMessage(m) };
}
const noLines = async () => ({ format: 'text' as const, lines: [] });

describe('the worker hands the key and trust to runPipeline', () => {
  it('passes llmApiKey, workspaceTrusted and options.llm through', async () => {
    const { port, deliver } = fakePort();
    let seen: VerifyJob | undefined;
    const exit = serveWorker(port, {
      runPipeline: async (job, sink, signal) => {
        seen = job;
        return fakePipeline({ claims: 1 })(job, sink, signal);
      },
      loadCardLines: noLines,
    });
    deliver(verifyMessage({ llmApiKey: KEY, workspaceTrusted: false, options: { llm: LLM } }));
    expect(await exit).toBe(WORKER_EXIT.ok);
    expect(seen?.llmApiKey).toBe(KEY);
    expect(seen?.workspaceTrusted).toBe(false);
    expect(seen?.options?.llm).toMatchObject(LLM);
  });

  it('passes neither when the job has none (the engine then defaults to trusted, no key)', async () => {
    const { port, deliver } = fakePort();
    let seen: VerifyJob | undefined;
    const exit = serveWorker(port, {
      runPipeline: async (job, sink, signal) => {
        seen = job;
        return fakePipeline({ claims: 0 })(job, sink, signal);
      },
      loadCardLines: noLines,
    });
    deliver(verifyMessage({}));
    expect(await exit).toBe(WORKER_EXIT.ok);
    expect(seen).toBeDefined();
    expect('llmApiKey' in (seen ?? {})).toBe(false);
    expect('workspaceTrusted' in (seen ?? {})).toBe(false);
  });

  it('scrubs the key from the warnings, claims and errors it sends', async () => {
    const { port, sent, deliver } = fakePort();
    const exit = serveWorker(port, {
      runPipeline: async (job, sink) => {
        sink.warning({ path: 'llm', message: `401 from the endpoint: Authorization: Bearer ${KEY} refused` });
        const claim = fakeClaim(1);
        await sink.claim({ ...claim, explanation: `echoed ${KEY}`, evidence: claim.evidence.map((e) => ({ ...e, snippet: `key=${KEY}` })) });
        throw new Error(`the endpoint said: invalid key ${KEY}`);
      },
      loadCardLines: noLines,
    });
    deliver(verifyMessage({ llmApiKey: KEY, options: { llm: LLM } }));
    deliver({ type: 'ack', upTo: 1 });
    expect(await exit).toBe(WORKER_EXIT.failed);
    const text = JSON.stringify(sent);
    expect(text).not.toContain(KEY);
    expect(text).toContain('echoed ***');
    expect(text).toContain('invalid key ***');
    expect(sent.some((m) => m.type === 'event' && m.event.type === 'warning')).toBe(true);
  });
});

describe('the key crosses to a real forked worker only in the IPC message', () => {
  let dir: string;
  let script: string;

  let dispose: () => void;

  beforeAll(async () => {
    ({ dir, script, dispose } = await bundleFakeWorker('cardcheck-llm-worker-'));
  });

  afterAll(() => dispose());

  it('reaches the pipeline, is in neither env nor argv, and never comes back', async () => {
    const warnings: EngineWarning[] = [];
    let procChecked = false;
    let procLeak = false;
    const worker = WorkerProcess.verify(
      { script, heapMb: 128, env: { FAKE_CLAIMS: '3', FAKE_DELAY_MS: '30', FAKE_REPORT_KEY: '1' } },
      { cardPath: join(dir, 'card.md'), workspaceRoot: dir, llmApiKey: KEY, workspaceTrusted: true, options: { llm: LLM } },
      undefined,
      {
        onClaim: () => {
          const pid = worker.pid;
          if (procChecked || pid === undefined || process.platform !== 'linux') return;
          // What the OS shows of the live worker: its command line and its environment.
          procChecked = true;
          for (const f of ['cmdline', 'environ']) {
            try {
              if (readFileSync(`/proc/${pid}/${f}`, 'latin1').includes(KEY)) procLeak = true;
            } catch {
              // The worker may already be gone.
            }
          }
        },
        onWarning: (w) => void warnings.push(w),
      },
    );
    const outcome = await worker.outcome;
    expect(outcome.kind).toBe('done');
    const report = warnings.find((w) => w.path === 'key-report');
    expect(report, JSON.stringify(warnings)).toBeDefined();
    expect(JSON.parse(report!.message)).toEqual({ keyLength: KEY.length, inEnv: false, inArgv: false, trusted: true, llmModel: 'scripted-model' });
    const careless = warnings.find((w) => w.path === 'careless');
    expect(careless?.message).toBe('request failed with key ***');
    expect(JSON.stringify(warnings)).not.toContain(KEY);
    if (process.platform === 'linux') {
      expect(procChecked).toBe(true);
      expect(procLeak).toBe(false);
    }
  });
});
