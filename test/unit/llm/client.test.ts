import { afterEach, describe, expect, it } from 'vitest';
import { LlmBudgetError, LlmClient, LlmFatalError, LlmRequestError, type LlmClientOptions } from '../../../src/engine/llm/client.js';
import { startScriptedServer, type Script, type ScriptedServer } from './scriptedServer.js';

const KEY = 'sk-test-SECRET-0123456789';
let server: ScriptedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: Script, o: Partial<LlmClientOptions> = {}): Promise<LlmClient> {
  server = await startScriptedServer(script);
  return new LlmClient({ baseUrl: server.url, model: 'scripted-model', apiKey: KEY, timeoutMs: 2000, maxRequests: 20, maxTokens: 100_000, maxRetries: 3, retryBaseMs: 5, stream: false, ...o });
}

const ASK = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe.each([false, true])('LLM client (stream: %s)', (stream) => {
  it('reads content and sends the key only as the Authorization header', async () => {
    const c = await clientFor([{ content: 'hi there' }], { stream });
    const r = await c.chat(ASK);
    expect(r.content).toBe('hi there');
    expect(r.toolCalls).toEqual([]);
    expect(server?.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server?.requests[0].body.stream ?? false).toBe(stream);
    expect(c.usage.requests).toBe(1);
    expect(c.usage.promptTokens).toBeGreaterThan(0);
    expect(c.usage.completionTokens).toBe(20);
  });

  it('assembles tool calls, malformed arguments kept raw for the caller', async () => {
    const c = await clientFor([{ toolCalls: [{ name: 'run_code', arguments: { code: 'listFiles()' } }, { name: 'answer', arguments: '{"findings": [' }] }], { stream });
    const r = await c.chat(ASK);
    expect(r.toolCalls.map((t) => [t.name, t.arguments])).toEqual([['run_code', '{"code":"listFiles()"}'], ['answer', '{"findings": [']]);
    expect(r.finishReason).toBe('tool_calls');
  });

  it('reports a refusal', async () => {
    const c = await clientFor([{ refusal: 'I cannot help with that.' }], { stream });
    expect((await c.chat(ASK)).refusal).toBe('I cannot help with that.');
  });

  it('retries 429 and 5xx with backoff, each attempt counted', async () => {
    const c = await clientFor([
      { status: 429, headers: { 'retry-after-ms': '10' } },
      { status: 500 },
      { status: 503 },
      { content: 'finally' },
    ], { stream });
    expect((await c.chat(ASK)).content).toBe('finally');
    expect(c.usage).toMatchObject({ requests: 4, retries: 3 });
  });
});

describe('LLM client failures', () => {
  it('gives up after its retries with a clear error', async () => {
    const c = await clientFor(() => ({ status: 502 }), { maxRetries: 2 });
    await expect(c.chat(ASK)).rejects.toThrow(LlmRequestError);
    expect(server?.requests).toHaveLength(3);
  });

  it('never retries past the request budget', async () => {
    const c = await clientFor(() => ({ status: 429 }), { maxRequests: 2, maxRetries: 5 });
    await expect(c.chat(ASK)).rejects.toThrow(/rate limiting \(429\)/);
    expect(server?.requests).toHaveLength(2);
    await expect(c.chat(ASK)).rejects.toThrow(LlmBudgetError);
    expect(server?.requests).toHaveLength(2);
  });

  it('stops at the token budget', async () => {
    const c = await clientFor(() => ({ content: 'ok' }), { maxTokens: 25 });
    await c.chat(ASK);
    await expect(c.chat(ASK)).rejects.toThrow(/token budget \(25\) is spent/);
    expect(server?.requests).toHaveLength(1);
  });

  it('times out a server that never answers, streaming or not', async () => {
    for (const stream of [false, true]) {
      const c = await clientFor(() => ({ hang: true }), { timeoutMs: 150, maxRetries: 1, stream });
      const started = Date.now();
      await expect(c.chat(ASK)).rejects.toThrow(/did not answer within 150 ms/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(server?.requests).toHaveLength(2);
      await server?.close();
      server = undefined;
    }
  });

  it('retries an unreadable body once, then fails', async () => {
    const c = await clientFor([{ raw: 'this is not json' }, { raw: '{"choices": [' }], { maxRetries: 1 });
    await expect(c.chat(ASK)).rejects.toThrow(LlmRequestError);
    expect(server?.requests).toHaveLength(2);
  });

  it('treats a refused key as fatal and never echoes it', async () => {
    const c = await clientFor(() => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}` } } }));
    const err = await c.chat(ASK).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmFatalError);
    expect(String((err as Error).message)).toMatch(/refused the API key \(401\)/);
    expect(JSON.stringify(err) + String((err as Error).message) + String((err as Error).stack)).not.toContain('SECRET');
    expect(server?.requests).toHaveLength(1);
  });

  it('scrubs a key echoed in other errors', async () => {
    const c = await clientFor(() => ({ status: 400, body: { error: { message: `bad request for key ${KEY}` } } }));
    const err = (await c.chat(ASK).then(() => new Error("resolved"), (e: unknown) => e)) as Error;
    expect(err.message).toMatch(/rejected the request \(400\)/);
    expect(err.message).not.toContain('SECRET');
  });

  it('names an unknown model as fatal', async () => {
    const c = await clientFor(() => ({ status: 404, body: { error: { message: 'model not found' } } }));
    await expect(c.chat(ASK)).rejects.toThrow(/has no model "scripted-model"/);
  });

  it('stops waiting when the run is cancelled', async () => {
    const c = await clientFor(() => ({ hang: true }), { timeoutMs: 10_000 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('cancelled')), 50);
    await expect(c.chat(ASK, abort.signal)).rejects.toThrow(/cancelled/);
  });
});
