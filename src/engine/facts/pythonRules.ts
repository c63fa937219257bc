import type { NapiConfig, Rule } from '@ast-grep/napi';

/**
 * What the Python extractor looks for, as ast-grep rules. Each rule selects the syntactic shape
 * of one kind of statement; pythonFacts.ts turns each match into facts (literal conversion and
 * naming live in pythonLiterals.ts / pythonNames.ts). Kinds and fields are those of
 * tree-sitter-python 0.25 as shipped in @ast-grep/lang-python.
 */

/** Node kinds that may be (part of) a literal value; pythonLiterals decides for sure. */
export const LITERAL_KINDS = [
  'integer', 'float', 'string', 'concatenated_string', 'true', 'false',
  'unary_operator', 'binary_operator', 'parenthesized_expression', 'list', 'tuple', 'set',
] as const;

const literalish: Rule = { any: LITERAL_KINDS.map((kind) => ({ kind })) };

/**
 * Only a literal-looking value can give a fact (a name, a call or `None` cannot): the rules that
 * read a value select only such statements, so the many others never cross into JS. An assigned
 * value may also be an unpacked tuple (`a, b = 1, 2`) or the next link of `a = b = 5`.
 */
const literalRight = (literal: Rule): Rule => ({ has: { field: 'right', any: [literal, { kind: 'expression_list' }, { kind: 'assignment' }] } });
const literalValue = (literal: Rule): Rule => ({ has: { field: 'value', ...literal } });
const LITERAL_RIGHT = literalRight(literalish);
const LITERAL_VALUE = literalValue(literalish);

/**
 * Decorators that turn a class body's annotated assignments into field defaults. Regexes here
 * stay ASCII and small: ast-grep compiles each rule per file, and Unicode classes (`\\w`, `\\b`,
 * negated sets) cost far more to compile than the matching itself.
 */
const DATACLASS_DECORATOR =
  '^@ *(dataclasses[.]|pydantic[.]dataclasses[.]|attr[.]|attrs[.])?(dataclass|s|attrs|define|frozen|mutable) *([(]|$)';
/** Base classes whose class-level assignments are field defaults (pydantic, typing). */
const FIELD_MODEL_BASE = '[(., ](BaseModel|BaseSettings|NamedTuple) *[,)]';

export const DATACLASS_LIKE_CLASS: Rule = {
  kind: 'class_definition',
  any: [
    { inside: { kind: 'decorated_definition', has: { kind: 'decorator', regex: DATACLASS_DECORATOR } } },
    { has: { field: 'superclasses', regex: FIELD_MODEL_BASE } },
  ],
};

/**
 * An assignment statement directly in a class body (not in a method). A relation's `field`
 * names the field of the *related* node that holds the target (the block is the class's `body`).
 */
const CLASS_BODY_ASSIGNMENT: Rule = {
  kind: 'assignment',
  inside: { kind: 'expression_statement', inside: { kind: 'block', inside: { kind: 'class_definition', field: 'body' } } },
};

const ARGPARSE_ARGUMENT: Rule = { pattern: '$P.add_argument($$$ARGS)' };
const ARGPARSE_SET_DEFAULTS: Rule = { pattern: '$P.set_defaults($$$ARGS)' };
const CLICK_OPTION: Rule = { any: [{ pattern: 'click.option($$$)' }, { pattern: 'option($$$)' }], inside: { kind: 'decorator' } };

/** Calls whose arguments are CLI declarations, reported as `default` facts instead of keyword/positional ones. */
const CLI_DECLARATION_CALL: Rule = { any: [ARGPARSE_ARGUMENT, ARGPARSE_SET_DEFAULTS, CLICK_OPTION] };

/** A call with at least one literal-looking positional argument (positionalCall without the CLI test). */
const literalPositionalArgument = (literal: Rule): Rule => ({ has: { field: 'arguments', kind: 'argument_list', has: literal } });
const LITERAL_POSITIONAL_ARGUMENT = literalPositionalArgument(literalish);

