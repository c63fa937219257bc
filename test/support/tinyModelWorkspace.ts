import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tempWorkspace } from './tempWorkspace.js';

/** A card whose three hyperparameters the files below state (all supported). */
export const TINY_MODEL_CARD = `# Tiny model

| Hyperparameter | Value |
|---|---|
| Learning rate | 3e-4 |
| Batch size | 32 |
| Epochs | 10 |
`;

export const TINY_MODEL_FILES: Readonly<Record<string, string>> = {
  'card.md': TINY_MODEL_CARD,
  'train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--epochs", type=int, default=10)\nlearning_rate = 3e-4\n',
  'configs/base.yaml': 'batch_size: 32\nlr: 0.0003\n',
};

/**
 * `files` in a temp workspace, last modified a minute ago (older than the fact cache's racy
 * window, so a re-run trusts their stat), with an empty cache folder; `cleanups` gets their removal.
 */
export function cachedWorkspace(files: Record<string, string>, cleanups: (() => void)[], cachePrefix = 'cc-cache-'): { root: string; cacheDir: string } {
  const ws = tempWorkspace(files);
  cleanups.push(ws.dispose);
  const old = Date.now() / 1000 - 60;
  for (const rel of Object.keys(files)) utimesSync(path.join(ws.root, rel), old, old);
  const cacheDir = mkdtempSync(path.join(tmpdir(), cachePrefix));
  cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
  return { root: ws.root, cacheDir };
}
