import { z } from 'zod';
import { LlmOptionsSchema } from './llm/llmOptions.js';

export const EngineOptionsSchema = z.object({
  /** Files larger than this are skipped with a warning (or tail-read for metric logs). */
  maxFileBytes: z.number().int().positive().default(2 * 1024 * 1024),
  /** Extra globs to include / exclude, relative to the workspace root. */
  include: z.array(z.string()).default([]),
  exclude: z.array(z.string()).default([]),
  /** Upper bound on claims taken from one card; hitting it is reported as a warning. */
  maxClaims: z.number().int().positive().default(2000),
  /** Files read and parsed at once. */
  concurrency: z.number().int().positive().default(8),
  /** The optional LLM pass (off unless `llm.enabled`); its API key travels as `VerifyJob.llmApiKey`, never here. */
  llm: LlmOptionsSchema.optional(),
});
export type EngineOptions = z.infer<typeof EngineOptionsSchema>;
export type EngineOptionsInput = z.input<typeof EngineOptionsSchema>;
