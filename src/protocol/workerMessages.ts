import { z } from 'zod';
import { LlmOptionsSchema } from '../engine/llm/llmOptions.js';
import { EngineEventSchema, MAX_MESSAGE_BYTES } from './events.js';

/**
 * Messages between the extension host and the verification worker (a forked child process).
 * Both sides parse every message they receive with these schemas; nothing crosses unvalidated.
 */

/** Longer than any provider's key; a longer one is refused where it is entered. */
export const MAX_LLM_API_KEY_CHARS = 4096;

const EngineOptionsWireSchema = z.object({
  maxFileBytes: z.number().int().positive().optional(),
  include: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
  maxClaims: z.number().int().positive().optional(),
  concurrency: z.number().int().positive().optional(),
  /** Extraction threads (setting cardcheck.extractionThreads); zod would strip it if unlisted. */
  extractThreads: z.number().int().min(0).max(64).optional(),
  /** The fact cache's folder (the extension's workspace storage); no cache when absent. */
  cacheDir: z.string().min(1).optional(),
  /** The optional LLM pass; without it here zod would strip `llm` and the pass never reach the worker. */
  llm: LlmOptionsSchema.partial().optional(),
});

export const WireJobSchema = z.object({
  cardPath: z.string().min(1),
  workspaceRoot: z.string().min(1),
  options: EngineOptionsWireSchema.optional(),
  /** The unsaved editor buffer arrives beforehand in this many `cardText` chunks (0: read the file). */
  cardTextChunks: z.number().int().min(0).default(0),
  /**
   * The LLM endpoint's key. It travels only here, inside the verify message on the fork's IPC
   * channel (never in the worker's env or argv, never in `options`); bounded so the message stays
   * under the ceiling.
   */
  llmApiKey: z.string().min(1).max(MAX_LLM_API_KEY_CHARS).optional(),
  /** `vscode.workspace.isTrusted`: the engine refuses the LLM pass when false, whatever `options.llm` says. */
  workspaceTrusted: z.boolean().optional(),
});
export type WireJob = z.infer<typeof WireJobSchema>;

export const HostToWorkerSchema = z.discriminatedUnion('type', [
  /** A slice of an unsaved card buffer; sent before `verify` because one message is capped at 16 KB. */
  z.object({ type: z.literal('cardText'), index: z.number().int().min(0), text: z.string() }),
  z.object({ type: z.literal('verify'), job: WireJobSchema, window: z.number().int().positive() }),
  /**
   * To a worker started ahead of its job (a ready worker): the job likely to come next, without
   * card text or key. It reads what that job reads first, and says `prepared`; any job may still come.
   */
  z.object({ type: z.literal('prepare'), job: WireJobSchema.omit({ cardTextChunks: true, llmApiKey: true }) }),
  /** Load a card and send its text lines back (what a .docx card's virtual document shows). */
  z.object({ type: z.literal('cardLines'), cardPath: z.string().min(1) }),
  /** Cumulative: every claim with `seq <= upTo` has been handled by the host. */
  z.object({ type: z.literal('ack'), upTo: z.number().int() }),
  z.object({ type: z.literal('cancel') }),
]);
export type HostToWorker = z.infer<typeof HostToWorkerSchema>;

export const WorkerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: EngineEventSchema }),
  z.object({
    type: z.literal('lines'),
    format: z.enum(['markdown', 'docx', 'text']),
    lines: z.array(z.string()),
    last: z.boolean(),
  }),
  /** Engine warnings beyond the forwarding cap are only counted; the count arrives before `done`. */
  z.object({ type: z.literal('warningsOmitted'), count: z.number().int().min(1) }),
  /** The worker is loaded and listening: sent once, first (see extension/worker/readyWorker.ts). */
  z.object({ type: z.literal('ready') }),
  /** A ready worker has read ahead what its `prepare` message named. */
  z.object({ type: z.literal('prepared') }),
]);
export type WorkerToHost = z.infer<typeof WorkerToHostSchema>;

export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';
  constructor(readonly bytes: number, readonly kind: string) {
    super(`${kind} message of ${bytes} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte ceiling`);
  }
}

export function messageBytes(message: unknown): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

/** Throws when a message would break the size ceiling; senders shrink payloads before this point. */
export function assertMessageSize(message: { type: string }, ceiling = MAX_MESSAGE_BYTES): void {
  const bytes = messageBytes(message);
  if (bytes > ceiling) throw new MessageTooLargeError(bytes, message.type);
}

/** Splits text into slices whose JSON encoding stays well under the ceiling. */
export function splitText(text: string, sliceChars = 2048): string[] {
  const slices: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + sliceChars);
    // Keep surrogate pairs whole so each slice is valid UTF-16.
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    slices.push(text.slice(start, end));
    start = end;
  }
  return slices;
}

/**
 * Groups lines into batches each under `budget` bytes of JSON. A single line longer than the
 * budget is cut (the virtual document shows it truncated rather than the message growing).
 */
export function batchLines(lines: readonly string[], budget = 12 * 1024): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const maxLineChars = Math.floor(budget / 6); // JSON may escape a UTF-16 unit into 6 bytes
  for (const raw of lines) {
    const line = raw.length > maxLineChars ? `${raw.slice(0, maxLineChars)}…` : raw;
    const bytes = Buffer.byteLength(JSON.stringify(line), 'utf8') + 1;
    if (current.length > 0 && size + bytes > budget) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += bytes;
  }
  if (current.length > 0 || batches.length === 0) batches.push(current);
  return batches;
}
