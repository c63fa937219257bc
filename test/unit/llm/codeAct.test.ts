import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmClient } from '../../../src/engine/llm/client.js';
import { runCodeAct, type CodeActLimits } from '../../../src/engine/llm/codeAct.js';
import { WorkspaceTools } from '../../../src/engine/llm/sandboxTools.js';
import { FactIndex } from '../../../src/engine/verify/factIndex.js';
import { tempWorkspace } from '../../support/tempWorkspace.js';
import { lastToolResult, startScriptedServer, type Script, type ScriptedServer } from './scriptedServer.js';

const ws = tempWorkspace({
  'train.py': 'import torch\n\nLR = 3e-4\nmodel = Encoder(512, 6)\n',
  'configs/base.yaml': 'optim:\n  lr: 0.0003\n',
  'card.md': '# card\n',
});
let tools: WorkspaceTools;
let server: ScriptedServer | undefined;
const LIMITS: CodeActLimits = { maxSteps: 4, step: { timeMs: 300, memoryBytes: 16 << 20 } };
const ANSWER = { findings: [{ check: 'c1', verdict: 'supported', codeValue: '6', citations: [{ path: 'train.py', line: 4, quote: 'Encoder(512, 6)' }] }], explanation: 'found it' };

beforeAll(async () => {
  tools = await WorkspaceTools.open({ root: ws.root, cardAbs: path.join(ws.root, 'card.md'), maxFileBytes: 1 << 20, include: [], exclude: [], index: new FactIndex() });
});
afterAll(() => ws.dispose());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(script: Script, stream = false) {
  server = await startScriptedServer(script);
  const client = new LlmClient({ baseUrl: server.url, model: 'm', apiKey: 'k', timeoutMs: 2000, maxRequests: 20, maxTokens: 100_000, maxRetries: 0, retryBaseMs: 1, stream });
  return runCodeAct(client, tools, 'check the claim', LIMITS);
}

describe('CodeAct loop', () => {
  it.each([false, true])('runs the model\'s code in the sandbox and takes its answer (stream: %s)', async (stream) => {
    const r = await run([
      { toolCalls: [{ name: 'run_code', arguments: { code: 'grep("Encoder\\\\(", { glob: "**/*.py" })' } }] },
      { toolCalls: [{ name: 'answer', arguments: ANSWER }] },
    ], stream);
    expect(r.answer).toEqual(ANSWER);
    expect(r.steps).toBe(2);
    const seen = JSON.parse(lastToolResult(server!.requests[1])) as { ok: boolean; result: string };
    expect(seen.ok).toBe(true);
    expect(JSON.parse(seen.result)).toEqual([{ path: 'train.py', line: 4, text: 'model = Encoder(512, 6)' }]);
    // The card is not a workspace file the model can read.
    expect(tools.listFiles()).toEqual(['configs/base.yaml', 'train.py']);
    expect(r.observations.length).toBeGreaterThan(0);
  });

  it('tells the model about malformed arguments and goes on', async () => {
    const r = await run([
      { toolCalls: [{ name: 'answer', arguments: '{"findings": [ {"check": "c1", ' }] },
      { toolCalls: [{ name: 'answer', arguments: { findings: 'all good' } }] },
      { toolCalls: [{ name: 'answer', arguments: ANSWER }] },
    ]);
    expect(r.answer).toEqual(ANSWER);
    expect(lastToolResult(server!.requests[1])).toMatch(/not accepted: arguments are not valid JSON/);
    expect(lastToolResult(server!.requests[2])).toMatch(/not accepted: findings:/);
  });

  it('ends an endless tool loop at the step limit', async () => {
    const r = await run(() => ({ toolCalls: [{ name: 'run_code', arguments: { code: 'listFiles()' } }] }));
    expect(r.answer).toBeUndefined();
    expect(r.failure).toBe('the model gave no answer within 4 steps');
    expect(server!.requests).toHaveLength(4);
  });

  it('reports sandbox step errors back to the model', async () => {
    const r = await run([
      { toolCalls: [{ name: 'run_code', arguments: { code: 'while (true) {}' } }] },
      { toolCalls: [{ name: 'run_code', arguments: { code: 'require("child_process").execSync("id")' } }] },
      { toolCalls: [{ name: 'run_code', arguments: { code: 'readLines("../../etc/passwd")' } }] },
      { toolCalls: [{ name: 'answer', arguments: ANSWER }] },
    ]);
    expect(r.answer).toEqual(ANSWER);
    expect(lastToolResult(server!.requests[1])).toMatch(/time limit of 300 ms/);
    expect(lastToolResult(server!.requests[2])).toMatch(/require is not available in the sandbox/);
    expect(lastToolResult(server!.requests[3])).toMatch(/no workspace file \\"..\/..\/etc\/passwd\\"/);
    expect(r.stepErrors).toHaveLength(3);
  });

  it('ends on a refusal', async () => {
    const r = await run([{ refusal: 'I will not do that.' }]);
    expect(r.failure).toBe('the model declined: I will not do that.');
    expect(server!.requests).toHaveLength(1);
  });

  it('works with a model that writes code and answers in plain text', async () => {
    const r = await run([
      { content: 'Let me look.\n```js\nreadLines("train.py", 3, 4).lines.map((l) => l.text)\n```' },
      { content: 'Not sure what to do.' },
      { content: `\`\`\`json\n${JSON.stringify(ANSWER)}\n\`\`\`` },
    ]);
    expect(r.answer).toEqual(ANSWER);
    expect(lastToolResult(server!.requests[1])).toContain('LR = 3e-4');
    expect(lastToolResult(server!.requests[2])).toMatch(/Call run_code/);
  });

  it('reads the fact index and the ast-grep tool', async () => {
    const r = await run([
      { toolCalls: [{ name: 'run_code', arguments: { code: 'astGrep("python", "Encoder($A, $B)").map((m) => m.path + ":" + m.line)' } }] },
      { toolCalls: [{ name: 'answer', arguments: ANSWER }] },
    ]);
    expect(r.answer).toBeDefined();
    expect(lastToolResult(server!.requests[1])).toContain('train.py:4');
  });
});
