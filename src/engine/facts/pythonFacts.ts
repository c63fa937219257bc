import { parse, parseAsync, type SgNode } from '@ast-grep/napi';
import { releaseParseTrees } from '../memory/nativeMemory.js';
import { ensureAstGrepLanguages, PYTHON } from './astGrepLanguages.js';
import type { Fact, FactFlag, FactValue } from './fact.js';
import { PythonFactSink, type PythonFactOptions } from './pythonFactSink.js';
import { literalValue, namedChildren, decodePythonString, type LiteralResult } from './pythonLiterals.js';
import { cliFlagKey, dottedName, lastSegment, receiverKey, subscriptStringKey, targetName } from './pythonNames.js';
import {
  CALL_RULE_MARKS,
  COMBINED_MARKS,
  DATACLASS_DECORATOR_REGEX,
  FIELD_MODEL_BASE_REGEX,
  LITERAL_KIND_SET,
  POSITIONAL_IGNORED_CALLEES,
  combinedRuleFor,
  RULE_TRIGGERS,
  type PythonRuleName,
} from './pythonRules.js';

export type { PythonFactOptions, PositionMap } from './pythonFactSink.js';

/**
 * Facts stated by a Python source file: literal assignments, keyword and positional call
 * arguments, calls/constructors, imports, CLI defaults (argparse, click), dataclass fields,
 * parameter defaults, dict literals and comparisons. Comments never produce facts.
 */
export function extractPythonFacts(relPath: string, source: string, flags?: FactFlag[]): Fact[] {
  return extractPythonFactsWith(relPath, source, { source: 'ast', flags });
}

/**
 * Same, for Python text that is not stored as-is (notebook cells): `mapPosition` places each
 * fact in the stored file. The parse tree lives only during this call.
 */
export function extractPythonFactsWith(relPath: string, text: string, options: PythonFactOptions): Fact[] {
  ensureAstGrepLanguages();
  const source = parseableSource(text);
  releaseParseTrees(source.length);
  let root: SgNode;
  try {
    root = parse(PYTHON, source).root();
  } catch (e) {
    throw parseError(relPath, e);
  }
  return factsOfTree(relPath, source, root, options);
}

/**
 * extractPythonFacts with the parse on libuv's thread pool: a workspace's files are parsed on
 * the other cores while this thread turns trees into facts (the same facts).
 */
export async function extractPythonFactsAsync(relPath: string, text: string, flags?: FactFlag[]): Promise<Fact[]> {
  ensureAstGrepLanguages();
  const source = parseableSource(text);
  releaseParseTrees(source.length);
  let root: SgNode;
  try {
    root = (await parseAsync(PYTHON, source)).root();
  } catch (e) {
    throw parseError(relPath, e);
  }
  return factsOfTree(relPath, source, root, { source: 'ast', flags });
}

/** A NUL char (invalid in Python anyway) derails the native parser; a space keeps every offset. */
function parseableSource(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, ' ') : text;
}

function parseError(relPath: string, e: unknown): Error {
  return new Error(`${relPath}: could not parse as Python: ${e instanceof Error ? e.message : String(e)}`);
}

