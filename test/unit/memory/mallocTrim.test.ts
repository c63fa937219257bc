import { describe, expect, it } from 'vitest';
import { trimMallocArenas } from '../../../src/engine/memory/mallocTrim.js';

describe('malloc trim', () => {
  it('trims where the process runs on glibc, and is a no-op elsewhere', () => {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    const glibc = process.platform === 'linux' && report?.header?.glibcVersionRuntime !== undefined;
    // On glibc this loads koffi's prebuilt binding: false here means the dependency did not load.
    expect(trimMallocArenas()).toBe(glibc);
    expect(trimMallocArenas()).toBe(glibc);
  });
});
