import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { EngineWarning } from '../model.js';
import { describeFsError, errorCode } from './fsErrors.js';

/** A .gitignore bigger than this is not a hand-written ignore file; it is skipped with a warning. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/** Git compares paths case-insensitively where the file system does (core.ignorecase). */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/** The rules of one ignore file and how a workspace-relative path maps to a path relative to that file's folder. */
interface IgnoreLevel {
  rules: Ignore;
  /** Characters to drop from the front of a workspace-relative path (the level's folder and its slash). */
  strip: number;
  /** Text to put in front instead (for levels above the workspace root: the way down to the root). */
  prepend: string;
}

/**
 * The .gitignore files in force for one folder, outermost first, as git reads them:
 * `.git/info/exclude`, then each folder's `.gitignore` from the repository root down; a deeper file
 * overrides a shallower one and a later line an earlier one.
 */
export class GitignoreChain {
  private constructor(private readonly levels: readonly IgnoreLevel[]) {}

  static empty(): GitignoreChain {
    return new GitignoreChain([]);
  }

  get isEmpty(): boolean {
    return this.levels.length === 0;
  }

  /** The chain for a folder (workspace-relative, '' for the root) whose own `.gitignore` holds `text`. */
  withIgnoreFile(folderRel: string, text: string): GitignoreChain {
    const level = { rules: newIgnore().add(text), strip: folderRel === '' ? 0 : folderRel.length + 1, prepend: '' };
    return new GitignoreChain([...this.levels, level]);
  }

  private withOuterLevel(text: string, prepend: string): GitignoreChain {
    return new GitignoreChain([...this.levels, { rules: newIgnore().add(text), strip: 0, prepend }]);
  }

  /**
   * A tester for the entries of one folder. The `ignore` package caches every path it has tested
   * on the instance, so each folder tests with fresh copies (the compiled rules are shared) and the
   * cache goes away with the folder instead of growing with the workspace.
   */
  tester(): (relPath: string, isFolder: boolean) => boolean {
    if (this.levels.length === 0) return () => false;
    const levels = this.levels.map((l) => ({ ...l, rules: newIgnore().add(l.rules) }));
    return (relPath, isFolder) => {
      let ignored = false;
      for (const l of levels) {
        const p = l.prepend + relPath.slice(l.strip) + (isFolder ? '/' : '');
        let r: { ignored: boolean; unignored: boolean };
        try {
          r = l.rules.test(p);
        } catch {
          // `ignore` rejects names it reads as relative paths (e.g. a file called `..`): git would not match them either.
          continue;
        }
        if (r.ignored) ignored = true;
        else if (r.unignored) ignored = false;
      }
      return ignored;
    };
  }

  /**
   * The rules that apply to the workspace root from outside it: `.git/info/exclude` and the
   * `.gitignore` files of the folders between the repository root and the workspace root, when the
   * workspace is (inside) a git repository. If those rules would ignore the root itself they are
   * dropped: the user chose to check that folder.
   */
  static async outer(root: string, onWarning: (w: EngineWarning) => void): Promise<GitignoreChain> {
    const repo = await findRepository(root);
    if (!repo) return GitignoreChain.empty();
    let chain = GitignoreChain.empty();
    const toRoot = (folder: string): string => {
      const rel = path.relative(folder, root).split(path.sep).join('/');
      return rel === '' ? '' : rel + '/';
    };
    const exclude = await readIgnoreFile(path.join(repo.gitDir, 'info', 'exclude'), '.git/info/exclude', onWarning);
    if (exclude !== undefined) chain = chain.withOuterLevel(exclude, toRoot(repo.top));
    for (let folder = repo.top; folder !== root && isInside(root, folder); ) {
      const text = await readIgnoreFile(path.join(folder, '.gitignore'), path.join(folder, '.gitignore'), onWarning);
      if (text !== undefined) chain = chain.withOuterLevel(text, toRoot(folder));
      const next = path.relative(folder, root).split(path.sep)[0];
      folder = path.join(folder, next);
    }
    if (chain.isEmpty) return chain;
    const prefixRules = chain.levels.filter((l) => l.prepend !== '');
    if (prefixRules.length > 0 && rootIgnored(prefixRules)) return GitignoreChain.empty();
    return chain;
  }
}

function rootIgnored(levels: readonly IgnoreLevel[]): boolean {
  let ignored = false;
  for (const l of levels) {
    const r = l.rules.test(l.prepend);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

function newIgnore(): Ignore {
  return ignore({ ignorecase: IGNORE_CASE });
}

function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The text of an ignore file, or undefined when there is none; trouble reading it is a warning, not a failure. */
export async function readIgnoreFile(
  absPath: string,
  shownPath: string,
  onWarning: (w: EngineWarning) => void,
): Promise<string | undefined> {
  try {
    const s = await stat(absPath);
    if (!s.isFile()) return undefined;
    if (s.size > MAX_IGNORE_FILE_BYTES) {
      onWarning({ path: shownPath, message: `ignore file larger than ${MAX_IGNORE_FILE_BYTES} bytes; its rules are not applied` });
      return undefined;
    }
    return await readFile(absPath, 'utf8');
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    onWarning({ path: shownPath, message: `cannot read ignore file: ${describeFsError(e)}; its rules are not applied` });
    return undefined;
  }
}

/** The nearest enclosing git work tree: its top folder and its git directory (`.git`, or where a `.git` file points). */
async function findRepository(root: string): Promise<{ top: string; gitDir: string } | undefined> {
  for (let folder = root; ; ) {
    const dotGit = path.join(folder, '.git');
    try {
      const s = await stat(dotGit);
      if (s.isDirectory()) return { top: folder, gitDir: dotGit };
      if (s.isFile()) {
        // Worktrees and submodules: `.git` is a file saying `gitdir: <path>`.
        const text = await readFile(dotGit, 'utf8');
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
        if (m) return { top: folder, gitDir: path.resolve(folder, m[1]) };
      }
    } catch {
      // no repository marker here; keep climbing
    }
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}