function factsOfTree(relPath: string, source: string, root: SgNode, options: PythonFactOptions): Fact[] {
  const sink = new PythonFactSink(relPath, source, options);
  const matches = matchRules(root, source);
  for (const [name, handler] of HANDLERS) {
    if (sink.full) break;
    if (!triggered(name, source)) continue;
    for (const m of matches[name]) {
      handler(sink, m.node, m.context);
      if (sink.full) break;
    }
  }
  return sink.facts.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Whether the text a rule needs (RULE_TRIGGERS) is in the file; rules without triggers always run. */
function triggered(rule: PythonRuleName, source: string): boolean {
  const triggers = RULE_TRIGGERS[rule];
  return !triggers || triggers.some((t) => source.includes(t));
}

/** A node a rule selected, with the ancestor its handler needs when the rule binds one. */
interface RuleMatch {
  node: SgNode;
  context?: SgNode;
}

type RuleMatches = Record<PythonRuleName, RuleMatch[]>;

const CALL_RULES = Object.entries(CALL_RULE_MARKS) as [keyof typeof CALL_RULE_MARKS, string][];

/**
 * What each rule of PYTHON_RULES selects, in document order, from one traversal with the
 * combined rule (see combinedRuleFor; the JS parts of two rules are done here).
 */
export function matchRules(root: SgNode, source: string): RuleMatches {
  const out: RuleMatches = {
    assignment: [], classAttribute: [], dataclassLikeClass: [], parameterDefault: [], keywordArgument: [],
    positionalCall: [], namedCall: [], importStatement: [], importFrom: [], argparseArgument: [],
    argparseSetDefaults: [], clickOption: [], getWithDefault: [], dictionary: [], comparison: [], membershipCall: [],
  };
  const classes: RuleMatch[] = [];
  // A rule whose trigger text is absent is skipped by the caller: no need to read its mark.
  const callRules = CALL_RULES.filter(([rule]) => triggered(rule, source));
  for (const node of root.findAll(combinedRuleFor(source))) {
    switch (node.kind()) {
      case 'assignment': {
        const cls = node.getMatch(COMBINED_MARKS.classOfAttribute);
        if (cls) out.classAttribute.push({ node, context: cls });
        else out.assignment.push({ node });
        break;
      }
      case 'class_definition':
        classes.push({ node, context: node.getMatch(COMBINED_MARKS.decoratedClass) ?? undefined });
        break;
      case 'default_parameter':
      case 'typed_default_parameter':
        out.parameterDefault.push({ node, context: node.getMatch(COMBINED_MARKS.functionOfParameter) ?? undefined });
        break;
      case 'keyword_argument':
        out.keywordArgument.push({ node, context: node.getMatch(COMBINED_MARKS.callOfKeyword) ?? undefined });
        break;
      case 'call':
        for (const [rule, mark] of callRules) {
          // The positional and named marks bind the argument list and the callee (pythonRules).
          const marked = node.getMatch(mark);
          if (!marked || (rule === 'getWithDefault' && !getWithDefaultConstraints(node))) continue;
          out[rule].push(rule === 'positionalCall' || rule === 'namedCall' ? { node, context: marked } : { node });
        }
        break;
      case 'import_statement':
        out.importStatement.push({ node });
        break;
      case 'import_from_statement':
        out.importFrom.push({ node });
        break;
      case 'dictionary':
        out.dictionary.push({ node });
        break;
      case 'comparison_operator':
        out.comparison.push({ node });
        break;
    }
  }
  // Only class-level assignments read which classes are dataclass-like.
  if (out.classAttribute.length > 0) out.dataclassLikeClass = classes.filter(isDataclassLike);
  return out;
}

/** pythonRules' DATACLASS_LIKE_CLASS: a dataclass-style decorator, or a pydantic/typing base class. */
function isDataclassLike({ node, context: decorated }: RuleMatch): boolean {
  if (decorated?.children().some((c) => c.kind() === 'decorator' && DATACLASS_DECORATOR_REGEX.test(c.text()))) return true;
  const bases = node.field('superclasses');
  return bases !== null && FIELD_MODEL_BASE_REGEX.test(bases.text());
}

/** getWithDefault's constraints: a string key and a literal-looking default. */
function getWithDefaultConstraints(node: SgNode): boolean {
  const key = node.getMatch('KEY');
  const fallback = node.getMatch('DEFAULT');
  return key !== null && fallback !== null && key.kind() === 'string' && LITERAL_KIND_SET.has(String(fallback.kind()));
}

/** `context`: the ancestor the rule bound (see RuleMatch), for the handlers that need one. */
type Handler = (sink: PythonFactSink, node: SgNode, context?: SgNode) => void;

const UNPACK_TARGETS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);
const UNPACK_VALUES = new Set(['expression_list', 'tuple', 'list']);