/** A CamelCase callee or any dotted call (namedCall without the CLI test). */
const NAMED_CALLEE: Rule = {
  // Calling one's own submodules (`self.fc1(x)`) or `super()` says nothing about the model's parts.
  // (In `all`, so spreading this next to a `not:` key keeps both.)
  all: [{ not: { has: { field: 'function', any: [{ pattern: 'self.$M' }, { pattern: 'super().$M' }] } } }],
  has: { field: 'function', any: [{ kind: 'attribute' }, { kind: 'identifier', regex: '^_*[A-Z]' }] },
};

function config(rule: Rule): NapiConfig {
  return { rule };
}

export const PYTHON_RULES = {
  /** Module/function-level assignments, incl. annotated ones and tuple unpacking. */
  assignment: config({ kind: 'assignment', not: CLASS_BODY_ASSIGNMENT, ...LITERAL_RIGHT }),
  /** Class-level assignments: `class Config: lr = 3e-4` → `Config.lr`. */
  classAttribute: config(CLASS_BODY_ASSIGNMENT),
  /** Classes whose class-level assignments are field defaults (@dataclass, attrs, pydantic). */
  dataclassLikeClass: config(DATACLASS_LIKE_CLASS),
  /** `def __init__(self, dropout: float = 0.5)`. */
  parameterDefault: config({
    any: [{ kind: 'default_parameter' }, { kind: 'typed_default_parameter' }],
    inside: { kind: 'parameters', inside: { kind: 'function_definition' } },
    ...LITERAL_VALUE,
  }),
  /** `f(x=3)`, outside CLI declarations. */
  keywordArgument: config({
    kind: 'keyword_argument',
    inside: { kind: 'argument_list', inside: { kind: 'call', not: CLI_DECLARATION_CALL } },
    ...LITERAL_VALUE,
  }),
  /** Calls with at least one literal-looking positional argument. */
  positionalCall: config({ kind: 'call', not: CLI_DECLARATION_CALL, ...LITERAL_POSITIONAL_ARGUMENT }),
  /** Constructors and API calls: a CamelCase callee or any dotted call. */
  namedCall: config({ kind: 'call', not: CLI_DECLARATION_CALL, ...NAMED_CALLEE }),
  importStatement: config({ kind: 'import_statement' }),
  importFrom: config({ kind: 'import_from_statement' }),
  argparseArgument: config(ARGPARSE_ARGUMENT),
  argparseSetDefaults: config(ARGPARSE_SET_DEFAULTS),
  clickOption: config(CLICK_OPTION),
  /** `cfg.get('lr', 3e-4)` and `getattr(args, 'lr', 3e-4)`: a fallback value for a named setting. */
  getWithDefault: {
    rule: { any: [{ pattern: '$O.get($KEY, $DEFAULT)' }, { pattern: 'getattr($O, $KEY, $DEFAULT)' }] },
    constraints: { KEY: { kind: 'string' }, DEFAULT: literalish },
  } satisfies NapiConfig,
  /** Outermost dict displays (nested ones are walked from their parent for the path). */
  dictionary: config({ kind: 'dictionary', not: { inside: { kind: 'pair', field: 'value' } } }),
  /** Comparisons with a literal-looking operand. */
  comparison: config({ kind: 'comparison_operator', has: literalish }),
  /** pandas filters written as calls: `s.isin([...])`, `s.between(a, b)`. */
  membershipCall: config({ any: [{ pattern: '$R.isin($$$)' }, { pattern: '$R.between($$$)' }] }),
} as const;

export type PythonRuleName = keyof typeof PYTHON_RULES;

/**
 * Text a file must contain for a rule to possibly match. Each rule costs a full tree traversal,
 * so a rule whose trigger is absent is not run; rules without an entry always run.
 */
export const RULE_TRIGGERS: Partial<Record<PythonRuleName, readonly string[]>> = {
  classAttribute: ['class'],
  dataclassLikeClass: ['class'],
  parameterDefault: ['def'],
  keywordArgument: ['='],
  importStatement: ['import'],
  importFrom: ['import'],
  argparseArgument: ['add_argument'],
  argparseSetDefaults: ['set_defaults'],
  clickOption: ['option'],
  getWithDefault: ['get'],
  dictionary: ['{'],
  membershipCall: ['isin', 'between'],
};

