import type { ClaimKind, Range } from '../model.js';
import type { CardNumber } from '../verify/numbers.js';

/** What a card asserts, as the verifier sees it (the report shows a subset). */
export interface Claim {
  id: string;
  /** The claim's words as they stand in the card. */
  text: string;
  kind: ClaimKind;
  range: Range;
  /** The whole sentence / row the claim was taken from: qualifiers live there. */
  context: string;
  /** Words that name the quantity (around the number, a table's row header, a front-matter key). */
  keyText: string;
  /** Canonical keys recognised in keyText (most specific first); empty when none. */
  keys: string[];
  value: ClaimValue;
  headings: string[];
  /** Set when the claim stands in a section that states no facts about code (intended use, contact). */
  notCheckable?: boolean;
  /** Offsets of the claim in `context` (prose), to cut merged claims back out of the sentence. */
  span?: [number, number];
  /** A factor of a product the card spells out ("16 per GPU × 4 steps × 8 GPUs"). */
  factor?: boolean;
  /** The row of a comparison table this value belongs to ("gpt2-medium"): evidence must be about it. */
  rowQualifier?: string;
  /** A row of a logged series (a per-epoch results table): the code's final value may differ. */
  series?: boolean;
  /** Where a series row stands in its log: the row's step and epoch cells ("| 0.2419 | 1.48 | 1000 | …"). */
  seriesAt?: { step?: number; epoch?: number };
  /** Reported only when supported: a clause beside a sentence's values that may or may not state a fact. */
  optional?: boolean;
  /** Sub-claims of a compound claim ("β1 = 0.9 and β2 = 0.999"): all must hold. */
  parts?: Claim[];
}

export type InequalityOp = '>' | '>=' | '<' | '<=';

export type ClaimValue =
  | { type: 'number'; number: CardNumber }
  | { type: 'inequality'; op: InequalityOp; bound: CardNumber }
  | { type: 'range'; lo: CardNumber; hi: CardNumber }
  | { type: 'list'; items: CardNumber[] }
  | { type: 'plusminus'; mean: CardNumber; err: CardNumber }
  | { type: 'version'; pkg: string; version: string }
  | { type: 'license'; license: string }
  | { type: 'name'; name: string; family?: string; variant?: { family: string; size: string }; precision?: 'bf16' | 'fp16' | 'fp32' }
  | { type: 'identifiers'; ids: string[]; action: 'dropped' | 'kept' }
  | { type: 'mention' };
