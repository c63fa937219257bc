import { z } from 'zod';

/**
 * Settings of the optional LLM pass. The API key is deliberately not here: options are parsed,
 * copied into jobs and may be serialised; the key travels only as `VerifyJob.llmApiKey`.
 */
export const LlmOptionsSchema = z.object({
  /** Off by default: the product is complete without it. */
  enabled: z.boolean().default(false),
  /** Any OpenAI-compatible endpoint: OpenAI, Azure OpenAI (v1 API), Ollama, vLLM, llama.cpp's server. */
  baseUrl: z.string().url().default('https://api.openai.com/v1'),
  model: z.string().min(1).default('gpt-4o-mini'),
  /** Per run: requests (retries included) and tokens (prompt + completion). */
  maxRequests: z.number().int().positive().default(60),
  maxTokens: z.number().int().positive().default(300_000),
  /** One request, streaming included. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Claims worked on at once. */
  concurrency: z.number().int().min(1).max(16).default(2),
  /** Model turns for one claim before it is left unverified. */
  maxStepsPerClaim: z.number().int().min(1).max(30).default(6),
  /** Claims handed to the model per run (the rest stay unverified, with a warning). */
  maxClaims: z.number().int().positive().default(100),
  /** One sandbox step: time and memory. */
  stepTimeMs: z.number().int().positive().default(2000),
  stepMemoryMb: z.number().int().min(8).max(512).default(32),
  /** Retries of 429, 5xx and timeouts, each within the request budget. */
  maxRetries: z.number().int().min(0).max(10).default(3),
  retryBaseMs: z.number().int().min(0).default(1000),
  /** Stream completions (server-sent events) rather than wait for whole answers. */
  stream: z.boolean().default(false),
  /** Ask the model to pull claims out of sentences the engine found no value in. */
  extract: z.boolean().default(true),
  /** Folder for cached answers across runs; memory only when absent. */
  cacheDir: z.string().min(1).optional(),
});
export type LlmOptions = z.infer<typeof LlmOptionsSchema>;
export type LlmOptionsInput = z.input<typeof LlmOptionsSchema>;

/** What the panel and the CLI say when the pass is off because the workspace is not trusted. */
export const LLM_UNTRUSTED_MESSAGE = 'LLM pass disabled: the workspace is not trusted (it sends workspace content to a model).';

/**
 * Whether the LLM pass may run, and why not. The extension calls this with
 * `vscode.workspace.isTrusted` and shows `reason` in the panel; the engine applies the same rule
 * to `VerifyJob.workspaceTrusted` so an untrusted job can never reach a model.
 */
export function llmPassAllowed(options: LlmOptionsInput | undefined, workspaceTrusted: boolean): { allowed: boolean; reason?: string } {
  if (!options?.enabled) return { allowed: false, reason: 'LLM pass off (enable it in the settings or with --llm).' };
  if (!workspaceTrusted) return { allowed: false, reason: LLM_UNTRUSTED_MESSAGE };
  return { allowed: true };
}

export interface LlmCliFlags {
  llm?: boolean;
  'llm-base-url'?: string;
  'llm-model'?: string;
  'llm-max-requests'?: string;
  'llm-cache'?: string;
  'llm-stream'?: boolean;
}

/** The CLI's LLM flags as `node:util` parseArgs options (merge into the CLI's own). */
export const LLM_CLI_PARSE_OPTIONS = {
  llm: { type: 'boolean' },
  'llm-base-url': { type: 'string' },
  'llm-model': { type: 'string' },
  'llm-max-requests': { type: 'string' },
  'llm-cache': { type: 'string' },
  'llm-stream': { type: 'boolean' },
} as const;

export const LLM_CLI_USAGE = `LLM pass (optional, off by default; the key comes from OPENAI_API_KEY):
      --llm                  ask a model about the claims the engine leaves unverified
      --llm-base-url URL     any OpenAI-compatible endpoint (default: https://api.openai.com/v1;
                             also OPENAI_BASE_URL)
      --llm-model NAME       model name (default: gpt-4o-mini; also CARDCHECK_LLM_MODEL)
      --llm-max-requests N   request budget for the run (default: 60)
      --llm-cache DIR        keep answers in DIR and reuse them while the workspace is unchanged
      --llm-stream           stream completions
`;

/**
 * LLM settings from the command line and the environment. Throws an Error with a usage message
 * on bad values. The key is returned apart from the options, never inside them.
 */
export function llmOptionsFromCli(flags: LlmCliFlags, env: Record<string, string | undefined>): { options?: LlmOptionsInput; apiKey?: string } {
  const given = flags.llm === true;
  const detail = flags['llm-base-url'] !== undefined || flags['llm-model'] !== undefined || flags['llm-max-requests'] !== undefined || flags['llm-cache'] !== undefined || flags['llm-stream'] !== undefined;
  if (!given) {
    if (detail) throw new Error('--llm-base-url, --llm-model, --llm-max-requests, --llm-cache and --llm-stream need --llm');
    return {};
  }
  const options: LlmOptionsInput = { enabled: true };
  const baseUrl = flags['llm-base-url'] ?? env.OPENAI_BASE_URL;
  if (baseUrl !== undefined && baseUrl !== '') {
    const source = flags['llm-base-url'] !== undefined ? '--llm-base-url' : 'OPENAI_BASE_URL';
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) throw new Error(`${source} must be an http(s) URL (got ${JSON.stringify(baseUrl)})`);
    options.baseUrl = baseUrl;
  }
  const model = flags['llm-model'] ?? env.CARDCHECK_LLM_MODEL;
  if (model !== undefined && model !== '') options.model = model;
  if (flags['llm-max-requests'] !== undefined) {
    const n = Number(flags['llm-max-requests']);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--llm-max-requests must be a whole number of at least 1 (got ${JSON.stringify(flags['llm-max-requests'])})`);
    options.maxRequests = n;
  }
  if (flags['llm-cache'] !== undefined) options.cacheDir = flags['llm-cache'];
  if (flags['llm-stream']) options.stream = true;
  const apiKey = env.OPENAI_API_KEY;
  return { options, ...(apiKey ? { apiKey } : {}) };
}
