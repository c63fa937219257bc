import { mkdtempSync, rmSync } from 'node:fs';
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
  context.on('close', () => rmSync(profile, { recursive: true, force: true }));
  return context;
}
