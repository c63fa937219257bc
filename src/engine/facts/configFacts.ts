import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLError } from 'yaml';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
// The ESM build: the package's UMD main loads its parts with a `require` esbuild cannot follow.
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import type { FactSource } from '../model.js';
import type { FactForm, FactValue } from './fact.js';
import { FactCollector } from './factCollector.js';
import type { ExtractOptions, FactExtraction } from './factCollector.js';
import { LineIndex } from './lineIndex.js';
import type { LinePosition } from './lineIndex.js';
import { scalarFromText } from './numberText.js';

export interface ConfigOptions extends ExtractOptions {
  /** `results` for metric files (eval_results.json...): form 'result', source 'results'. */
  role?: 'config' | 'results';
}

/** A vocabulary or a dumped data table is not configuration: stop before it floods the index. */
export const MAX_CONFIG_FACTS = 5000;
/** Arrays longer than this get no whole-array fact, and per-element facts for their ends only. */
const MAX_ARRAY_ITEMS = 256;

/**
 * Indices given per-element facts: all of a short array; of a long one the first and last
 * halves of the budget (a run's log history ends with its final numbers).
 */
function boundedIndices(length: number): number[] {
  if (length <= MAX_ARRAY_ITEMS) return Array.from({ length }, (_, i) => i);
  const half = MAX_ARRAY_ITEMS / 2;
  return [...Array.from({ length: half }, (_, i) => i), ...Array.from({ length: half }, (_, i) => length - half + i)];
}
/** Long strings (prompt templates, embedded scripts) are cut: facts travel in bounded messages. */
const MAX_STRING = 1000;
const MAX_DEPTH = 64;
/**
 * The yaml parser needs seconds for a few megabytes; configs are a few KB. Bigger YAML files are
 * annotations or dumps, not settings.
 */
export const MAX_YAML_CHARS = 512 * 1024;

const RESULT_FOLDERS = new Set(['results', 'result', 'metrics', 'eval', 'evals', 'evaluation', 'scores']);

/**
 * True when a file's name or folder says it holds results rather than settings: `results/`,
 * `metrics/`, `*_results.json`, `*metrics*.json`, `*scores*.json`, `eval.json`, `trainer_state.json`.
 */
export function looksLikeResultsPath(relPath: string): boolean {
  const parts = relPath.toLowerCase().split(/[\\/]/).filter((p) => p.length > 0);
  const name = parts.pop() ?? '';
  if (parts.some((p) => RESULT_FOLDERS.has(p))) return true;
  const stem = name.replace(/\.[^.]*$/, '');
  // A run's logged history (the Trainer's trainer_state.json, a Keras history.json) holds results too.
  return /metric|score/.test(stem) || /(^|[_.-])(results?|eval|evaluation|trainer_state|history)($|[_.-])/.test(stem);
}

// smol-toml ships ESM-typed declarations only, which a CommonJS-compiled module cannot `import`;
// its package does ship a `require` build, which both esbuild (CJS bundle) and vitest load here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smolToml = require('smol-toml') as typeof SmolToml;

interface Emitter {
  collector: FactCollector;
  form: FactForm;
}

function emitterFor(relPath: string, text: string, options: ConfigOptions | undefined, warnings: string[]): Emitter {
  const results = options?.role === 'results';
  const source: FactSource = results ? 'results' : 'config';
  const collector = new FactCollector(relPath, new LineIndex(text), source, options?.flags, warnings, MAX_CONFIG_FACTS);
  return { collector, form: results ? 'result' : 'config' };
}

function lastName(path: readonly string[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (!/^\d+$/.test(path[i])) return path[i];
  return path[path.length - 1] ?? '';
}

function clipString(s: string): string {
  return s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
}

function factValueOf(v: unknown): FactValue | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return clipString(v);
  return undefined;
}

/** `<file>: invalid YAML at line L, column C: <first line of the parser's message>`. */
export function yamlErrorWarning(relPath: string, language: string, err: YAMLError, lineCounter: LineCounter): string {
  const p = lineCounter.linePos(err.pos[0]);
  return `${relPath}: invalid ${language} at line ${p.line}, column ${p.col}: ${err.message.split('\n')[0]}`;
}

// ---------------------------------------------------------------------------------------------
// YAML (the yaml package keeps node offsets)

