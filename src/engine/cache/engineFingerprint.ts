import { stat } from 'node:fs/promises';

/** Bump when the meaning of cached facts changes without the code bundle changing. */
export const FACT_CACHE_VERSION = 1;

let memo: Promise<string> | undefined;

/**
 * Identifies the extractors that produce cached facts: the cache version plus the size and mtime
 * of the running bundle (dist/worker.js, dist/cli.js), so a rebuild or an update of CardCheck
 * never reuses facts an older extractor wrote. Unbundled (tests), the cache version alone.
 */
export function engineFingerprint(): Promise<string> {
  memo ??= (async () => {
    const bundle = typeof __filename === 'string' && __filename.endsWith('.js') ? __filename : undefined;
    if (!bundle) return `v${FACT_CACHE_VERSION}`;
    try {
      const st = await stat(bundle);
      return `v${FACT_CACHE_VERSION}|${st.size}|${Math.round(st.mtimeMs)}`;
    } catch {
      return `v${FACT_CACHE_VERSION}`;
    }
  })();
  return memo;
}
