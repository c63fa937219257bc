/**
 * Folders never worth walking: version control, installed packages, virtual environments, tool
 * caches, build outputs and experiment trackers' run dumps (huge, and stale runs would pose as evidence).
 */
const SKIPPED_FOLDER_NAMES = new Set([
  '.git', '.hg', '.svn',
  'node_modules', 'site-packages', 'venv', '.venv', 'conda-meta',
  '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.ipynb_checkpoints', '.tox', '.nox', '.eggs',
  '.cache', '.cardcheck-cache',
  'build', 'dist',
  'wandb', 'mlruns', 'lightning_logs',
]);

/** True for a folder skipped by its name alone. */
export function isSkippedFolderName(name: string): boolean {
  return SKIPPED_FOLDER_NAMES.has(name) || name.endsWith('.egg-info');
}

/**
 * True when a folder's own entries show it is a Python environment, whatever it is called
 * (`env/` is often real code, e.g. RL environments, so the name alone cannot decide).
 */
export function isEnvironmentFolder(entryNames: Iterable<string>): boolean {
  for (const n of entryNames) if (n === 'pyvenv.cfg' || n === 'conda-meta') return true;
  return false;
}
