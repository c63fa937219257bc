import { parseArgs } from 'node:util';
import { z } from 'zod';
import { FAIL_ON_LEVELS, type FailOn } from './exitCodes.js';
import { REPORT_FORMATS, type ReportFormat } from '../engine/report/reportBuilder.js';
import { LLM_CLI_PARSE_OPTIONS, LLM_CLI_USAGE, llmOptionsFromCli, type LlmCliFlags } from '../engine/llm/llmOptions.js';

export const USAGE = `Usage: cardcheck verify CARD [options]
       cardcheck --help | --version

Checks the claims of a model card (Markdown or DOCX) against the code, configs,
notebooks and results of a workspace, and reports each claim as supported,
contradicted or unverified, with evidence.

Options:
  -w, --workspace DIR      the folder the card describes (default: the card's folder)
  -f, --format FORMAT      text | json | sarif | ndjson (default: text)
  -o, --out FILE           write the report to FILE instead of standard output
      --fail-on LEVEL      contradicted | unverified | never (default: contradicted)
      --max-file-size N    skip workspace files larger than N bytes; 500KB, 2MB... (default: 2MB)
      --include GLOB       also read files matching GLOB (repeatable)
      --exclude GLOB       skip files matching GLOB (repeatable)
      --card-text          with --format text: first print the card as CardCheck reads it,
                           numbered (for .docx, the extracted text report ranges refer to)
      --cache-dir DIR      keep the facts of each file in DIR: a re-run reads only what
                           changed, decides again only the claims an edit can affect, and
                           reports which claims changed since the card's last run
      --baseline FILE      a JSON (or ndjson) report of an earlier run: mark the claims whose
                           verdict changed since then, and why
  -q, --quiet              no progress bar and no warnings on standard error
  -h, --help               show this help
  -V, --version            show the version

${LLM_CLI_USAGE}
Exit status: 0 done; 1 the --fail-on level was reached; 2 usage or input error;
3 internal error; 130 interrupted.
`;

/** Bad command line: the message says what is wrong; the caller adds a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface VerifyCommand {
  kind: 'verify';
  card: string;
  workspace?: string;
  format: ReportFormat;
  out?: string;
  failOn: FailOn;
  maxFileBytes?: number;
  include: string[];
  exclude: string[];
  quiet: boolean;
  cardText: boolean;
  /** Fact cache folder (and memory of each card's previous verdicts). */
  cacheDir?: string;
  /** Report of an earlier run to compare with. */
  baseline?: string;
  /** The LLM flags as given; turned into options (with OPENAI_API_KEY from the environment) by llmOptionsFromCli. */
  llm?: LlmCliFlags;
}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | VerifyCommand;

const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

/** "2MB", "500kb", "1.5 MiB", "1048576" → bytes (binary multiples, as file managers show sizes). */
export function parseByteSize(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(s);
  if (!m) return undefined;
  const unit = BYTE_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * unit);
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

const oneOf = (flag: string, values: readonly string[]) => ({
  error: (issue: { input?: unknown }) => `${flag} must be one of ${values.join(', ')} (got ${JSON.stringify(issue.input)})`,
});

const VerifyFlagsSchema = z.object({
  workspace: z.string().min(1, '--workspace needs a folder').optional(),
  format: z.enum(REPORT_FORMATS as [ReportFormat, ...ReportFormat[]], oneOf('--format', REPORT_FORMATS)).default('text'),
  out: z.string().min(1, '--out needs a file name').optional(),
  'fail-on': z.enum(FAIL_ON_LEVELS, oneOf('--fail-on', FAIL_ON_LEVELS)).default('contradicted'),
  'max-file-size': z
    .string()
    .transform((s, ctx) => {
      const n = parseByteSize(s);
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message: `--max-file-size must be a size such as 2MB, 500KB or 1048576 (got ${JSON.stringify(s)})` });
        return z.NEVER;
      }
      return n;
    })
    .optional(),
  include: z.array(z.string().min(1, '--include needs a glob')).default([]),
  exclude: z.array(z.string().min(1, '--exclude needs a glob')).default([]),
  quiet: z.boolean().default(false),
  'card-text': z.boolean().default(false),
  'cache-dir': z.string().min(1, '--cache-dir needs a folder').optional(),
  baseline: z.string().min(1, '--baseline needs a report file').optional(),
  llm: z.boolean().optional(),
  'llm-base-url': z.string().optional(),
  'llm-model': z.string().optional(),
  'llm-max-requests': z.string().optional(),
  'llm-cache': z.string().optional(),
  'llm-stream': z.boolean().optional(),
  help: z.boolean().default(false),
  version: z.boolean().default(false),
});

/** Parses the command line (without `node` and the script). Throws UsageError on bad input. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof runParseArgs>;
  try {
    parsed = runParseArgs(argv);
  } catch (err) {
    throw new UsageError(parseArgsMessage(err));
  }
  const flags = VerifyFlagsSchema.safeParse(parsed.values);
  if (!flags.success) throw new UsageError(flags.error.issues.map((i) => i.message).join('; '));
  const f = flags.data;
  if (f.help) return { kind: 'help' };
  if (f.version) return { kind: 'version' };

  const [command, ...rest] = parsed.positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (command !== 'verify') {
    const hint = /\.(md|markdown|docx|txt)$/i.test(command) ? ` (did you mean: cardcheck verify ${command})` : '';
    throw new UsageError(`unknown command "${command}"${hint}`);
  }
  if (rest.length === 0) throw new UsageError('verify needs the path of a model card');
  if (rest.length > 1) throw new UsageError(`verify takes one card, got ${rest.length}: ${rest.join(' ')}`);

  const cmd: VerifyCommand = {
    kind: 'verify',
    card: rest[0],
    format: f.format,
    failOn: f['fail-on'],
    include: f.include,
    exclude: f.exclude,
    quiet: f.quiet,
    cardText: f['card-text'],
  };
  const llm = llmFlags(f);
  if (llm) cmd.llm = llm;
  if (f.workspace !== undefined) cmd.workspace = f.workspace;
  if (f.out !== undefined) cmd.out = f.out;
  if (f['max-file-size'] !== undefined) cmd.maxFileBytes = f['max-file-size'];
  if (f['cache-dir'] !== undefined) cmd.cacheDir = f['cache-dir'];
  if (f.baseline !== undefined) cmd.baseline = f.baseline;
  return cmd;
}

function llmFlags(f: LlmCliFlags): LlmCliFlags | undefined {
  const flags: LlmCliFlags = {};
  for (const k of ['llm', 'llm-base-url', 'llm-model', 'llm-max-requests', 'llm-cache', 'llm-stream'] as const) {
    if (f[k] !== undefined) Object.assign(flags, { [k]: f[k] });
  }
  if (Object.keys(flags).length === 0) return undefined;
  try {
    // Flag shapes are checked here; the environment (OPENAI_*) is read when the run starts.
    llmOptionsFromCli(flags, {});
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return flags;
}

function runParseArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      workspace: { type: 'string', short: 'w' },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      'max-file-size': { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
      'card-text': { type: 'boolean' },
      'cache-dir': { type: 'string' },
      baseline: { type: 'string' },
      ...LLM_CLI_PARSE_OPTIONS,
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  });
}

/** node:util's messages mention internals ("To specify an option argument starting with..."); keep the first sentence. */
function parseArgsMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const option = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-\w, /, '').replace(/ <value>$/, '');
    return /argument missing/.test(message) ? `${name} needs a value` : `${name} takes no value`;
  }
  return message.split('\n')[0];
}
