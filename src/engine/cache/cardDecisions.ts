import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ClaimResultSchema, type ClaimResult } from '../model.js';
import { LOOKED_AT_ALL, LOOKED_AT_NAMES, lookupsOf, LOOKED_AT_WORD, type FactWords, type FileIndexPart } from '../verify/factIndex.js';
import type { Fact } from '../facts/fact.js';
import { FactFilterSpecSchema } from '../verify/factRelevance.js';
import { encodeFact } from './factCodec.js';
import { sha1Hex } from './factPack.js';
import type { WarmStart } from './warmStart.js';

/**
 * A card's verdicts as its last complete run decided them, with what they were decided on: the
 * card snapshot's generation (cardSnapshot.ts), per card word how many files said it, and per
 * claim unit the lookups deciding it made in the index. Deciding is a pure function of the card
 * and its index, so a re-run hands back the results of every unit none of whose lookups answers
 * differently after the edits; when that is all of them, the index is not even built.
 */
const BudgetPlaceSchema = z.tuple([z.string(), z.number().int().min(0)]);
export type BudgetPlace = z.infer<typeof BudgetPlaceSchema>;

const CardDecisionsSchema = z.object({
  version: z.literal(1),
  /** Engine, options, card path and text (see `decisionsKey`): anything else decides afresh. */
  key: z.string(),
  /** What the card's filter keeps (derived from the card alone): the claims need not be read to build it. */
  filter: FactFilterSpecSchema,
  /** The snapshot's generation after the run that decided these. */
  snapshot: z.string(),
  factsIndexed: z.number().int().min(0),
  /**
   * Where the fact budget's count reached its soft and its hard limit (null: never): the file, and
   * the count when it was added. An edit after both places cannot shift what other files admit.
   */
  crossed: z.tuple([BudgetPlaceSchema.nullable(), BudgetPlaceSchema.nullable()]),
  /** Config file stems the index held (FactIndex.configNames): any change of them decides afresh. */
  configNames: z.array(z.string()),
  /** Where each claim unit is in the card (ClaimUnitPlace): a unit decided again is extracted alone. */
  places: z.array(z.tuple([z.number().int().min(-1), z.number().int().min(0), z.number().int().min(0)])),
  dropped: z.number().int().min(0),
  /** [card word, files that say it]. */
  words: z.array(z.tuple([z.string(), z.number().int().min(1)])),
  /** Warnings about the card as a whole (claims left out, the fact budget), repeated on reuse. */
  warnings: z.array(z.string()),
  /** Each claim unit's results, in card order. */
  units: z.array(z.array(ClaimResultSchema)),
  /** Per unit, what deciding it looked up in the index (FactIndex.track): it is decided again only when one of these changed. */
  looked: z.array(z.array(z.string())),
});
export type CardDecisions = z.infer<typeof CardDecisionsSchema>;

/** What the verdicts depend on besides the index: a different one decides afresh. */
export function decisionsKey(parts: { engine: string; options: unknown; cardPath: string; format: string; lines: readonly string[] }): string {
  return sha1Hex(JSON.stringify([parts.engine, parts.options, path.resolve(parts.cardPath), parts.format, parts.lines]));
}

function decisionsFile(dir: string, cardPath: string): string {
  return path.join(dir, `decisions-${sha1Hex(path.resolve(cardPath)).slice(0, 16)}.json`);
}

/**
 * The card's previous decisions if they were made with `key` (the caller checks they were made on
 * the snapshot it has); undefined otherwise. A damaged or foreign file reads as none: the claims
 * are decided again.
 */
export async function loadCardDecisions(dir: string, cardPath: string, key: string, warm?: WarmStart): Promise<CardDecisions | undefined> {
  const file = decisionsFile(dir, cardPath);
  const decisions = warm ? await warm.through('decisions', file, () => readCardDecisions(file)) : await readCardDecisions(file);
  return decisions?.key === key ? decisions : undefined;
}

async function readCardDecisions(file: string): Promise<CardDecisions | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
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
  return parsed.success ? parsed.data : undefined;
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

/** What a file gave an index, as far as the verdicts can tell (see `DecisionCheck.apply`). */
export interface FileView {
  /** The facts the index took from it (as the budget admitted them), with their words. */
  part: FileIndexPart;
  /** The card words it says (see FactIndex.wordFiles). */
  words: Iterable<string>;
  /** All its facts, kept or dropped: a change in number is one in the dropped count. */
  facts: number;
}

/**
 * Applies a run's changed, added and deleted files to the previous decisions and tells which of
 * the index's lookups (FactIndex.track) now answer differently: the kept facts that changed, and
 * the vocabulary words that appeared or went.
 */
export class DecisionCheck {
  private readonly counts: Map<string, number>;
  private invalid = false;
  private readonly lookups = new Set<string>();
  /** Facts the index keeps now more than before (as the budget admits them). */
  private admittedDelta = 0;
  /** Facts of every kind (kept or dropped) the workspace has now more than before. */
  private factsDelta = 0;

