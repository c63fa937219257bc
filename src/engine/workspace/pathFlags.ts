import type { FactFlag } from '../facts/fact.js';
import { classifyFile, type FileKind } from './fileKind.js';

const FOLDER_FLAGS: ReadonlyMap<string, FactFlag> = new Map<string, FactFlag>([
  ['tests', 'test'], ['test', 'test'],
  ['fixtures', 'fixture'], ['fixture', 'fixture'],
  ['third_party', 'vendored'], ['third-party', 'vendored'], ['vendor', 'vendored'], ['vendored', 'vendored'],
  ['external', 'vendored'], ['extern', 'vendored'], ['site-packages', 'vendored'],
  ['docs', 'doc'], ['doc', 'doc'],
  ['examples', 'example'], ['example', 'example'],
]);

/** Order in which flags are reported, so results are stable whatever the path looks like. */
const FLAG_ORDER: readonly FactFlag[] = ['test', 'fixture', 'vendored', 'doc', 'example', 'ignored'];

/**
 * Flags that demote facts from a file to non-deciding evidence, from its workspace-relative path alone.
 * Folder rules look at folder names only, so a file called `test.py` at the root is not a test.
 * `kind`: the file's classifyFile kind, when the caller has it.
 */
export function pathFlags(relPath: string, kind: FileKind = classifyFile(relPath)): FactFlag[] {
  const parts = relPath.split(/[\\/]/).filter((p) => p.length > 0);
  const name = (parts.pop() ?? '').toLowerCase();
  const found = new Set<FactFlag>();
  for (const folder of parts) {
    const flag = FOLDER_FLAGS.get(folder.toLowerCase());
    if (flag) found.add(flag);
  }
  if (/^test_.*\.py$/.test(name) || /_test\.py$/.test(name) || name === 'conftest.py') found.add('test');
  if ((name.startsWith('readme') && kind !== 'python') || kind === 'markdown' || kind === 'text') found.add('doc');
  return FLAG_ORDER.filter((f) => found.has(f));
}
