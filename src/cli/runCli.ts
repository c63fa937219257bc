import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { runPipeline, type PipelineSink } from '../engine/pipeline.js';
import { CardLoadError } from '../engine/card/cardLoadError.js';
import { loadCard } from '../engine/card/loadCard.js';
import { createReportWriter, type ReportWriter } from '../engine/report/reportBuilder.js';
import type { EngineOptionsInput } from '../engine/options.js';
import { llmOptionsFromCli } from '../engine/llm/llmOptions.js';
import { ClaimDelta, type BaselineClaim } from '../engine/delta/claimDelta.js';
import { BaselineError, readBaselineReport, toBaselineClaim } from '../engine/delta/baselineClaims.js';
import { BaselineStore } from '../engine/delta/baselineStore.js';
import { parseCliArgs, USAGE, UsageError, type VerifyCommand } from './args.js';
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exitCodes.js';
import { ProgressBar } from './progressBar.js';
import packageJson from '../../package.json';

/** Warnings echoed on stderr before the rest are left to the report. */
const MAX_STDERR_WARNINGS = 20;

/** A problem with the user's input (not a bug): reported as `cardcheck: PATH: problem`, exit 2. */
class InputError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
  }
}

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  let cmd;
  try {
    cmd = parseCliArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`cardcheck: ${err.message}\nRun 'cardcheck --help' for usage.\n`);
      return ExitCode.Usage;
    }
    throw err;
  }
  if (cmd.kind === 'help') {
    io.stdout.write(USAGE);
    return ExitCode.Ok;
  }
  if (cmd.kind === 'version') {
    io.stdout.write(`${packageJson.version}\n`);
    return ExitCode.Ok;
  }
  try {
    return await verify(cmd, io);
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr.write(`cardcheck: ${err.message}\n`);
      return ExitCode.Usage;
    }
    throw err;
  }
}

/** Paths as the user sees them: relative to the current directory when under it. */
function shown(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel.split(sep).join('/');
}

async function checkWorkspace(cwd: string, dir: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new InputError(shown(cwd, dir), 'the workspace is not a directory');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(shown(cwd, dir), 'workspace not found');
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(shown(cwd, dir), 'the workspace cannot be read (permission denied)');
    throw new InputError(shown(cwd, dir), `the workspace cannot be read (${(err as Error).message})`);
  }
}

/** The report file is written to a temporary sibling and renamed when complete, so a reader never sees half a report. */
class ReportFile {
  readonly stream: WriteStream;
  private readonly temp: string;

  private constructor(private readonly target: string) {
    this.temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
    this.stream = createWriteStream(this.temp, { flags: 'wx' });
  }

  static async open(cwd: string, target: string): Promise<ReportFile> {
    const dir = dirname(target);
    try {
      const info = await stat(dir);
      if (!info.isDirectory()) throw new InputError(shown(cwd, target), `cannot write the report: ${shown(cwd, dir)} is not a directory`);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(shown(cwd, target), `cannot write the report: folder ${shown(cwd, dir)} not found`);
    }
    try {
      const existing = await stat(target);
      if (existing.isDirectory()) throw new InputError(shown(cwd, target), 'cannot write the report: it is a directory');
    } catch (err) {
      if (err instanceof InputError) throw err;
    }
    const file = new ReportFile(target);
    await new Promise<void>((ok, fail) => {
      file.stream.once('open', () => ok());
      file.stream.once('error', (e) => fail(new InputError(shown(cwd, target), `cannot write the report (${e.message})`)));
    });
    return file;
  }

  private async closeStream(): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((ok) => {
      this.stream.once('close', () => ok());
      this.stream.end();
    });
  }

  async commit(): Promise<void> {
    await this.closeStream();
    await rename(this.temp, this.target);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await this.closeStream().catch(() => undefined);
    await unlink(this.temp).catch(() => undefined);
  }
}

