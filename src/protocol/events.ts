import { z } from 'zod';
import { BaselineSchema, ClaimResultSchema, CardFormatSchema, StatsSchema, SummarySchema, WarningSchema } from '../engine/model.js';

/**
 * The event stream of one verification: what `--format ndjson` prints and what the worker sends
 * to the extension host. Progress is a latest-state snapshot (a newer one replaces an unsent one);
 * claim events are never dropped.
 */
export const PhaseSchema = z.enum(['card', 'index', 'facts', 'verify', 'done']);
export type Phase = z.infer<typeof PhaseSchema>;

export const ProgressSchema = z.object({
  phase: PhaseSchema,
  claimsDone: z.number().int(),
  claimsTotal: z.number().int(),
  filesScanned: z.number().int(),
  rssMb: z.number().optional(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const EngineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), card: z.object({ path: z.string(), format: CardFormatSchema }), workspace: z.string() }),
  z.object({ type: z.literal('progress'), progress: ProgressSchema }),
  z.object({ type: z.literal('claim'), seq: z.number().int(), claim: ClaimResultSchema }),
  z.object({ type: z.literal('warning'), warning: WarningSchema }),
  z.object({ type: z.literal('done'), summary: SummarySchema, stats: StatsSchema, baseline: BaselineSchema.optional() }),
  z.object({ type: z.literal('error'), message: z.string(), path: z.string().optional() }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

/** Ceiling for one serialized message (DESIGN.md memory rule 2). */
export const MAX_MESSAGE_BYTES = 16 * 1024;
