import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EngineWarning } from '../../../src/engine/model.js';
import { walkWorkspace, type WalkOptions, type WorkspaceFile } from '../../../src/engine/workspace/walkWorkspace.js';

/** A fresh temp folder filled from a map of relative path -> contents. */
export async function makeTree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cardcheck-ws-'));
  await addFiles(root, files);
  return root;
}

export async function addFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

export async function removeTree(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

export async function walkAll(
  root: string,
  opts: Partial<WalkOptions> = {},
  signal?: AbortSignal,
): Promise<{ files: WorkspaceFile[]; paths: string[]; warnings: EngineWarning[] }> {
  const warnings: EngineWarning[] = [];
  const files: WorkspaceFile[] = [];
  const full: WalkOptions = { maxFileBytes: 1024 * 1024, include: [], exclude: [], ...opts };
  for await (const f of walkWorkspace(root, full, (w) => warnings.push(w), signal)) files.push(f);
  return { files, paths: files.map((f) => f.relPath), warnings };
}
