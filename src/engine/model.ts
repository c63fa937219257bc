import { z } from 'zod';

/** 1-based line and column, as in reports (FORMAT.md). Columns count UTF-16 units. */
export const PositionSchema = z.object({ line: z.number().int().min(1), column: z.number().int().min(1) });
export const RangeSchema = z.object({ start: PositionSchema, end: PositionSchema });
export type Position = z.infer<typeof PositionSchema>;
export type Range = z.infer<typeof RangeSchema>;

export const ClaimKindSchema = z.enum([
  'hyperparameter', 'architecture', 'data', 'metric', 'dependency', 'license', 'compute', 'procedure', 'other',
]);
export type ClaimKind = z.infer<typeof ClaimKindSchema>;

export const VerdictSchema = z.enum(['supported', 'contradicted', 'unverified', 'not-checkable']);
export type Verdict = z.infer<typeof VerdictSchema>;

export const StanceSchema = z.enum(['supports', 'contradicts', 'related']);
export type Stance = z.infer<typeof StanceSchema>;

/** Where a fact came from; also the report's evidence `source`. */
export const FactSourceSchema = z.enum([
  'ast', 'config', 'notebook', 'output', 'results', 'requirements', 'license', 'script', 'text', 'llm',
]);
export type FactSource = z.infer<typeof FactSourceSchema>;

export const EvidenceSchema = z.object({
  path: z.string(),
  range: RangeSchema,
  snippet: z.string(),
  stance: StanceSchema,
  source: FactSourceSchema,
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** An evidence line as a change since a baseline names it (short: it travels with the claim). */
export const EvidenceChangeSchema = z.object({
  change: z.enum(['added', 'removed', 'changed']),
  path: z.string(),
  line: z.number().int().min(1),
  snippet: z.string(),
  /** For `changed`: the line's text in the baseline. */
  was: z.string().optional(),
});
export type EvidenceChange = z.infer<typeof EvidenceChangeSchema>;

/** How a claim differs from the same claim in a baseline run (src/engine/delta). */
export const ClaimChangeSchema = z.object({
  /** Verdict in the baseline; absent for a claim the baseline did not have. */
  from: VerdictSchema.optional(),
  to: VerdictSchema,
  /** One sentence on why: which value or evidence changed. */
  reason: z.string(),
  /** The deciding evidence that changed, at most a few lines. */
  evidence: z.array(EvidenceChangeSchema),
});
export type ClaimChange = z.infer<typeof ClaimChangeSchema>;

export const ClaimResultSchema = z.object({
  id: z.string(),
  text: z.string(),
  kind: ClaimKindSchema,
  range: RangeSchema,
  verdict: VerdictSchema,
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceSchema),
  explanation: z.string(),
  key: z.string().optional(),
  cardValue: z.string().optional(),
  codeValue: z.string().optional(),
  /** Set when a baseline was given and this claim's verdict differs from it (or it is new). */
  change: ClaimChangeSchema.optional(),
});
export type ClaimResult = z.infer<typeof ClaimResultSchema>;

export const SummarySchema = z.object({
  supported: z.number().int(),
  contradicted: z.number().int(),
  unverified: z.number().int(),
  notCheckable: z.number().int(),
});
export type Summary = z.infer<typeof SummarySchema>;

export const CardFormatSchema = z.enum(['markdown', 'docx', 'text']);
export type CardFormat = z.infer<typeof CardFormatSchema>;

export const WarningSchema = z.object({ path: z.string(), message: z.string() });
export type EngineWarning = z.infer<typeof WarningSchema>;

/** What the optional LLM pass spent and achieved in a run (present only when it ran). */
export const LlmStatsSchema = z.object({
  requests: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  ms: z.number(),
  cacheHits: z.number().int(),
  /** Claims the pass worked on. */
  claims: z.number().int(),
  /** Model verdicts the engine's citation check accepted / rejected. */
  accepted: z.number().int(),
  rejected: z.number().int(),
});
export type LlmStats = z.infer<typeof LlmStatsSchema>;

/** The fact cache's part in a run (see src/engine/cache). */
export const CacheStatsSchema = z.object({
  /** Files whose facts came from the cache unread (same size and modification time). */
  statHits: z.number().int(),
  /** Files read again whose content was unchanged: facts reused, not re-extracted. */
  hashHits: z.number().int(),
  /** Files extracted afresh. */
  misses: z.number().int(),
  /** Cache records that failed their checks and were rebuilt. */
  damaged: z.number().int(),
  /** Of the files counted in statHits, those whose card-relevant facts came from the card's snapshot. */
  snapshotHits: z.number().int().optional(),
  /** Claims whose verdicts were handed back from the previous run: nothing they could see had changed. */
  claimsReused: z.number().int().optional(),
  /**
   * How much of the fact index the run built: none (every verdict handed back), the facts the
   * claims decided again look up (scoped), or all of it (whole).
   */
  index: z.enum(['none', 'scoped', 'whole']).optional(),
});
export type CacheStats = z.infer<typeof CacheStatsSchema>;

export const StatsSchema = z.object({
  filesScanned: z.number().int(),
  filesSkipped: z.number().int(),
  facts: z.number().int(),
  /** Facts kept in the index for this card (the rest could not bear on any claim; see factRelevance.ts). */
  factsIndexed: z.number().int().optional(),
  claims: z.number().int(),
  durationMs: z.number(),
  llm: LlmStatsSchema.optional(),
  cache: CacheStatsSchema.optional(),
});
export type Stats = z.infer<typeof StatsSchema>;

/** What a run was compared with, and what changed overall (per-claim details are in `change`). */
export const BaselineSchema = z.object({
  /** The baseline report file, or `previous run`. */
  source: z.string(),
  /** Claims whose verdict differs from the baseline. */
  changed: z.number().int(),
  /** Claims the baseline did not have. */
  added: z.number().int(),
  /** Baseline claims no longer in the card (the first few; `removedCount` counts them all). */
  removed: z.array(z.object({ id: z.string(), text: z.string(), verdict: VerdictSchema })),
  removedCount: z.number().int(),
});
export type Baseline = z.infer<typeof BaselineSchema>;

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  card: z.object({ path: z.string(), format: CardFormatSchema }),
  claims: z.array(ClaimResultSchema),
  summary: SummarySchema,
  warnings: z.array(WarningSchema).optional(),
  stats: StatsSchema.optional(),
  baseline: BaselineSchema.optional(),
});
export type Report = z.infer<typeof ReportSchema>;
