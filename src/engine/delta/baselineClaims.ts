import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ClaimKindSchema, EvidenceSchema, VerdictSchema, type ClaimResult } from '../model.js';
import type { BaselineClaim } from './claimDelta.js';

/** A baseline keeps a few short evidence lines per claim: enough to say what changed. */
const KEPT_EVIDENCE = 5;
const KEPT_SNIPPET = 240;

export const BaselineClaimSchema = z.object({
  id: z.string(),
  text: z.string(),
  kind: ClaimKindSchema,
  verdict: VerdictSchema,
  evidence: z.array(EvidenceSchema),
  key: z.string().optional(),
  cardValue: z.string().optional(),
  codeValue: z.string().optional(),
});

/** What of a claim result a baseline keeps (ranges, explanations and extra evidence are dropped). */
export function toBaselineClaim(c: ClaimResult): BaselineClaim {
  const out: BaselineClaim = {
    id: c.id,
    text: c.text,
    kind: c.kind,
    verdict: c.verdict,
    evidence: c.evidence.slice(0, KEPT_EVIDENCE).map((e) => ({ ...e, snippet: e.snippet.slice(0, KEPT_SNIPPET) })),
  };
  if (c.key !== undefined) out.key = c.key;
  if (c.cardValue !== undefined) out.cardValue = c.cardValue;
  if (c.codeValue !== undefined) out.codeValue = c.codeValue;
  return out;
}

/** A problem with a baseline file, naming it. */
export class BaselineError extends Error {
  override readonly name = 'BaselineError';
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
  }
}

const JsonReportSchema = z.object({
  schemaVersion: z.literal(1, { error: 'schemaVersion must be 1 (a CardCheck JSON report)' }),
  claims: z.array(BaselineClaimSchema),
});
const NdjsonClaimSchema = z.object({ type: z.literal('claim'), claim: BaselineClaimSchema });

/**
 * The claims of a report written by `cardcheck verify --format json` (or `ndjson`). Throws
 * BaselineError saying what is wrong with the file.
 */
export async function readBaselineReport(file: string): Promise<BaselineClaim[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(file, code === 'ENOENT' ? 'baseline report not found' : `cannot read the baseline report (${e instanceof Error ? e.message : String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const claims = parseNdjson(text);
    if (claims) return claims;
    throw new BaselineError(file, `not a JSON report (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = JsonReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new BaselineError(file, `not a CardCheck report${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return parsed.data.claims.map((c) => toBaselineClaim({ ...c, range: ZERO_RANGE, confidence: 0, explanation: '' }));
}

const ZERO_RANGE = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/** An ndjson event stream's claims, or undefined when the text is not one. */
function parseNdjson(text: string): BaselineClaim[] | undefined {
  const claims: BaselineClaim[] = [];
  let events = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    events++;
    const claim = NdjsonClaimSchema.safeParse(value);
    if (claim.success) claims.push(toBaselineClaim({ ...claim.data.claim, range: ZERO_RANGE, confidence: 0, explanation: '' }));
  }
  return events > 0 ? claims : undefined;
}
