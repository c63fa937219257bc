import { z } from 'zod';

/**
 * The `cardcheck.*` settings, parsed with zod so a hand-edited settings.json with a wrong type
 * falls back to the default (and is logged) instead of breaking a run. Keep in step with
 * `contributes.configuration` in package.json.
 */

export const SeveritySettingSchema = z.enum(['error', 'warning', 'information', 'hint']);
export type SeveritySetting = z.infer<typeof SeveritySettingSchema>;
export const OptionalSeveritySettingSchema = z.enum(['error', 'warning', 'information', 'hint', 'off']);
export type OptionalSeveritySetting = z.infer<typeof OptionalSeveritySettingSchema>;

export const SETTING_DEFAULTS = {
  contradictedSeverity: 'warning',
  unverifiedSeverity: 'information',
  include: [] as string[],
  exclude: [] as string[],
  maxFileSizeKb: 2048,
  maxClaimsPerCard: 2000,
  maxProblemsPerFile: 1000,
  workerMemoryMb: 1536,
  keepWorkerReady: true,
  cardGlob: '**/*{card,Card,CARD}*.{md,docx}',
  showPanelOnVerify: true,
  watch: false,
  extractionThreads: 0,
  'llm.enabled': false,
  'llm.baseUrl': 'https://api.openai.com/v1',
  'llm.model': 'gpt-4o-mini',
  'llm.maxRequests': 60,
} as const;

/** An http(s) URL: the LLM endpoint receives workspace text and the key, nothing else will do. */
const HttpUrlSchema = z.string().refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'an http(s) URL');

export const SettingsSchema = z.object({
  contradictedSeverity: SeveritySettingSchema.catch(SETTING_DEFAULTS.contradictedSeverity),
  unverifiedSeverity: OptionalSeveritySettingSchema.catch(SETTING_DEFAULTS.unverifiedSeverity),
  include: z.array(z.string()).catch([]),
  exclude: z.array(z.string()).catch([]),
  maxFileSizeKb: z.number().int().min(1).max(1024 * 1024).catch(SETTING_DEFAULTS.maxFileSizeKb),
  maxClaimsPerCard: z.number().int().min(1).max(100_000).catch(SETTING_DEFAULTS.maxClaimsPerCard),
  maxProblemsPerFile: z.number().int().min(1).max(100_000).catch(SETTING_DEFAULTS.maxProblemsPerFile),
  workerMemoryMb: z.number().int().min(128).max(65_536).catch(SETTING_DEFAULTS.workerMemoryMb),
  keepWorkerReady: z.boolean().catch(SETTING_DEFAULTS.keepWorkerReady),
  cardGlob: z.string().min(1).catch(SETTING_DEFAULTS.cardGlob),
  showPanelOnVerify: z.boolean().catch(SETTING_DEFAULTS.showPanelOnVerify),
  watch: z.boolean().catch(SETTING_DEFAULTS.watch),
  extractionThreads: z.number().int().min(0).max(16).catch(SETTING_DEFAULTS.extractionThreads),
  'llm.enabled': z.boolean().catch(SETTING_DEFAULTS['llm.enabled']),
  'llm.baseUrl': HttpUrlSchema.catch(SETTING_DEFAULTS['llm.baseUrl']),
  'llm.model': z.string().trim().min(1).max(200).catch(SETTING_DEFAULTS['llm.model']),
  'llm.maxRequests': z.number().int().min(1).max(10_000).catch(SETTING_DEFAULTS['llm.maxRequests']),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Reads settings through `get(key)`; returns the values and the keys that fell back to defaults. */
export function parseSettings(get: (key: keyof Settings) => unknown): { settings: Settings; invalid: string[] } {
  const raw: Record<string, unknown> = {};
  const keys = Object.keys(SettingsSchema.shape) as Array<keyof Settings>;
  for (const k of keys) {
    const v = get(k);
    raw[k] = v === undefined ? SETTING_DEFAULTS[k] : v;
  }
  const invalid: string[] = [];
  for (const k of keys) {
    if (!SettingsSchema.shape[k].unwrap().safeParse(raw[k]).success) invalid.push(`cardcheck.${k}`);
  }
  return { settings: SettingsSchema.parse(raw), invalid };
}
