import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

// A build script (ES module): imported dynamically, as test/cli/cliHarness.ts imports its sibling.
const script = () => import('../../../scripts/asciiBundle.mjs');

describe('asciiOnly', () => {
  it('gives an ASCII-only program that computes the same', async () => {
    const { asciiOnly } = await script();
    const program = `
      // a comment with ≈ and —
      const µ = 2;
      const approx = /^(?:about|~|≈|∼)\\s*([-−+]?\\d+)/;
      const wide = /[😀-😂]/u;
      const text = \`«\${µ}» ≥ 1 😀\`;
      JSON.stringify([approx.exec('≈ −12'), wide.test('😁'), wide.test('a'), text, text.length, 'café'.normalize('NFD').length]);
    `;
    const ascii = asciiOnly(program);
    expect(/[^\x00-\x7f]/.test(ascii)).toBe(false);
    expect(ascii).not.toBe(program);
    expect(vm.runInNewContext(ascii)).toBe(vm.runInNewContext(program));
  });

  it('leaves ASCII code as it is', async () => {
    const { asciiOnly } = await script();
    const code = 'const a = "x\\u2248";\n/\\d+/.test(a);';
    expect(asciiOnly(code)).toBe(code);
  });

  it('refuses a backslash before a non-ASCII character, naming the file', async () => {
    const { asciiOnly } = await script();
    expect(() => asciiOnly('const s = "\\≈";', 'dist/worker.js')).toThrow(/dist\/worker\.js: .*backslash before a non-ASCII character/);
  });
});
