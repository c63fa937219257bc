import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readWorkspaceFile } from '../../../src/engine/workspace/readWorkspaceFile.js';
import { makeTree, removeTree, walkAll } from './workspaceFixture.js';

/**
 * Root ignores permission bits, so chmod 000 alone proves nothing when the tests run as root (as
 * they do in CI containers). Paths listed here fail with EACCES from the mocked fs, exactly as the
 * kernel would fail them for an ordinary user; the tests also chmod, so as non-root both agree.
 */
const { denied, check } = vi.hoisted(() => {
  const denied = new Set<string>();
  const check = (p: unknown, syscall: string): void => {
    if (denied.has(String(p))) {
      throw Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(p)}'`), { code: 'EACCES', syscall });
    }
  };
  return { denied, check };
});

// The walker lists folders synchronously; reads are asynchronous.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((p: Parameters<typeof actual.readdirSync>[0], o?: unknown) => {
    check(p, 'scandir');
    return actual.readdirSync(p, o as Parameters<typeof actual.readdirSync>[1]);
  }) as typeof actual.readdirSync;
  return { ...actual, readdirSync, default: { ...actual, readdirSync } };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (async (p: Parameters<typeof actual.readdir>[0], o?: unknown) => {
    check(p, 'scandir');
    return actual.readdir(p, o as Parameters<typeof actual.readdir>[1]);
  }) as typeof actual.readdir;
  const open = (async (p: Parameters<typeof actual.open>[0], ...rest: [string | number | undefined, number | undefined]) => {
    check(p, 'open');
    return actual.open(p, ...rest);
  }) as typeof actual.open;
  return { ...actual, readdir, open };
});

const asRoot = process.getuid?.() === 0;
const roots: string[] = [];

async function lock(p: string): Promise<void> {
  await chmod(p, 0o000);
  if (asRoot) denied.add(p);
}

afterEach(async () => {
  denied.clear();
  for (const r of roots.splice(0)) {
    await chmod(path.join(r, 'locked'), 0o755).catch(() => undefined);
    await chmod(path.join(r, 'secret.py'), 0o644).catch(() => undefined);
    await removeTree(r);
  }
});

describe('unreadable paths', () => {
  it('warns about an unreadable folder, naming it, and walks on', async () => {
    const root = await makeTree({ 'a.py': '', 'locked/hidden.py': 'x = 1', 'z/b.py': '' });
    roots.push(root);
    await lock(path.join(root, 'locked'));
    const { paths, warnings } = await walkAll(root);
    expect(paths).toEqual(['a.py', 'z/b.py']);
    expect(warnings).toEqual([{ path: 'locked', message: 'cannot read folder: permission denied (EACCES); skipped' }]);
  });

  it('still yields an unreadable file, whose read then fails with a reason instead of throwing', async () => {
    const root = await makeTree({ 'secret.py': 'lr = 1', 'ok.py': 'lr = 2' });
    roots.push(root);
    await lock(path.join(root, 'secret.py'));
    const { files } = await walkAll(root);
    const secret = files.find((f) => f.relPath === 'secret.py');
    expect(secret).toBeDefined();
    if (!secret) return;
    expect(await readWorkspaceFile(secret, { maxFileBytes: 1024 })).toEqual({
      ok: false, reason: 'cannot read file: permission denied (EACCES)',
    });
    const ok = files.find((f) => f.relPath === 'ok.py');
    expect(ok && (await readWorkspaceFile(ok, { maxFileBytes: 1024 }))).toEqual({ ok: true, text: 'lr = 2' });
  });
});
