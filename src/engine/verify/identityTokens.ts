import type { Fact } from '../facts/fact.js';
import { contentTokens } from './tokens.js';

/** A construct is matched by its identity only when it has at least this many identity words. */
export const MIN_IDENTITY_TOKENS = 2;

/**
 * The words that say what a construct does: callee and key, plus a string or true value
 * (RandomHorizontalFlip ↔ "random horizontal flips", class_weight="balanced" ↔ "class weights
 * are balanced"). Empty for facts that say nothing of the kind.
 */
export function identityTokensOf(fact: Fact): string[] {
  const parts: string[] = [];
  if (fact.form === 'call' && typeof fact.value === 'string') parts.push(fact.value.split('.').pop() ?? '');
  else if (fact.form === 'keyword' || fact.form === 'config' || fact.form === 'assignment' || fact.form === 'default') {
    if (typeof fact.value === 'string' && fact.value.length <= 40) parts.push(fact.rawKey, fact.value);
    else if (fact.value === true) parts.push(fact.rawKey);
    else return [];
    // SimpleImputer(strategy="median") says "median-imputed" with its callee's words too.
    if (fact.form === 'keyword' && fact.call) parts.push(fact.call.split('.').pop() ?? '');
  } else return [];
  return [...new Set(contentTokens(parts.join(' ')).filter((t) => t.length > 1))];
}
