import type { Claim, ClaimValue } from '../card/claim.js';
import type { Range } from '../model.js';
import { parseCardNumber } from '../verify/numbers.js';
import { keysInText } from '../verify/keyMatch.js';
import { contentTokens } from '../verify/tokens.js';
import type { LlmClient } from './client.js';
import { EXTRACTION_FORMAT, EXTRACTION_SYSTEM, ExtractionSchema, extractionUserMessage, type Extraction } from './prompts.js';

/**
 * Structured claim extraction for card text the engine found no value in. The model's output is
 * validated by zod, and a claim is kept only if its quote is text of the card and its value
 * stands in that quote; its range comes from where the quote stands in the card.
 */

export interface ExtractionInput {
  id: string;
  text: string;
  range: Range;
  headings: string[];
}

export interface ExtractionResult {
  claims: Claim[];
  /** Claims the model gave that failed the quote checks. */
  dropped: number;
  /** Why nothing usable came back (refusal, unreadable JSON). */
  problem?: string;
}

const MAX_CLAIMS = 8;

export async function extractClaims(client: LlmClient, input: ExtractionInput, cardLines: readonly string[], signal?: AbortSignal): Promise<ExtractionResult> {
  const reply = await client.chat({
    messages: [
      { role: 'system', content: EXTRACTION_SYSTEM },
      { role: 'user', content: extractionUserMessage(input.text, input.headings) },
    ],
    responseFormat: EXTRACTION_FORMAT,
  }, signal);
  if (reply.refusal) return { claims: [], dropped: 0, problem: 'the model declined to extract claims' };
  const parsed = parseExtraction(reply.content ?? '');
  if (!parsed.ok) return { claims: [], dropped: 0, problem: parsed.error };
  return keepQuoted(parsed.value, input, cardLines);
}

export function parseExtraction(content: string): { ok: true; value: Extraction } | { ok: false; error: string } {
  const body = (/```(?:json)?\s*\n([\s\S]*?)```/i.exec(content)?.[1] ?? content).trim();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: 'the extraction was not valid JSON' };
  }
  const r = ExtractionSchema.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: `the extraction did not match its schema (${r.error.issues[0]?.message ?? 'invalid'})` };
}

/** Keeps the claims whose quote is card text and whose value is in the quote. */
export function keepQuoted(extraction: Extraction, input: ExtractionInput, cardLines: readonly string[]): ExtractionResult {
  const claims: Claim[] = [];
  let dropped = 0;
  const sentenceWords = new Set(contentTokens(input.text));
  for (const item of extraction.claims.slice(0, MAX_CLAIMS)) {
    const quote = item.quote.trim();
    const value = item.value.trim();
    if (quote === '' || value === '' || findLoose(input.text, quote) < 0 || findLoose(quote.toLowerCase(), value.toLowerCase()) < 0) {
      dropped++;
      continue;
    }
    // The quantity must be the card's words too, or the model could steer which facts are compared.
    const quantityWords = contentTokens(item.quantity);
    const keyText = quantityWords.length > 0 && quantityWords.every((w) => sentenceWords.has(w)) ? item.quantity : quote.replace(value, ' ');
    const claimValue = valueOf(value, item.kind, keyText);
    claims.push({
      id: `${input.id}.x${claims.length + 1}`,
      text: quote,
      kind: item.kind,
      range: rangeOf(quote, input.range, cardLines),
      context: input.text,
      keyText,
      keys: keysInText(keyText, 'card'),
      value: claimValue,
      headings: input.headings,
    });
  }
  return { claims, dropped };
}

function valueOf(value: string, kind: string, keyText: string): ClaimValue {
  const n = parseCardNumber(value);
  if (n) return { type: 'number', number: n };
  if (kind === 'license') return { type: 'license', license: value };
  const version = /^v?(\d+(?:\.\d+)+)$/i.exec(value);
  if (kind === 'dependency' && version) return { type: 'version', pkg: keyText.trim(), version: version[1] };
  return { type: 'name', name: value };
}

function rangeOf(quote: string, fallback: Range, cardLines: readonly string[]): Range {
  for (let line = fallback.start.line; line <= fallback.end.line; line++) {
    const text = cardLines[line - 1] ?? '';
    const from = line === fallback.start.line ? Math.max(0, fallback.start.column - 1) : 0;
    const at = text.indexOf(quote, from);
    if (at >= 0) return { start: { line, column: at + 1 }, end: { line, column: at + 1 + quote.length } };
  }
  return fallback;
}

/** Index of `needle` in `hay`, runs of white space counting as one; -1 when absent. */
function findLoose(hay: string, needle: string): number {
  const exact = hay.indexOf(needle);
  if (exact >= 0) return exact;
  const re = new RegExp(needle.split(/\s+/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  return re.exec(hay)?.index ?? -1;
}
