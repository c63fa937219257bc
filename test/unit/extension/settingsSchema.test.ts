import { describe, expect, it } from 'vitest';
import { parseSettings, SETTING_DEFAULTS } from '../../../src/extension/settingsSchema.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('parseSettings', () => {
  it('uses defaults for missing values', () => {
    const { settings, invalid } = parseSettings(() => undefined);
    expect(settings.contradictedSeverity).toBe('warning');
    expect(settings.unverifiedSeverity).toBe('information');
    expect(settings.workerMemoryMb).toBe(SETTING_DEFAULTS.workerMemoryMb);
    expect(invalid).toEqual([]);
  });

  it('falls back per key on wrong values and names them', () => {
    const values: Record<string, unknown> = { unverifiedSeverity: 'off', maxProblemsPerFile: -3, include: 'src/**', workerMemoryMb: 4096 };
    const { settings, invalid } = parseSettings((k) => values[k]);
    expect(settings.unverifiedSeverity).toBe('off');
    expect(settings.maxProblemsPerFile).toBe(SETTING_DEFAULTS.maxProblemsPerFile);
    expect(settings.include).toEqual([]);
    expect(settings.workerMemoryMb).toBe(4096);
    expect(invalid.sort()).toEqual(['cardcheck.include', 'cardcheck.maxProblemsPerFile']);
  });

  it('matches the defaults declared in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default: unknown; markdownDescription?: string; description?: string }> } };
    };
    const props = pkg.contributes.configuration.properties;
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      const declared = props[`cardcheck.${key}`];
      expect(declared, `cardcheck.${key} is not declared`).toBeDefined();
      expect(declared!.default).toEqual(value);
      expect(declared!.markdownDescription ?? declared!.description).toBeTruthy();
    }
  });
});
