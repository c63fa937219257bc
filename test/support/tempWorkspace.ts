import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes a workspace of files (path → content) into a fresh temp folder; `dispose` removes it. */
export function tempWorkspace(files: Record<string, string>): { root: string; dispose: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'cardcheck-ws-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
