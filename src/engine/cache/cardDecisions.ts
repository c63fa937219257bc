import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ClaimResultSchema, type ClaimResult } from '../model.js';
import type { FileIndexPart } from '../verify/factIndex.js';
import { FactFilterSpecSchema } from '../verify/factRelevance.js';
import { encodeFact } from './factCodec.js';
import { sha1Hex } from './factPack.js';

/**
 * A card's verdicts as its last complete run decided them, with what they were decided on: the
 * card snapshot's generation (cardSnapshot.ts) and, per card word, how many files said it. A
 * re-run whose edits changed no fact the card's index keeps, and no word of its vocabulary, gets
 * the same verdicts from the same claims (deciding is a pure function of the card and its
 * index), so it hands these back instead of rebuilding the index and deciding every claim again.
 */
const CardDecisionsSchema = z.object({
  version: z.literal(1),
  /** Engine, options, card path and text (see `decisionsKey`): anything else decides afresh. */
  key: z.string(),
  /** What the card's filter keeps (derived from the card alone): the claims need not be read to build it. */
  filter: FactFilterSpecSchema,
  /** The snapshot's generation after the run that decided these. */
  snapshot: z.string(),
  factsIndexed: z.number().int().min(0),
  dropped: z.number().int().min(0),
  /** [card word, files that say it]. */
  words: z.array(z.tuple([z.string(), z.number().int().min(1)])),
  /** Warnings about the card as a whole (claims left out, the fact budget), repeated on reuse. */
  warnings: z.array(z.string()),
  /** Each claim unit's results, in card order. */
  units: z.array(z.array(ClaimResultSchema)),
});
export type CardDecisions = z.infer<typeof CardDecisionsSchema>;

/** What the verdicts depend on besides the index: a different one decides afresh. */
export function decisionsKey(parts: { engine: string; options: unknown; cardPath: string; format: string; lines: readonly string[] }): string {
  return sha1Hex(JSON.stringify([parts.engine, parts.options, path.resolve(parts.cardPath), parts.format, parts.lines]));
}

export function decisionsFile(dir: string, cardPath: string): string {
  return path.join(dir, `decisions-${sha1Hex(path.resolve(cardPath)).slice(0, 16)}.json`);
}

/**
 * The card's previous decisions if they were made with `key` (the caller checks they were made on
 * the snapshot it has); undefined otherwise. A damaged or foreign file reads as none: the claims
 * are decided again.
 */
export async function loadCardDecisions(dir: string, cardPath: string, key: string): Promise<CardDecisions | undefined> {
  let text: string;
  try {
    text = await readFile(decisionsFile(dir, cardPath), 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = CardDecisionsSchema.safeParse(json);
  if (!parsed.success || parsed.data.key !== key) return undefined;
  return parsed.data;
}

/** Writes the card's decisions atomically (a concurrent reader sees the old file or the new one). */
export async function saveCardDecisions(dir: string, cardPath: string, decisions: Omit<CardDecisions, 'version'>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = decisionsFile(dir, cardPath);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, JSON.stringify({ version: 1, ...decisions }));
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** Removes the card's decisions (a run that could not record new ones must not leave stale ones behind). */
export async function forgetCardDecisions(dir: string, cardPath: string): Promise<void> {
  await unlink(decisionsFile(dir, cardPath)).catch(() => undefined);
}

/**
 * What a file's part adds to the index that a verdict can see, besides vocabulary words (counted
 * separately, as many files say the same word): its kept facts with their keys and words, and the
 * config names it brings. Equal signatures, equal index.
 */
export function partSignature(part: FileIndexPart | undefined): string {
  if (!part) return '';
  if (part.facts.length === 0 && part.configNames.length === 0) return '';
  const words = part.words?.length === part.facts.length ? part.words.map((w) => [w.keys, w.tokens, w.lineWords]) : undefined;
  return JSON.stringify([part.facts.map(encodeFact), words ?? 'unknown', [...part.configNames].sort()]);
}

/** What a file gave an index, as far as the verdicts can tell (see `DecisionCheck.apply`). */
export interface FileView {
  /** `partSignature` of the facts the index took from it. */
  signature: string;
  /** The card words it says (see FactIndex.wordFiles). */
  words: Iterable<string>;
  /** All its facts, kept or dropped: a change in number is one in the dropped count. */
  facts: number;
}

/**
 * Applies a run's changed, added and deleted files to the previous decisions' counts and tells
 * whether the index the claims would see is still the one they were decided on.
 */
export class DecisionCheck {
  private readonly counts: Map<string, number>;
  private changed = false;
  dropped: number;

  constructor(private readonly previous: CardDecisions) {
    this.counts = new Map(previous.words);
    this.dropped = previous.dropped;
  }

  /** Whether it is already known that the claims must be decided again. */
  get stale(): boolean {
    return this.changed;
  }

  /** Mark the index changed for a reason the counts cannot see (a record that cannot be read). */
  invalidate(): void {
    this.changed = true;
  }

  /** One file as the previous run's index saw it and as this run's would (undefined: the file was not there). */
  apply(before: FileView | undefined, after: FileView | undefined): void {
    if ((before?.signature ?? '') !== (after?.signature ?? '')) this.changed = true;
    for (const w of before?.words ?? []) this.counts.set(w, (this.counts.get(w) ?? 0) - 1);
    for (const w of after?.words ?? []) this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
    this.dropped += (after?.facts ?? 0) - (before?.facts ?? 0);
  }

  /** Whether the previous verdicts hold: no kept fact changed and the vocabulary is the same set of words. */
  get reusable(): boolean {
    if (this.changed || this.dropped < 0) return false;
    const before = new Set(this.previous.words.map(([w]) => w));
    for (const [w, n] of this.counts) {
      if (n < 0) return false;
      if ((n > 0) !== before.has(w)) return false;
    }
    return true;
  }

  /** The counts after the changes, for the next run's record. */
  words(): [string, number][] {
    return [...this.counts].filter(([, n]) => n > 0);
  }
}

/** A unit's results as the record keeps them: copies, since a sink may annotate what it is given. */
export function recordedUnit(results: readonly ClaimResult[]): ClaimResult[] {
  return structuredClone([...results]);
}
