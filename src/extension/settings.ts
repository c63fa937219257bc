import * as vscode from 'vscode';
import type { EngineOptionsInput } from '../engine/options.js';
import { parseSettings, type Settings } from './settingsSchema.js';

export function readSettings(scope?: vscode.Uri, onInvalid?: (keys: string[]) => void): Settings {
  const config = vscode.workspace.getConfiguration('cardcheck', scope);
  const { settings, invalid } = parseSettings((key) => config.get(key));
  if (invalid.length > 0) onInvalid?.(invalid);
  return settings;
}

export function engineOptions(s: Settings): EngineOptionsInput {
  return {
    maxFileBytes: s.maxFileSizeKb * 1024,
    include: s.include,
    exclude: s.exclude,
    maxClaims: s.maxClaimsPerCard,
    extractThreads: s.extractionThreads,
  };
}
