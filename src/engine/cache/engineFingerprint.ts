import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Bump when the meaning of cached facts changes without the code bundle changing. */
export const FACT_CACHE_VERSION = 2;

let memo: Promise<string> | undefined;

/**
 * Identifies the extractors that produce cached facts: the cache version plus a hash of the
 * running bundle (dist/worker.js, dist/cli.js), so an update of CardCheck never reuses facts an
 * older extractor wrote, while a rebuild that changes nothing keeps the cache. Unbundled (tests),
 * the cache version alone.
 */
export function engineFingerprint(): Promise<string> {
  memo ??= (async () => {
    const bundle = typeof __filename === 'string' && __filename.endsWith('.js') ? __filename : undefined;
    if (!bundle) return `v${FACT_CACHE_VERSION}`;
    try {
      return `v${FACT_CACHE_VERSION}|${createHash('sha1').update(await readFile(bundle)).digest('hex').slice(0, 16)}`;
    } catch {
      return `v${FACT_CACHE_VERSION}`;
    }
  })();
  return memo;
}
