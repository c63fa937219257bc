import { llmPassAllowed, type LlmOptionsInput } from '../../engine/llm/llmOptions.js';
import type { Settings } from '../settingsSchema.js';

/** What one run does about the optional LLM pass, decided in the host before the worker starts. */
export interface LlmRunPlan {
  /** The engine's `options.llm`; absent when the pass does not run (then no key is read or sent). */
  options?: LlmOptionsInput;
  /** Why the pass is off although the setting turns it on (shown in the panel and the Output channel). */
  notice?: string;
  /** Sent with the job as the engine's own guard (`VerifyJob.workspaceTrusted`). */
  workspaceTrusted: boolean;
}

/**
 * Applies the settings and workspace trust. An untrusted workspace runs without the pass (its
 * text must not go to a model), and says why; the engine refuses it too if asked anyway.
 */
export function planLlmPass(settings: Settings, env: { workspaceTrusted: boolean; cacheDir: string }): LlmRunPlan {
  const workspaceTrusted = env.workspaceTrusted;
  if (!settings['llm.enabled']) return { workspaceTrusted };
  const options: LlmOptionsInput = {
    enabled: true,
    baseUrl: settings['llm.baseUrl'],
    model: settings['llm.model'],
    maxRequests: settings['llm.maxRequests'],
    cacheDir: env.cacheDir,
  };
  const allowed = llmPassAllowed(options, workspaceTrusted);
  if (!allowed.allowed) return { workspaceTrusted, ...(allowed.reason !== undefined ? { notice: allowed.reason } : {}) };
  return { options, workspaceTrusted };
}
