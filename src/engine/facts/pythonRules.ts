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

/** Calls whose arguments are CLI declarations, reported as `default` facts instead of keyword/positional ones. */
const CLI_DECLARATION_CALL: Rule = {
  any: [
    { pattern: '$P.add_argument($$$)' },
    { pattern: '$P.set_defaults($$$)' },
    { pattern: 'click.option($$$)', inside: { kind: 'decorator' } },
    { pattern: 'option($$$)', inside: { kind: 'decorator' } },
  ],
};

/** A call with at least one literal-looking positional argument (positionalCall without the CLI test). */
const LITERAL_POSITIONAL_ARGUMENT: Rule = { has: { field: 'arguments', kind: 'argument_list', has: literalish } };

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
  assignment: config({ kind: 'assignment', not: CLASS_BODY_ASSIGNMENT }),
  /** Class-level assignments: `class Config: lr = 3e-4` → `Config.lr`. */
  classAttribute: config(CLASS_BODY_ASSIGNMENT),
  /** Classes whose class-level assignments are field defaults (@dataclass, attrs, pydantic). */
  dataclassLikeClass: config(DATACLASS_LIKE_CLASS),
  /** `def __init__(self, dropout: float = 0.5)`. */
  parameterDefault: config({
    any: [{ kind: 'default_parameter' }, { kind: 'typed_default_parameter' }],
    inside: { kind: 'parameters', inside: { kind: 'function_definition' } },
  }),
  /** `f(x=3)`, outside CLI declarations. */
  keywordArgument: config({
    kind: 'keyword_argument',
    inside: { kind: 'argument_list', inside: { kind: 'call', not: CLI_DECLARATION_CALL } },
  }),
  /** Calls with at least one literal-looking positional argument. */
  positionalCall: config({ kind: 'call', not: CLI_DECLARATION_CALL, ...LITERAL_POSITIONAL_ARGUMENT }),
  /** Constructors and API calls: a CamelCase callee or any dotted call. */
  namedCall: config({ kind: 'call', not: CLI_DECLARATION_CALL, ...NAMED_CALLEE }),
  importStatement: config({ kind: 'import_statement' }),
  importFrom: config({ kind: 'import_from_statement' }),
  argparseArgument: config({ pattern: '$P.add_argument($$$ARGS)' }),
  argparseSetDefaults: config({ pattern: '$P.set_defaults($$$ARGS)' }),
  clickOption: config({
    any: [{ pattern: 'click.option($$$)' }, { pattern: 'option($$$)' }],
    inside: { kind: 'decorator' },
  }),
  /** `cfg.get('lr', 3e-4)` and `getattr(args, 'lr', 3e-4)`: a fallback value for a named setting. */
  getWithDefault: {
    rule: { any: [{ pattern: '$O.get($KEY, $DEFAULT)' }, { pattern: 'getattr($O, $KEY, $DEFAULT)' }] },
    constraints: { KEY: { kind: 'string' }, DEFAULT: literalish },
  } satisfies NapiConfig,
  /** Outermost dict displays (nested ones are walked from their parent for the path). */
  dictionary: config({ kind: 'dictionary', not: { inside: { kind: 'pair', field: 'value' } } }),
  comparison: config({ kind: 'comparison_operator' }),
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
 * Metavariables of PYTHON_COMBINED_RULE. `CTX_*` bind an ancestor a handler needs (walking up
 * with `parent()` costs a native call per step); `ON_*` mark which of the overlapping call rules
 * a call matched.
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

/** `rule` marked with `$MARK` when it matches; always matches a call, so it never filters. */
function optionalMark(rule: Rule, name: string): Rule {
  return { any: [{ all: [rule, mark(name)] }, { kind: 'call' }] };
}

/**
 * The call rules that may overlap (a call can be positional, named and a `.get` at once), as
 * evaluated on calls that are no CLI declaration: the CLI test, common to positionalCall and
 * namedCall, is done once for all. getWithDefault and membershipCall never match a CLI declaration.
 */
const OTHER_CALL_RULES: [Rule, string][] = [
  [PYTHON_RULES.getWithDefault.rule, CALL_RULE_MARKS.getWithDefault],
  [PYTHON_RULES.membershipCall.rule, CALL_RULE_MARKS.membershipCall],
  [LITERAL_POSITIONAL_ARGUMENT, CALL_RULE_MARKS.positionalCall],
  [NAMED_CALLEE, CALL_RULE_MARKS.namedCall],
];

/**
 * All of PYTHON_RULES as one rule, so a file costs one rule compilation and one tree traversal
 * instead of one per rule (each findAll compiles its rule and walks the whole tree). Node kinds
 * tell the rules apart, except for calls, which carry a mark per rule they match. Two parts are
 * left to the caller, being cheaper in JS than compiled per file: the regexes of
 * `dataclassLikeClass` (class definitions come back with their decorated wrapper bound) and the
 * `constraints` of `getWithDefault`. A test checks it selects exactly what PYTHON_RULES select.
 */
export const PYTHON_COMBINED_RULE: NapiConfig = {
  rule: {
    any: [
      {
        ...CLASS_BODY_ASSIGNMENT,
        inside: {
          kind: 'expression_statement',
          inside: { kind: 'block', inside: { kind: 'class_definition', field: 'body', pattern: `$${COMBINED_MARKS.classOfAttribute}` } },
        },
      },
      // Not a class-level one (the branch above would have matched first).
      { kind: 'assignment' },
      { kind: 'class_definition', inside: { kind: 'decorated_definition', pattern: `$${COMBINED_MARKS.decoratedClass}` } },
      { kind: 'class_definition' },
      {
        any: [{ kind: 'default_parameter' }, { kind: 'typed_default_parameter' }],
        inside: { kind: 'parameters', inside: { kind: 'function_definition', pattern: `$${COMBINED_MARKS.functionOfParameter}` } },
      },
      {
        kind: 'keyword_argument',
        inside: { kind: 'argument_list', inside: { kind: 'call', not: CLI_DECLARATION_CALL, pattern: `$${COMBINED_MARKS.callOfKeyword}` } },
      },
      // CLI declarations exclude the other call rules (and each other), so a plain mark is enough.
      { all: [PYTHON_RULES.argparseArgument.rule, mark(CALL_RULE_MARKS.argparseArgument)] },
      { all: [PYTHON_RULES.argparseSetDefaults.rule, mark(CALL_RULE_MARKS.argparseSetDefaults)] },
      { all: [PYTHON_RULES.clickOption.rule, mark(CALL_RULE_MARKS.clickOption)] },
      {
        kind: 'call',
        not: CLI_DECLARATION_CALL,
        all: [
          { any: OTHER_CALL_RULES.map(([rule]) => rule) },
          ...OTHER_CALL_RULES.map(([rule, marked]) => optionalMark(rule, marked)),
        ],
      },
      PYTHON_RULES.importStatement.rule,
      PYTHON_RULES.importFrom.rule,
      PYTHON_RULES.dictionary.rule,
      PYTHON_RULES.comparison.rule,
    ],
  },
};

/** `dataclassLikeClass`'s regexes, applied in JS to the nodes PYTHON_COMBINED_RULE returns. */
export const DATACLASS_DECORATOR_REGEX = new RegExp(DATACLASS_DECORATOR);
export const FIELD_MODEL_BASE_REGEX = new RegExp(FIELD_MODEL_BASE);
/** `getWithDefault`'s constraints: the key is a string, the default looks literal. */
export const LITERAL_KIND_SET: ReadonlySet<string> = new Set(LITERAL_KINDS);
