import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { E2eTooling } from './tooling.js';

/** Debian Chromium, headless, with a throw-away profile (the persistent context's folder is it). */
export async function launchBrowser(tooling: E2eTooling, env: NodeJS.ProcessEnv, viewport = { width: 1600, height: 1000 }): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'cardcheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: tooling.chromium,
    headless: true,
    viewport,
    env: env as Record<string, string>,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Chromium's helpers may still be writing the cache when the context closes: remove the profile
  // with retries, and never let a leftover temp folder fail a run that passed.
  context.on('close', () => {
    rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch((e: unknown) => {
      console.warn(`could not remove the Chromium profile ${profile}: ${String(e)}`);
    });
  });
  return context;
}
