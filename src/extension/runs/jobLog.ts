import { SecretRedactor } from '../../engine/llm/secretRedactor.js';
import { SecretScrubber } from '../../protocol/secretScrub.js';
import type { WireJob } from '../../protocol/workerMessages.js';

/**
 * The Output channel's line for a run that starts. Built from chosen fields of the job, never by
 * serialising it: the job carries the LLM key. Whether a key is set is all the line says of it,
 * the endpoint is shown without user info or query (where keys can ride), and the whole line is
 * scrubbed of the key once more.
 */
export function describeJob(job: Omit<WireJob, 'cardTextChunks'>, heapMb: number): string {
  const o = job.options ?? {};
  const limits = [`worker heap cap ${heapMb} MB`];
  if (o.maxFileBytes !== undefined) limits.push(`max file ${Math.round(o.maxFileBytes / 1024)} KB`);
  if (o.maxClaims !== undefined) limits.push(`max claims ${o.maxClaims}`);
  let line = `verify ${job.cardPath} against ${job.workspaceRoot} (${limits.join(', ')})`;
  const llm = o.llm;
  if (llm?.enabled) {
    const endpoint = llm.baseUrl !== undefined ? new SecretRedactor(job.llmApiKey).url(llm.baseUrl) : 'the default endpoint';
    const parts = [`model ${llm.model ?? 'default'} at ${endpoint}`];
    if (llm.maxRequests !== undefined) parts.push(`at most ${llm.maxRequests} requests`);
    parts.push(job.llmApiKey !== undefined ? 'API key set' : 'no API key');
    line += `; LLM pass on: ${parts.join(', ')}`;
  }
  return new SecretScrubber(job.llmApiKey).text(line);
}