/** The value an assignment finally binds: `a = b = 5` binds 5 to both. */
function assignedValue(node: SgNode): SgNode | null {
  let right = node.field('right');
  for (let i = 0; right && right.kind() === 'assignment' && i < 16; i++) right = right.field('right');
  return right;
}

function isLiteral(v: LiteralResult): v is FactValue {
  return v !== undefined && v !== null;
}

/** Literal assignments to `prefix`-qualified targets; tuple unpacking gives one fact per name. */
function assignmentFacts(sink: PythonFactSink, node: SgNode, form: 'assignment' | 'default', prefix?: string): void {
  const left = node.field('left');
  const right = assignedValue(node);
  if (!left || !right) return;
  const qualify = (path: string) => (prefix ? `${prefix}.${path}` : path);
  if (UNPACK_TARGETS.has(String(left.kind()))) {
    if (!UNPACK_VALUES.has(String(right.kind()))) return;
    const targets = namedChildren(left);
    const values = namedChildren(right);
    if (targets.length !== values.length) return;
    targets.forEach((t, i) => {
      const name = targetName(t);
      const v = literalValue(values[i]);
      if (name && isLiteral(v)) sink.add(values[i], { rawKey: name.rawKey, path: qualify(name.path), value: v, form });
    });
    return;
  }
  const name = targetName(left);
  if (!name) return;
  const v = form === 'default' ? fieldDefault(right) : { node: right, value: literalValue(right) };
  if (v && isLiteral(v.value)) sink.add(v.node, { rawKey: name.rawKey, path: qualify(name.path), value: v.value, form });
}

const FIELD_FACTORIES = new Set(['field', 'Field', 'attrib', 'ib']);

/** A dataclass field's default: the literal itself, or `field(default=...)` / pydantic `Field(0.1)`. */
function fieldDefault(right: SgNode): { node: SgNode; value: LiteralResult } | undefined {
  if (right.kind() !== 'call') return { node: right, value: literalValue(right) };
  const callee = dottedName(right.field('function') ?? right);
  if (!callee || !FIELD_FACTORIES.has(lastSegment(callee))) return undefined;
  const args = right.field('arguments');
  if (!args) return undefined;
  const items = namedChildren(args);
  const kw = keywordValue(items, 'default');
  if (kw) return { node: kw, value: literalValue(kw) };
  const first = items[0];
  if (lastSegment(callee) === 'Field' && first && first.kind() !== 'keyword_argument' && first.kind() !== 'ellipsis') {
    return { node: first, value: literalValue(first) };
  }
  return undefined;
}

function keywordValue(items: SgNode[], name: string): SgNode | undefined {
  for (const item of items) {
    if (item.kind() === 'keyword_argument' && item.field('name')?.text() === name) return item.field('value') ?? undefined;
  }
  return undefined;
}

/** `node` is a statement inside `block` inside `class_definition`: the class name. */
function enclosingClassName(statement: SgNode): string | undefined {
  const block = statement.parent();
  const cls = block?.parent();
  return cls?.kind() === 'class_definition' ? cls.field('name')?.text() : undefined;
}

const onAssignment: Handler = (sink, node) => assignmentFacts(sink, node, 'assignment');

const onDataclassLikeClass: Handler = (sink, node) => {
  sink.fieldClasses.add(node.id());
};

/** Field defaults (form `default`) in dataclass-like classes, plain class attributes otherwise. */
const onClassAttribute: Handler = (sink, node, cls) => {
  const name = cls?.field('name')?.text();
  if (!cls || !name) return;
  assignmentFacts(sink, node, sink.fieldClasses.has(cls.id()) ? 'default' : 'assignment', name);
};

