import { createServer } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A minimal OpenAI-compatible chat-completions endpoint on 127.0.0.1 for the extension-host suite
 * (the approach of test/unit/llm/scriptedServer.ts, self-contained because the e2e files are
 * compiled one by one, not bundled). It extracts no claims and answers every check "unverified",
 * so the engine's verdicts stand, and records the Authorization header of each request.
 */

export interface ScriptedLlm {
  /** Base URL for `cardcheck.llm.baseUrl` (ends in /v1). */
  url: string;
  requests: { authorization: string | undefined; extraction: boolean }[];
  close(): Promise<void>;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  response_format?: unknown;
  messages?: { role?: string; content?: unknown }[];
}

/** The check ids the pass put in the first user message's card data (answered one by one). */
function checkIds(body: ChatBody): string[] {
  const user = body.messages?.find((m) => m.role === 'user');
  const block = /<card_data>\n([\s\S]*?)\n<\/card_data>/.exec(typeof user?.content === 'string' ? user.content : '');
  try {
    const data = JSON.parse(block?.[1] ?? '{}') as { checks?: { id?: unknown }[] };
    const ids = (data.checks ?? []).map((c) => c.id).filter((id): id is string => typeof id === 'string');
    return ids.length > 0 ? ids : ['c1'];
  } catch {
    return ['c1'];
  }
}

export async function startScriptedLlm(): Promise<ScriptedLlm> {
  const requests: ScriptedLlm['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.url ?? ''}` } }));
        return;
      }
      let body: ChatBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatBody;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad JSON' } }));
        return;
      }
      const extraction = body.response_format !== undefined;
      requests.push({ authorization: req.headers.authorization, extraction });
      const toolCall = extraction
        ? undefined
        : {
            id: `call_${requests.length}`,
            type: 'function' as const,
            function: {
              name: 'answer',
              arguments: JSON.stringify({
                findings: checkIds(body).map((check) => ({ check, verdict: 'unverified', codeValue: null, citations: [] })),
                explanation: 'scripted: nothing found',
              }),
            },
          };
      const content = toolCall ? null : JSON.stringify({ claims: [] });
      const message = { role: 'assistant', content, refusal: null, ...(toolCall ? { tool_calls: [toolCall] } : {}) };
      const prompt = Math.ceil(JSON.stringify(body.messages ?? []).length / 4);
      const usage = { prompt_tokens: prompt, completion_tokens: 20, total_tokens: prompt + 20 };
      const base = { id: 'chatcmpl-scripted', created: 1_700_000_000, model: body.model ?? 'scripted' };
      const finish = toolCall ? 'tool_calls' : 'stop';
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage }));
        return;
      }
      // Streaming is off by default in the extension; answer it anyway as one chunk per part.
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: object, finishReason: string | null) =>
        res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] })}\n\n`);
      if (toolCall) chunk({ role: 'assistant', tool_calls: [{ index: 0, ...toolCall }] }, null);
      else chunk({ role: 'assistant', content }, null);
      chunk({}, finish);
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
