import type { Dirent, Stats } from 'node:fs';
import { readdirSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FactFlag } from '../facts/fact.js';
import type { EngineWarning } from '../model.js';
import { isEnvironmentFolder, isSkippedFolderName } from './defaultSkips.js';
import { classifyFile } from './fileKind.js';
import { describeFsError, errorCode } from './fsErrors.js';
import { GitignoreChain, readIgnoreFile } from './gitignoreRules.js';
import { pathFlags } from './pathFlags.js';
import { UserGlobs } from './userGlobs.js';
import type { WorkspaceFile } from './workspaceFile.js';

export type { WorkspaceFile } from './workspaceFile.js';

export interface WalkOptions {
  /** Not used to drop files: big files are still yielded (metric logs get tail-read); see readWorkspaceFile. */
  maxFileBytes: number;
  /** Extra globs relative to the root that bring back skipped or git-ignored paths (see UserGlobs). */
  include: string[];
  /** Globs relative to the root to leave out; they win over everything. */
  exclude: string[];
  /** Absolute paths to leave out (files or folders), e.g. the card being checked. */
  excludePaths?: string[];
  /**
   * What to do with git-ignored paths: leave them out (default), or walk them and flag their files
   * `ignored` so their facts can be shown as related but never decide a verdict.
   */
  gitignored?: 'skip' | 'flag';
}

/** Files stat'ed (synchronously, see statOf) before the walk yields them: a bounded pause of the event loop. */
const STAT_BATCH = 32;

type FolderMode =
  | 'normal'    // default skips and .gitignore apply
  | 'included'  // inside a folder an include glob matched: .gitignore no longer applies
  | 'gated';    // a skipped folder entered only to reach an include glob: only matches come out

interface Folder {
  abs: string;
  rel: string;
  /** Real path, to catch symlink loops and folders reached twice. */
  real: string;
  mode: FolderMode;
  /** The folder itself matched an include glob: the user asked for it even if it looks like an environment. */
  explicit: boolean;
  /** Inside a git-ignored folder walked in 'flag' mode. */
  ignored: boolean;
  chain: GitignoreChain;
  parent: Folder | undefined;
  viaSymlink: boolean;
}

interface Target {
  isFile: boolean;
  isFolder: boolean;
  /** Stats of what the entry points at (only fetched up front for symlinks). */
  stats?: Stats;
  real: string;
  symlink: boolean;
  broken?: string;
}

