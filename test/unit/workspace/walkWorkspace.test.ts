import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareWalkOrder, walkWorkspace } from '../../../src/engine/workspace/walkWorkspace.js';
import { addFiles, makeTree, removeTree, walkAll } from './workspaceFixture.js';

const roots: string[] = [];
async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await makeTree(files);
  roots.push(root);
  return root;
}
afterEach(async () => {
  for (const r of roots.splice(0)) await removeTree(r);
});

describe('walkWorkspace: order and file records', () => {
  it('yields files of a folder in name order before its subfolders, with forward slashes', async () => {
    const root = await tree({
      'b.py': 'x = 1', 'a.py': 'x = 2', 'src/z.py': '', 'src/pkg/m.py': '', 'conf/base.yaml': 'lr: 1',
      'README.md': '# hi', 'results/metrics.csv': 'a,b\n1,2\n',
    });
    const { files, paths, warnings } = await walkAll(root);
    expect(paths).toEqual(['README.md', 'a.py', 'b.py', 'conf/base.yaml', 'results/metrics.csv', 'src/z.py', 'src/pkg/m.py']);
    expect(warnings).toEqual([]);
    const a = files.find((f) => f.relPath === 'a.py');
    expect(a).toMatchObject({ absPath: path.join(root, 'a.py'), size: 5, kind: 'python', flags: [] });
    expect(a?.mtimeMs).toBeGreaterThan(0);
    expect(files.find((f) => f.relPath === 'README.md')?.flags).toEqual(['doc']);
    expect((await walkAll(root)).paths).toEqual(paths);
  });

  it('sets path flags on yielded files', async () => {
    const root = await tree({ 'tests/fixtures/tiny.yaml': 'a: 1', 'third_party/lib/x.py': '', 'examples/demo.py': '' });
    const { files } = await walkAll(root);
    expect(Object.fromEntries(files.map((f) => [f.relPath, f.flags]))).toEqual({
      'examples/demo.py': ['example'],
      'tests/fixtures/tiny.yaml': ['test', 'fixture'],
      'third_party/lib/x.py': ['vendored'],
    });
  });

  it('throws a clear error for a root that is missing or not a folder', async () => {
    const root = await tree({ 'file.txt': 'x' });
    await expect(walkAll(path.join(root, 'nope'))).rejects.toThrow(/nope.*no such file/);
    await expect(walkAll(path.join(root, 'file.txt'))).rejects.toThrow(/file\.txt: not a folder/);
  });

  it('stops with the abort reason when the signal is aborted', async () => {
    const root = await tree({ 'a.py': '', 'b/c.py': '', 'd/e.py': '' });
    const ac = new AbortController();
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      for await (const f of walkWorkspace(root, { maxFileBytes: 1e6, include: [], exclude: [] }, () => undefined, ac.signal)) {
        seen.push(f.relPath);
        ac.abort(new Error('stop now'));
      }
    };
    await expect(run()).rejects.toThrow('stop now');
    expect(seen).toEqual(['a.py']);
  });
});

describe('walkWorkspace: default skips', () => {
  it('skips tool, cache, build and tracker folders at any depth', async () => {
    const skipped = [
      '.git/config', 'node_modules/x/index.js', '__pycache__/a.cpython-311.pyc', 'pkg/__pycache__/b.py',
      '.mypy_cache/x.json', '.pytest_cache/v/x', '.ipynb_checkpoints/nb-checkpoint.ipynb', '.tox/py/x.py',
      'build/lib/x.py', 'dist/x.py', 'mypkg.egg-info/PKG-INFO', '.cache/x.json', 'wandb/run-1/config.yaml',
      'mlruns/0/meta.yaml', 'lightning_logs/version_0/hparams.yaml', 'lib/site-packages/x.py',
      'venv/lib/x.py', '.venv/lib/x.py', 'sub/.venv/x.py',
    ];
    const root = await tree({ 'train.py': '', 'src/model.py': '', ...Object.fromEntries(skipped.map((p) => [p, 'x'])) });
    expect((await walkAll(root)).paths).toEqual(['train.py', 'src/model.py']);
  });

  it('skips a folder holding pyvenv.cfg or conda-meta whatever its name, but keeps a code folder named env', async () => {
    const root = await tree({
      'env/pyvenv.cfg': 'home = /usr', 'env/lib/python3.11/site.py': '',
      'myenv/conda-meta/history': '', 'myenv/lib/x.py': '',
      'rl/env/cartpole.py': 'GRAVITY = 9.8',
    });
    expect((await walkAll(root)).paths).toEqual(['rl/env/cartpole.py']);
  });
});

