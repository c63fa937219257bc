import { extractFactsAsync } from '../facts/extractFacts.js';
import { readWorkspaceFile } from '../workspace/readWorkspaceFile.js';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';
import { contentHash, readKey, type FactCache, type FileExtraction } from './factCache.js';

export type FileFactsResult = ({ ok: true } & FileExtraction) | { ok: false; reason: string };

export interface FileFactsOptions {
  maxFileBytes: number;
  /** EngineOptions.extractThreads (see extractFactsAsync). */
  extractThreads?: number;
}

/**
 * The facts of one workspace file: from the cache when it has them for this exact file (same
 * size and mtime, or same content), else read and extracted (and cached). Never throws for a
 * problem with the file: an unreadable one comes back as `{ ok: false, reason }`.
 */
export async function fileFacts(file: WorkspaceFile, opts: FileFactsOptions, cache?: FactCache): Promise<FileFactsResult> {
  const key = cache ? readKey(file, opts.maxFileBytes) : '';
  if (cache) {
    const cached = await cache.byStat(file, key);
    if (cached) return { ok: true, ...cached };
  }
  const readAtMs = Date.now();
  const read = await readWorkspaceFile(file, { maxFileBytes: opts.maxFileBytes, countLines: true });
  if (!read.ok) return { ok: false, reason: read.reason };
  const tail = { headerLines: read.headerLines, tailStartLine: read.tailStartLine };
  const hash = cache ? contentHash(read.text, `${read.partial ?? 'whole'}|${read.encoding ?? 'utf-8'}|${tail.headerLines ?? ''}|${tail.tailStartLine ?? ''}`) : '';
  if (cache) {
    const same = await cache.byHash(file, key, hash, readAtMs);
    if (same) return { ok: true, ...same };
  }
  const { facts, warnings } = await extractFactsAsync(file, read.text, read.partial, tail, { threads: opts.extractThreads });
  const extraction: FileExtraction = { facts, warnings, ...(read.encoding ? { encoding: read.encoding } : {}) };
  if (cache) await cache.store(file, key, hash, readAtMs, extraction);
  return { ok: true, ...extraction };
}
