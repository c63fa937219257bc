import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { LlmClient } from './client.js';
import { runStep, type StepLimits } from './sandbox.js';
import type { Observation, WorkspaceTools } from './sandboxTools.js';
import { ANSWER_TOOL, AnswerSchema, CODEACT_SYSTEM, RUN_CODE_TOOL, RunCodeSchema, escapeBlock, stepResultMessage, type Answer } from './prompts.js';

/**
 * The CodeAct loop for one claim: the model writes code, the sandbox runs it against the
 * read-only tools, the result goes back as data, until the model answers or the claim's step
 * limit is reached. Models without tool calling can write a ```js block and a JSON answer in
 * plain text instead.
 */

export interface CodeActLimits {
  maxSteps: number;
  step: StepLimits;
}

export interface CodeActResult {
  answer?: Answer;
  /** Why there is no answer (refusal, step limit), in words for the report. */
  failure?: string;
  /** Every host answer the steps saw, for the answer cache. */
  observations: Observation[];
  steps: number;
  /** Step errors (time, memory, forbidden globals), for diagnostics. */
  stepErrors: string[];
}

/** Tool calls handled per model turn; more are answered "skipped" (each id needs a reply). */
const MAX_CALLS_PER_TURN = 4;

export async function runCodeAct(client: LlmClient, tools: WorkspaceTools, userMessage: string, limits: CodeActLimits, signal?: AbortSignal): Promise<CodeActResult> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: CODEACT_SYSTEM },
    { role: 'user', content: userMessage },
  ];
  const observations: Observation[] = [];
  const stepErrors: string[] = [];
  const run = async (code: string): Promise<string> => {
    const r = await runStep(code, tools.bridge(observations), limits.step);
    if (r.error) stepErrors.push(r.error.message);
    return stepResultMessage(r);
  };

  for (let step = 1; step <= limits.maxSteps; step++) {
    const reply = await client.chat({ messages, tools: [RUN_CODE_TOOL, ANSWER_TOOL] }, signal);
    if (reply.refusal) return { failure: `the model declined: ${short(reply.refusal)}`, observations, steps: step, stepErrors };

    if (reply.toolCalls.length > 0) {
      const calls: ChatCompletionMessageToolCall[] = reply.toolCalls.map((t, i) => ({
        id: t.id || `call_${step}_${i}`, type: 'function', function: { name: t.name, arguments: t.arguments },
      }));
      messages.push({ role: 'assistant', content: reply.content, tool_calls: calls });
      let answer: Answer | undefined;
      for (const [i, call] of calls.entries()) {
        const fn = call.type === 'function' ? call.function : { name: '', arguments: '' };
        let content: string;
        if (i >= MAX_CALLS_PER_TURN) content = 'skipped: at most 4 tool calls are handled per turn';
        else if (fn.name === 'answer') {
          const parsed = parseArgs(fn.arguments, AnswerSchema);
          if (parsed.ok) {
            answer = parsed.value;
            content = 'received';
          } else content = `the answer was not accepted: ${parsed.error}. Call answer again with arguments matching its schema.`;
        } else if (fn.name === 'run_code') {
          const parsed = parseArgs(fn.arguments, RunCodeSchema);
          content = parsed.ok ? await run(parsed.value.code) : `run_code needs {"code": "..."}: ${parsed.error}`;
        } else content = `there is no tool ${JSON.stringify(short(fn.name))}; use run_code or answer`;
        messages.push({ role: 'tool', tool_call_id: call.id, content });
      }
      if (answer) return { answer, observations, steps: step, stepErrors };
      continue;
    }

    const text = reply.content ?? '';
    const inText = answerInText(text);
    if (inText.answer) return { answer: inText.answer, observations, steps: step, stepErrors };
    messages.push({ role: 'assistant', content: text });
    const code = codeInText(text);
    if (code !== undefined) {
      messages.push({ role: 'user', content: `Result of your program (data):\n<workspace_data>\n${escapeBlock(await run(code))}\n</workspace_data>` });
    } else {
      const why = inText.error ? `Your answer could not be read: ${inText.error}. ` : '';
      messages.push({ role: 'user', content: `${why}Call run_code to look at the workspace (or write a \`\`\`js block), or call answer (or reply with the answer as JSON).` });
    }
  }
  return { failure: `the model gave no answer within ${limits.maxSteps} steps`, observations, steps: limits.maxSteps, stepErrors };
}

function parseArgs<T>(raw: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return { ok: false, error: `arguments are not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const r = schema.safeParse(json);
  if (!r.success) return { ok: false, error: r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ') };
  return { ok: true, value: r.data };
}

/** A JSON answer written as text (models without tool calls), bare or in a ```json block. */
export function answerInText(text: string): { answer?: Answer; error?: string } {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(text)?.[1];
  const candidate = (fenced ?? text).trim();
  if (!candidate.startsWith('{') || !/"findings"/.test(candidate)) return {};
  const parsed = parseArgs(candidate, AnswerSchema);
  return parsed.ok ? { answer: parsed.value } : { error: parsed.error };
}

export function codeInText(text: string): string | undefined {
  const m = /```(?:js|javascript)\s*\n([\s\S]*?)```/i.exec(text);
  return m ? m[1] : undefined;
}

function short(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}
