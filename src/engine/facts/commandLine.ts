/**
 * A small POSIX-shell reader for launch scripts: words with their offsets, variable references,
 * line continuations, quotes, comments, redirections and command separators. Enough to read
 * `torchrun --nproc_per_node=8 train.py --lr $LR`; it does not run anything.
 */

export type WordPart =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; fallback?: ShellWord }
  /** `$(...)`, backticks, `$((...))` and other expansions that cannot be known without running. */
  | { kind: 'opaque' };

export interface ShellWord {
  parts: WordPart[];
  /** Offsets in the text: first character (including a quote) and one past the last. */
  start: number;
  end: number;
  /** Source text of the word as written. */
  raw: string;
}

export interface ShellCommand {
  words: ShellWord[];
}

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r';
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Reads the shell text into commands. Heredoc bodies and comments are skipped. */
export function parseShell(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let parts: WordPart[] = [];
  let lit = '';
  let wordStart = -1;
  let skipNextWord = false;
  const heredocs: string[] = [];
  let i = 0;
  const n = text.length;

  const flushLit = (): void => {
    if (lit !== '') {
      parts.push({ kind: 'text', text: lit });
      lit = '';
    }
  };
  const endWord = (end: number): void => {
    flushLit();
    if (wordStart >= 0) {
      if (skipNextWord) skipNextWord = false;
      else words.push({ parts, start: wordStart, end, raw: text.slice(wordStart, end) });
    }
    parts = [];
    wordStart = -1;
  };
  const endCommand = (): void => {
    if (words.length > 0) commands.push({ words });
    words = [];
  };
  const begin = (): void => {
    if (wordStart < 0) wordStart = i;
  };

  /** Reads `$...` at i (i points at `$`); returns the part and the index after it. */
  const readDollar = (at: number): { part: WordPart | undefined; next: number } => {
    const c = text[at + 1];
    if (c === '(') {
      let depth = 0;
      let j = at + 1;
      for (; j < n; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')') {
          depth--;
          if (depth === 0) break;
        }
      }
      return { part: { kind: 'opaque' }, next: Math.min(j + 1, n) };
    }
    if (c === '{') {
      const close = findBraceClose(text, at + 1);
      const inner = text.slice(at + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+)(?::?([-=])(.*))?$/s.exec(inner);
      if (!m) return { part: { kind: 'opaque' }, next: close + 1 };
      const fallback = m[2] !== undefined ? wordFromText(m[3] ?? '', at) : undefined;
      return { part: { kind: 'var', name: m[1], fallback }, next: close + 1 };
    }
    if (c !== undefined && NAME_START.test(c)) {
      let j = at + 1;
      while (j < n && NAME_CHAR.test(text[j])) j++;
      return { part: { kind: 'var', name: text.slice(at + 1, j) }, next: j };
    }
    if (c !== undefined && /[0-9@*#?$!-]/.test(c)) return { part: { kind: 'var', name: c }, next: at + 2 };
    return { part: undefined, next: at + 1 };
  };

  /** Reads a `$...` or backtick expansion at `at` into the word (quoted or not); returns the index after it. */
  const expansion = (at: number): number => {
    if (text[at] === '`') {
      const close = text.indexOf('`', at + 1);
      flushLit();
      parts.push({ kind: 'opaque' });
      return close === -1 ? n : close + 1;
    }
    const r = readDollar(at);
    if (r.part) {
      flushLit();
      parts.push(r.part);
    } else lit += '$';
    return r.next;
  };

  while (i < n) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (ch === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 3;
      continue;
    }
    if (ch === '\n') {
      endWord(i);
      endCommand();
      i++;
      // Heredoc bodies start on the next line and end at the delimiter line.
      while (heredocs.length > 0) {
        const delim = heredocs.shift() ?? '';
        while (i < n) {
          const eol = text.indexOf('\n', i);
          const lineEnd = eol === -1 ? n : eol;
          const line = text.slice(i, lineEnd).replace(/\r$/, '');
          i = eol === -1 ? n : eol + 1;
          if (line.trim() === delim) break;
        }
      }
      continue;
    }
    if (isBlank(ch)) {
      endWord(i);
      i++;
      continue;
    }
    if (ch === '#' && wordStart < 0) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol;
      continue;
    }
    if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
      if (ch === '&' && text[i + 1] === '>') {
        endWord(i);
        i += text[i + 2] === '>' ? 3 : 2;
        skipNextWord = true;
        continue;
      }
      endWord(i);
      endCommand();
      i++;
      continue;
    }
    if (ch === '<' || ch === '>') {
      // A file descriptor number right before the operator (`2>`) belongs to the redirection.
      if (wordStart >= 0 && parts.length === 0 && /^\d+$/.test(lit)) {
        lit = '';
        wordStart = -1;
      }
      endWord(i);
      if (ch === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
        let j = i + 2;
        if (text[j] === '-') j++;
        while (j < n && isBlank(text[j])) j++;
        const m = /^(['"]?)([A-Za-z0-9_.-]+)\1/.exec(text.slice(j));
        if (m) {
          heredocs.push(m[2]);
          i = j + m[0].length;
          continue;
        }
      }
      i++;
      while (i < n && (text[i] === '>' || text[i] === '<' || text[i] === '&' || text[i] === '|')) i++;
      // `>&2`: the target is a descriptor glued to the operator.
      if (/\d/.test(text[i] ?? '') && text[i - 1] === '&') {
        while (i < n && /\d/.test(text[i])) i++;
        continue;
      }
      skipNextWord = true;
      continue;
    }
    begin();
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      lit += text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        const c = text[i];
        if (c === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') lit += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '$' || c === '`') {
          i = expansion(i);
          continue;
        }
        lit += c;
        i++;
      }
      i++;
      continue;
    }
    if (ch === '\\') {
      lit += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (ch === '$' || ch === '`') {
      i = expansion(i);
      continue;
    }
    lit += ch;
    i++;
  }
  endWord(n);
  endCommand();
  return commands;
}

function findBraceClose(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return text.length;
}

/** The word a `${VAR:-default}` fallback spells (quotes removed, nested variables kept). */
function wordFromText(s: string, at: number): ShellWord {
  const parsed = parseShell(s)[0]?.words ?? [];
  const parts = parsed.flatMap((w, idx) => (idx === 0 ? w.parts : [{ kind: 'text' as const, text: ' ' }, ...w.parts]));
  return { parts, start: at, end: at, raw: s };
}

export type Variables = Map<string, string | undefined>;

/** The word's value with variables substituted, or undefined when any part cannot be known. */
export function resolveWord(word: ShellWord, vars: Variables, depth = 0): string | undefined {
  let out = '';
  for (const p of word.parts) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'opaque') return undefined;
    else {
      const v = vars.get(p.name);
      if (v !== undefined) out += v;
      else if (p.fallback && depth < 8) {
        const f = resolveWord(p.fallback, vars, depth + 1);
        if (f === undefined) return undefined;
        out += f;
      } else return undefined;
    }
  }
  return out;
}
