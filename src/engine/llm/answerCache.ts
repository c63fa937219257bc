import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AnswerSchema, PROMPT_VERSION, type Answer } from './prompts.js';
import type { Observation } from './sandboxTools.js';

/**
 * Model answers kept by (claim, the facts it saw, model). The key covers the claim, the facts put
 * in its prompt, the model name and the prompt version (not the endpoint: the same model served
 * elsewhere answers alike); the entry keeps a hash of every
 * tool answer the model's programs saw, and a hit counts only when replaying those tool calls
 * gives the same data (the workspace did not change under the answer). The engine re-checks the
 * citations of a cached answer like a fresh one.
 */

export interface CachedAnswer {
  answer: Answer;
  observations: Observation[];
}

const EntrySchema = z.object({
  version: z.literal(PROMPT_VERSION),
  answer: AnswerSchema,
  observations: z.array(z.object({ tool: z.string(), args: z.array(z.unknown()), hash: z.string() })),
});

const MEMORY_ENTRIES = 500;

export class AnswerCache {
  private readonly memory = new Map<string, CachedAnswer>();
  private diskFailed = false;

  constructor(private readonly dir?: string, private readonly onDiskError?: (message: string) => void) {}

  static key(parts: { model: string; claim: unknown; facts: unknown }): string {
    return createHash('sha256').update(JSON.stringify({ v: PROMPT_VERSION, ...parts })).digest('hex');
  }

  get(key: string): CachedAnswer | undefined {
    const hit = this.memory.get(key);
    if (hit) return hit;
    if (!this.dir) return undefined;
    try {
      const parsed = EntrySchema.safeParse(JSON.parse(readFileSync(this.file(key), 'utf8')));
      if (!parsed.success) return undefined;
      const entry: CachedAnswer = { answer: parsed.data.answer, observations: parsed.data.observations };
      this.remember(key, entry);
      return entry;
    } catch {
      return undefined;
    }
  }

  set(key: string, entry: CachedAnswer): void {
    this.remember(key, entry);
    if (!this.dir || this.diskFailed) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const target = this.file(key);
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: PROMPT_VERSION, ...entry }));
      renameSync(temp, target);
    } catch (e) {
      this.diskFailed = true;
      this.onDiskError?.(`cannot write the LLM answer cache in ${this.dir}: ${e instanceof Error ? e.message : String(e)}; answers are kept in memory only`);
    }
  }

  private remember(key: string, entry: CachedAnswer): void {
    if (this.memory.size >= MEMORY_ENTRIES) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
    this.memory.set(key, entry);
  }

  private file(key: string): string {
    return path.join(this.dir ?? '.', `${key}.json`);
  }
}
