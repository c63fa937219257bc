import type { ClaimKind } from '../model.js';
import { KEY_VOCABULARY } from './keyVocabulary.js';
import { contentTokens } from './tokens.js';

interface CompiledPhrase { key: string; tokens: string[] }

type Side = 'card' | 'code' | 'cardAfter';

function compile(side: Side): CompiledPhrase[] {
  const out: CompiledPhrase[] = [];
  for (const e of KEY_VOCABULARY) {
    const own = side === 'code' ? e.code : side === 'card' ? e.card : [...(e.card ?? []), ...(e.countNouns ?? [])];
    const phrases = [...e.both, ...(own ?? [])];
    for (const p of phrases) {
      const tokens = contentTokens(p);
      if (tokens.length > 0) out.push({ key: e.key, tokens });
    }
  }
  // Longer phrases first: "min lr" must win over "lr".
  return out.sort((a, b) => b.tokens.length - a.tokens.length);
}

const CARD_PHRASES = compile('card');
const CARD_AFTER_PHRASES = compile('cardAfter');
const CODE_PHRASES = compile('code');
const KIND = new Map(KEY_VOCABULARY.map((e) => [e.key, e.kind]));

/**
 * Canonical keys named in a text, most specific first. A phrase matches where its tokens stand
 * contiguously; tokens claimed by a longer phrase are not reused by a shorter one.
 */
export function keysInText(text: string, side: 'card' | 'code'): string[] {
  return keysInTokens(contentTokens(text), side);
}

export function keysInTokens(tokens: string[], side: 'card' | 'code'): string[] {
  return keyMatches(tokens, side).map((m) => m.key);
}

/**
 * Keys of a code name, whose head noun comes last in snake_case: `gpu_memory` is a memory, not a
 * GPU count; `num_gpus` is. A key matches only where its phrase reaches the name's last word.
 */
export function keysOfCodeName(name: string): string[] {
  // "in" is no content word, so `in_channels` would read as `channels` (a layer's output channels).
  if (/(?:^|[._])in_?(?:channels|chans)$/i.test(name)) return ['in_channels'];
  const tokens = contentTokens(name);
  // Phrases are longest first, so the most specific suffix wins ("accumulation steps" over
  // "steps"), and a shorter one inside it names nothing more: `layer_norm_epsilon` is no
  // optimizer's epsilon, `min_lr` no learning rate.
  for (const p of CODE_PHRASES) {
    if (p.tokens.length > tokens.length) continue;
    const at = tokens.length - p.tokens.length;
    if (!p.tokens.every((t, k) => tokens[at + k] === t)) continue;
    // A bound on a quantity is not the quantity: `min_rows` is no row count, `max_samples` no
    // sample count (a key that is a bound says so in its own phrase: "max epochs", "min lr").
    return BOUND_WORDS.has(tokens[at - 1] ?? '') ? [] : [p.key];
  }
  return [];
}

const BOUND_WORDS = new Set(contentTokens('min max minimum maximum'));

/**
 * "5 random seeds", "200 batches": a number before the plural of a key that counts nothing
 * (a seed, a batch size) counts those things; only a key one of whose own phrases is that plural
 * ("epochs", "layers") is set by it.
 */
export function countsInstancesOf(key: string, after: string): boolean {
  const m = /^\s*(?:[A-Za-z-]+\s+)?([A-Za-z]+?)(es|s)\b/.exec(after);
  if (!m) return false;
  const plural = (m[1] + m[2]).toLowerCase();
  const singulars = [m[1].toLowerCase(), (m[1] + (m[2] === 'es' ? 'e' : '')).toLowerCase()];
  const entry = KEY_VOCABULARY.find((e) => e.key === key);
  if (!entry) return false;
  const words = [...entry.both, ...(entry.card ?? []), ...(entry.countNouns ?? [])].map((ph) => ph.toLowerCase().split(/\s+/));
  const namesSingular = words.some((w) => singulars.includes(w[w.length - 1]));
  const namesPlural = words.some((w) => w.includes(plural));
  return namesSingular && !namesPlural;
}

/**
 * Canonical keys in card words around a value, nearest first: a table's row header, then the
 * words right after the value ("512 units"), then the words before it from the nearest back.
 */
export function keysAroundValue(tableKey: string, before: string, after: string): string[] {
  const ordered = (text: string, nearestLast: boolean, side: Side) => {
    const m = keyMatches(contentTokens(text), side);
    return m.sort((a, b) => (nearestLast ? b.at - a.at : a.at - b.at)).map((x) => x.key);
  };
  // Count nouns name a value only from right after it ("30,000 clients", not "the same sample is 0.4").
  // The noun phrase after a value ends at a preposition: "90,000 steps with a sequence length of".
  const nounPhrase = after.split(/\s(?:with|for|to|from|on|in|at|by|per|during|after|before|using|via|across|over|while)\s/i)[0];
  // Unless a name starts right at the value and runs past one: "40 points to double the odds".
  const spanning = keyMatches(contentTokens(leadingWords(after, 4)), 'cardAfter').filter((m) => m.at === 0 && (m.len ?? 0) > 1).map((m) => m.key);
  // A value inside parentheses is about the noun before them: "2 frequency masks (width up to 15)".
  const open = before.lastIndexOf('(');
  const inParentheses = open >= 0 && !before.includes(')', open);
  const beforeKeys = inParentheses ? [...ordered(before.slice(0, open), true, 'card'), ...ordered(before.slice(open + 1), true, 'card')] : ordered(before, true, 'card');
  const keys = [...ordered(tableKey, false, 'cardAfter'), ...spanning, ...ordered(leadingWords(nounPhrase, 3), false, 'cardAfter'), ...beforeKeys];
  return [...new Set(keys)];
}

/** The words of `text` up to its n-th content word: "points double the odds" keeps "odds". */
function leadingWords(text: string, n: number): string {
  const words = text.trim().split(/\s+/);
  let content = 0;
  let i = 0;
  for (; i < words.length && content < n; i++) if (contentTokens(words[i]).length > 0) content++;
  return words.slice(0, i).join(' ');
}

function keyMatches(tokens: string[], side: Side): { key: string; at: number; len?: number }[] {
  const used = new Array<boolean>(tokens.length).fill(false);
  const found: { key: string; at: number; len?: number }[] = [];
  for (const p of side === 'card' ? CARD_PHRASES : side === 'cardAfter' ? CARD_AFTER_PHRASES : CODE_PHRASES) {
    for (let i = 0; i + p.tokens.length <= tokens.length; i++) {
      let ok = true;
      for (let k = 0; k < p.tokens.length; k++) {
        if (used[i + k] || tokens[i + k] !== p.tokens[k]) { ok = false; break; }
      }
      if (!ok) continue;
      for (let k = 0; k < p.tokens.length; k++) used[i + k] = true;
      if (!found.some((f) => f.key === p.key)) found.push({ key: p.key, at: i, len: p.tokens.length });
    }
  }
  return found;
}

export function kindOfKey(key: string): ClaimKind {
  return KIND.get(key) ?? 'other';
}

/** The words a card may use to name a key ("roc", "auc" for auc): not qualifiers of an evaluation. */
export function wordsOfKey(key: string): ReadonlySet<string> {
  let words = KEY_WORDS.get(key);
  if (!words) {
    words = new Set(CARD_PHRASES.filter((p) => p.key === key).flatMap((p) => p.tokens));
    KEY_WORDS.set(key, words);
  }
  return words;
}

/** wordsOfKey's answers: the vocabulary is fixed, and decisions ask per candidate fact. */
const KEY_WORDS = new Map<string, ReadonlySet<string>>();
