// V8 keeps a script's source in memory for as long as the script lives, one byte per character
// only when every character is Latin-1: one `≈` in a regular expression literal (esbuild escapes
// non-ASCII in strings, not in regex literals or comments) stored dist/worker.js's 2.4 MB as a
// 4.85 MB string in every worker (stdlib heap snapshot). Escaping the rest keeps it at 2.4 MB.
import { readFile, writeFile } from 'node:fs/promises';

/**
 * `code` with every non-ASCII UTF-16 unit written as a `\uXXXX` escape: the same program, as
 * escapes mean the same character in strings, templates, regular expressions and identifiers
 * (an astral character becomes its surrogate pair, which a `u` regex reads as one). A backslash
 * right before a non-ASCII character would change meaning, so it is refused.
 */
export function asciiOnly(code, file = 'bundle') {
  const escaped = /\\[^\x00-\x7f]/.exec(code);
  if (escaped) throw new Error(`${file}: cannot make ASCII-only: a backslash before a non-ASCII character at offset ${escaped.index}`);
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * esbuild plugin: rewrites the build's `outfile` ASCII-only after each build. The source map is
 * left as it is: on a line with an escaped character, columns after it are off by a few.
 */
export const asciiBundlePlugin = {
  name: 'ascii-bundle',
  setup(build) {
    build.onEnd(async (result) => {
      const file = build.initialOptions.outfile;
      if (result.errors.length > 0 || !file) return;
      const code = await readFile(file, 'utf8');
      const ascii = asciiOnly(code, file);
      if (ascii !== code) await writeFile(file, ascii);
    });
  },
};