async function verify(cmd: VerifyCommand, io: CliIo): Promise<ExitCodeValue> {
  // The key stays out of `options` (which reports may echo); it travels beside them.
  let llm: ReturnType<typeof llmOptionsFromCli>;
  try {
    llm = llmOptionsFromCli(cmd.llm ?? {}, io.env);
  } catch (err) {
    throw new InputError('environment', err instanceof Error ? err.message : String(err));
  }
  const cardAbs = resolve(io.cwd, cmd.card);
  const workspaceAbs = resolve(io.cwd, cmd.workspace ?? dirname(cardAbs));
  await checkWorkspace(io.cwd, workspaceAbs);
  const comparison = await loadComparison(cmd, io.cwd, cardAbs);
  const decided: BaselineClaim[] = [];

  const reportFile = cmd.out !== undefined ? await ReportFile.open(io.cwd, resolve(io.cwd, cmd.out)) : undefined;
  const out: NodeJS.WritableStream = reportFile?.stream ?? io.stdout;
  if (cmd.cardText && cmd.format === 'text') await writeCardText(cardAbs, shown(io.cwd, cardAbs), out);
  const wsRel = relative(io.cwd, workspaceAbs);
  const workspaceUnderCwd = !wsRel.startsWith('..') && !isAbsolute(wsRel);
  const writer: ReportWriter = createReportWriter(cmd.format, out, {
    workspaceRoot: workspaceAbs,
    cardFile: cardAbs,
    // SARIF viewers resolve URIs against the checkout (usually where CI runs us); text paths are clickable from here.
    baseDir: cmd.format === 'sarif' && !workspaceUnderCwd ? workspaceAbs : io.cwd,
    workspaceDisplay: shown(io.cwd, workspaceAbs),
    color: cmd.format === 'text' && reportFile === undefined ? Boolean(io.stdout.isTTY) && !io.env.NO_COLOR : false,
    toolVersion: packageJson.version,
    toolInformationUri: packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, ''),
  });

  // A bar on the terminal that also shows a streamed report would cut into its lines; the text
  // report is written only at the end, after the bar is gone.
  const reportOnTerminal = reportFile === undefined && Boolean(io.stdout.isTTY) && cmd.format !== 'text';
  const bar = io.stderr.isTTY && !cmd.quiet && !reportOnTerminal ? new ProgressBar(io.stderr) : undefined;
  // Text on a terminal already lists the warnings; elsewhere (json on stdout, --out) say them on stderr.
  const echoWarnings = !cmd.quiet && (cmd.format !== 'text' || reportFile !== undefined || !io.stdout.isTTY);
  let warningsEchoed = 0;
  let reportStarted = false;
  const sink: PipelineSink = {
    start(card) {
      reportStarted = true;
      void writer.start(card);
    },
    progress(p) {
      bar?.update(p);
      void writer.progress(p);
    },
    claim(c) {
      reportStarted = true;
      if (comparison.store) decided.push(toBaselineClaim(c));
      return writer.claim(comparison.delta ? comparison.delta.annotate(c) : c);
    },
    warning(w) {
      void writer.warning(w);
      if (!echoWarnings) return;
      warningsEchoed++;
      const line = warningsEchoed <= MAX_STDERR_WARNINGS
        ? `cardcheck: warning: ${w.path ? `${w.path}: ` : ''}${w.message}\n`
        : warningsEchoed === MAX_STDERR_WARNINGS + 1 ? 'cardcheck: more warnings are listed in the report\n' : '';
      if (line) (bar ? bar.interrupt(() => io.stderr.write(line)) : io.stderr.write(line));
    },
  };

  const abort = new AbortController();
  const onSignal = (): void => {
    if (abort.signal.aborted) process.exit(ExitCode.Interrupted);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const options: EngineOptionsInput = { include: cmd.include, exclude: cmd.exclude };
  if (cmd.maxFileBytes !== undefined) options.maxFileBytes = cmd.maxFileBytes;
  if (llm.options) options.llm = llm.options;
  if (cmd.cacheDir !== undefined) options.cacheDir = resolve(io.cwd, cmd.cacheDir);

  try {
    const result = await runPipeline({ cardPath: cardAbs, workspaceRoot: workspaceAbs, options, llmApiKey: llm.apiKey }, sink, abort.signal);
    if (!reportStarted) await writer.start(result.card);
    bar?.clear();
    await writer.end(result.summary, result.stats, comparison.delta?.summary());
    await reportFile?.commit();
    // Only a complete run is remembered: a cancelled one would make claims look removed next time.
    await comparison.store?.save(cardAbs, decided).catch((err: unknown) => {
      if (!cmd.quiet) io.stderr.write(`cardcheck: warning: could not remember this run's verdicts in ${shown(io.cwd, resolve(io.cwd, cmd.cacheDir ?? ''))} (${err instanceof Error ? err.message : String(err)})\n`);
    });
    return exitCodeFor(result.summary, cmd.failOn);
  } catch (err) {
    bar?.clear();
    const failure = describeFailure(err, io.cwd, abort.signal.aborted);
    // Keep what was decided: a report already under way is closed with the error in it.
    if (reportStarted || cmd.format === 'ndjson') {
      await writer.abort({ message: failure.message, ...(failure.path !== undefined ? { path: failure.path } : {}) });
      await reportFile?.commit();
    } else {
      await reportFile?.discard();
    }
    io.stderr.write(`cardcheck: ${failure.line}\n`);
    if (failure.code === ExitCode.Internal && err instanceof Error && err.stack && io.env.CARDCHECK_DEBUG) io.stderr.write(`${err.stack}\n`);
    return failure.code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * What the run is compared with: the --baseline report, else the card's previous run remembered
 * in --cache-dir (if any). A bad baseline file is the user's input error.
 */
async function loadComparison(cmd: VerifyCommand, cwd: string, cardAbs: string): Promise<{ delta?: ClaimDelta; store?: BaselineStore }> {
  const store = cmd.cacheDir !== undefined ? new BaselineStore(resolve(cwd, cmd.cacheDir)) : undefined;
  if (cmd.baseline !== undefined) {
    const file = resolve(cwd, cmd.baseline);
    try {
      return { delta: new ClaimDelta(await readBaselineReport(file), shown(cwd, file)), ...(store ? { store } : {}) };
    } catch (err) {
      if (err instanceof BaselineError) throw new InputError(shown(cwd, file), err.problem);
      throw err;
    }
  }
  const previous = await store?.load(cardAbs);
  if (!previous) return store ? { store } : {};
  return { delta: new ClaimDelta(previous.claims, `the previous run (${new Date(previous.savedAt).toISOString()})`), store: store as BaselineStore };
}

interface Failure {
  code: ExitCodeValue;
  message: string;
  path?: string;
  line: string;
}

function isCardLoadError(err: unknown): err is CardLoadError {
  return err instanceof CardLoadError || (err instanceof Error && err.name === 'CardLoadError' && typeof (err as { path?: unknown }).path === 'string');
}

function describeFailure(err: unknown, cwd: string, aborted: boolean): Failure {
  if (aborted) return { code: ExitCode.Interrupted, message: 'interrupted', line: 'interrupted' };
  if (isCardLoadError(err)) {
    const path = shown(cwd, resolve(cwd, err.path));
    const prefix = `Cannot load model card ${err.path}: `;
    const problem = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return { code: ExitCode.Usage, message: problem, path, line: `${path}: ${problem}` };
  }
  if (err instanceof InputError) return { code: ExitCode.Usage, message: err.problem, path: err.path, line: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: ExitCode.Internal, message, line: `internal error: ${message}` };
}

/** The card as the engine reads it, numbered: report ranges of a .docx refer to these lines. */
async function writeCardText(cardAbs: string, display: string, out: NodeJS.WritableStream): Promise<void> {
  let doc;
  try {
    doc = await loadCard(cardAbs);
  } catch {
    return; // the verification itself reports the card's problem
  }
  const width = String(doc.lines.length).length;
  out.write(`${display} as read (${doc.format}):\n`);
  doc.lines.forEach((line, i) => out.write(`${String(i + 1).padStart(width)}  ${line}\n`));
  out.write('\n');
}
