import type { SgNode } from '@ast-grep/napi';
import { decodePythonString, mayInterpolate, namedChildren } from './pythonLiterals.js';

/** Names longer than this are expressions, not names worth keying on. */
const MAX_NAME = 120;
/** How deep the name walkers go; a longer chain is cut (see dottedNameInner / targetPath). */
const MAX_DEPTH = 16;

const PLAIN_DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** Words that parse as something other than an identifier (or might, in Python 2 or as soft keywords). */
const NOT_PLAIN_NAMES = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'exec', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'print', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
]);

/**
 * The text of an `attribute` node that is a plain chain of identifiers (`torch.nn.Linear`) short
 * enough for the walkers at `depth`: both walkers give exactly this text for such a chain, so one
 * text() replaces two field(), a kind() and a text() per segment. `undefined` when not plain.
 */
function plainChain(node: SgNode, depth: number): string | undefined {
  const text = node.text();
  if (!PLAIN_DOTTED.test(text)) return undefined;
  const segments = text.split('.');
  if (depth + segments.length - 1 > MAX_DEPTH || segments.some((s) => NOT_PLAIN_NAMES.has(s))) return undefined;
  return text;
}

/**
 * The dotted name of an expression used as a callee or target: `torch.optim.AdamW`,
 * `self.fc1`, `df['issue_year'].between`, `pd.Series().sort_values` (a call in the chain keeps
 * `()` without its arguments). `undefined` for anything that is not a name chain (lambdas,
 * literals, operators).
 */
export function dottedName(node: SgNode): string | undefined {
  const name = dottedNameInner(node, 0);
  return name !== undefined && name.length <= MAX_NAME ? name : undefined;
}

function dottedNameInner(node: SgNode, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (node.kind()) {
    case 'identifier':
      return node.text();
    case 'attribute': {
      const plain = plainChain(node, depth);
      if (plain !== undefined) return plain;
      const obj = node.field('object');
      const attr = node.field('attribute');
      if (!obj || !attr) return undefined;
      const base = dottedNameInner(obj, depth + 1);
      // `(a - b).clip(...)`: the method name alone still says what is called.
      if (base === undefined) return depth === 0 ? attr.text() : undefined;
      return `${base}.${attr.text()}`;
    }
    case 'call': {
      const fn = node.field('function');
      const base = fn ? dottedNameInner(fn, depth + 1) : undefined;
      return base === undefined ? undefined : `${base}()`;
    }
    case 'subscript': {
      const value = node.field('value');
      const base = value ? dottedNameInner(value, depth + 1) : undefined;
      if (base === undefined) return undefined;
      const key = subscriptStringKey(node);
      return key === undefined ? `${base}[]` : `${base}['${key}']`;
    }
    case 'parenthesized_expression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? dottedNameInner(inner[0], depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** `df['issue_year']` → `issue_year`; undefined when the (single) subscript is not a plain string. */
export function subscriptStringKey(node: SgNode): string | undefined {
  if (node.kind() !== 'subscript') return undefined;
  const subs = node.fieldChildren('subscript').filter((c) => c.kind() !== 'comment');
  if (subs.length !== 1 || subs[0].kind() !== 'string') return undefined;
  const text = subs[0].text();
  if (mayInterpolate(text) && subs[0].children().some((c) => c.kind() === 'interpolation')) return undefined;
  return decodePythonString(text);
}

/** Integer subscripts appear as keys too (`id2label[0] = 'World'`). */
function subscriptKey(node: SgNode): string | undefined {
  const s = subscriptStringKey(node);
  if (s !== undefined) return s;
  const subs = node.fieldChildren('subscript').filter((c) => c.kind() !== 'comment');
  return subs.length === 1 && subs[0].kind() === 'integer' ? subs[0].text() : undefined;
}

export interface TargetName {
  /** Dotted path as a key: `self.n_layers`, `config.optim.lr` for `config['optim']['lr']`. */
  path: string;
  /** Last segment: `n_layers`, `lr`. */
  rawKey: string;
}

/**
 * The name an assignment target or a compared expression stands for. Subscripts with string
 * keys become path segments (`cfg['optim']['lr']` → `cfg.optim.lr`) because config dicts are
 * the same settings as attributes.
 */
export function targetName(node: SgNode): TargetName | undefined {
  const path = targetPath(node, 0);
  if (path === undefined || path.length > MAX_NAME) return undefined;
  const segments = path.split('.');
  return { path, rawKey: segments[segments.length - 1] };
}

function targetPath(node: SgNode, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (node.kind()) {
    case 'identifier':
      return node.text();
    case 'attribute': {
      const plain = plainChain(node, depth);
      if (plain !== undefined) return plain;
      const obj = node.field('object');
      const attr = node.field('attribute');
      if (!obj || !attr) return undefined;
      const base = targetPath(obj, depth + 1);
      return base === undefined ? attr.text() : `${base}.${attr.text()}`;
    }
    case 'subscript': {
      const key = subscriptKey(node);
      if (key === undefined) return undefined;
      const value = node.field('value');
      const base = value ? targetPath(value, depth + 1) : undefined;
      return base === undefined ? key : `${base}.${key}`;
    }
    default:
      return undefined;
  }
}

/**
 * What a method's receiver or a comparison's left side names, for a key: the string key of a
 * subscript (`df['loan_status']` → `loan_status`), the last attribute (`df.loan_status`), or
 * the identifier.
 */
export function receiverKey(node: SgNode): string | undefined {
  switch (node.kind()) {
    case 'identifier':
      return node.text();
    case 'attribute':
      return node.field('attribute')?.text();
    case 'subscript':
      return subscriptStringKey(node);
    case 'parenthesized_expression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? receiverKey(inner[0]) : undefined;
    }
    default:
      return undefined;
  }
}

/** `--batch-size` → `batch_size`; `-b` → `b`. */
export function cliFlagKey(flag: string): string {
  return flag.replace(/^-+/, '').replace(/-/g, '_');
}

export function lastSegment(dotted: string): string {
  const clean = dotted.replace(/\(\)$/, '');
  const i = clean.lastIndexOf('.');
  return i < 0 ? clean : clean.slice(i + 1);
}