describe('walkWorkspace: .gitignore', () => {
  it('applies nested .gitignore files to their own subtree only, with negation and anchoring', async () => {
    const root = await tree({
      '.gitignore': '*.pt\noutputs/\n/rootonly.txt\n',
      'rootonly.txt': 'x', 'sub/rootonly.txt': 'kept: anchored rule is for the root only',
      'model.pt': 'x', 'outputs/old/metrics.json': '{}', 'a/outputs/x.json': '{}',
      'pkg/.gitignore': 'generated_*.py\n!keep.pt\n',
      'pkg/generated_a.py': '', 'pkg/keep.pt': 'x', 'pkg/real.py': '', 'other/generated_b.py': '', 'other/w.pt': '',
    });
    const { paths } = await walkAll(root);
    expect(paths).toEqual(['.gitignore', 'other/generated_b.py', 'pkg/.gitignore', 'pkg/keep.pt', 'pkg/real.py', 'sub/rootonly.txt']);
  });

  it('honours .git/info/exclude', async () => {
    const root = await tree({ '.git/info/exclude': 'scratch/\n', 'scratch/a.py': '', 'b.py': '' });
    expect((await walkAll(root)).paths).toEqual(['b.py']);
  });

  it('applies the .gitignore files above the workspace when it sits inside a git repository', async () => {
    const repo = await tree({
      '.git/info/exclude': 'secret.py\n',
      '.gitignore': 'ws/ignored_by_top/\n*.tmp\n',
      'ws/.gitignore': '',
      'ws/a.py': '', 'ws/secret.py': '', 'ws/x.tmp': '', 'ws/ignored_by_top/b.py': '', 'ws/kept/c.py': '',
    });
    expect((await walkAll(path.join(repo, 'ws'))).paths).toEqual(['.gitignore', 'a.py', 'kept/c.py']);
  });

  it('does not drop a workspace root that the enclosing repository ignores', async () => {
    const repo = await tree({ '.git/HEAD': 'ref', '.gitignore': 'checkout/\n', 'checkout/a.py': '' });
    expect((await walkAll(path.join(repo, 'checkout'))).paths).toEqual(['a.py']);
  });

  it("flags git-ignored files 'ignored' instead of dropping them when asked", async () => {
    const root = await tree({
      '.gitignore': 'outputs/\n*.bak.py\n', 'outputs/old_run/config.yaml': 'lr: 0.01', 'x.bak.py': '', 'train.py': '',
      'outputs/__pycache__/x.py': '',
    });
    const { files } = await walkAll(root, { gitignored: 'flag' });
    expect(files.map((f) => [f.relPath, f.flags])).toEqual([
      ['.gitignore', []], ['train.py', []], ['x.bak.py', ['ignored']], ['outputs/old_run/config.yaml', ['ignored']],
    ]);
  });
});

describe('walkWorkspace: include / exclude globs and excluded paths', () => {
  it('exclude drops files and whole folders', async () => {
    const root = await tree({ 'a.py': '', 'data/raw/x.csv': '', 'data/keep.py': '', 'nb/x.ipynb': '', 'deep/nb/y.ipynb': '' });
    const { paths } = await walkAll(root, { exclude: ['data/raw', '**/*.ipynb'] });
    expect(paths).toEqual(['a.py', 'data/keep.py']);
  });

  it('include brings back git-ignored and default-skipped paths; exclude still wins', async () => {
    const root = await tree({
      '.gitignore': 'outputs/\n*.log\n',
      'outputs/run1/metrics.json': '{}', 'outputs/run1/other.txt': '', 'outputs/run2/metrics.json': '{}',
      'wandb/latest-run/files/wandb-summary.json': '{}', 'wandb/latest-run/files/config.yaml': '',
      'build/gen.py': '', 'train.log': '', 'sub/eval.log': '', 'node_modules/x.js': '',
    });
    const { paths, files } = await walkAll(root, {
      include: ['outputs/run1/*.json', 'wandb/latest-run/files/wandb-summary.json', 'build', '**/*.log'],
      exclude: ['sub/**'],
    });
    expect(paths).toEqual([
      '.gitignore', 'train.log', 'build/gen.py', 'outputs/run1/metrics.json', 'wandb/latest-run/files/wandb-summary.json',
    ]);
    expect(files.every((f) => !f.flags.includes('ignored'))).toBe(true);
  });

  it('an include glob that names a folder walks it whole, still skipping caches inside it', async () => {
    const root = await tree({ '.gitignore': 'results/\n', 'results/a/m.json': '', 'results/b.csv': '', 'results/__pycache__/c.py': '' });
    expect((await walkAll(root, { include: ['./results/'] })).paths).toEqual(['.gitignore', 'results/b.csv', 'results/a/m.json']);
  });

  it('excludePaths leaves out the card, whichever spelling of its path is given', async () => {
    const root = await tree({ 'card.md': '# card', 'README.md': '', 'docs/card2.md': '' });
    await symlink(path.join(root, 'docs'), path.join(root, 'docs-link'));
    const viaLink = path.join(root, 'docs-link', 'card2.md');
    const { paths } = await walkAll(root, { excludePaths: [path.join(root, 'card.md'), viaLink] });
    expect(paths).toEqual(['README.md']);
  });

  it('ignores blank globs and warns about one picomatch rejects, then goes on', async () => {
    const root = await tree({ 'a.py': '', 'b.py': '' });
    const { paths, warnings } = await walkAll(root, { exclude: ['', '  ', 'a.py', 'x'.repeat(70_000)] });
    expect(paths).toEqual(['b.py']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/invalid exclude glob/);
  });
});

