/**
 * What the bench needs from the engine itself, bundled by bench/run.mjs: the files a run reads
 * (so the peers scan exactly those), the Python rules as ast-grep CLI rule files, the key names
 * a card's claims look for (ripgrep's pattern), and words as the engine compares them.
 */
import path from 'node:path';
import { loadCard } from '../src/engine/card/loadCard.js';
import { extractClaimUnits } from '../src/engine/card/extractClaims.js';
import { PYTHON_RULES } from '../src/engine/facts/pythonRules.js';
import { KEY_VOCABULARY } from '../src/engine/verify/keyVocabulary.js';
import { walkWorkspace } from '../src/engine/workspace/walkWorkspace.js';
import { contentTokens, splitWords } from '../src/engine/verify/tokens.js';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Absolute paths of the files a run reads: all of them, and the Python ones. */
export async function filesOfRun(root: string, card: string): Promise<{ read: string[]; python: string[] }> {
  const read: string[] = [];
  const python: string[] = [];
  const walk = walkWorkspace(root, { maxFileBytes: MAX_FILE_BYTES, include: [], exclude: [], excludePaths: [path.resolve(card)] }, () => undefined);
  for await (const f of walk) {
    if (f.kind === 'other') continue;
    read.push(f.absPath);
    if (f.kind === 'python') python.push(f.absPath);
  }
  return { read, python };
}

/** The words the engine matches in `text` (as the card's fact filter compares them). */
export function wordsOf(text: string): string[] {
  return [...new Set([...contentTokens(text), ...splitWords(text)])];
}

/** The card's words, for picking an edit the card cannot see. */
export async function cardWords(card: string): Promise<string[]> {
  const doc = await loadCard(card);
  return wordsOf(doc.lines.join('\n'));
}

/** PYTHON_RULES as one multi-document ast-grep rule file (JSON is YAML). */
export function pythonRulesYaml(): string {
  return Object.entries(PYTHON_RULES)
    .map(([id, config]) => JSON.stringify({ id, language: 'python', severity: 'info', ...config }))
    .join('\n---\n');
}

/**
 * A case-insensitive regex of every code name the card's claims are keyed on (the vocabulary's
 * code-side phrases of each claimed key, `_`, `-`, `.` or nothing between words).
 */
export async function cardKeyPattern(card: string): Promise<{ pattern: string; keys: string[]; claims: number }> {
  const doc = await loadCard(card);
  const units = extractClaimUnits(doc);
  const keys = new Set<string>();
  let claims = 0;
  for (const u of units) {
    claims += Math.max(1, u.atoms.length);
    for (const a of u.atoms) for (const k of a.keys) keys.add(k);
  }
  const names = new Set<string>();
  for (const entry of KEY_VOCABULARY) {
    if (!keys.has(entry.key)) continue;
    for (const phrase of [...entry.both, ...(entry.code ?? [])]) {
      names.add(phrase.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map(escape).join('[_.-]?'));
    }
  }
  const pattern = `(?i)\\b(${[...names].filter(Boolean).sort().join('|')})\\b`;
  return { pattern, keys: [...keys].sort(), claims };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
