import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { Lang, parse, type NapiConfig } from '@ast-grep/napi';
import { walkWorkspace, type WorkspaceFile } from '../workspace/walkWorkspace.js';
import { decodeText, looksBinary, utf16Bom } from '../workspace/textDecoding.js';
import { ensureAstGrepLanguages, PYTHON } from '../facts/astGrepLanguages.js';
import type { FactIndex, IndexedFact } from '../verify/factIndex.js';
import { keysInText } from '../verify/keyMatch.js';
import { compact, contentTokens } from '../verify/tokens.js';
import { ToolError, type HostBridge } from './sandbox.js';

/**
 * The read-only view of the workspace that generated code gets: the files the engine itself walks
 * (same ignore rules, the card left out), each read with a size limit, and the engine's fact
 * index as plain data. Every answer is bounded; nothing here writes, spawns or connects.
 */

export interface FactSummary {
  file: string;
  line: number;
  /** The fact's full key path (`optim.lr`, `TrainingArguments.learning_rate`). */
  key: string;
  value: unknown;
  form: string;
  source: string;
  snippet: string;
  /** False for tests, docs, vendored code: never deciding evidence. */
  deciding: boolean;
}

/** One host answer a step saw; replaying it tells whether a cached answer still rests on the same data. */
export interface Observation {
  tool: string;
  args: unknown[];
  hash: string;
}

export interface ToolsOpenOptions {
  root: string;
  /** The card: never offered as evidence of itself. */
  cardAbs: string;
  maxFileBytes: number;
  include: string[];
  exclude: string[];
  index: FactIndex;
  signal?: AbortSignal;
}

const LIST_DEFAULT = 200;
const LIST_MAX = 2000;
const READ_MAX_LINES = 200;
const LINE_MAX_CHARS = 400;
const MATCH_DEFAULT = 50;
const MATCH_MAX = 200;
const AST_MAX_FILES = 500;
const AST_MAX_BYTES = 8 * 1024 * 1024;
const GLOB_MAX_CHARS = 300;
const PATTERN_MAX_CHARS = 2000;
/** Decoded texts kept between steps (characters). */
const TEXT_CACHE_CHARS = 16 * 1024 * 1024;
/** A step that reads more than this many files is not cached (its observations would be huge). */
const MAX_OBSERVATIONS = 3000;

export const TOOL_NAMES = ['listFiles', 'readLines', 'astGrep', 'facts'] as const;

const AST_LANGUAGES: Record<string, { lang: string; ext: RegExp }> = {
  python: { lang: PYTHON, ext: /\.pyi?$/i },
  javascript: { lang: Lang.JavaScript, ext: /\.(m|c)?jsx?$/i },
  typescript: { lang: Lang.TypeScript, ext: /\.(m|c)?ts$/i },
  tsx: { lang: Lang.Tsx, ext: /\.tsx$/i },
  html: { lang: Lang.Html, ext: /\.html?$/i },
  css: { lang: Lang.Css, ext: /\.css$/i },
};

/** grep runs inside the guest: a catastrophic regular expression then meets the step's deadline. */
const GREP_PRELUDE = `
  def('grep', (pattern, options) => {
    const o = options || {};
    let re;
    try {
      re = pattern instanceof RegExp ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : new RegExp(String(pattern), o.ignoreCase ? 'i' : '');
    } catch (e) { const err = new Error('grep: invalid regular expression: ' + e.message); err.name = 'ToolError'; throw err; }
    const max = Math.max(1, Math.min(Number(o.maxMatches) || ${MATCH_DEFAULT}, ${MATCH_MAX}));
    const files = call('listFiles', [o.glob || '**/*', ${LIST_MAX}]);
    const out = [];
    for (const f of files) {
      const text = hostText(f);
      if (typeof text !== 'string') continue;
      const lines = text.split('\\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i].replace(/\\r$/, '');
        if (re.test(line)) {
          out.push({ path: f, line: i + 1, text: line.length > ${LINE_MAX_CHARS} ? line.slice(0, ${LINE_MAX_CHARS}) + '…' : line });
          if (out.length >= max) return out;
        }
      }
    }
    return out;
  });
`;

export class WorkspaceTools {
  private readonly texts = new Map<string, string | null>();
  private textChars = 0;

  private constructor(
    private readonly files: Map<string, WorkspaceFile>,
    private readonly index: FactIndex,
    private readonly maxFileBytes: number,
  ) {}