  /** Set when a change may move a place where the previous run's budget reached a limit. */
  private budgetShifted = false;

  /** `limits`: the fact budget's soft and hard limits. */
  constructor(private readonly previous: CardDecisions, private readonly limits: readonly [number, number]) {
    this.counts = new Map(previous.words);
  }

  /** A change may move a place where the previous run's budget reached a limit (see DeferredIndex.check): what every later file admits may differ. */
  shiftsBudget(): void {
    this.budgetShifted = true;
  }

  /** Whether it is already known that every claim must be decided again. */
  get stale(): boolean {
    return this.invalid;
  }

  /** Every claim must be decided again, for a reason the lookups cannot express (a record that cannot be read). */
  invalidate(): void {
    this.invalid = true;
  }

  /** One file as the previous run's index saw it and as this run's would (undefined: the file was not there). */
  apply(before: FileView | undefined, after: FileView | undefined): void {
    const configNames = (v: FileView | undefined) => [...(v?.part.configNames ?? [])].sort().join('\u0000');
    if (configNames(before) !== configNames(after)) this.invalid = true;
    const changed = new Map<string, { fact: Fact; words: FactWords; count: number }>();
    const tally = (v: FileView | undefined, sign: 1 | -1): void => {
      const part = v?.part;
      if (!part || part.facts.length === 0) return;
      if (part.words?.length !== part.facts.length) {
        this.invalid = true;
        return;
      }
      const words = part.words;
      part.facts.forEach((fact, i) => {
        const key = JSON.stringify([encodeFact(fact), words[i].keys, words[i].tokens, words[i].lineWords]);
        const e = changed.get(key) ?? { fact, words: words[i], count: 0 };
        e.count += sign;
        changed.set(key, e);
      });
    };
    tally(before, -1);
    tally(after, 1);
    for (const { fact, words, count } of changed.values()) if (count !== 0) for (const l of lookupsOf(fact, words)) this.lookups.add(l);
    this.admittedDelta += (after?.part.facts.length ?? 0) - (before?.part.facts.length ?? 0);
    for (const w of before?.words ?? []) this.counts.set(w, (this.counts.get(w) ?? 0) - 1);
    for (const w of after?.words ?? []) this.counts.set(w, (this.counts.get(w) ?? 0) + 1);
    this.factsDelta += (after?.facts ?? 0) - (before?.facts ?? 0);
  }

  /** Lookups that answer differently now, or undefined when every claim must be decided again. */
  changedLookups(): ReadonlySet<string> | undefined {
    if (this.invalid || this.dropped < 0 || !this.budgetHolds()) return undefined;
    const out = new Set(this.lookups);
    const before = new Set(this.previous.words.map(([w]) => w));
    for (const [w, n] of this.counts) {
      if (n < 0) return undefined;
      if ((n > 0) !== before.has(w)) out.add(`${LOOKED_AT_WORD}${w}`);
    }
    return out;
  }

  /** Facts the index leaves out after the changes (outside the fact budget: see `changedLookups`). */
  get dropped(): number {
    return this.previous.dropped + this.factsDelta - this.admittedDelta;
  }

  /** Facts the index keeps after the changes (outside the fact budget: see `changedLookups`). */
  get factsIndexed(): number {
    return this.previous.factsIndexed + this.admittedDelta;
  }

  /**
   * Whether every unchanged file admits what it did: no change moved a place where the budget
   * reached a limit (see DeferredIndex.check), and a limit not reached before is not reached now
   * (the count of kept facts bounds the budget's, which leaves out versions and licences).
   */
  private budgetHolds(): boolean {
    const crossed = this.previous.crossed;
    if (this.budgetShifted) return false;
    return this.limits.every((limit, i) => crossed[i] !== null || (this.previous.factsIndexed < limit && this.factsIndexed < limit));
  }

  /** The counts after the changes, for the next run's record. */
  words(): [string, number][] {
    return [...this.counts].filter(([, n]) => n > 0);
  }
}

/**
 * What the units to decide again (those that looked up one of `changed`) looked up, all of it:
 * an index answering just these decides them as the whole one would. Undefined when one of them
 * scanned every fact or the names, which no smaller index answers.
 */
export function lookupScope(previous: CardDecisions, changed: ReadonlySet<string>): Set<string> | undefined {
  const scope = new Set<string>();
  for (const looked of previous.looked) {
    if (!looked.some((l) => changed.has(l))) continue;
    for (const l of looked) {
      if (l === LOOKED_AT_ALL || l === LOOKED_AT_NAMES) return undefined;
      scope.add(l);
    }
  }
  return scope;
}

/** A unit's results as the record keeps them: copies, since a sink may annotate what it is given. */
export function recordedUnit(results: readonly ClaimResult[]): ClaimResult[] {
  return structuredClone([...results]);
}