/** `def __init__(self, dropout=0.5)` in class SmallCNN → `SmallCNN.dropout`; a function → `fn.param`. */
const onParameterDefault: Handler = (sink, node, fn) => {
  const name = node.field('name');
  const valueNode = node.field('value');
  if (!name || !valueNode || name.kind() !== 'identifier') return;
  const v = literalValue(valueNode);
  if (!isLiteral(v)) return;
  const fnName = fn?.field('name')?.text();
  if (!fn || !fnName) return;
  let owner = fnName;
  if (fnName === '__init__') {
    const wrapper = fn.parent()?.kind() === 'decorated_definition' ? fn.parent() : fn;
    const cls = wrapper ? enclosingClassName(wrapper) : undefined;
    if (cls) owner = cls;
  }
  sink.add(valueNode, { rawKey: name.text(), path: `${owner}.${name.text()}`, value: v, form: 'default', flags: ['signature'] });
};

const onKeywordArgument: Handler = (sink, node, call) => {
  const name = node.field('name')?.text();
  const valueNode = node.field('value');
  if (!name || !valueNode) return;
  const v = literalValue(valueNode);
  if (!isLiteral(v)) return;
  const callee = call ? calleeOf(sink, call) : undefined;
  sink.add(valueNode, { rawKey: name, path: callee ? `${callee}.${name}` : name, value: v, form: 'keyword', call: callee });
};

/** The dotted callee of a call (its `function` field, when the caller has it at hand), once per call. */
function calleeOf(sink: PythonFactSink, call: SgNode, fn?: SgNode | null): string | undefined {
  const id = call.id();
  if (sink.callees.has(id)) return sink.callees.get(id);
  const f = fn === undefined ? call.field('function') : fn;
  const callee = f ? dottedName(f) : undefined;
  sink.callees.set(id, callee);
  return callee;
}

const EXPR = '<expr>';

/** Positional arguments in order; a non-literal one is `<expr>` so positions stay meaningful. */
function positionalArgs(argList: SgNode): { values: FactValue[]; literal: boolean[]; literals: number } {
  const nodes = namedChildren(argList).filter((a) => {
    const kind = a.kind();
    return kind !== 'keyword_argument' && kind !== 'dictionary_splat';
  });
  const literal: boolean[] = [];
  const values = nodes.map((a): FactValue => {
    const v = literalValue(a);
    literal.push(isLiteral(v));
    if (v === null) return 'None';
    return v === undefined ? EXPR : v;
  });
  return { values, literal, literals: literal.filter(Boolean).length };
}

/** `obj['key'].method` → `key.method`: says which column a pandas method is applied to. */
function receiverQualifiedPath(call: SgNode, callee: string): string {
  // A dotted callee without `[` has no subscript receiver (dottedName keeps one as `['key']`, or
  // gives the bare method name when it cannot name the receiver).
  if (callee.includes('.') && !callee.includes('[')) return callee;
  const fn = call.field('function');
  if (!fn || fn.kind() !== 'attribute') return callee;
  const obj = fn.field('object');
  const key = obj ? subscriptStringKey(obj) : undefined;
  const attr = fn.field('attribute')?.text();
  return key !== undefined && attr ? `${key}.${attr}` : callee;
}

/** `argList`: the call's argument list, as the rule bound it. */
const onPositionalCall: Handler = (sink, node, argList) => {
  if (!argList) return;
  const callee = calleeOf(sink, node);
  if (!callee) return;
  const last = lastSegment(callee);
  if (POSITIONAL_IGNORED_CALLEES.has(callee) || POSITIONAL_IGNORED_CALLEES.has(last)) return;
  const { values, literals } = positionalArgs(argList);
  if (literals === 0) return;
  sink.add(argList, { rawKey: last, path: receiverQualifiedPath(node, callee), value: values, form: 'positional', call: callee });
};

/** The name a call's result is bound to, through method chains: `model = SmallCNN(...).to(device)` → `model`. */
function assignedTarget(call: SgNode): string | undefined {
  let cur = call;
  for (let i = 0; i < 8; i++) {
    const parent = cur.parent();
    if (!parent) return undefined;
    // Each native call counts: the parent's kind is read once.
    const kind = parent.kind();
    if (kind === 'attribute') {
      const outer = parent.parent();
      if (outer?.kind() !== 'call') return undefined;
      cur = outer;
      continue;
    }
    if (kind === 'assignment' && parent.field('right')?.id() === cur.id()) {
      const left = parent.field('left');
      return left ? targetName(left)?.path : undefined;
    }
    return undefined;
  }
  return undefined;
}

