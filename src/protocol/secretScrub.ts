import { SecretRedactor } from '../engine/llm/secretRedactor.js';

/**
 * The second guard on the LLM key at the process boundary: the engine already keeps the key out
 * of what it says, but the worker (what it sends) and the host (what it logs and shows) scrub
 * again, so a bug or an endpoint echoing the key cannot put it in a message, the Output channel,
 * a diagnostic or the panel.
 */
export class SecretScrubber {
  private readonly redactor: SecretRedactor;
  /** Only keys long enough to be told from ordinary text (as SecretRedactor decides). */
  private readonly secret: string | undefined;

  constructor(secret: string | undefined) {
    this.redactor = new SecretRedactor(secret);
    this.secret = secret !== undefined && secret.length >= 6 ? secret : undefined;
  }

  /** Free text (warnings, errors, stderr): the key and any `Bearer …` token become `***`. */
  text(s: string): string {
    return this.redactor.scrub(s);
  }

  /**
   * A JSON-like value (a claim result) with the key replaced in every string. Values without the
   * key, the usual case, are returned as they are after one cheap check.
   */
  value<T>(v: T): T {
    const secret = this.secret;
    if (secret === undefined || !JSON.stringify(v).includes(JSON.stringify(secret).slice(1, -1))) return v;
    return replaceInStrings(v, (s) => s.split(secret).join('***'));
  }
}

function replaceInStrings<T>(value: T, f: (s: string) => string): T {
  // Strings map to strings and containers keep their shape, so the type is preserved.
  return mapStrings(value, f) as T;
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f);
    return out;
  }
  return value;
}
