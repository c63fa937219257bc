import type { SgNode } from '@ast-grep/napi';
import type { FactValue } from './fact.js';

/**
 * Converting Python literal syntax nodes to fact values. `undefined` means "not a literal" (a
 * name, a call, an f-string with interpolation...); `null` means the literal `None`, which
 * callers skip or spell out, never store.
 */
export type LiteralResult = FactValue | null | undefined;

/** Longer strings are prose or templates (prompts, docstrings), not settings. */
export const MAX_STRING_LITERAL = 500;
/** Longer sequences are data tables embedded in code, not hyperparameters. */
export const MAX_SEQUENCE_LITERAL = 256;
const MAX_NESTING = 4;

const SEQUENCE_KINDS = new Set(['list', 'tuple', 'set', 'expression_list']);

export function literalValue(node: SgNode, depth = 0): LiteralResult {
  switch (node.kind()) {
    case 'integer':
      return parsePythonInteger(node.text());
    case 'float':
      return parsePythonFloat(node.text());
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'string':
      return stringNodeValue(node);
    case 'concatenated_string':
      return concatenatedValue(node);
    case 'parenthesized_expression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? literalValue(inner[0], depth) : undefined;
    }
    case 'unary_operator':
      return unaryValue(node, depth);
    case 'binary_operator':
      return arithmeticValue(node, depth);
    default:
      if (SEQUENCE_KINDS.has(String(node.kind()))) return sequenceValue(node, depth);
      return undefined;
  }
}

/** Named children without comments: a comment inside `[1, # note\n 2]` is a named node. */
export function namedChildren(node: SgNode): SgNode[] {
  const children = node.namedChildren();
  // Every native call counts (see pythonRules.ts): without a `#` in its text a node has no
  // comment, and one text() is cheaper than a kind() per child.
  if (children.length > 1 && !node.text().includes('#')) return children;
  return children.filter((c) => c.kind() !== 'comment');
}

function sequenceValue(node: SgNode, depth: number): FactValue[] | undefined {
  if (depth >= MAX_NESTING) return undefined;
  const items = namedChildren(node);
  if (items.length > MAX_SEQUENCE_LITERAL) return undefined;
  const out: FactValue[] = [];
  for (const item of items) {
    const v = literalValue(item, depth + 1);
    if (v === undefined || v === null) return undefined;
    out.push(v);
  }
  return out;
}

function unaryValue(node: SgNode, depth: number): number | undefined {
  const op = node.field('operator')?.text();
  const arg = node.field('argument');
  if (!arg) return undefined;
  const v = literalValue(arg, depth);
  if (typeof v !== 'number') return undefined;
  // `0 - v`, not `-v`: `-0` would be a distinct, surprising value.
  if (op === '-') return 0 - v;
  if (op === '+') return v;
  return undefined;
}

/** Trivial constant arithmetic (`128 * 4 * 4`, `2 ** 20`, `1 / 3`): what the interpreter would compute. */
function arithmeticValue(node: SgNode, depth: number): number | undefined {
  const left = node.field('left');
  const right = node.field('right');
  const op = node.field('operator')?.text();
  if (!left || !right || !op) return undefined;
  const a = literalValue(left, depth);
  const b = literalValue(right, depth);
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  const r = applyArithmetic(op, a, b);
  return r !== undefined && Number.isFinite(r) ? r + 0 : undefined;
}

function applyArithmetic(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : a / b;
    case '//': return b === 0 ? undefined : Math.floor(a / b);
    case '%': return b === 0 ? undefined : a - b * Math.floor(a / b);
    case '**': return Math.abs(b) > 1024 ? undefined : a ** b;
    default: return undefined;
  }
}

/** Python integer literal text to a number: underscores, 0x/0o/0b, Python 2 `L`; complex `j` is not a number here. */
export function parsePythonInteger(text: string): number | undefined {
  let t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined;
  t = t.replace(/[lL]$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^\d+$/.test(t)) v = Number(t);
  else return undefined;
  return Number.isFinite(v) ? v : undefined;
}

export function parsePythonFloat(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined;
  if (!/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

function stringNodeValue(node: SgNode): string | undefined {
  const text = node.text();
  if (mayInterpolate(text) && node.children().some((c) => c.kind() === 'interpolation')) return undefined;
  return decodePythonString(text);
}

/** Only f-strings (and t-strings) have interpolations; a plain literal needs no look at its children. */
export function mayInterpolate(stringText: string): boolean {
  return !/^[rRbBuU]*['"]/.test(stringText);
}

function concatenatedValue(node: SgNode): string | undefined {
  let out = '';
  for (const part of namedChildren(node)) {
    if (part.kind() !== 'string') return undefined;
    const v = stringNodeValue(part);
    if (v === undefined) return undefined;
    out += v;
    if (out.length > MAX_STRING_LITERAL) return undefined;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * The value of a Python string literal as written in source (prefix, quotes, escapes).
 * `undefined` for bytes literals, for text that is not a string literal, and for strings over
 * MAX_STRING_LITERAL.
 */
export function decodePythonString(text: string): string | undefined {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!m) return undefined;
  const prefix = m[1].toLowerCase();
  const quote = m[2];
  if (prefix.includes('b')) return undefined;
  if (text.length < m[0].length + quote.length || !text.endsWith(quote)) return undefined;
  const body = text.slice(m[0].length, text.length - quote.length);
  if (body.length > MAX_STRING_LITERAL * 4) return undefined;
  const value = prefix.includes('r') ? body : unescapePython(body);
  return value.length > MAX_STRING_LITERAL ? undefined : value;
}

function unescapePython(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === '\n') { i += 1; continue; }
    if (next === '\r') { i += body[i + 2] === '\n' ? 2 : 1; continue; }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) { out += simple; i += 1; continue; }
    const hexLen = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const hex = body.slice(i + 2, i + 2 + hexLen);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen ? parseInt(hex, 16) : NaN;
      if (Number.isFinite(code) && code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += 1 + hexLen;
        continue;
      }
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    // Unknown escapes (and \N{...}) stay as written, as Python keeps unknown ones.
    out += ch;
  }
  return out;
}