/** `fn`: the callee node, as the rule bound it. */
const onNamedCall: Handler = (sink, node, fn) => {
  const callee = fn ? calleeOf(sink, node, fn) : undefined;
  if (!fn || !callee) return;
  const at = fn.range();
  if (!sink.markOnce(`call-line|${callee}|${at.start.line}`)) return;
  const target = assignedTarget(node);
  sink.addAt(at, {
    rawKey: lastSegment(callee),
    path: target ? `${target}=${callee}` : callee,
    value: callee,
    form: 'call',
    call: callee,
  });
};

function compactDotted(node: SgNode): string {
  return node.text().replace(/\s+/g, '');
}

function addImport(sink: PythonFactSink, nameNode: SgNode, full: string): void {
  sink.add(nameNode, { rawKey: lastSegment(full), path: full, value: full, form: 'import' });
}

/** The imported dotted name of an `import` clause item, with its node (aliases dropped). */
function importedName(item: SgNode): SgNode | undefined {
  if (item.kind() === 'dotted_name') return item;
  if (item.kind() === 'aliased_import') return item.field('name') ?? undefined;
  return undefined;
}

const onImport: Handler = (sink, node) => {
  for (const item of node.fieldChildren('name')) {
    const name = importedName(item);
    if (name) addImport(sink, name, compactDotted(name));
  }
};

const onImportFrom: Handler = (sink, node) => {
  const mod = node.field('module_name');
  if (!mod) return;
  const base = compactDotted(mod);
  for (const item of node.fieldChildren('name')) {
    const name = importedName(item);
    if (!name) continue;
    const sep = base.endsWith('.') ? '' : '.';
    addImport(sink, name, `${base}${sep}${compactDotted(name)}`);
  }
};

interface CliDeclaration {
  flags: { text: string; node: SgNode }[];
  keywords: Map<string, SgNode>;
}

function cliDeclaration(call: SgNode): CliDeclaration | undefined {
  const args = call.field('arguments');
  if (!args) return undefined;
  const flags: CliDeclaration['flags'] = [];
  const keywords = new Map<string, SgNode>();
  for (const item of namedChildren(args)) {
    if (item.kind() === 'keyword_argument') {
      const name = item.field('name')?.text();
      const value = item.field('value');
      if (name && value) keywords.set(name, value);
    } else if (item.kind() === 'string') {
      const text = decodePythonString(item.text());
      if (text !== undefined) flags.push({ text, node: item });
    }
  }
  return { flags, keywords };
}

/** The setting name a CLI declaration binds: the long flag, else a short one, else the bare name. */
function cliName(flags: { text: string }[]): string | undefined {
  const parts = flags.flatMap((f) => f.text.split('/')).map((f) => f.trim()).filter((f) => f !== '');
  const long = parts.find((f) => f.startsWith('--'));
  const bare = parts.find((f) => !f.startsWith('-'));
  const short = parts.find((f) => f.startsWith('-'));
  const chosen = long ?? bare ?? short;
  return chosen ? cliFlagKey(chosen) : undefined;
}

