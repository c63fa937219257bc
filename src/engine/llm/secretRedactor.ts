/**
 * Keeps the API key out of everything the LLM pass says: warnings, explanations, errors. A server
 * that echoes the Authorization header back in an error body must not put the key in a report.
 */
export class SecretRedactor {
  private readonly secrets: string[];

  constructor(...secrets: (string | undefined)[]) {
    // Very short "keys" (local servers take "x") would blank out ordinary words.
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, '$1***');
  }

  /** A base URL fit to show: no user info, no query (Azure keys can ride in either). */
  url(raw: string): string {
    try {
      const u = new URL(raw);
      u.username = '';
      u.password = '';
      u.search = '';
      u.hash = '';
      return this.scrub(u.toString().replace(/\/$/, ''));
    } catch {
      return 'the LLM endpoint';
    }
  }
}