/** Extracts every scalar leaf of a YAML file, multi-document included. Invalid input: a warning, no facts. */
export function extractYamlFacts(relPath: string, text: string, options?: ConfigOptions): FactExtraction {
  const warnings: string[] = [];
  if (text.length > MAX_YAML_CHARS) {
    warnings.push(`${relPath}: YAML larger than ${MAX_YAML_CHARS / 1024} KB is taken for data, not configuration, and was not read`);
    return { facts: [], warnings };
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    // Duplicate keys are accepted as PyYAML and json.load do (the last wins); the parser's own check
    // is also quadratic in the size of a mapping.
    docs = parseAllDocuments(text, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    warnings.push(`${relPath}: invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
    return { facts: [], warnings };
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      warnings.push(yamlErrorWarning(relPath, 'YAML', err, lineCounter));
      return { facts: [], warnings };
    }
  }
  const em = emitterFor(relPath, text, options, warnings);
  const pos = (offset: number): LinePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const doc of docs) {
    if (doc.contents) walkYaml(doc, doc.contents, [], undefined, em, pos, 0);
  }
  return { facts: em.collector.facts, warnings };
}

function rangeOf(node: YamlNode): [number, number] {
  const r = node.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function scalarOf(doc: Document.Parsed, node: unknown): { value: unknown; node: YamlNode } | undefined {
  if (isScalar(node)) return { value: node.value, node };
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (isScalar(target)) return { value: target.value, node };
  }
  return undefined;
}

/** With `merge: true` the parser gives `<<` keys a symbol value. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol');
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return '';
  return String(key);
}

function walkYaml(
  doc: Document.Parsed,
  node: unknown,
  path: string[],
  keyNode: YamlNode | undefined,
  em: Emitter,
  pos: (offset: number) => LinePosition,
  depth: number,
): void {
  if (depth > MAX_DEPTH || em.collector.exhausted()) return;
  const scalar = scalarOf(doc, node);
  if (scalar) {
    const value = factValueOf(scalar.value);
    if (value === undefined || path.length === 0) return;
    const [s, e] = rangeOf(scalar.node);
    em.collector.add({ rawKey: lastName(path), path: path.join('.'), value, form: em.form, start: pos(s), end: pos(e) });
    return;
  }
  let target: unknown = node;
  if (isAlias(node)) target = node.resolve(doc);
  if (isSeq(target)) {
    const items = target.items;
    const scalars = items.map((it) => scalarOf(doc, it));
    if (path.length > 0 && items.length > 0 && items.length <= MAX_ARRAY_ITEMS) {
      const values = scalars.map((s) => (s ? factValueOf(s.value) : undefined));
      if (values.every((v): v is FactValue => v !== undefined)) {
        const [s] = rangeOf(keyNode ?? target);
        const [, e] = rangeOf(target);
        em.collector.add({ rawKey: lastName(path), path: path.join('.'), value: values, form: em.form, start: pos(s), end: pos(e) });
      }
    }
    for (const i of boundedIndices(items.length)) walkYaml(doc, items[i], [...path, String(i)], undefined, em, pos, depth + 1);
    return;
  }
  if (isMap(target)) {
    const pairs = target.items as Pair[];
    const explicit = new Set(pairs.map((p) => keyText(p.key)));
    // `id2label: {"0": World, ...}` is a list in disguise: also state it as one array value.
    if (path.length > 0 && pairs.length > 0 && pairs.length <= MAX_ARRAY_ITEMS && pairs.every((p) => /^\d+$/.test(keyText(p.key)))) {
      const sorted = [...pairs].sort((a, b) => Number(keyText(a.key)) - Number(keyText(b.key)));
      const values = sorted.map((p) => {
        const s = scalarOf(doc, p.value);
        return s ? factValueOf(s.value) : undefined;
      });
      if (values.every((v): v is FactValue => v !== undefined)) {
        const [s] = rangeOf(keyNode ?? target);
        const [, e] = rangeOf(target);
        em.collector.add({ rawKey: lastName(path), path: path.join('.'), value: values, form: em.form, start: pos(s), end: pos(e) });
      }
    }
    for (const pair of pairs) {
      if (isMergeKey(pair.key)) {
        walkMerge(doc, pair.value, path, explicit, em, pos, depth + 1);
        continue;
      }
      const kn = isScalar(pair.key) ? pair.key : undefined;
      walkYaml(doc, pair.value, [...path, keyText(pair.key)], kn, em, pos, depth + 1);
    }
  }
}

/** `<<: *defaults`: the merged keys count unless the mapping sets them itself. */
function walkMerge(
  doc: Document.Parsed,
  value: unknown,
  path: string[],
  explicit: Set<string>,
  em: Emitter,
  pos: (offset: number) => LinePosition,
  depth: number,
): void {
  const sources = isSeq(value) ? value.items : [value];
  for (const src of sources) {
    const m = isAlias(src) ? src.resolve(doc) : src;
    if (!isMap(m)) continue;
    for (const pair of m.items as Pair[]) {
      const k = keyText(pair.key);
      if (explicit.has(k)) continue;
      walkYaml(doc, pair.value, [...path, k], isScalar(pair.key) ? pair.key : undefined, em, pos, depth + 1);
    }
  }
}

/** Strings (skipped) or the bare constants Python's json.dump writes, which are not JSON. */
const STRING_OR_PYTHON_CONSTANT = /"(?:[^"\\\n]|\\.)*"|(-?Infinity|NaN)\b/g;

/**
 * NaN / Infinity become a `0` padded to the same length (offsets stay put); their offsets are
 * returned so those placeholders give no fact.
 */
function neutralizePythonConstants(text: string): { text: string; placeholders: Set<number> } {
  const placeholders = new Set<number>();
  if (!/NaN|Infinity/.test(text)) return { text, placeholders };
  const out = text.replace(STRING_OR_PYTHON_CONSTANT, (m: string, constant: string | undefined, offset: number) => {
    if (constant === undefined) return m;
    placeholders.add(offset);
    return `0${' '.repeat(m.length - 1)}`;
  });
  return { text: out, placeholders };
}

/**
 * JSON through jsonc-parser (offsets kept, fast on megabyte files, tolerant of comments and
 * trailing commas); same facts as YAML. Python's NaN/Infinity are accepted and give no fact.
 */
export function extractJsonFacts(relPath: string, text: string, options?: ConfigOptions): FactExtraction {
  const warnings: string[] = [];
  if (text.trim() === '') return { facts: [], warnings };
  const errors: ParseError[] = [];
  const { text: parsable, placeholders } = neutralizePythonConstants(text);
  const tree = parseTree(parsable, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const index = new LineIndex(text);
  if (!tree || errors.length > 0) {
    const e = errors[0];
    const where = e ? ` at line ${index.position(e.offset).line}, column ${index.position(e.offset).column}: ${printParseErrorCode(e.error)}` : '';
    warnings.push(`${relPath}: invalid JSON${where}`);
    return { facts: [], warnings };
  }
  const em = emitterFor(relPath, text, options, warnings);
  const pos = (o: number): LinePosition => index.position(o);
  walkJson(tree, [], undefined, { ...em, placeholders }, pos, 0);
  return { facts: em.collector.facts, warnings };
}

interface JsonEmitter extends Emitter {
  placeholders: Set<number>;
}

function jsonScalar(node: JsonNode | undefined, em: JsonEmitter): FactValue | undefined {
  if (!node || em.placeholders.has(node.offset)) return undefined;
  if (node.type === 'string' || node.type === 'number' || node.type === 'boolean') return factValueOf(node.value);
  return undefined;
}

function walkJson(node: JsonNode, path: string[], keyNode: JsonNode | undefined, em: JsonEmitter, pos: (o: number) => LinePosition, depth: number): void {
  if (depth > MAX_DEPTH || em.collector.exhausted()) return;
  const scalar = jsonScalar(node, em);
  if (scalar !== undefined) {
    if (path.length === 0) return;
    em.collector.add({ rawKey: lastName(path), path: path.join('.'), value: scalar, form: em.form, start: pos(node.offset), end: pos(node.offset + node.length) });
    return;
  }
  const children = node.children ?? [];
  const wholeArray = (values: (FactValue | undefined)[]): void => {
    if (path.length === 0 || values.length === 0 || values.length > MAX_ARRAY_ITEMS) return;
    if (!values.every((v): v is FactValue => v !== undefined)) return;
    const start = keyNode ? keyNode.offset : node.offset;
    em.collector.add({ rawKey: lastName(path), path: path.join('.'), value: values, form: em.form, start: pos(start), end: pos(node.offset + node.length) });
  };
  if (node.type === 'array') {
    wholeArray(children.map((c) => jsonScalar(c, em)));
    for (const i of boundedIndices(children.length)) walkJson(children[i], [...path, String(i)], undefined, em, pos, depth + 1);
    return;
  }
  if (node.type !== 'object') return;
  const props = children.filter((c) => c.type === 'property' && c.children && c.children.length >= 1);
  const keyOf = (p: JsonNode): string => String(p.children?.[0]?.value ?? '');
  // `"id2label": {"0": "World", ...}` is a list in disguise: also state it as one array value.
  if (props.length > 0 && props.every((p) => /^\d+$/.test(keyOf(p)))) {
    const sorted = [...props].sort((a, b) => Number(keyOf(a)) - Number(keyOf(b)));
    wholeArray(sorted.map((p) => jsonScalar(p.children?.[1], em)));
  }
  for (const p of props) {
    const value = p.children?.[1];
    if (value) walkJson(value, [...path, keyOf(p)], p, em, pos, depth + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// TOML (smol-toml gives values but no positions: lines are found by scanning for `key =`)

/** Splits a TOML key (`a."b.c".d`) into its parts. */
export function splitTomlKey(key: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of key.trim()) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '.') {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

const TOML_KEY = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*`;
const TOML_ARRAY_TABLE = new RegExp(String.raw`^\s*\[\[\s*(${TOML_KEY})\s*\]\]`);
const TOML_TABLE = new RegExp(String.raw`^\s*\[\s*(${TOML_KEY})\s*\]`);
const TOML_ASSIGN = new RegExp(String.raw`^(\s*)(${TOML_KEY})\s*=\s*`);

/** Bracket depth change of a TOML value fragment, ignoring strings and comments. */
function bracketDelta(s: string): { delta: number; tripleOpen: string | undefined } {
  let depth = 0;
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === '#') break;
    if (s.startsWith('"""', i) || s.startsWith("'''", i)) {
      const q = s.slice(i, i + 3);
      const close = s.indexOf(q, i + 3);
      if (close === -1) return { delta: depth, tripleOpen: q };
      i = close + 3;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== ch) j += ch === '"' && s[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    i++;
  }
  return { delta: depth, tripleOpen: undefined };
}

/**
 * Where each key of a TOML text is assigned: dotted path (array-of-tables elements by index) to
 * the position of its value. Best effort: a key inside an inline table or a multi-line array is
 * found through its parent.
 */
export function tomlKeyPositions(text: string): Map<string, { start: LinePosition; end: LinePosition }> {
  const out = new Map<string, { start: LinePosition; end: LinePosition }>();
  const lines = text.split('\n');
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let depth = 0;
  let triple: string | undefined;
  const resolve = (parts: string[]): string[] => {
    const resolved: string[] = [];
    for (const p of parts) {
      resolved.push(p);
      const idx = arrayCounts.get(resolved.join('\u0000'));
      if (idx !== undefined) resolved.push(String(idx - 1));
    }
    return resolved;
  };
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (triple) {
      if (line.includes(triple)) triple = undefined;
      return;
    }
    if (depth > 0) {
      depth = Math.max(0, depth + bracketDelta(line).delta);
      return;
    }
    let m = TOML_ARRAY_TABLE.exec(line);
    if (m) {
      const parts = splitTomlKey(m[1]);
      const parent = resolve(parts.slice(0, -1));
      const key = [...parent, parts[parts.length - 1]].join('\u0000');
      const n = (arrayCounts.get(key) ?? 0) + 1;
      arrayCounts.set(key, n);
      table = [...parent, parts[parts.length - 1], String(n - 1)];
      const p = { line: i + 1, column: line.indexOf('[') + 1 };
      out.set(table.join('.'), { start: p, end: { line: i + 1, column: line.trimEnd().length + 1 } });
      return;
    }
    m = TOML_TABLE.exec(line);
    if (m) {
      table = resolve(splitTomlKey(m[1]));
      const p = { line: i + 1, column: line.indexOf('[') + 1 };
      if (!out.has(table.join('.'))) out.set(table.join('.'), { start: p, end: { line: i + 1, column: line.trimEnd().length + 1 } });
      return;
    }
    m = TOML_ASSIGN.exec(line);
    if (!m) return;
    const path = [...table, ...splitTomlKey(m[2])].join('.');
    const valueText = line.slice(m[0].length);
    const start = { line: i + 1, column: m[0].length + 1 };
    const comment = valueText.search(/\s+#[^"']*$/);
    const endCol = (comment >= 0 ? m[0].length + comment : line.trimEnd().length) + 1;
    out.set(path, { start, end: { line: i + 1, column: Math.max(endCol, start.column) } });
    const b = bracketDelta(valueText);
    if (b.tripleOpen) triple = b.tripleOpen;
    depth = Math.max(0, b.delta);
  });
  return out;
}

/** Position of a path, else of its nearest ancestor that has one, else the first line. */
export function nearestPosition(
  positions: Map<string, { start: LinePosition; end: LinePosition }>,
  path: string[],
): { start: LinePosition; end: LinePosition } {
  for (let n = path.length; n > 0; n--) {
    const p = positions.get(path.slice(0, n).join('.'));
    if (p) return p;
  }
  return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

export function parseTomlText(relPath: string, text: string, warnings: string[]): Record<string, unknown> | undefined {
  try {
    return smolToml.parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof smolToml.TomlError) {
      warnings.push(`${relPath}: invalid TOML at line ${e.line}, column ${e.column}: ${e.message.split('\n')[0]}`);
    } else {
      warnings.push(`${relPath}: invalid TOML: ${e instanceof Error ? e.message : String(e)}`);
    }
    return undefined;
  }
}

export function extractTomlFacts(relPath: string, text: string, options?: ConfigOptions): FactExtraction {
  const warnings: string[] = [];
  const data = parseTomlText(relPath, text, warnings);
  if (!data) return { facts: [], warnings };
  const em = emitterFor(relPath, text, options, warnings);
  const positions = tomlKeyPositions(text);
  const walk = (v: unknown, path: string[], depth: number): void => {
    if (depth > MAX_DEPTH || em.collector.exhausted()) return;
    const scalar = tomlScalar(v);
    if (scalar !== undefined) {
      if (path.length === 0) return;
      const p = nearestPosition(positions, path);
      em.collector.add({ rawKey: lastName(path), path: path.join('.'), value: scalar, form: em.form, start: p.start, end: p.end });
      return;
    }
    if (Array.isArray(v)) {
      const values = v.map(tomlScalar);
      if (path.length > 0 && v.length > 0 && v.length <= MAX_ARRAY_ITEMS && values.every((x): x is FactValue => x !== undefined)) {
        const p = nearestPosition(positions, path);
        em.collector.add({ rawKey: lastName(path), path: path.join('.'), value: values, form: em.form, start: p.start, end: p.end });
      }
      for (const i of boundedIndices(v.length)) walk(v[i], [...path, String(i)], depth + 1);
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
    }
  };
  walk(data, [], 0);
  return { facts: em.collector.facts, warnings };
}

function tomlScalar(v: unknown): FactValue | undefined {
  const direct = factValueOf(v);
  if (direct !== undefined) return direct;
  // TomlDate (a Date subclass) and other leaf objects with a meaningful string form.
  if (v instanceof Date) return v.toString();
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// cfg / ini

export interface IniEntry {
  section: string;
  key: string;
  value: string;
  /** Position of the value on the key's line. */
  start: LinePosition;
  end: LinePosition;
  /** Indented continuation lines (setup.cfg's install_requires lists), each with its own line. */
  continuation: { text: string; line: number; column: number }[];
}

const INI_SECTION = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/;
const INI_ASSIGN = /^([^\s=:#;[][^=:]*?)\s*[=:]\s*/;

/** Simple `[section]` + `key = value` (or `key: value`) reader with indented continuation lines. */
export function parseIni(text: string): IniEntry[] {
  const entries: IniEntry[] = [];
  let section = '';
  let current: IniEntry | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (/^\s/.test(line) && current) {
      current.continuation.push({ text: trimmed, line: i + 1, column: line.length - line.trimStart().length + 1 });
      return;
    }
    const sec = INI_SECTION.exec(line);
    if (sec) {
      section = sec[1].trim();
      current = undefined;
      return;
    }
    const m = INI_ASSIGN.exec(line);
    if (!m) {
      current = undefined;
      return;
    }
    const value = line.slice(m[0].length).replace(/\s+[#;].*$/, '').trimEnd();
    current = {
      section,
      key: m[1].trim(),
      value,
      start: { line: i + 1, column: m[0].length + 1 },
      end: { line: i + 1, column: m[0].length + value.length + 1 },
      continuation: [],
    };
    entries.push(current);
  });
  return entries;
}

export function extractIniFacts(relPath: string, text: string, options?: ConfigOptions): FactExtraction {
  const warnings: string[] = [];
  const em = emitterFor(relPath, text, options, warnings);
  for (const e of parseIni(text)) {
    const path = e.section ? `${e.section}.${e.key}` : e.key;
    if (e.value !== '') {
      const v = scalarFromText(e.value.replace(/^(["'])(.*)\1$/, '$2'));
      em.collector.add({ rawKey: e.key, path, value: typeof v === 'string' ? clipString(v) : v, form: em.form, start: e.start, end: e.end });
    } else if (e.continuation.length > 0) {
      const values = e.continuation.slice(0, MAX_ARRAY_ITEMS).map((c) => scalarFromText(c.text));
      const last = e.continuation[e.continuation.length - 1];
      em.collector.add({
        rawKey: e.key, path, value: values, form: em.form, start: e.start,
        end: { line: last.line, column: last.column + last.text.length },
      });
    }
  }
  return { facts: em.collector.facts, warnings };
}
