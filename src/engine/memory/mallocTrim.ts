/**
 * glibc keeps memory that parse trees freed in its arenas: after extraction of the standard
 * library, a worker whose trees were all collected still held 189 MB RSS, and 144 MB after
 * `malloc_trim(0)`, which returns free pages from the middle of every arena too (the trim
 * threshold only ever gives back the top of the main one). Node has no binding for it: it is
 * called through koffi's FFI, only where it exists (glibc's Linux), and is a no-op elsewhere or
 * when koffi cannot load.
 */
let trim: (() => number) | null | undefined;

/** Returns freed heap memory to the system; false where malloc_trim is not available. */
export function trimMallocArenas(): boolean {
  trim ??= loadMallocTrim();
  if (!trim) return false;
  trim();
  return true;
}

function loadMallocTrim(): (() => number) | null {
  if (process.platform !== 'linux' || !glibcRuntime()) return null;
  try {
    // Loaded only here: other platforms and C libraries never load the native module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as Koffi;
    const fn = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
    return () => fn(0);
  } catch {
    return null;
  }
}

/** The part of koffi's API used here (its declarations are ES-module only). */
interface Koffi {
  load(path: string): { func(signature: string): unknown };
}

/** glibc's version when the process runs on glibc (musl, for one, has no malloc_trim). */
function glibcRuntime(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}
