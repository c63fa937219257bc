import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { SecretRedactor } from './secretRedactor.js';

/**
 * The one door to the model: any OpenAI-compatible endpoint through the `openai` package, with
 * the run's budget (requests and tokens) enforced before every attempt, our own retry of 429/5xx
 * and timeouts with backoff (each attempt counts against the budget), and every message that
 * leaves this module scrubbed of the API key.
 */

export interface LlmClientOptions {
  baseUrl: string;
  model: string;
  /** Absent for local servers that need none. Never logged, never part of an error. */
  apiKey?: string;
  timeoutMs: number;
  maxRequests: number;
  maxTokens: number;
  maxRetries: number;
  retryBaseMs: number;
  /** Longest wait a server's Retry-After may impose. */
  maxRetryDelayMs?: number;
  stream: boolean;
  /** Largest completion asked for in one request. */
  maxCompletionTokens?: number;
}

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  responseFormat?: ResponseFormatJSONSchema;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text as the model wrote it: parsed (and possibly rejected) by the caller. */
  arguments: string;
}

export interface ChatReply {
  content: string | null;
  refusal: string | null;
  toolCalls: ToolCall[];
  finishReason: string | null;
}

export interface LlmUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  retries: number;
  /** Time spent waiting on the endpoint, summed over requests. */
  requestMs: number;
}

/** The run's request or token budget is spent: no more calls this run. */
export class LlmBudgetError extends Error {
  override readonly name = 'LlmBudgetError';
}

/** The endpoint refuses us for the whole run (bad key, unknown model, wrong URL). */
export class LlmFatalError extends Error {
  override readonly name = 'LlmFatalError';
}

/** One call failed after its retries; the next claim may still succeed. */
export class LlmRequestError extends Error {
  override readonly name = 'LlmRequestError';
}

const DEFAULT_COMPLETION_TOKENS = 2048;
const DEFAULT_MAX_RETRY_DELAY = 20_000;

export class LlmClient {
  readonly usage: LlmUsage = { requests: 0, promptTokens: 0, completionTokens: 0, retries: 0, requestMs: 0 };
  readonly redactor: SecretRedactor;
  private readonly openai: OpenAI;

  constructor(private readonly o: LlmClientOptions) {
    this.redactor = new SecretRedactor(o.apiKey);
    this.openai = new OpenAI({
      baseURL: o.baseUrl,
      // Local servers take any key; the client refuses to start without one.
      apiKey: o.apiKey && o.apiKey.length > 0 ? o.apiKey : 'no-key',
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: o.timeoutMs,
      logLevel: 'off',
    });
  }

  get model(): string {
    return this.o.model;
  }

  /** Requests and tokens left; a caller may skip work it cannot finish. */
  budgetLeft(): { requests: number; tokens: number } {
    return { requests: this.o.maxRequests - this.usage.requests, tokens: this.o.maxTokens - this.usage.promptTokens - this.usage.completionTokens };
  }