/**
 * Callees whose positional arguments are messages or plumbing, not settings.
 * Matched against the dotted callee (`print`) or its last segment (`.format`).
 */
export const POSITIONAL_IGNORED_CALLEES = new Set([
  'print', 'isinstance', 'issubclass', 'getattr', 'hasattr', 'setattr', 'super', 'len', 'repr',
  'format', 'join', 'split', 'rsplit', 'replace', 'startswith', 'endswith', 'strip', 'rstrip', 'lstrip',
  'debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'write', 'echo', 'secho',
  'append', 'extend', 'add_argument', 'set_defaults', 'get', 'pop', 'setdefault', 'sleep', 'round',
]);

/**
 * Metavariables of the combined rule. `CTX_*` bind an ancestor a handler needs (walking up
 * with `parent()` costs a native call per step); `ON_*` mark which of the overlapping call rules
 * a call matched (`ON_POSITIONAL` binds its argument list, `ON_NAMED` its callee).
 */
export const COMBINED_MARKS = {
  classOfAttribute: 'CTX_CLASS',
  decoratedClass: 'CTX_DECORATED',
  functionOfParameter: 'CTX_FUNCTION',
  callOfKeyword: 'CTX_CALL',
} as const;

/** The call rules that can match the same call node, each with the mark it binds. */
export const CALL_RULE_MARKS = {
  argparseArgument: 'ON_ARGPARSE',
  argparseSetDefaults: 'ON_SET_DEFAULTS',
  clickOption: 'ON_CLICK',
  getWithDefault: 'ON_GET',
  membershipCall: 'ON_MEMBERSHIP',
  positionalCall: 'ON_POSITIONAL',
  namedCall: 'ON_NAMED',
} as const satisfies Partial<Record<PythonRuleName, string>>;

function mark(name: string): Rule {
  return { pattern: `$${name}` };
}

/** `marked` (a rule binding a mark) when it matches; always matches a call, so it never filters. */
function optionalMark(marked: Rule): Rule {
  return { any: [marked, { kind: 'call' }] };
}

/**
 * What a file's text contains that parts of the combined rule need (see combinedRuleFor): a
 * pattern can only match a node whose text holds the pattern's identifiers, and a node kind
 * only occurs where its keyword does, so without the text the part can never match.
 */
const RULE_PART_TEXTS = {
  addArgument: 'add_argument',
  setDefaults: 'set_defaults',
  option: 'option',
  get: 'get',
  isin: 'isin',
  between: 'between',
  self: 'self',
  super: 'super',
  class: 'class',
  def: 'def',
  equals: '=',
  import: 'import',
  brace: '{',
} as const;

type RulePart = keyof typeof RULE_PART_TEXTS;
type RuleParts = Record<RulePart, boolean>;

/** `rule` with a `$name` mark, so a call says which of several rules it matched. */
function marked(rule: Rule, name: string): Rule {
  return { all: [rule, mark(name)] };
}

/** NAMED_CALLEE's exclusions whose text is present (`self.fc1(x)`, `super().f()`); undefined when none is. */
function ownCallee(has: RuleParts): Rule | undefined {
  const excluded: Rule[] = [];
  if (has.self) excluded.push({ pattern: 'self.$M' });
  if (has.super) excluded.push({ pattern: 'super().$M' });
  return excluded.length > 0 ? { has: { field: 'function', any: excluded } } : undefined;
}

/** NAMED_CALLEE, its exclusions through the `ownCallee` utility when there are any; `markAs` binds the callee node. */
function namedCallee(excludes: boolean, markAs?: string): Rule {
  const callee: Rule = { has: markAs ? { ...NAMED_CALLEE.has, ...mark(markAs) } : NAMED_CALLEE.has };
  return excludes ? { all: [{ not: { matches: UTIL.ownCallee } }], ...callee } : callee;
}

/**
 * The combined rule's utility rules (NapiConfig `utils`), referenced with `matches`: a rule is
 * compiled at each place it stands, and a node kind costs a lookup by name (~2.6 µs) each time,
 * so a part used several times is compiled once per file as a utility. Only parts whose
 * metavariables no handler reads are utilities.
 */
