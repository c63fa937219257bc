import type { Range, SgNode } from '@ast-grep/napi';
import type { FactSource } from '../model.js';
import type { Fact, FactFlag, FactForm, FactValue } from './fact.js';

/** Maps a 0-based line and UTF-16 column of the parsed text to the 1-based position in the stored file. */
export type PositionMap = (line: number, column: number) => { line: number; column: number };

export interface PythonFactOptions {
  /** `ast` for .py files, `notebook` for code cells. */
  source?: FactSource;
  flags?: FactFlag[];
  /** For code whose text is not the file as stored (notebook cells); identity (+1) when absent. */
  mapPosition?: PositionMap;
}

export interface FactSpec {
  rawKey: string;
  path: string;
  value: FactValue;
  form: FactForm;
  call?: string;
  /** Flags this statement adds to the file's own (a signature default). */
  flags?: FactFlag[];
}

const SNIPPET_MAX = 200;
/** A generated file (tables of constants) must not produce unbounded facts. */
export const MAX_FACTS_PER_SOURCE = 20_000;

const identity: PositionMap = (line, column) => ({ line: line + 1, column: column + 1 });

/** Collects facts for one parsed text: positions, snippets, dedupe and the cap in one place. */
export class PythonFactSink {
  readonly facts: Fact[] = [];
  /** Node ids of classes whose class-level assignments are field defaults (dataclasses, pydantic...). */
  readonly fieldClasses = new Set<number>();
  /** Call node ids → dotted callee: several rules (keyword, positional, named) ask for the same call's. */
  readonly callees = new Map<number, string | undefined>();
  private readonly seen = new Set<string>();
  private lines: string[] | undefined;
  private readonly mapPosition: PositionMap;
  private readonly sourceKind: FactSource;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly options: PythonFactOptions,
  ) {
    this.mapPosition = options.mapPosition ?? identity;
    this.sourceKind = options.source ?? 'ast';
  }

  get full(): boolean {
    return this.facts.length >= MAX_FACTS_PER_SOURCE;
  }

  /** Adds a fact located at `node` (the value node, or the statement when the value is implicit). */
  add(node: SgNode, spec: FactSpec): void {
    if (this.full || spec.rawKey === '') return;
    this.addAt(node.range(), spec);
  }

  /** `add`, for a caller that has the node's range already. */
  addAt(r: Range, spec: FactSpec): void {
    if (this.full || spec.rawKey === '') return;
    const start = this.mapPosition(r.start.line, r.start.column);
    const key = `${spec.form}|${spec.path}|${start.line}|${start.column}|${typeof spec.call === 'string' ? spec.call : ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const end = this.mapPosition(r.end.line, r.end.column);
    const fact: Fact = {
      rawKey: spec.rawKey,
      path: spec.path,
      value: spec.value,
      file: this.file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      source: this.sourceKind,
      form: spec.form,
      snippet: this.snippet(r.start.line, r.start.column),
    };
    if (spec.call !== undefined) fact.call = spec.call;
    const flags = [...(this.options.flags ?? []), ...(spec.flags ?? [])];
    if (flags.length > 0) fact.flags = flags;
    this.facts.push(fact);
  }

  /** Whether a fact with this dedupe identity was already recorded (for `call` facts on one line). */
  markOnce(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private snippet(line: number, column: number): string {
    this.lines ??= this.text.split('\n');
    return lineSnippet(this.lines[line] ?? '', column);
  }
}

/** One trimmed line, cut to a window around `column` when it is long. */
export function lineSnippet(rawLine: string, column: number): string {
  const line = rawLine.replace(/\r$/, '');
  const trimmed = line.trim();
  if (trimmed.length <= SNIPPET_MAX) return trimmed;
  const width = SNIPPET_MAX - 2;
  const from = Math.max(0, Math.min(column - 60, line.length - width));
  const to = Math.min(line.length, from + width);
  return `${from > 0 ? '…' : ''}${line.slice(from, to).trim()}${to < line.length ? '…' : ''}`;
}
