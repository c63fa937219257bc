import type { ClaimResult, Evidence } from '../engine/model.js';
import { MAX_MESSAGE_BYTES } from './events.js';

/**
 * Shrinks a claim result until its message fits the 16 KB ceiling (DESIGN.md memory rule 2):
 * snippets are cut to about 200 characters, at most a few evidence entries travel, long texts are
 * cut. The first evidence entry decides the verdict, so order is kept and the tail is dropped.
 */

export const MAX_SNIPPET_CHARS = 240;
export const MAX_EVIDENCE_PER_CLAIM = 5;
const MAX_TEXT_CHARS = 1000;
const MAX_PATH_CHARS = 512;
/** Room for the envelope (`{"type":"event","event":{"type":"claim","seq":…,"claim":…}}`). */
const ENVELOPE_BYTES = 256;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function trimEvidence(e: Evidence, snippetChars: number): Evidence {
  return { ...e, path: truncate(e.path, MAX_PATH_CHARS), snippet: truncate(e.snippet, snippetChars) };
}

export function fitClaimResult(claim: ClaimResult, ceiling = MAX_MESSAGE_BYTES): ClaimResult {
  const budget = ceiling - ENVELOPE_BYTES;
  let fitted: ClaimResult = {
    ...claim,
    text: truncate(claim.text, MAX_TEXT_CHARS),
    explanation: truncate(claim.explanation, MAX_TEXT_CHARS),
    evidence: claim.evidence.slice(0, MAX_EVIDENCE_PER_CLAIM).map((e) => trimEvidence(e, MAX_SNIPPET_CHARS)),
    ...(claim.key !== undefined ? { key: truncate(claim.key, 200) } : {}),
    ...(claim.cardValue !== undefined ? { cardValue: truncate(claim.cardValue, 200) } : {}),
    ...(claim.codeValue !== undefined ? { codeValue: truncate(claim.codeValue, 200) } : {}),
  };
  // Characters outside ASCII can take up to 6 bytes once JSON-escaped: shrink until it fits.
  let snippetChars = MAX_SNIPPET_CHARS;
  let textChars = MAX_TEXT_CHARS;
  while (bytesOf(fitted) > budget) {
    if (fitted.evidence.length > 1) {
      fitted = { ...fitted, evidence: fitted.evidence.slice(0, fitted.evidence.length - 1) };
    } else if (snippetChars > 40) {
      snippetChars = Math.floor(snippetChars / 2);
      fitted = { ...fitted, evidence: fitted.evidence.map((e) => trimEvidence(e, snippetChars)) };
    } else if (textChars > 80) {
      textChars = Math.floor(textChars / 2);
      fitted = { ...fitted, text: truncate(fitted.text, textChars), explanation: truncate(fitted.explanation, textChars) };
    } else {
      fitted = { ...fitted, evidence: fitted.evidence.map((e) => ({ ...e, path: truncate(e.path, 120) })) };
      if (bytesOf(fitted) > budget) fitted = { ...fitted, evidence: [] };
      break;
    }
  }
  return fitted;
}
