import { describe, expect, it, vi } from 'vitest';
import { extractFacts } from '../../../src/engine/facts/extractFacts.js';

// Hoisted above the import by vitest: the dispatcher sees a licence reader that throws.
vi.mock('../../../src/engine/facts/licenseFacts.js', () => ({
  extractLicenseFacts: () => {
    throw new Error('boom\nsecond line');
  },
}));

describe('extractFacts when an extractor throws', () => {
  it('returns a warning naming the file and no facts', () => {
    const r = extractFacts({ relPath: 'LICENSE', absPath: '/ws/LICENSE', size: 1, mtimeMs: 0, kind: 'license', flags: [] }, 'MIT License');
    expect(r).toEqual({ facts: [], warnings: ['LICENSE: could not read facts from this license file: boom'] });
  });
});