const UTIL = {
  literalish: 'literalish',
  cliDeclaration: 'cliDeclaration',
  addArgument: 'addArgument',
  setDefaults: 'setDefaults',
  clickOption: 'clickOption',
  ownCallee: 'ownCallee',
  membership: 'membership',
} as const;

const LITERALISH: Rule = { matches: UTIL.literalish };
/** LITERAL_RIGHT, LITERAL_VALUE and LITERAL_POSITIONAL_ARGUMENT through the `literalish` utility. */
const C_LITERAL_RIGHT = literalRight(LITERALISH);
const C_LITERAL_VALUE = literalValue(LITERALISH);
const C_LITERAL_POSITIONAL_ARGUMENT = literalPositionalArgument(LITERALISH);
/** C_LITERAL_POSITIONAL_ARGUMENT, binding the argument list. */
const MARKED_POSITIONAL_ARGUMENT: Rule = {
  has: { ...C_LITERAL_POSITIONAL_ARGUMENT.has, ...mark(CALL_RULE_MARKS.positionalCall) },
};

/** `rule` plus `not: excluded`, when there is something to exclude. */
function unless(rule: Rule, excluded: Rule | undefined): Rule {
  return excluded ? { ...rule, not: excluded } : rule;
}

/**
 * All of PYTHON_RULES as one rule, so a file costs one rule compilation and one tree traversal
 * instead of one per rule (each findAll compiles its rule and walks the whole tree). Node kinds
 * tell the rules apart, except for calls, which carry a mark per rule they match. Two parts are
 * left to the caller, being cheaper in JS than compiled per file: the regexes of
 * `dataclassLikeClass` (class definitions come back with their decorated wrapper bound) and the
 * `constraints` of `getWithDefault`.
 *
 * Compiling it costs about a millisecond per file, most of it in its patterns (each is parsed),
 * so it is built from only the parts that can match the file's text (RULE_PART_TEXTS): the same
 * matches, for a fraction of the compilation and of the work per call node.
 */