/** argparse converts string defaults through `type=`: `type=float, default='3e-4'` is 0.0003. */
function typedDefault(value: FactValue, typeNode: SgNode | undefined): FactValue {
  const t = typeNode?.text();
  if (typeof value === 'string' && (t === 'float' || t === 'int') && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return value;
}

function cliDefault(sink: PythonFactSink, call: SgNode, isClick: boolean): void {
  const decl = cliDeclaration(call);
  if (!decl) return;
  const bare = isClick ? decl.flags.find((f) => !f.text.startsWith('-'))?.text : undefined;
  const dest = decl.keywords.get('dest');
  const destName = dest ? decodePythonString(dest.text()) : undefined;
  const key = destName ?? (bare ? cliFlagKey(bare) : cliName(decl.flags));
  if (!key) return;
  const fn = call.field('function');
  const callee = fn ? dottedName(fn) : undefined;
  const defaultNode = decl.keywords.get('default');
  let value: LiteralResult;
  let at: SgNode | undefined;
  if (defaultNode) {
    value = literalValue(defaultNode);
    at = defaultNode;
  } else {
    const action = decl.keywords.get('action');
    const actionName = action ? decodePythonString(action.text()) : undefined;
    const isFlag = decl.keywords.get('is_flag')?.kind() === 'true';
    if (actionName === 'store_true' || (isClick && isFlag)) value = false;
    else if (actionName === 'store_false') value = true;
    at = decl.flags[0]?.node;
  }
  if (!isLiteral(value) || !at) return;
  value = typedDefault(value, decl.keywords.get('type'));
  sink.add(at, { rawKey: key, path: `args.${key}`, value, form: 'default', call: callee });
}

const onArgparseArgument: Handler = (sink, node) => cliDefault(sink, node, false);
const onClickOption: Handler = (sink, node) => cliDefault(sink, node, true);

const onSetDefaults: Handler = (sink, node) => {
  const args = node.field('arguments');
  const fn = node.field('function');
  if (!args) return;
  for (const item of namedChildren(args)) {
    if (item.kind() !== 'keyword_argument') continue;
    const name = item.field('name')?.text();
    const valueNode = item.field('value');
    const v = valueNode ? literalValue(valueNode) : undefined;
    if (name && valueNode && isLiteral(v)) {
      sink.add(valueNode, { rawKey: name, path: `args.${name}`, value: v, form: 'default', call: fn ? dottedName(fn) : undefined });
    }
  }
};

const onGetWithDefault: Handler = (sink, node) => {
  const obj = node.getMatch('O');
  const keyNode = node.getMatch('KEY');
  const defNode = node.getMatch('DEFAULT');
  if (!obj || !keyNode || !defNode) return;
  const key = decodePythonString(keyNode.text());
  const v = literalValue(defNode);
  if (!key || !isLiteral(v)) return;
  const owner = targetName(obj)?.path ?? dottedName(obj);
  const fn = node.field('function');
  sink.add(defNode, {
    rawKey: key,
    path: owner ? `${owner}.${key}` : key,
    value: v,
    form: 'default',
    call: fn ? dottedName(fn) : undefined,
  });
};

/** The path a dict display is bound to: its assignment target or `Callee.kw`. */
function dictionaryPrefix(dict: SgNode): string | undefined {
  const parent = dict.parent();
  if (!parent) return undefined;
  if (parent.kind() === 'assignment' && parent.field('right')?.id() === dict.id()) {
    const left = parent.field('left');
    return left ? targetName(left)?.path : undefined;
  }
  if (parent.kind() === 'keyword_argument') {
    const kw = parent.field('name')?.text();
    const fn = parent.parent()?.parent()?.field('function');
    const callee = fn ? dottedName(fn) : undefined;
    if (kw) return callee ? `${callee}.${kw}` : kw;
  }
  return undefined;
}

function dictKey(node: SgNode): string | undefined {
  const kind = node.kind();
  if (kind === 'integer') return node.text();
  if (kind !== 'string') return undefined;
  const text = node.text();
  // Only an f-string with a brace can hold an interpolation: listing the children (a napi object
  // each) is left to those, as most dict keys are plain strings.
  if (F_STRING_PREFIX.test(text) && text.includes('{') && node.children().some((c) => c.kind() === 'interpolation')) return undefined;
  return decodePythonString(text);
}

const F_STRING_PREFIX = /^[a-zA-Z]*[fF]/;

function dictionaryFacts(sink: PythonFactSink, dict: SgNode, prefix: string | undefined, depth: number): void {
  if (depth > 8) return;
  for (const pair of dict.namedChildren()) {
    if (pair.kind() !== 'pair' || sink.full) continue;
    const keyNode = pair.field('key');
    const valueNode = pair.field('value');
    const key = keyNode ? dictKey(keyNode) : undefined;
    if (key === undefined || key === '' || !valueNode) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (valueNode.kind() === 'dictionary') {
      dictionaryFacts(sink, valueNode, path, depth + 1);
      continue;
    }
    const v = literalValue(valueNode);
    if (isLiteral(v)) sink.add(valueNode, { rawKey: key, path, value: v, form: 'assignment' });
  }
}

const onDictionary: Handler = (sink, node) => dictionaryFacts(sink, node, dictionaryPrefix(node), 0);

const FLIPPED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

/** Dunder names (`__name__ == '__main__'`) are Python plumbing, not settings. */
function settingKey(node: SgNode): string | undefined {
  const key = receiverKey(node);
  return key && !/^__\w+__$/.test(key) ? key : undefined;
}

function comparisonPath(key: string, op: string): string {
  return /^[a-z]/.test(op) ? `${key} ${op}` : `${key}${op}`;
}

/** `df['issue_year'] == 2017`, `3 < x <= 5` (each adjacent pair), `status in ['a', 'b']`. */
const onComparison: Handler = (sink, node) => {
  const operands: SgNode[] = [];
  const operators: string[] = [];
  let pending: string[] = [];
  for (const child of node.children()) {
    if (child.kind() === 'comment') continue;
    if (child.isNamed()) {
      if (operands.length > 0) operators.push(pending.join(' '));
      operands.push(child);
      pending = [];
    } else {
      pending.push(child.text());
    }
  }
  for (let i = 0; i + 1 < operands.length; i++) {
    const op = operators[i];
    const [a, b] = [operands[i], operands[i + 1]];
    const vb = literalValue(b);
    const keyA = settingKey(a);
    if (isLiteral(vb) && keyA) {
      sink.add(b, { rawKey: keyA, path: comparisonPath(keyA, op), value: vb, form: 'compare' });
      continue;
    }
    const va = literalValue(a);
    const keyB = settingKey(b);
    const flipped = FLIPPED[op];
    if (isLiteral(va) && keyB && flipped) {
      sink.add(a, { rawKey: keyB, path: comparisonPath(keyB, flipped), value: va, form: 'compare' });
    }
  }
};

/** pandas `s.isin([...])` / `s.between(a, b)` as comparisons on the receiver's column. */
const onMembershipCall: Handler = (sink, node) => {
  const fn = node.field('function');
  const args = node.field('arguments');
  const method = fn?.field('attribute')?.text();
  const receiver = fn?.field('object');
  if (!fn || !args || !method || !receiver) return;
  const key = receiverKey(receiver);
  if (!key) return;
  const { values, literal } = positionalArgs(args);
  let value: FactValue | undefined;
  if (method === 'isin' && values.length === 1 && literal[0]) value = values[0];
  if (method === 'between' && values.length >= 2 && literal[0] && literal[1]) value = values.slice(0, 2);
  if (value === undefined) return;
  sink.add(args, { rawKey: key, path: `${key}.${method}`, value, form: 'compare', call: dottedName(fn) });
};

const HANDLERS: [PythonRuleName, Handler][] = [
  ['assignment', onAssignment],
  // Before classAttribute, which reads the set of dataclass-like classes it fills.
  ['dataclassLikeClass', onDataclassLikeClass],
  ['classAttribute', onClassAttribute],
  ['parameterDefault', onParameterDefault],
  ['argparseArgument', onArgparseArgument],
  ['argparseSetDefaults', onSetDefaults],
  ['clickOption', onClickOption],
  ['getWithDefault', onGetWithDefault],
  ['keywordArgument', onKeywordArgument],
  ['dictionary', onDictionary],
  ['comparison', onComparison],
  ['membershipCall', onMembershipCall],
  ['positionalCall', onPositionalCall],
  ['importStatement', onImport],
  ['importFrom', onImportFrom],
  ['namedCall', onNamedCall],
];
