import { describe, expect, it } from 'vitest';
import { LLM_UNTRUSTED_MESSAGE } from '../../../src/engine/llm/llmOptions.js';
import { keyInputAction, validateKeyInput } from '../../../src/extension/llm/llmKeyInput.js';
import { planLlmPass } from '../../../src/extension/llm/llmRunPlan.js';
import { replayMessages } from '../../../src/extension/panel/panelFeed.js';
import { describeJob } from '../../../src/extension/runs/jobLog.js';
import { parseSettings, SETTING_DEFAULTS, type Settings } from '../../../src/extension/settingsSchema.js';
import { SecretScrubber } from '../../../src/protocol/secretScrub.js';
import { HostToWebviewSchema, type PanelRun } from '../../../src/protocol/webviewMessages.js';
import type { WireJob } from '../../../src/protocol/workerMessages.js';
import { fakeClaim } from './fixtures/fakePipeline.js';

const KEY = 'sk-proj-Zq81xW3vT0ecret9';

function settings(values: Record<string, unknown> = {}): Settings {
  return parseSettings((k) => values[k]).settings;
}

const ENV = { workspaceTrusted: true, cacheDir: '/global/llm-cache' };

describe('LLM settings', () => {
  it('default to off with the engine defaults, and fall back per key on bad values', () => {
    const s = settings();
    expect(s['llm.enabled']).toBe(false);
    expect(s['llm.baseUrl']).toBe('https://api.openai.com/v1');
    const { settings: bad, invalid } = parseSettings((k) => ({ 'llm.baseUrl': 'file:///etc/passwd', 'llm.maxRequests': 0, 'llm.model': '  ', 'llm.enabled': 'yes' } as Record<string, unknown>)[k]);
    expect(bad['llm.baseUrl']).toBe(SETTING_DEFAULTS['llm.baseUrl']);
    expect(bad['llm.maxRequests']).toBe(SETTING_DEFAULTS['llm.maxRequests']);
    expect(bad['llm.model']).toBe(SETTING_DEFAULTS['llm.model']);
    expect(bad['llm.enabled']).toBe(false);
    expect(invalid.sort()).toEqual(['cardcheck.llm.baseUrl', 'cardcheck.llm.enabled', 'cardcheck.llm.maxRequests', 'cardcheck.llm.model']);
  });
});

