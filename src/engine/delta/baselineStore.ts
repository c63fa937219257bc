import { randomBytes, createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ClaimResult } from '../model.js';
import { BaselineClaimSchema, toBaselineClaim } from './baselineClaims.js';
import type { BaselineClaim } from './claimDelta.js';

const StoredRunSchema = z.object({
  version: z.literal(1),
  card: z.string(),
  savedAt: z.number(),
  claims: z.array(BaselineClaimSchema),
});

export interface StoredRun {
  card: string;
  savedAt: number;
  claims: BaselineClaim[];
}

/**
 * The previous verdicts of each card, so every run can say what changed since the last one: one
 * small JSON file per card (keyed by the card's absolute path) in a folder the caller owns (the
 * extension's workspace storage, the CLI's --cache-dir). Written atomically; an unreadable or
 * damaged file reads as "no previous run", never as an error.
 */
export class BaselineStore {
  constructor(private readonly dir: string) {}

  fileOf(cardPath: string): string {
    const id = createHash('sha1').update(path.resolve(cardPath)).digest('hex').slice(0, 16);
    return path.join(this.dir, `verdicts-${id}.json`);
  }

  async load(cardPath: string): Promise<StoredRun | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(cardPath), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = StoredRunSchema.safeParse(JSON.parse(text));
      if (!parsed.success || parsed.data.card !== path.resolve(cardPath)) return undefined;
      return { card: parsed.data.card, savedAt: parsed.data.savedAt, claims: parsed.data.claims };
    } catch {
      return undefined;
    }
  }

  /** Remembers a finished run's verdicts (only complete runs: a cancelled one would hide claims). */
  async save(cardPath: string, claims: readonly (ClaimResult | BaselineClaim)[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.fileOf(cardPath);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const run = {
      version: 1,
      card: path.resolve(cardPath),
      savedAt: Date.now(),
      claims: claims.map((c) => ('range' in c ? toBaselineClaim(c) : c)),
    };
    try {
      await writeFile(temp, JSON.stringify(run));
      await rename(temp, target);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
  }
}
