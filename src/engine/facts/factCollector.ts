import type { FactSource } from '../model.js';
import type { Fact, FactFlag, FactForm, FactValue } from './fact.js';
import type { LineIndex, LinePosition } from './lineIndex.js';

export interface FactDraft {
  rawKey: string;
  path: string;
  value: FactValue;
  form: FactForm;
  start: LinePosition;
  end: LinePosition;
  call?: string;
  /** Defaults to the snippet of the start line. */
  snippet?: string;
  source?: FactSource;
}

/**
 * Collects the facts of one file: fills in file, source, flags and snippet, and stops at a cap so a
 * generated file (a vocabulary, a huge table) cannot produce unbounded facts. Hitting the cap is
 * reported once as a warning.
 */
export class FactCollector {
  readonly facts: Fact[] = [];
  private capWarned = false;

  constructor(
    readonly file: string,
    readonly lines: LineIndex,
    private readonly source: FactSource,
    private readonly flags: readonly FactFlag[] | undefined,
    private readonly warnings: string[],
    private readonly cap: number,
  ) {}

  get full(): boolean {
    return this.facts.length >= this.cap;
  }

  /** True when full; says so in a warning (once), since the caller had more to add. */
  exhausted(): boolean {
    if (!this.full) return false;
    if (!this.capWarned) {
      this.warnings.push(`${this.file}: more than ${this.cap} facts; the rest of the file was not used`);
      this.capWarned = true;
    }
    return true;
  }

  add(d: FactDraft): void {
    if (d.rawKey === '' || this.exhausted()) return;
    const fact: Fact = {
      rawKey: d.rawKey,
      path: d.path,
      value: d.value,
      file: this.file,
      line: d.start.line,
      column: d.start.column,
      endLine: d.end.line,
      endColumn: d.end.column,
      source: d.source ?? this.source,
      form: d.form,
      snippet: d.snippet ?? this.lines.snippet(d.start.line, d.start.column),
    };
    if (d.call !== undefined) fact.call = d.call;
    if (this.flags && this.flags.length > 0) fact.flags = [...this.flags];
    this.facts.push(fact);
  }
}

/** What every extractor returns: the facts and the problems worth telling the user, each naming the file. */
export interface FactExtraction {
  facts: Fact[];
  warnings: string[];
}

export interface ExtractOptions {
  flags?: FactFlag[];
}