describe('walkWorkspace: symlinks', () => {
  it('follows symlinked files and folders inside the root', async () => {
    const root = await tree({ 'vendor_src/deep/configs/config.yaml': 'lr: 1', 'shared.py': 'X = 1' });
    await mkdir(path.join(root, 'pkg'));
    await symlink(path.join(root, 'shared.py'), path.join(root, 'pkg', 'alias.py'));
    await symlink('../vendor_src/deep/configs', path.join(root, 'pkg', 'conf'));
    const { paths, warnings, files } = await walkAll(root);
    // The configs folder is walked once, where the walk meets it first: through the link.
    expect(paths).toEqual(['shared.py', 'pkg/alias.py', 'pkg/conf/config.yaml']);
    expect(warnings).toEqual([]);
    expect(files.find((f) => f.relPath === 'pkg/alias.py')).toMatchObject({ size: 5, kind: 'python' });
  });

  it('survives a folder symlink to its parent and warns "symlink loop" naming the path', async () => {
    const root = await tree({ 'a/b.py': '', 'top.py': '' });
    await symlink('..', path.join(root, 'a', 'up'));
    await symlink('.', path.join(root, 'self'));
    await symlink('self-loop', path.join(root, 'self-loop'));
    const { paths, warnings } = await walkAll(root);
    expect(paths).toEqual(['top.py', 'a/b.py']);
    expect(warnings).toEqual([
      { path: 'self', message: expect.stringContaining('symlink loop') },
      { path: 'self-loop', message: expect.stringContaining('symlink loop') },
      { path: 'a/up', message: expect.stringContaining('symlink loop') },
    ]);
  });

  it('never leaves the root: symlinks pointing outside are skipped with a warning', async () => {
    const outside = await tree({ 'secret.py': 'TOKEN = 1', 'data/x.csv': 'a\n1\n' });
    const root = await tree({ 'train.py': '' });
    await symlink(path.join(outside, 'secret.py'), path.join(root, 'secret.py'));
    await symlink(path.join(outside, 'data'), path.join(root, 'data'));
    await symlink('../..', path.join(root, 'escape'));
    await symlink(path.join(root, 'missing.py'), path.join(root, 'dangling.py'));
    const { paths, warnings } = await walkAll(root);
    expect(paths).toEqual(['train.py']);
    expect(warnings.map((w) => w.path).sort()).toEqual(['dangling.py', 'data', 'escape', 'secret.py']);
    expect(warnings.find((w) => w.path === 'data')?.message).toMatch(/outside the workspace/);
    expect(warnings.find((w) => w.path === 'dangling.py')?.message).toMatch(/broken symlink/);
  });

  it('walks a folder reached twice (real path and symlink) only once, preferring the real path', async () => {
    const root = await tree({ 'zz_real/a.py': '', 'sub/b.py': '' });
    await symlink('zz_real', path.join(root, 'aa_link'));
    await symlink('..', path.join(root, 'sub', 'loop'));
    const { paths, warnings } = await walkAll(root);
    expect(paths).toEqual(['sub/b.py', 'zz_real/a.py']);
    expect(warnings.map((w) => w.path)).toEqual(['sub/loop']);
  });

  it('skips symlinks that rules drop without following them', async () => {
    const root = await tree({ '.gitignore': 'data\n', 'a.py': '' });
    await symlink('/nonexistent/datasets', path.join(root, 'data'));
    await addFiles(root, {});
    const { paths, warnings } = await walkAll(root);
    expect(paths).toEqual(['.gitignore', 'a.py']);
    expect(warnings).toEqual([]);
  });
});

describe('walkWorkspace: laziness', () => {
  it('yields the first file before reading later folders', async () => {
    const root = await tree({ 'a.py': '', 'z/b.py': '' });
    const gen = walkWorkspace(root, { maxFileBytes: 1e6, include: [], exclude: [] }, () => undefined);
    const first = await gen.next();
    expect(first.value?.relPath).toBe('a.py');
    // A folder created after the first yield is still found: the walk had not listed it yet.
    await writeFile(path.join(root, 'z', 'late.py'), '');
    const rest: string[] = [];
    for await (const f of gen) rest.push(f.relPath);
    expect(rest).toEqual(['z/b.py', 'z/late.py']);
  });
});

describe('compareWalkOrder', () => {
  it('orders any two paths as the walk yields them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.array(fc.constantFrom('a', 'b', 'B', 'a.py', 'b.py', 'z-1', 'z_1', 'z'), { minLength: 1, maxLength: 3 }).map((p) => p.join('/')), { minLength: 2, maxLength: 8 }),
        async (candidates) => {
          // A path cannot be both a file and a folder: keep those no other path runs through.
          const files = candidates.filter((p) => !candidates.some((q) => q.startsWith(`${p}/`)));
          const root = await tree(Object.fromEntries(files.map((p) => [p, ''])));
          const { paths } = await walkAll(root);
          expect([...paths].sort(compareWalkOrder)).toEqual(paths);
        },
      ),
      { numRuns: 40 },
    );
  });
});
