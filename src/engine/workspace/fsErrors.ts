/** The `code` of a Node file-system error (`EACCES`, `ENOENT`, ...), if it has one. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

const PLAIN_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ELOOP: 'too many levels of symbolic links',
  EISDIR: 'is a folder',
  ENOTDIR: 'not a folder',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** A short human reason for a file-system error, e.g. `permission denied (EACCES)`. */
export function describeFsError(e: unknown): string {
  const code = errorCode(e);
  if (code) return `${PLAIN_WORDS[code] ?? 'error'} (${code})`;
  return e instanceof Error ? e.message : String(e);
}
