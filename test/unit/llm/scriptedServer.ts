import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 that plays back scripted model
 * turns, over real HTTP, streaming (SSE) or not as the client asks. Tests drive the real
 * `openai` client against it.
 */

export interface ScriptedToolCall {
  name: string;
  /** Raw JSON text (may be malformed on purpose) or an object to serialise. */
  arguments: string | object;
}

export type Turn =
  | { toolCalls: ScriptedToolCall[]; content?: string }
  | { content: string }
  | { refusal: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers: the client's timeout must end the request. */
  | { hang: true }
  /** A 200 whose body is this text as is (not JSON). */
  | { raw: string };

export interface RecordedRequest {
  body: ChatBody;
  headers: IncomingHttpHeaders;
}

export interface ChatBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
  response_format?: unknown;
  max_tokens?: number;
}

export type Script = Turn[] | ((req: RecordedRequest, n: number) => Turn);

export interface ScriptedServer {
  /** Base URL for the client (ends in /v1). */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const EXHAUSTED: Turn = { content: '(the script has no more turns)' };

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
      const recorded = { body, headers: req.headers };
      requests.push(recorded);
      const n = requests.length - 1;
      const turn = typeof script === 'function' ? script(recorded, n) : (script[n] ?? EXHAUSTED);
      answer(res, turn, body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function usage(body: ChatBody): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const prompt = Math.ceil(JSON.stringify(body.messages).length / 4);
  return { prompt_tokens: prompt, completion_tokens: 20, total_tokens: prompt + 20 };
}

function answer(res: ServerResponse, turn: Turn, body: ChatBody): void {
  if ('hang' in turn) return;
  if ('status' in turn) {
    res.writeHead(turn.status, { 'content-type': 'application/json', ...turn.headers });
    res.end(JSON.stringify(turn.body ?? { error: { message: `scripted ${turn.status}`, type: 'scripted' } }));
    return;
  }
  if ('raw' in turn) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(turn.raw);
    return;
  }
  const toolCalls = 'toolCalls' in turn
    ? turn.toolCalls.map((t, i) => ({ id: `call_${i}_${Math.random().toString(36).slice(2, 8)}`, type: 'function' as const, function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments) } }))
    : [];
  const content = 'content' in turn ? (turn.content ?? null) : null;
  const refusal = 'refusal' in turn ? turn.refusal : null;
  const finish = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const base = { id: 'chatcmpl-scripted', created: 1_700_000_000, model: body.model ?? 'scripted' };
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      ...base, object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }, finish_reason: finish, logprobs: null }],
      usage: usage(body),
    }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (delta: object, finishReason: string | null = null): void => {
    res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`);
  };
  send({ role: 'assistant', content: '' });
  if (content) for (const part of halves(content)) send({ content: part });
  if (refusal) for (const part of halves(refusal)) send({ refusal: part });
  toolCalls.forEach((t, index) => {
    send({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.function.name, arguments: '' } }] });
    for (const part of halves(t.function.arguments)) send({ tool_calls: [{ index, function: { arguments: part } }] });
  });
  send({}, finish);
  if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: usage(body) })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function halves(s: string): string[] {
  const mid = Math.ceil(s.length / 2);
  return [s.slice(0, mid), s.slice(mid)].filter((x) => x.length > 0);
}

/** The last tool-result or user message the model was sent (what the previous step produced). */
export function lastToolResult(req: RecordedRequest): string {
  const m = [...req.body.messages].reverse().find((x) => x.role === 'tool' || x.role === 'user');
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? '');
}
