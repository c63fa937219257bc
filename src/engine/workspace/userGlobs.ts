import picomatch from 'picomatch';
import type { EngineWarning } from '../model.js';

type Matcher = (relPath: string) => boolean;

/** Globs may come from settings typed by hand: `./src/**`, `data\\raw`, `outputs/` all mean what they look like. */
function normalizeGlob(glob: string): string {
  let g = glob.trim().replace(/\\/g, '/');
  while (g.startsWith('./')) g = g.slice(2);
  g = g.replace(/^\/+/, '');
  if (g.length > 1) g = g.replace(/\/+$/, '');
  return g;
}

function compile(globs: readonly string[], setting: string, onWarning: (w: EngineWarning) => void): { match: Matcher; bases: string[] } {
  const matchers: Matcher[] = [];
  const bases: string[] = [];
  for (const raw of globs) {
    const g = normalizeGlob(raw);
    if (g === '') continue;
    try {
      matchers.push(picomatch(g, { dot: true }));
      bases.push(picomatch.scan(g).base);
    } catch (e) {
      const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
      onWarning({ path: shown, message: `invalid ${setting} glob (${e instanceof Error ? e.message : String(e)}); ignored` });
    }
  }
  return { match: (p) => matchers.some((m) => m(p)), bases };
}

/**
 * The user's extra `include` / `exclude` globs, relative to the workspace root.
 * `exclude` drops matching files and folders (with everything below them) and wins over everything.
 * `include` brings back what the default skips or .gitignore would drop: a matching folder is
 * walked whole, and a skipped folder on the way to an include glob's fixed prefix (`outputs` for
 * `outputs/run1/*.json`) is entered just to look for matches. A glob without a fixed prefix
 * (`**\/*.csv`) can re-admit files and folders it names but does not open skipped folders.
 */
export class UserGlobs {
  private readonly include: { match: Matcher; bases: string[] };
  private readonly exclude: { match: Matcher };

  constructor(include: readonly string[], exclude: readonly string[], onWarning: (w: EngineWarning) => void) {
    this.include = compile(include, 'include', onWarning);
    this.exclude = compile(exclude, 'exclude', onWarning);
  }

  isExcluded(relPath: string): boolean {
    return this.exclude.match(relPath);
  }

  isIncluded(relPath: string): boolean {
    return this.include.match(relPath);
  }

  /** True when an include glob's fixed prefix lies at or below this folder. */
  leadsToInclude(folderRel: string): boolean {
    return this.include.bases.some((b) => b !== '' && (b === folderRel || b.startsWith(folderRel + '/')));
  }
}