describe('planLlmPass', () => {
  it('does nothing when the setting is off (no options, no notice)', () => {
    expect(planLlmPass(settings(), ENV)).toEqual({ workspaceTrusted: true });
    expect(planLlmPass(settings(), { ...ENV, workspaceTrusted: false })).toEqual({ workspaceTrusted: false });
  });

  it('turns the settings into the engine options, with the cache in global storage', () => {
    const plan = planLlmPass(settings({ 'llm.enabled': true, 'llm.baseUrl': 'http://127.0.0.1:11434/v1', 'llm.model': 'qwen', 'llm.maxRequests': 9 }), ENV);
    expect(plan).toEqual({
      workspaceTrusted: true,
      options: { enabled: true, baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen', maxRequests: 9, cacheDir: '/global/llm-cache' },
    });
  });

  it('runs without the pass in an untrusted workspace and says why', () => {
    const plan = planLlmPass(settings({ 'llm.enabled': true }), { ...ENV, workspaceTrusted: false });
    expect(plan.options).toBeUndefined();
    expect(plan.workspaceTrusted).toBe(false);
    expect(plan.notice).toBe(LLM_UNTRUSTED_MESSAGE);
    expect(plan.notice).toMatch(/^LLM pass disabled: the workspace is not trusted/);
  });
});

describe('the logged job text', () => {
  const job = (over: Partial<Omit<WireJob, 'cardTextChunks'>> = {}): Omit<WireJob, 'cardTextChunks'> => ({
    cardPath: '/w/MODEL_CARD.md',
    workspaceRoot: '/w',
    options: { maxFileBytes: 2048 * 1024, maxClaims: 2000, llm: { enabled: true, baseUrl: 'https://api.example.com/v1', model: 'gpt-4o-mini', maxRequests: 60 } },
    workspaceTrusted: true,
    llmApiKey: KEY,
    ...over,
  });

  it('says the pass is on and a key is set, without the key', () => {
    const line = describeJob(job(), 1536);
    expect(line).toContain('verify /w/MODEL_CARD.md against /w');
    expect(line).toContain('worker heap cap 1536 MB, max file 2048 KB, max claims 2000');
    expect(line).toContain('LLM pass on: model gpt-4o-mini at https://api.example.com/v1, at most 60 requests, API key set');
    expect(line).not.toContain(KEY);
  });

  it('never contains the key, even where a careless setting put it', () => {
    const leaky = job({
      cardPath: `/w/${KEY}/card.md`,
      options: { llm: { enabled: true, baseUrl: `https://user:${KEY}@api.example.com/openai/v1?api-key=${KEY}`, model: KEY } },
    });
    const line = describeJob(leaky, 512);
    expect(line).not.toContain(KEY);
    expect(line).not.toContain(KEY.slice(0, 12));
    expect(line).toContain('https://api.example.com/openai/v1');
  });

  it('mentions no LLM pass when it is off, and says when no key is set', () => {
    expect(describeJob(job({ options: { maxClaims: 5 } }), 512)).not.toContain('LLM');
    expect(describeJob(job({ llmApiKey: undefined }), 512)).toContain('no API key');
  });
});

describe('the key input', () => {
  it('Escape keeps the key, an empty answer deletes it, anything else is stored trimmed', () => {
    expect(keyInputAction(undefined)).toEqual({ action: 'keep' });
    expect(keyInputAction('')).toEqual({ action: 'delete' });
    expect(keyInputAction('   ')).toEqual({ action: 'delete' });
    expect(keyInputAction(` ${KEY}\n`)).toEqual({ action: 'store', key: KEY });
  });

  it('refuses keys with inner spaces or beyond the wire limit, without echoing them', () => {
    expect(validateKeyInput(KEY)).toBeUndefined();
    expect(validateKeyInput('')).toBeUndefined();
    const spaced = validateKeyInput('sk-abc def');
    expect(spaced).toMatch(/spaces/);
    expect(spaced).not.toContain('sk-abc');
    expect(validateKeyInput('k'.repeat(5000))).toMatch(/at most/);
  });
});

describe('SecretScrubber', () => {
  it('replaces the key in every string of a claim and leaves clean values as they are', () => {
    const scrub = new SecretScrubber(KEY);
    const clean = fakeClaim(1);
    expect(scrub.value(clean)).toBe(clean);
    const dirty = { ...clean, explanation: `echo ${KEY}`, evidence: [{ ...clean.evidence[0]!, snippet: `api_key = "${KEY}"` }] };
    const out = scrub.value(dirty);
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out.explanation).toBe('echo ***');
    expect(out.evidence[0]!.range).toEqual(clean.evidence[0]!.range);
    expect(scrub.text(`Authorization: Bearer ${KEY}`)).toBe('Authorization: Bearer ***');
  });

  it('does nothing without a key', () => {
    const claim = fakeClaim(2);
    expect(new SecretScrubber(undefined).value(claim)).toBe(claim);
    expect(new SecretScrubber(undefined).text('plain')).toBe('plain');
  });
});

describe('the panel replay carries the LLM stats', () => {
  it('sends run.llm with the reset, valid for the webview schema', () => {
    const run: PanelRun = {
      cardLabel: 'card.md',
      cardUri: 'file:///w/card.md',
      status: 'done',
      llm: { requests: 4, promptTokens: 1200, completionTokens: 80, ms: 2300, cacheHits: 0, claims: 2, accepted: 1, rejected: 1 },
    };
    const messages = replayMessages({ run, progress: undefined, claims: () => [fakeClaim(1)], claim: () => undefined, summary: undefined, notices: [LLM_UNTRUSTED_MESSAGE], omittedNotices: 0 });
    for (const m of messages) expect(HostToWebviewSchema.safeParse(m).success).toBe(true);
    const reset = messages[0];
    expect(reset?.type === 'reset' ? reset.run.llm?.accepted : undefined).toBe(1);
    expect(messages.some((m) => m.type === 'notices' && m.notices.includes(LLM_UNTRUSTED_MESSAGE))).toBe(true);
  });
});
