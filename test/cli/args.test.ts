import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { parseByteSize, parseCliArgs, UsageError } from '../../src/cli/args.js';
import { ExitCode, exitCodeFor } from '../../src/cli/exitCodes.js';
import { ProgressBar, renderProgress } from '../../src/cli/progressBar.js';

describe('parseCliArgs', () => {
  it('applies the defaults', () => {
    expect(parseCliArgs(['verify', 'card.md'])).toEqual({
      kind: 'verify', card: 'card.md', format: 'text', failOn: 'contradicted', include: [], exclude: [], quiet: false, cardText: false,
    });
  });

  it('reads every option, long and short', () => {
    expect(parseCliArgs([
      'verify', 'docs/card.docx', '-w', 'ws', '-f', 'sarif', '-o', 'out.sarif', '--fail-on', 'unverified',
      '--max-file-size', '500KB', '--include', 'data/*.csv', '--include', 'logs/**', '--exclude', 'vendor/**', '-q', '--card-text',
    ])).toEqual({
      kind: 'verify', card: 'docs/card.docx', workspace: 'ws', format: 'sarif', out: 'out.sarif', failOn: 'unverified',
      maxFileBytes: 500 * 1024, include: ['data/*.csv', 'logs/**'], exclude: ['vendor/**'], quiet: true, cardText: true,
    });
    expect(parseCliArgs(['verify', 'c.md', '--format=json', '--workspace=.'])).toMatchObject({ format: 'json', workspace: '.' });
  });

  it('answers --help and --version before anything else', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['verify', '--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], /missing command/],
    [['verify', 'c.md', '-x'], /unknown option -x/],
    [['verify', 'c.md', '--format', 'html'], /--format must be one of/],
    [['verify', 'c.md', '--max-file-size', '0'], /--max-file-size must be a size/],
    [['verify', 'c.md', '--out', ''], /--out needs a file name/],
  ])('%j → UsageError %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('parseByteSize', () => {
  it.each([
    ['2MB', 2 * 1024 ** 2], ['2mb', 2 * 1024 ** 2], ['2 MiB', 2 * 1024 ** 2], ['500k', 500 * 1024], ['1.5MB', 1.5 * 1024 ** 2],
    ['1048576', 1048576], ['1G', 1024 ** 3],
  ])('%s → %d', (s, n) => {
    expect(parseByteSize(s)).toBe(n);
  });

  it.each(['', 'MB', '-1', '2XB', '0', '1e3', '2 MB extra'])('rejects %j', (s) => {
    expect(parseByteSize(s)).toBeUndefined();
  });

  it('reads any plain byte count', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (n) => {
      expect(parseByteSize(String(n))).toBe(n);
    }));
  });
});

describe('exitCodeFor', () => {
  const s = (contradicted: number, unverified: number) => ({ supported: 3, contradicted, unverified, notCheckable: 1 });
  it.each([
    ['contradicted', 0, 5, ExitCode.Ok],
    ['contradicted', 1, 0, ExitCode.FailOn],
    ['unverified', 0, 1, ExitCode.FailOn],
    ['unverified', 1, 0, ExitCode.FailOn],
    ['unverified', 0, 0, ExitCode.Ok],
    ['never', 4, 4, ExitCode.Ok],
  ] as const)('--fail-on %s with %d contradicted, %d unverified → %d', (failOn, c, u, code) => {
    expect(exitCodeFor(s(c, u), failOn)).toBe(code);
  });
});

describe('progress', () => {
  it('renders phase, counts and a bar that fits the terminal', () => {
    const line = renderProgress({ phase: 'verify', claimsDone: 5, claimsTotal: 10, filesScanned: 1234, rssMb: 210.4 }, 80);
    expect(line).toMatch(/^\[#+-+\] verifying · 5\/10 claims · 1,234 files · 210 MB$/);
    expect(line.length).toBeLessThan(80);
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(1000), fc.nat(1000), (width, done, total) => {
      expect(renderProgress({ phase: 'index', claimsDone: done, claimsTotal: total, filesScanned: done }, width).length).toBeLessThan(Math.max(width, 1));
    }));
  });

  it('draws the newest snapshot at most once per interval and clears itself', () => {
    vi.useFakeTimers();
    try {
      const writes: string[] = [];
      const stream = { columns: 100, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
      const bar = new ProgressBar(stream, 100);
      for (let i = 1; i <= 50; i++) bar.update({ phase: 'facts', claimsDone: 0, claimsTotal: 3, filesScanned: i });
      expect(writes).toHaveLength(1);
      vi.advanceTimersByTime(150);
      expect(writes).toHaveLength(2);
      expect(writes[1]).toContain('50 files');
      bar.interrupt(() => writes.push('warning line\n'));
      expect(writes.slice(2)).toEqual(['\r\x1b[2K', 'warning line\n', expect.stringContaining('50 files')]);
      bar.clear();
      expect(writes.at(-1)).toBe('\r\x1b[2K');
      const count = writes.length;
      bar.clear();
      vi.advanceTimersByTime(1000);
      expect(writes).toHaveLength(count);
    } finally {
      vi.useRealTimers();
    }
  });
});
