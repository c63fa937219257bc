import { FactSourceSchema, type FactSource } from '../model.js';
import { factOf, type Fact, type FactFlag, type FactForm, type FactValue } from '../facts/fact.js';
import type { StringPool } from '../memory/stringPool.js';

/**
 * Facts as compact tuples for the on-disk cache: a workspace states millions of facts, and
 * property names would be most of the bytes. The file path is the record's, not repeated.
 *
 * [rawKey, path, value, line, column, endLine, endColumn, source, form, snippet, call, flags]
 */
export type FactTuple = [string, string, FactValue, number, number, number, number, FactSource, FactForm, string, string | 0, FactFlag[] | 0];

export function encodeFact(f: Fact): FactTuple {
  return [f.rawKey, f.path, f.value, f.line, f.column, f.endLine, f.endColumn, f.source, f.form, f.snippet, f.call ?? 0, f.flags ?? 0];
}

/** JSON cannot carry NaN or ±Infinity: a file stating one is not cached (it is extracted each run). */
export function jsonSafe(v: FactValue): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return !Array.isArray(v) || v.every(jsonSafe);
}

const SOURCES: ReadonlySet<string> = new Set(FactSourceSchema.options);
// A record, so a new FactForm fails to compile here until the cache knows it.
const FORM_NAMES: Record<FactForm, true> = {
  assignment: true, keyword: true, positional: true, call: true, import: true, default: true, config: true,
  flag: true, compare: true, result: true, output: true, version: true, license: true, text: true,
};
const FORMS: ReadonlySet<string> = new Set(Object.keys(FORM_NAMES));

/**
 * The fact a tuple stands for, or `undefined` when the tuple is not one this version wrote (a
 * damaged or foreign cache is never trusted). Checked by hand: zod per fact would cost more
 * than extracting the file again.
 */
export function decodeFact(t: unknown, file: string, pool?: StringPool): Fact | undefined {
  if (!Array.isArray(t) || t.length !== 12) return undefined;
  const [rawKey, path, value, line, column, endLine, endColumn, source, form, snippet, call, flags] = t as unknown[];
  if (typeof rawKey !== 'string' || typeof path !== 'string' || typeof snippet !== 'string') return undefined;
  if (!isInt(line) || !isInt(column) || !isInt(endLine) || !isInt(endColumn)) return undefined;
  if (typeof source !== 'string' || !SOURCES.has(source) || typeof form !== 'string' || !FORMS.has(form)) return undefined;
  if (!isFactValue(value, 0)) return undefined;
  if (call !== 0 && typeof call !== 'string') return undefined;
  if (flags !== 0 && (!Array.isArray(flags) || !flags.every((x) => typeof x === 'string'))) return undefined;
  const fields = {
    rawKey: pool ? pool.of(rawKey) : rawKey, path: pool ? pool.of(path) : path, value, file, line, column, endLine, endColumn,
    source: source as FactSource, form: form as FactForm, snippet: pool ? pool.of(snippet) : snippet,
  };
  const flagList = flags === 0 ? undefined : flags as FactFlag[];
  return factOf(fields, call === 0 ? undefined : pool ? pool.of(call) : call, flagList && pool ? pool.list(flagList) : flagList);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function isFactValue(v: unknown, depth: number): v is FactValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return true;
  return depth < 8 && Array.isArray(v) && v.every((x) => isFactValue(x, depth + 1));
}