interface FileCandidate {
  rel: string;
  abs: string;
  ignored: boolean;
  stats?: Stats;
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The order walkWorkspace yields two workspace paths in (`/`-separated, relative): in a folder,
 * its files by name, then its subfolders by name, depth first. For paths no longer there.
 */
export function compareWalkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const xFile = i === x.length - 1;
    const yFile = i === y.length - 1;
    if (xFile !== yFile) return xFile ? -1 : 1;
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * Walk the workspace lazily, folder by folder, in sorted order (files of a folder, then its
 * subfolders, depth first). Problems with single paths (unreadable folders, symlink loops, links
 * leaving the workspace) become warnings and the walk goes on; only a root that is not a readable
 * folder throws. Aborting the signal makes the generator throw the signal's reason.
 */
export async function* walkWorkspace(
  root: string,
  opts: WalkOptions,
  onWarning: (w: EngineWarning) => void,
  signal?: AbortSignal,
): AsyncGenerator<WorkspaceFile> {
  const rootAbs = path.resolve(root);
  let rootStats: Stats;
  try {
    rootStats = await stat(rootAbs);
  } catch (e) {
    throw new Error(`workspace folder ${rootAbs}: ${describeFsError(e)}`);
  }
  if (!rootStats.isDirectory()) throw new Error(`workspace folder ${rootAbs}: not a folder`);
  const rootReal = await realpath(rootAbs);

  const globs = new UserGlobs(opts.include, opts.exclude, onWarning);
  const excludedAbs = await resolveExcludedPaths(opts.excludePaths ?? []);
  const flagIgnored = opts.gitignored === 'flag';
  const warn = (rel: string, message: string): void => onWarning({ path: rel === '' ? '.' : rel, message });

  const visited = new Set<string>([rootReal]);
  const stack: Folder[] = [{
    abs: rootAbs, rel: '', real: rootReal, mode: 'normal', explicit: false, ignored: false,
    chain: await GitignoreChain.outer(rootAbs, onWarning), parent: undefined, viaSymlink: false,
  }];

  while (stack.length > 0) {
    signal?.throwIfAborted();
    const folder = stack.pop() as Folder;
    let entries: Dirent[];
    try {
      // Synchronous, as stats are (see statOf): folders are listed one after another, and a
      // thread-pool round trip per folder cost more than listing it.
      entries = readdirSync(folder.abs, { withFileTypes: true });
    } catch (e) {
      warn(folder.rel, `cannot read folder: ${describeFsError(e)}; skipped`);
      continue;
    }
    if (folder.parent && folder.mode !== 'gated' && !folder.explicit && isEnvironmentFolder(entries.map((e) => e.name))) {
      continue;
    }
    entries.sort(byName);

    const usesGitignore = folder.mode === 'normal' && !folder.ignored;
    let chain = folder.chain;
    if (usesGitignore && entries.some((e) => e.name === '.gitignore')) {
      const shown = folder.rel === '' ? '.gitignore' : `${folder.rel}/.gitignore`;
      const text = await readIgnoreFile(path.join(folder.abs, '.gitignore'), shown, onWarning);
      if (text !== undefined) chain = chain.withIgnoreFile(folder.rel, text);
    }
    const isGitIgnored = usesGitignore ? chain.tester() : (): boolean => false;

    const files: FileCandidate[] = [];
    const subfolders: Folder[] = [];
    for (const entry of entries) {
      const rel = folder.rel === '' ? entry.name : `${folder.rel}/${entry.name}`;
      const abs = childPath(folder.abs, entry.name);
      if (globs.isExcluded(rel) || excludedAbs.has(abs)) continue;

      // Only a symlink needs a stat to tell what it is: an await per plain entry cost ~2 µs each.
      const target = entry.isSymbolicLink() ? await describeSymlink(abs) : describePlain(entry, childPath(folder.real, entry.name));
      if (!target || excludedAbs.has(target.real)) continue;
      const included = globs.isIncluded(rel);

      if (target.isFolder) {
        const child = decideFolder(folder, entry.name, rel, included, globs, isGitIgnored, flagIgnored);
        if (!child) continue;
        if (target.symlink && !symlinkUsable(target, rel, rootReal, warn)) continue;
        if (target.symlink && isAncestor(folder, target.real)) {
          warn(rel, `symlink loop: points back to ${shownReal(target.real, rootReal)}; not followed`);
          continue;
        }
        subfolders.push({ ...child, abs, rel, real: target.real, chain, parent: folder, viaSymlink: target.symlink });
      } else if (target.isFile || target.broken !== undefined) {
        let ignored = folder.ignored;
        if (!included) {
          if (folder.mode === 'gated') continue;
          if (isGitIgnored(rel, false)) {
            if (!flagIgnored) continue;
            ignored = true;
          }
        } else {
          ignored = false;
        }
        if (target.symlink && !symlinkUsable(target, rel, rootReal, warn)) continue;
        files.push({ rel, abs, ignored, stats: target.stats });
      }
      // sockets, FIFOs and devices are never workspace files (opening a FIFO would block).
    }

    for (let i = 0; i < files.length; i += STAT_BATCH) {
      signal?.throwIfAborted();
      const batch = files.slice(i, i + STAT_BATCH);
      const results = batch.map(statOf);
      for (let j = 0; j < batch.length; j++) {
        const f = batch[j];
        const r = results[j];
        if (!r.ok) {
          // a file deleted since the folder was listed is simply gone, not a problem worth a warning
          if (errorCode(r.error) !== 'ENOENT') warn(f.rel, `cannot read file: ${describeFsError(r.error)}; skipped`);
          continue;
        }
        const st = r.stats;
        if (!st.isFile()) continue;
        const kind = classifyFile(f.rel);
        const flags: FactFlag[] = pathFlags(f.rel, kind);
        if (f.ignored) flags.push('ignored');
        yield { relPath: f.rel, absPath: f.abs, size: st.size, mtimeMs: st.mtimeMs, kind, flags };
      }
    }
    // A folder reached twice (through a symlink) is walked once. Plain subfolders claim their real
    // paths before symlinked siblings, so a link next to its target does not take the target's place.
    const keep = subfolders.map(() => false);
    for (const pass of [false, true]) {
      subfolders.forEach((f, i) => {
        if (f.viaSymlink !== pass || visited.has(f.real)) return;
        visited.add(f.real);
        keep[i] = true;
      });
    }
    for (let i = subfolders.length - 1; i >= 0; i--) if (keep[i]) stack.push(subfolders[i]);
  }
}

/**
 * Synchronous on purpose: a stat of a listed file takes microseconds, while 10,000 of them
 * through libuv's four threads kept a re-run waiting ~0.3 s. A batch stays well under a millisecond
 * on a local disk, so the event loop (cancellation, IPC) is not held up noticeably.
 */
function statOf(f: FileCandidate): { ok: true; stats: Stats } | { ok: false; error: unknown } {
  if (f.stats) return { ok: true, stats: f.stats };
  try {
    return { ok: true, stats: statSync(f.abs) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * `path.join(folder, name)` for a listed entry of an absolute, normalised folder: a name holds no
 * separator, so nothing needs normalising (path.join was a tenth of a 10,000-file re-run's walk).
 */
function childPath(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

/** What a plain entry is; undefined for entries that are neither file nor folder (sockets, FIFOs, devices). */
function describePlain(entry: Dirent, realIfPlain: string): Target | undefined {
  if (entry.isDirectory()) return { isFile: false, isFolder: true, real: realIfPlain, symlink: false };
  if (entry.isFile()) return { isFile: true, isFolder: false, real: realIfPlain, symlink: false };
  return undefined;
}

/** What a symlink points at; undefined when that is neither file nor folder. */
async function describeSymlink(abs: string): Promise<Target | undefined> {
  try {
    const stats = await stat(abs);
    const real = await realpath(abs);
    if (!stats.isDirectory() && !stats.isFile()) return undefined;
    return { isFile: stats.isFile(), isFolder: stats.isDirectory(), stats, real, symlink: true };
  } catch (e) {
    const code = errorCode(e);
    const broken = code === 'ELOOP' ? 'symlink loop' : code === 'ENOENT' ? 'broken symlink' : `cannot follow symlink: ${describeFsError(e)}`;
    return { isFile: false, isFolder: false, real: abs, symlink: true, broken };
  }
}

/** Warns about and rejects symlinks that are broken or lead out of the workspace. */
function symlinkUsable(target: Target, rel: string, rootReal: string, warn: (rel: string, message: string) => void): boolean {
  if (target.broken !== undefined) {
    warn(rel, `${target.broken}; skipped`);
    return false;
  }
  const inside = path.relative(rootReal, target.real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    warn(rel, `symlink points outside the workspace (${target.real}); skipped`);
    return false;
  }
  return true;
}

/** Whether and how to enter a subfolder; undefined to skip it. */
function decideFolder(
  parent: Folder,
  name: string,
  rel: string,
  included: boolean,
  globs: UserGlobs,
  isGitIgnored: (rel: string, isFolder: boolean) => boolean,
  flagIgnored: boolean,
): Pick<Folder, 'mode' | 'explicit' | 'ignored'> | undefined {
  if (included) return { mode: 'included', explicit: true, ignored: false };
  if (parent.mode === 'gated') return globs.leadsToInclude(rel) ? { mode: 'gated', explicit: false, ignored: false } : undefined;
  const skippedByName = isSkippedFolderName(name);
  const gitIgnored = !skippedByName && isGitIgnored(rel, true);
  if (!skippedByName && !gitIgnored) return { mode: parent.mode, explicit: false, ignored: parent.ignored };
  if (globs.leadsToInclude(rel)) return { mode: 'gated', explicit: false, ignored: false };
  if (gitIgnored && flagIgnored) return { mode: 'normal', explicit: false, ignored: true };
  return undefined;
}

function isAncestor(folder: Folder, real: string): boolean {
  for (let f: Folder | undefined = folder; f; f = f.parent) if (f.real === real) return true;
  return false;
}

function shownReal(real: string, rootReal: string): string {
  const rel = path.relative(rootReal, real).split(path.sep).join('/');
  return rel === '' ? 'the workspace root' : rel;
}

/** Absolute paths to leave out, both as given and with symlinks resolved, so either spelling matches. */
async function resolveExcludedPaths(paths: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    out.add(abs);
    try {
      out.add(await realpath(abs));
    } catch {
      // a path that does not exist cannot be met on the walk either
    }
  }
  return out;
}
