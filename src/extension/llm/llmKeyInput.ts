import { MAX_LLM_API_KEY_CHARS } from '../../protocol/workerMessages.js';

/** The SecretStorage entry that holds the key (`context.secrets`). */
export const LLM_API_KEY_SECRET = 'cardcheck.llmApiKey';

export type KeyInputAction = { action: 'keep' } | { action: 'delete' } | { action: 'store'; key: string };

/** What the input box's answer means: Escape keeps the key, an empty answer deletes it. */
export function keyInputAction(input: string | undefined): KeyInputAction {
  if (input === undefined) return { action: 'keep' };
  const key = input.trim();
  return key === '' ? { action: 'delete' } : { action: 'store', key };
}

/** The input box's validation message, or undefined when the answer is acceptable. Never echoes the key. */
export function validateKeyInput(input: string): string | undefined {
  const key = input.trim();
  if (key.length > MAX_LLM_API_KEY_CHARS) return `An API key is at most ${MAX_LLM_API_KEY_CHARS} characters.`;
  if (/\s/.test(key)) return 'An API key has no spaces or line breaks.';
  return undefined;
}