  /** Walks the workspace once with the engine's own rules. */
  static async open(o: ToolsOpenOptions): Promise<WorkspaceTools> {
    const files = new Map<string, WorkspaceFile>();
    const walk = walkWorkspace(o.root, { maxFileBytes: o.maxFileBytes, include: o.include, exclude: o.exclude, excludePaths: [o.cardAbs] }, () => undefined, o.signal);
    for await (const f of walk) files.set(f.relPath, f);
    return new WorkspaceTools(files, o.index, o.maxFileBytes);
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** Workspace-relative form of a path the model wrote ("./train.py", "src\\a.py"); undefined when it leaves the workspace. */
  normalize(p: string): string | undefined {
    const s = p.trim().replace(/\\/g, '/').replace(/^\.\/+/, '');
    if (s === '' || s.startsWith('/') || /^[a-z]:/i.test(s) || s.split('/').includes('..')) return undefined;
    return s;
  }

  file(p: string): WorkspaceFile | undefined {
    const n = this.normalize(p);
    return n === undefined ? undefined : this.files.get(n);
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** The file's text, read once (bounded by the engine's size limit); undefined for binary, oversized or unreadable files. */
  text(p: string): string | undefined {
    const f = this.file(p);
    if (!f) return undefined;
    const cached = this.texts.get(f.relPath);
    if (cached !== undefined) return cached ?? undefined;
    const text = readBounded(f.absPath, this.maxFileBytes);
    if (this.textChars + (text?.length ?? 0) > TEXT_CACHE_CHARS) {
      this.texts.clear();
      this.textChars = 0;
    }
    this.texts.set(f.relPath, text ?? null);
    this.textChars += text?.length ?? 0;
    return text;
  }

  /** Lines as the engine counts them: split at `\n`, a trailing `\r` dropped. */
  lines(p: string): string[] | undefined {
    return this.text(p)?.split('\n').map((l) => l.replace(/\r$/, ''));
  }

  listFiles(glob: unknown = '**/*', limit: unknown = LIST_DEFAULT): string[] {
    const g = typeof glob === 'string' && glob.trim() !== '' ? glob.trim() : '**/*';
    if (g.length > GLOB_MAX_CHARS) throw new ToolError(`the glob is longer than ${GLOB_MAX_CHARS} characters`);
    const n = boundedInt(limit, LIST_DEFAULT, LIST_MAX);
    let match: (s: string) => boolean;
    try {
      match = picomatch(g.replace(/^\.\//, ''), { dot: true });
    } catch (e) {
      throw new ToolError(`invalid glob ${JSON.stringify(g)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.paths().filter((p) => match(p)).slice(0, n);
  }

  readLines(path: unknown, start: unknown = 1, end?: unknown): { path: string; totalLines: number; lines: { line: number; text: string }[] } {
    if (typeof path !== 'string') throw new ToolError('readLines(path, start, end) needs a path string');
    const f = this.file(path);
    if (!f) throw new ToolError(`no workspace file ${JSON.stringify(path)} (use listFiles to see the files)`);
    const lines = this.lines(f.relPath);
    if (!lines) throw new ToolError(`${f.relPath} is binary, unreadable or larger than the size limit`);
    const s = Math.max(1, boundedInt(start, 1, Number.MAX_SAFE_INTEGER));
    const e = Math.min(lines.length, s + READ_MAX_LINES - 1, boundedInt(end, s + 99, Number.MAX_SAFE_INTEGER));
    const out: { line: number; text: string }[] = [];
    for (let i = s; i <= e; i++) {
      const t = lines[i - 1];
      out.push({ line: i, text: t.length > LINE_MAX_CHARS ? `${t.slice(0, LINE_MAX_CHARS)}…` : t });
    }
    return { path: f.relPath, totalLines: lines.length, lines: out };
  }

  astGrep(language: unknown, pattern: unknown, options: unknown, deadline: number): { path: string; line: number; column: number; text: string }[] {
    const langName = typeof language === 'string' ? language.toLowerCase() : '';
    const spec = AST_LANGUAGES[langName];
    if (!spec) throw new ToolError(`astGrep(language, pattern, options): language must be one of ${Object.keys(AST_LANGUAGES).join(', ')}`);
    const o = (options && typeof options === 'object' ? options : {}) as { glob?: unknown; maxMatches?: unknown };
    let query: string | NapiConfig;
    if (typeof pattern === 'string') {
      if (pattern.length > PATTERN_MAX_CHARS) throw new ToolError(`the pattern is longer than ${PATTERN_MAX_CHARS} characters`);
      query = pattern;
    } else if (pattern && typeof pattern === 'object') {
      if (JSON.stringify(pattern).length > PATTERN_MAX_CHARS) throw new ToolError(`the rule is longer than ${PATTERN_MAX_CHARS} characters`);
      query = ('rule' in pattern ? pattern : { rule: pattern }) as NapiConfig;
    } else throw new ToolError('astGrep needs a pattern string (e.g. "nn.Linear($A, $B)") or a rule object');
    if (spec.lang === PYTHON) ensureAstGrepLanguages();
    const max = boundedInt(o.maxMatches, MATCH_DEFAULT, MATCH_MAX);
    const files = this.listFiles(o.glob ?? '**/*', LIST_MAX).filter((p) => spec.ext.test(p));
    const out: { path: string; line: number; column: number; text: string }[] = [];
    let bytes = 0;
    for (const [i, p] of files.entries()) {
      if (i >= AST_MAX_FILES || bytes > AST_MAX_BYTES || Date.now() > deadline) break;
      const text = this.text(p);
      if (text === undefined) continue;
      bytes += text.length;
      let nodes;
      try {
        nodes = parse(spec.lang, text).root().findAll(query);
      } catch (e) {
        throw new ToolError(`invalid pattern: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      for (const n of nodes) {
        const r = n.range();
        const first = n.text().split('\n')[0];
        out.push({ path: p, line: r.start.line + 1, column: r.start.column + 1, text: first.length > LINE_MAX_CHARS ? `${first.slice(0, LINE_MAX_CHARS)}…` : first });
        if (out.length >= max) return out;
      }
    }
    return out;
  }

  /** The engine's facts, as data: by canonical key or key words, by words, by file. */
  facts(query: unknown): FactSummary[] {
    const q = (query && typeof query === 'object' ? query : typeof query === 'string' ? { key: query } : {}) as { key?: unknown; text?: unknown; file?: unknown; limit?: unknown };
    const limit = boundedInt(q.limit, MATCH_DEFAULT, MATCH_MAX);
    let pool: IndexedFact[] | undefined;
    if (typeof q.key === 'string' && q.key.trim() !== '') {
      const key = q.key.trim();
      const want = compact(key);
      const found = new Set<IndexedFact>(keysInText(key, 'card').flatMap((k) => this.index.withKey(k)));
      for (const f of this.index.all) if (want.length >= 2 && (compact(f.fact.rawKey) === want || compact(f.fact.path).endsWith(want))) found.add(f);
      pool = [...found];
    }
    if (typeof q.text === 'string' && q.text.trim() !== '') {
      const words = contentTokens(q.text);
      const base = pool ?? this.index.all;
      pool = base.filter((f) => words.some((w) => f.tokens.includes(w) || f.fact.snippet.toLowerCase().includes(w)));
    }
    if (typeof q.file === 'string' && q.file.trim() !== '') {
      const fileGlob = q.file.trim();
      const match = picomatch(fileGlob.length <= GLOB_MAX_CHARS ? fileGlob : '', { dot: true });
      pool = (pool ?? this.index.all).filter((f) => f.fact.file === fileGlob || match(f.fact.file));
    }
    return (pool ?? this.index.all).slice(0, limit).map(summarizeFact);
  }

  /**
   * The host side of a step. With a recorder, every answer the step saw is hashed into it (for
   * the answer cache); without one, nothing is kept.
   */
  bridge(recorder?: Observation[]): HostBridge {
    const record = (tool: string, args: unknown[], value: unknown): void => {
      if (!recorder || recorder.length > MAX_OBSERVATIONS) return;
      recorder.push({ tool, args, hash: hashOf(value) });
    };
    return {
      toolNames: TOOL_NAMES,
      guestPrelude: GREP_PRELUDE,
      call: (name, args, deadline) => {
        const value = this.callTool(name, args, deadline);
        record(name, args, value);
        return value;
      },
      text: (p) => {
        const t = this.text(p);
        record('readText', [p], t ?? null);
        return t;
      },
    };
  }

  /** Whether every recorded observation still gives the same answer (the workspace did not change under it). */
  replay(observations: Observation[]): boolean {
    if (observations.length > MAX_OBSERVATIONS) return false;
    const far = Date.now() + 60_000;
    for (const o of observations) {
      try {
        const value = o.tool === 'readText' ? (this.text(String(o.args[0])) ?? null) : this.callTool(o.tool, o.args, far);
        if (hashOf(value) !== o.hash) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  private callTool(name: string, args: unknown[], deadline: number): unknown {
    switch (name) {
      case 'listFiles': return this.listFiles(args[0], args[1]);
      case 'readLines': return this.readLines(args[0], args[1], args[2]);
      case 'astGrep': return this.astGrep(args[0], args[1], args[2], deadline);
      case 'facts': return this.facts(args[0]);
      default: throw new ToolError(`unknown tool ${name}`);
    }
  }
}

export function summarizeFact(f: IndexedFact): FactSummary {
  const x = f.fact;
  const snippet = x.snippet.trim();
  return {
    file: x.file, line: x.line, key: x.path || x.rawKey, value: x.value, form: x.form, source: x.source,
    snippet: snippet.length > 160 ? `${snippet.slice(0, 159)}…` : snippet, deciding: f.deciding,
  };
}

function boundedInt(v: unknown, fallback: number, max: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : fallback;
  return Math.max(1, Math.min(n, max));
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined').digest('hex').slice(0, 32);
}

/** Reads a file of at most `maxBytes` synchronously (tools answer inside a step). */
function readBounded(abs: string, maxBytes: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const size = fstatSync(fd).size;
    if (size > maxBytes) return undefined;
    const buf = Buffer.alloc(size);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    const bytes = buf.subarray(0, n);
    if (!utf16Bom(bytes) && looksBinary(bytes)) return undefined;
    return decodeText(bytes).text;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
