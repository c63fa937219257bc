import type { FactFlag } from '../facts/fact.js';
import type { FileKind } from './fileKind.js';

/** One regular file of the workspace, as the walker found it (contents are read separately, on demand). */
export interface WorkspaceFile {
  /** Relative to the workspace root, forward slashes. For a file reached through a symlink: the link's path. */
  relPath: string;
  absPath: string;
  size: number;
  mtimeMs: number;
  kind: FileKind;
  flags: FactFlag[];
}
