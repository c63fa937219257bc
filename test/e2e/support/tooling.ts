import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/e2e/install.sh put code-server, Node 24 and which Chromium to use. */
export interface E2eTooling {
  node: string;
  codeServerDir: string;
  chromium: string;
}

export function e2eCacheDir(): string {
  return process.env.CARDCHECK_E2E_CACHE || join(homedir(), '.cache', 'cardcheck-e2e');
}

export function readTooling(): E2eTooling {
  const file = join(e2eCacheDir(), 'env.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/e2e/install.sh first (npm run test:e2e does)`);
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error(`${file}: not an object`);
  const r = raw as Record<string, unknown>;
  const node = String(r.node ?? '');
  const codeServerDir = String(r.codeServerDir ?? '');
  const chromium = String(process.env.CARDCHECK_E2E_CHROMIUM || r.chromium || '/usr/bin/chromium');
  for (const [what, p] of [['node', node], ['code-server', codeServerDir], ['chromium', chromium]] as const) {
    if (!p || !existsSync(p)) throw new Error(`${file}: ${what} not found at "${p}"; run scripts/e2e/install.sh`);
  }
  return { node, codeServerDir, chromium };
}
