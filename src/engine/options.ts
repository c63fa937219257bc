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
  /**
   * Files read and parsed at once. Unset: 8 with extraction threads, 4 on the engine's own thread,
   * where parses run ahead on libuv's pool and each waiting tree holds native memory (pipeline.ts).
   */
  concurrency: z.number().int().positive().optional(),
  /**
   * Worker threads that extract Python files' and notebooks' facts (src/engine/facts/extractionPool.ts);
   * 0 extracts them on the engine's own thread. Unset: env CARDCHECK_EXTRACT_THREADS, else
   * min(2, available cores).
   */
  extractThreads: z.number().int().min(0).max(64).optional(),
  /**
   * Index only the facts the card's claims can use (src/engine/verify/factRelevance.ts), so memory
   * follows the card rather than the workspace. Off: every fact is indexed. The LLM pass, whose
   * questions are not known in advance, always indexes everything.
   */
  factFilter: z.boolean().default(true),
  /**
   * Memory bound of the filtered index: beyond this many facts only those naming a setting the
   * card states are kept, beyond twice as many none (each limit is reported as a warning).
   */
  maxIndexedFacts: z.number().int().positive().default(50_000),
  /** Folder of the fact cache (facts per file, reused while a file is unchanged); none when absent. */
  cacheDir: z.string().min(1).optional(),
  /** The optional LLM pass (off unless `llm.enabled`); its API key travels as `VerifyJob.llmApiKey`, never here. */
  llm: LlmOptionsSchema.optional(),
});
export type EngineOptions = z.infer<typeof EngineOptionsSchema>;
export type EngineOptionsInput = z.input<typeof EngineOptionsSchema>;
