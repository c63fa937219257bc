import type { FactSource } from '../model.js';

export type FactValue = number | string | boolean | FactValue[];

/**
 * One thing the workspace states. Extractors emit these; the verifier matches claims against them.
 * Keys stay raw here; the verifier normalizes them.
 */
export interface Fact {
  /** The last name segment as written (`lr`, `n_mels`, `learning_rate`, `LogisticRegression` for a call). */
  rawKey: string;
  /** Full path of names leading to it: `optim.lr`, `TrainingArguments.learning_rate`, `args.--lr`. */
  path: string;
  value: FactValue;
  /** Workspace-relative path with forward slashes. */
  file: string;
  /** 1-based line/column of the value (or the statement) in the file as stored. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: FactSource;
  /** What kind of statement: helps the verifier weigh it. */
  form: FactForm;
  /** For keyword args and calls: the called function's dotted name (`nn.Conv2d`, `TrainingArguments`). */
  call?: string;
  /** Short source text around it (one line), for evidence snippets. */
  snippet: string;
  /** Flags that demote a fact from deciding evidence. */
  flags?: FactFlag[];
}

export type FactForm =
  | 'assignment'      // x = 3 / x: int = 3 / A, B = 1, 2
  | 'keyword'         // f(x=3)
  | 'positional'      // f(3, 4): value is the list of literal positional args
  | 'call'            // a call or constructor, value = dotted callee name
  | 'import'          // from a import B: value = 'a.B'
  | 'default'         // argparse/click/dataclass default
  | 'config'          // YAML/JSON/TOML key
  | 'flag'            // --flag value in a launch script
  | 'compare'         // x == 2017 / x in [...] / x > 0
  | 'result'          // metrics file value (last row / final)
  | 'output'          // number in a notebook's stored output or a log line, rawKey = words before it
  | 'version'         // package==1.2.3
  | 'license'         // SPDX id
  | 'text';           // weak text mention in README/docs

export type FactFlag = 'test' | 'vendored' | 'ignored' | 'fixture' | 'doc' | 'example'
  /** A default in a function signature: callers usually pass their own value. */
  | 'signature';

/** A fact's fields but its optional ones. */
export type FactFields = Omit<Fact, 'call' | 'flags'>;

/**
 * A fact made in one of four fixed shapes. A property added to an object after its literal (a
 * spread's included) goes to an out-of-object store, ~40 bytes a fact: an index holds tens of
 * thousands (factCodec.ts and FactIndex build theirs here).
 */
export function factOf(f: FactFields, call: string | undefined, flags: FactFlag[] | undefined): Fact {
  const { rawKey, path, value, file, line, column, endLine, endColumn, source, form, snippet } = f;
  if (call === undefined) {
    return flags === undefined
      ? { rawKey, path, value, file, line, column, endLine, endColumn, source, form, snippet }
      : { rawKey, path, value, file, line, column, endLine, endColumn, source, form, snippet, flags };
  }
  return flags === undefined
    ? { rawKey, path, value, file, line, column, endLine, endColumn, source, form, snippet, call }
    : { rawKey, path, value, file, line, column, endLine, endColumn, source, form, snippet, call, flags };
}