  async chat(req: ChatRequest, signal?: AbortSignal): Promise<ChatReply> {
    for (let attempt = 0; ; attempt++) {
      this.checkBudget();
      signal?.throwIfAborted();
      this.usage.requests++;
      const started = Date.now();
      const timer = AbortSignal.timeout(this.o.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timer]) : timer;
      try {
        return this.o.stream ? await this.streamed(req, combined) : await this.single(req, combined);
      } catch (err) {
        if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
        const failure = this.classify(err, timer.aborted);
        if (failure.fatal) throw new LlmFatalError(failure.message);
        if (!failure.retry || attempt >= this.o.maxRetries || !this.hasBudget()) throw new LlmRequestError(failure.message);
        this.usage.retries++;
        await sleep(this.retryDelay(attempt, err), signal);
      } finally {
        this.usage.requestMs += Date.now() - started;
      }
    }
  }

  private body(req: ChatRequest) {
    const left = this.budgetLeft().tokens;
    return {
      model: this.o.model,
      messages: req.messages,
      ...(req.tools && req.tools.length > 0 ? { tools: req.tools } : {}),
      ...(req.responseFormat ? { response_format: req.responseFormat } : {}),
      // max_tokens is the spelling every compatible server (Ollama, vLLM, llama.cpp) reads.
      max_tokens: Math.max(16, Math.min(this.o.maxCompletionTokens ?? DEFAULT_COMPLETION_TOKENS, left)),
      temperature: 0,
    };
  }

  private async single(req: ChatRequest, signal: AbortSignal): Promise<ChatReply> {
    const res = await this.openai.chat.completions.create({ ...this.body(req), stream: false }, { signal });
    this.count(res.usage?.prompt_tokens, res.usage?.completion_tokens, req, JSON.stringify(res.choices[0]?.message ?? ''));
    const choice = res.choices[0];
    if (!choice) throw new LlmRequestError('the endpoint answered without a choice');
    const m = choice.message;
    const toolCalls: ToolCall[] = [];
    for (const t of m.tool_calls ?? []) {
      if (t.type === 'function') toolCalls.push({ id: t.id, name: t.function.name, arguments: t.function.arguments });
    }
    return { content: m.content ?? null, refusal: m.refusal ?? null, toolCalls, finishReason: choice.finish_reason ?? null };
  }

  private async streamed(req: ChatRequest, signal: AbortSignal): Promise<ChatReply> {
    const stream = await this.openai.chat.completions.create({ ...this.body(req), stream: true, stream_options: { include_usage: true } }, { signal });
    let content = '';
    let refusal = '';
    let finishReason: string | null = null;
    const calls = new Map<number, ToolCall>();
    let usage: ChatCompletionChunk['usage'];
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      const d = choice.delta;
      if (d.content) content += d.content;
      if (d.refusal) refusal += d.refusal;
      for (const t of d.tool_calls ?? []) {
        const c = calls.get(t.index) ?? { id: '', name: '', arguments: '' };
        if (t.id) c.id = t.id;
        if (t.function?.name) c.name += t.function.name;
        if (t.function?.arguments) c.arguments += t.function.arguments;
        calls.set(t.index, c);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    this.count(usage?.prompt_tokens, usage?.completion_tokens, req, content + refusal + [...calls.values()].map((c) => c.arguments).join(''));
    return { content: content || null, refusal: refusal || null, toolCalls: [...calls.values()].filter((c) => c.name !== ''), finishReason };
  }

  /** Servers that report no usage are charged an estimate (4 characters a token), so the budget still binds. */
  private count(prompt: number | undefined, completion: number | undefined, req: ChatRequest, out: string): void {
    this.usage.promptTokens += prompt ?? Math.ceil(JSON.stringify(req.messages).length / 4);
    this.usage.completionTokens += completion ?? Math.ceil(out.length / 4);
  }

  private hasBudget(): boolean {
    const left = this.budgetLeft();
    return left.requests > 0 && left.tokens > 0;
  }

  private checkBudget(): void {
    const left = this.budgetLeft();
    if (left.requests <= 0) throw new LlmBudgetError(`the request budget (${this.o.maxRequests}) is spent`);
    if (left.tokens <= 0) throw new LlmBudgetError(`the token budget (${this.o.maxTokens}) is spent`);
  }

  private classify(err: unknown, timedOut: boolean): { retry: boolean; fatal: boolean; message: string } {
    const where = this.redactor.url(this.o.baseUrl);
    if (timedOut || (err instanceof APIUserAbortError && timedOut)) return { retry: true, fatal: false, message: `${where} did not answer within ${this.o.timeoutMs} ms` };
    if (err instanceof APIConnectionError) return { retry: true, fatal: false, message: this.redactor.scrub(`cannot reach ${where}: ${err.message}`) };
    if (err instanceof APIError) {
      const status = err.status ?? 0;
      const detail = this.redactor.scrub(shortMessage(err.message));
      if (status === 401 || status === 403) return { retry: false, fatal: true, message: `${where} refused the API key (${status})` };
      if (status === 404) return { retry: false, fatal: true, message: `${where} has no model "${this.o.model}" or is not an OpenAI-compatible endpoint (404): ${detail}` };
      if (status === 429) return { retry: true, fatal: false, message: `${where} is rate limiting (429): ${detail}` };
      if (status >= 500) return { retry: true, fatal: false, message: `${where} failed (${status}): ${detail}` };
      return { retry: false, fatal: false, message: `${where} rejected the request (${status}): ${detail}` };
    }
    // The body was not JSON, a stream broke off: the endpoint misbehaved this once.
    return { retry: true, fatal: false, message: this.redactor.scrub(`${where} sent an unreadable answer: ${err instanceof Error ? shortMessage(err.message) : String(err)}`) };
  }

  private retryDelay(attempt: number, err: unknown): number {
    const cap = this.o.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY;
    const backoff = this.o.retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
    const headers = err instanceof APIError ? err.headers : undefined;
    const ms = headers?.get('retry-after-ms');
    const s = headers?.get('retry-after');
    let asked: number | undefined;
    if (ms && /^\d+(\.\d+)?$/.test(ms)) asked = Number(ms);
    else if (s && /^\d+(\.\d+)?$/.test(s)) asked = Number(s) * 1000;
    else if (s) {
      const at = Date.parse(s);
      if (!Number.isNaN(at)) asked = at - Date.now();
    }
    return Math.max(0, Math.min(cap, asked ?? backoff));
  }
}

function shortMessage(m: string): string {
  const first = m.split('\n')[0];
  return first.length > 300 ? `${first.slice(0, 299)}…` : first;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