function buildCombinedRule(has: RuleParts): NapiConfig {
  const utils: Record<string, Rule> = { [UTIL.literalish]: literalish };
  const util = (name: string, rule: Rule | undefined): Rule | undefined => {
    if (!rule) return undefined;
    utils[name] = rule;
    return { matches: name };
  };
  // Each CLI declaration stands twice: in the test the other call rules exclude, and marked.
  const addArgument = has.addArgument ? util(UTIL.addArgument, PYTHON_RULES.argparseArgument.rule) : undefined;
  const setDefaults = has.setDefaults ? util(UTIL.setDefaults, PYTHON_RULES.argparseSetDefaults.rule) : undefined;
  const clickOption = has.option ? util(UTIL.clickOption, PYTHON_RULES.clickOption.rule) : undefined;
  const declarations = [addArgument, setDefaults, clickOption].filter((r): r is Rule => r !== undefined);
  const cli = util(UTIL.cliDeclaration, declarations.length > 0 ? { any: declarations } : undefined);
  const excludesOwnCallee = util(UTIL.ownCallee, ownCallee(has)) !== undefined;
  // The call rules that may overlap (a call can be positional, named and a `.get` at once), as
  // evaluated on calls that are no CLI declaration: the CLI test, common to positionalCall and
  // namedCall, is done once for all. getWithDefault and membershipCall never match a CLI declaration.
  // Each as [rule, the rule binding its mark]: the positional and named marks bind the argument
  // list and the callee (what their handlers read next), the others the call.
  const otherCallRules: [Rule, Rule][] = [];
  if (has.get) otherCallRules.push([PYTHON_RULES.getWithDefault.rule, marked(PYTHON_RULES.getWithDefault.rule, CALL_RULE_MARKS.getWithDefault)]);
  const membership: Rule[] = [];
  if (has.isin) membership.push({ pattern: '$R.isin($$$)' });
  if (has.between) membership.push({ pattern: '$R.between($$$)' });
  const isMembership = util(UTIL.membership, membership.length > 0 ? { any: membership } : undefined);
  if (isMembership) otherCallRules.push([isMembership, marked(isMembership, CALL_RULE_MARKS.membershipCall)]);
  otherCallRules.push(
    [C_LITERAL_POSITIONAL_ARGUMENT, MARKED_POSITIONAL_ARGUMENT],
    [namedCallee(excludesOwnCallee), namedCallee(excludesOwnCallee, CALL_RULE_MARKS.namedCall)],
  );

  const any: Rule[] = [];
  if (has.class) {
    any.push({
      ...CLASS_BODY_ASSIGNMENT,
      inside: {
        kind: 'expression_statement',
        inside: { kind: 'block', inside: { kind: 'class_definition', field: 'body', pattern: `$${COMBINED_MARKS.classOfAttribute}` } },
      },
    });
  }
  // Not a class-level one (the branch above would have matched first).
  any.push({ kind: 'assignment', ...C_LITERAL_RIGHT });
  if (has.class) {
    any.push(
      { kind: 'class_definition', inside: { kind: 'decorated_definition', pattern: `$${COMBINED_MARKS.decoratedClass}` } },
      { kind: 'class_definition' },
    );
  }
  if (has.def && has.equals) {
    any.push({
      any: [{ kind: 'default_parameter' }, { kind: 'typed_default_parameter' }],
      inside: { kind: 'parameters', inside: { kind: 'function_definition', pattern: `$${COMBINED_MARKS.functionOfParameter}` } },
      ...C_LITERAL_VALUE,
    });
  }
  if (has.equals) {
    any.push({
      kind: 'keyword_argument',
      inside: { kind: 'argument_list', inside: unless({ kind: 'call', pattern: `$${COMBINED_MARKS.callOfKeyword}` }, cli) },
      ...C_LITERAL_VALUE,
    });
  }
  // CLI declarations exclude the other call rules (and each other), so a plain mark is enough.
  if (addArgument) any.push({ kind: 'call', ...marked(addArgument, CALL_RULE_MARKS.argparseArgument) });
  if (setDefaults) any.push({ kind: 'call', ...marked(setDefaults, CALL_RULE_MARKS.argparseSetDefaults) });
  if (clickOption) any.push({ kind: 'call', ...marked(clickOption, CALL_RULE_MARKS.clickOption) });
  any.push(unless({
    kind: 'call',
    all: [
      { any: otherCallRules.map(([rule]) => rule) },
      ...otherCallRules.map(([, markedRule]) => optionalMark(markedRule)),
    ],
  }, cli));
  if (has.import) any.push(PYTHON_RULES.importStatement.rule, PYTHON_RULES.importFrom.rule);
  if (has.brace) any.push(PYTHON_RULES.dictionary.rule);
  any.push({ kind: 'comparison_operator', has: LITERALISH });
  return { rule: { any }, utils };
}

const PARTS = Object.entries(RULE_PART_TEXTS) as [RulePart, string][];
const combinedRules = new Map<string, NapiConfig>();

/** The combined rule for a file with this text (see buildCombinedRule); built once per set of parts. */
export function combinedRuleFor(source: string): NapiConfig {
  let key = '';
  const has = {} as RuleParts;
  for (const [part, text] of PARTS) {
    has[part] = source.includes(text);
    key += has[part] ? '1' : '0';
  }
  let rule = combinedRules.get(key);
  if (!rule) {
    rule = buildCombinedRule(has);
    combinedRules.set(key, rule);
  }
  return rule;
}

/** The combined rule with every part (what combinedRuleFor gives a file that has every text). */
export const PYTHON_COMBINED_RULE: NapiConfig = buildCombinedRule(
  Object.fromEntries(PARTS.map(([part]) => [part, true])) as RuleParts,
);

/** `dataclassLikeClass`'s regexes, applied in JS to the nodes PYTHON_COMBINED_RULE returns. */
export const DATACLASS_DECORATOR_REGEX = new RegExp(DATACLASS_DECORATOR);
export const FIELD_MODEL_BASE_REGEX = new RegExp(FIELD_MODEL_BASE);
/** `getWithDefault`'s constraints: the key is a string, the default looks literal. */
export const LITERAL_KIND_SET: ReadonlySet<string> = new Set(LITERAL_KINDS);
