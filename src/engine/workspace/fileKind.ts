/** What a workspace file holds, decided from its name alone; extractors are chosen by kind. */
export type FileKind =
  | 'python' | 'notebook' | 'yaml' | 'json' | 'toml' | 'csv' | 'tsv' | 'log' | 'requirements'
  | 'pyproject' | 'conda-env' | 'license' | 'shell' | 'markdown' | 'text' | 'cfg' | 'other';

const EXTENSION_KINDS: ReadonlyMap<string, FileKind> = new Map<string, FileKind>([
  ['py', 'python'], ['pyi', 'python'],
  ['ipynb', 'notebook'],
  ['yaml', 'yaml'], ['yml', 'yaml'],
  ['json', 'json'],
  ['toml', 'toml'],
  ['cfg', 'cfg'], ['ini', 'cfg'],
  ['csv', 'csv'], ['tsv', 'tsv'],
  // JSON-lines files are append-only metric streams: treated like logs so big ones are tail-read.
  ['log', 'log'], ['jsonl', 'log'], ['ndjson', 'log'],
  // nohup.out and SLURM's slurm-<job>.out are the usual training logs on clusters.
  ['out', 'log'],
  ['sh', 'shell'], ['bash', 'shell'], ['zsh', 'shell'], ['slurm', 'shell'], ['sbatch', 'shell'],
  ['md', 'markdown'], ['markdown', 'markdown'], ['rst', 'markdown'],
  ['txt', 'text'],
]);

/** Extensions that make a LICENSE-like name a program or data file rather than the licence text. */
const NOT_LICENSE_EXTENSIONS = new Set([
  'py', 'pyi', 'ipynb', 'json', 'yaml', 'yml', 'toml', 'cfg', 'ini', 'csv', 'tsv', 'sh', 'js', 'ts', 'html',
]);

/** `.in` files that belong to build tools, not pip-tools. */
const NOT_REQUIREMENTS_IN = new Set(['manifest.in', 'makefile.in']);

function extensionOf(lowerName: string): string {
  const dot = lowerName.lastIndexOf('.');
  return dot > 0 ? lowerName.slice(dot + 1) : '';
}

/** Classify by workspace-relative path (either slash). Pure: touches no file system. */
export function classifyFile(relPath: string): FileKind {
  // The last two path segments, without splitting the whole path (called for every file of a walk).
  const [name, parent] = lastSegments(relPath);
  const ext = extensionOf(name);

  if (/^(licen[cs]e|copying)([-_.][\w.-]*)?$/.test(name) && !NOT_LICENSE_EXTENSIONS.has(ext)) return 'license';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'pipfile') return 'requirements';
  if (ext === 'txt' && (/^(requirements|constraints)/.test(name) || parent === 'requirements')) return 'requirements';
  if (ext === 'in' && /^[^.]+\.in$/.test(name) && !NOT_REQUIREMENTS_IN.has(name)) return 'requirements';
  if ((ext === 'yml' || ext === 'yaml') && (/^environment([-_.].*)?\.ya?ml$/.test(name) || name.startsWith('conda'))) {
    return 'conda-env';
  }
  if (ext === '' && /^readme$/.test(name)) return 'text';
  return EXTENSION_KINDS.get(ext) ?? 'other';
}

/** A path's last segment and the one before it, lowercased ('' when absent); empty segments are skipped. */
function lastSegments(relPath: string): [string, string] {
  let end = relPath.length;
  const found: string[] = [];
  while (found.length < 2 && end > 0) {
    let start = end;
    while (start > 0 && relPath[start - 1] !== '/' && relPath[start - 1] !== '\\') start--;
    if (start < end) found.push(relPath.slice(start, end).toLowerCase());
    end = start - 1;
  }
  return [found[0] ?? '', found[1] ?? ''];
}
