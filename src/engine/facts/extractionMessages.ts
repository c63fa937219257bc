import { z } from 'zod';
import type { WorkspaceFile } from '../workspace/workspaceFile.js';
import type { Fact } from './fact.js';

/**
 * Messages between the extraction pool (main thread) and its threads. Both ends are this
 * bundle's own code, so the schemas check the envelope only: the facts a thread sends are what
 * extractFacts produced there, and re-validating every fact field would cost a good part of what
 * the thread saves. A shape that is off still cannot crash the pool: it becomes a warning.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Trusted as sent by the pool (see above); the fields extractFacts reads are checked. */
const WorkspaceFileEnvelope = z.custom<WorkspaceFile>(
  (v) => isRecord(v) && typeof v.relPath === 'string' && typeof v.kind === 'string' && Array.isArray(v.flags),
  'not a workspace file',
);

/** Trusted as produced by extractFacts on the thread (see above). */
const FactEnvelope = z.custom<Fact>((v) => isRecord(v), 'not a fact');

export const ExtractionRequestSchema = z.object({
  id: z.number().int(),
  file: WorkspaceFileEnvelope,
  text: z.string(),
  partial: z.literal('tail').optional(),
  tail: z.object({ headerLines: z.number().optional(), tailStartLine: z.number().optional() }).optional(),
});
export type ExtractionRequest = z.infer<typeof ExtractionRequestSchema>;

export const ThreadMessageSchema = z.discriminatedUnion('kind', [
  /** The thread loaded its modules and grammars: from now on a death is the current file's doing. */
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('done'), id: z.number().int(), facts: z.array(FactEnvelope), warnings: z.array(z.string()) }),
]);
export type ThreadMessage = z.infer<typeof ThreadMessageSchema>;
