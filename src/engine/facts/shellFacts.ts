import type { FactSource } from '../model.js';
import type { FactValue } from './fact.js';
import { FactCollector } from './factCollector.js';
import type { ExtractOptions, FactExtraction } from './factCollector.js';
import { parseShell, resolveWord } from './commandLine.js';
import type { ShellWord, Variables } from './commandLine.js';
import { LineIndex } from './lineIndex.js';
import { parseNumberText, scalarFromText } from './numberText.js';

export const MAX_SHELL_FACTS = 2000;

/** Words that start a command without being its program. */
const PREFIX_WORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'nohup', 'exec', 'sudo', 'command', 'builtin']);
const ASSIGNING_BUILTINS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);
/** Commands whose flags say nothing about a model (file handling, package installs, output). */
const UNINTERESTING = new Set([
  'echo', 'printf', 'mkdir', 'rm', 'cp', 'mv', 'cd', 'ls', 'cat', 'tee', 'touch', 'chmod', 'chown', 'ln', 'pip', 'pip3',
  'conda', 'mamba', 'apt', 'apt-get', 'yum', 'brew', 'git', 'wget', 'curl', 'tar', 'unzip', 'zip', 'gzip', 'source', '.',
  'set', 'shift', 'sleep', 'kill', 'wait', 'exit', 'return', 'test', '[', '[[', 'fi', 'done', 'esac', 'case', 'for', 'in',
  'unset', 'trap', 'grep', 'sed', 'awk', 'find', 'xargs', 'head', 'tail', 'sort', 'cut', 'wc', 'date', 'basename',
  'dirname', 'read', 'eval', 'alias', 'module', 'ulimit', 'nvidia-smi', 'huggingface-cli', 'wandb', 'ssh', 'scp', 'rsync',
  'docker', 'hostname', 'scontrol', 'true', 'false', 'pushd', 'popd', 'trap', 'realpath', 'readlink', 'which', 'du', 'df',
]);
/** Launchers whose own flags come first, then the training script and its flags. */
const SCRIPT_LAUNCHERS = new Set(['torchrun', 'deepspeed', 'accelerate', 'torch.distributed.launch', 'torch.distributed.run', 'horovodrun', 'colossalai']);
/** Launchers whose own flags come first, then another command (often `python ...`). */
const COMMAND_LAUNCHERS = new Set(['srun', 'mpirun', 'mpiexec', 'env']);
const SHELLS = new Set(['bash', 'sh', 'zsh']);
const PYTHON = /^python(\d+(\.\d+)?)?$/;
/** Python's own options that take a value (`-W ignore`, `-X dev`). */
const PYTHON_VALUE_OPTIONS = new Set(['-W', '-X', '-c']);

export interface ShellFactOptions extends ExtractOptions {
  /** 'script' for launch scripts; 'text' for commands quoted in docs. */
  source?: FactSource;
  /** Env/variable assignments as facts (launch scripts yes, README snippets no). */
  assignments?: boolean;
}

interface Ctx {
  vars: Variables;
  collector: FactCollector;
  index: LineIndex;
}

function baseName(p: string): string {
  return p.replace(/^\.\//, '').split('/').pop() ?? p;
}

function programName(word: string): string {
  return word.replace(/^\.\//, '');
}

function looksLikeProgram(word: string): boolean {
  return PYTHON.test(baseName(word)) || /\.(py|sh)$/.test(word) || SCRIPT_LAUNCHERS.has(baseName(word)) || COMMAND_LAUNCHERS.has(baseName(word))
    || SHELLS.has(baseName(word));
}

function flagKey(name: string): string {
  return name.replace(/^-+/, '').replace(/-/g, '_');
}

function addFlag(ctx: Ctx, program: string, name: string, value: FactValue, at: ShellWord, valueStart: number, valueEnd: number): void {
  const rawKey = flagKey(name);
  if (rawKey === '' || !/^[A-Za-z_][\w.]*$/.test(rawKey)) return;
  ctx.collector.add({
    rawKey, path: `${program}.${rawKey}`, value, form: 'flag', call: program,
    start: ctx.index.position(valueStart), end: ctx.index.position(valueEnd),
    snippet: ctx.index.snippet(ctx.index.position(at.start).line, ctx.index.position(at.start).column),
  });
}

interface FlagParse {
  /** Index of the first word not consumed (a positional argument), or words.length. */
  stop: number;
}

/**
 * Reads `--flag value`, `--flag=value`, boolean `--flag`, numeric short flags (`-n 8`) from
 * `words[from..]`. With `stopAtPositional`, stops at the first positional word (a launcher's
 * script or command); otherwise positionals are skipped.
 */
function readFlags(ctx: Ctx, program: string, words: ShellWord[], from: number, stopAtPositional: boolean): FlagParse {
  let j = from;
  while (j < words.length) {
    const w = words[j];
    const text = resolveWord(w, ctx.vars);
    if (text === undefined) {
      j++;
      continue;
    }
    if (text === '--') {
      j++;
      continue;
    }
    const isLong = text.startsWith('--') && text.length > 2;
    const isShort = !isLong && text.startsWith('-') && text.length > 1 && parseNumberText(text) === undefined;
    if (!isLong && !isShort) {
      if (stopAtPositional) return { stop: j };
      j++;
      continue;
    }
    const eq = text.indexOf('=');
    if (eq > 0) {
      const name = text.slice(0, eq);
      const valueText = text.slice(eq + 1);
      const rawEq = w.raw.indexOf('=');
      const valueStart = rawEq >= 0 ? w.start + rawEq + 1 : w.start;
      if (isLong || parseNumberText(valueText) !== undefined) addFlag(ctx, program, name, scalarFromText(valueText), w, valueStart, w.end);
      j++;
      continue;
    }
    // Following values: a flag's value does not start with `-` (unless it is a negative number),
    // and in a launcher a script or program word is never a value.
    const values: { word: ShellWord; text: string | undefined }[] = [];
    let k = j + 1;
    while (k < words.length) {
      const next = words[k];
      const nt = resolveWord(next, ctx.vars);
      const known = nt ?? next.raw;
      if (known.startsWith('-') && parseNumberText(known) === undefined) break;
      if (stopAtPositional && looksLikeProgram(known)) break;
      values.push({ word: next, text: nt });
      k++;
      // Several numbers in a row are one list value (`--betas 0.9 0.95`); anything else takes one.
      if (nt === undefined || parseNumberText(nt) === undefined) break;
      const following = words[k] ? resolveWord(words[k], ctx.vars) : undefined;
      if (following === undefined || parseNumberText(following) === undefined) break;
    }
    if (isShort) {
      const first = values[0];
      const num = first?.text !== undefined ? parseNumberText(first.text) : undefined;
      if (first && num !== undefined) {
        addFlag(ctx, program, text, num, w, first.word.start, first.word.end);
        j += 2;
      } else j++;
      continue;
    }
    if (values.length === 0) {
      addFlag(ctx, program, text, true, w, w.start, w.end);
      j++;
      continue;
    }
    if (values.length === 1) {
      const v = values[0];
      if (v.text !== undefined) addFlag(ctx, program, text, scalarFromText(v.text), w, v.word.start, v.word.end);
      j = k;
      continue;
    }
    const nums = values.map((v) => (v.text === undefined ? undefined : parseNumberText(v.text)));
    if (nums.every((x): x is number => x !== undefined)) addFlag(ctx, program, text, nums, w, values[0].word.start, values[values.length - 1].word.end);
    j = k;
  }
  return { stop: words.length };
}

/** A `NAME=value` word: the name and the value's offset within the word. */
function assignmentOf(w: ShellWord): { name: string } | undefined {
  const first = w.parts[0];
  if (!first || first.kind !== 'text') return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  return m ? { name: m[1] } : undefined;
}

function assign(ctx: Ctx, w: ShellWord, emit: boolean): void {
  const a = assignmentOf(w);
  if (!a) return;
  const full = resolveWord(w, ctx.vars);
  const value = full === undefined ? undefined : full.slice(a.name.length + 1);
  ctx.vars.set(a.name, value);
  if (!emit || value === undefined || value === '') return;
  const valueStart = w.start + w.raw.indexOf('=') + 1;
  ctx.collector.add({
    rawKey: a.name, path: `env.${a.name}`, value: scalarFromText(value), form: 'assignment',
    start: ctx.index.position(valueStart), end: ctx.index.position(w.end),
  });
}

/** One invocation starting at words[i]: python scripts and modules, launchers, other programs. */
function readInvocation(ctx: Ctx, words: ShellWord[], i: number, depth: number): void {
  if (i >= words.length || depth > 4) return;
  const first = resolveWord(words[i], ctx.vars);
  if (first === undefined) return;
  const base = baseName(first);
  if (PYTHON.test(base)) {
    let j = i + 1;
    while (j < words.length) {
      const t = resolveWord(words[j], ctx.vars) ?? '';
      if (t === '-m') {
        const module = resolveWord(words[j + 1] ?? words[j], ctx.vars);
        if (module === undefined || j + 1 >= words.length) return;
        if (SCRIPT_LAUNCHERS.has(module)) return readLauncher(ctx, module, words, j + 2, depth);
        readFlags(ctx, module, words, j + 2, false);
        return;
      }
      if (PYTHON_VALUE_OPTIONS.has(t)) {
        if (t === '-c') return;
        j += 2;
        continue;
      }
      if (t.startsWith('-')) {
        j++;
        continue;
      }
      break;
    }
    if (j >= words.length) return;
    const script = resolveWord(words[j], ctx.vars);
    if (script === undefined) return;
    readFlags(ctx, programName(script), words, j + 1, false);
    return;
  }
  if (base === 'accelerate') {
    const sub = resolveWord(words[i + 1] ?? words[i], ctx.vars);
    if (sub === 'launch') return readLauncher(ctx, 'accelerate', words, i + 2, depth);
    return;
  }
  if (SCRIPT_LAUNCHERS.has(base)) return readLauncher(ctx, base, words, i + 1, depth);
  if (COMMAND_LAUNCHERS.has(base)) {
    let j = i + 1;
    if (base === 'env') {
      while (j < words.length && assignmentOf(words[j])) assign(ctx, words[j++], true);
    } else j = readFlags(ctx, base, words, j, true).stop;
    return readInvocation(ctx, words, j, depth + 1);
  }
  if (SHELLS.has(base)) {
    // `bash scripts/train.sh --lr 3e-4`: the flags belong to the script, not to bash.
    const script = words[i + 1] ? resolveWord(words[i + 1], ctx.vars) : undefined;
    if (script === undefined || script.startsWith('-')) return;
    readFlags(ctx, programName(script), words, i + 2, false);
    return;
  }
  if (UNINTERESTING.has(base) || ASSIGNING_BUILTINS.has(base)) return;
  readFlags(ctx, programName(first), words, i + 1, false);
}

/** `torchrun [launcher flags] script.py [script flags]`, also `-m module` as the target. */
function readLauncher(ctx: Ctx, launcher: string, words: ShellWord[], from: number, depth: number): void {
  const moduleFlag = words.findIndex((w, idx) => idx >= from && ['-m', '--module'].includes(resolveWord(w, ctx.vars) ?? ''));
  const { stop } = readFlags(ctx, launcher, moduleFlag >= 0 ? words.slice(0, moduleFlag) : words, from, true);
  if (moduleFlag >= 0 && stop >= moduleFlag) {
    const module = resolveWord(words[moduleFlag + 1] ?? words[moduleFlag], ctx.vars);
    if (module !== undefined && moduleFlag + 1 < words.length) readFlags(ctx, module, words, moduleFlag + 2, false);
    return;
  }
  if (stop >= words.length) return;
  const target = resolveWord(words[stop], ctx.vars);
  if (target === undefined) return;
  if (PYTHON.test(baseName(target)) || COMMAND_LAUNCHERS.has(baseName(target))) return readInvocation(ctx, words, stop, depth + 1);
  readFlags(ctx, programName(target), words, stop + 1, false);
}

/** `#SBATCH --gres=gpu:8` lines: scheduler requests, the one kind of comment that is configuration. */
function sbatchDirectives(ctx: Ctx, text: string): void {
  const re = /^[ \t]*#SBATCH[ \t]+(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const bodyStart = m.index + m[0].length - m[1].length;
    const masked = ' '.repeat(bodyStart) + m[1];
    for (const cmd of parseShell(masked)) readFlags(ctx, 'sbatch', cmd.words, 0, false);
  }
}

function interpret(ctx: Ctx, text: string, emitAssignments: boolean): void {
  for (const cmd of parseShell(text)) {
    if (ctx.collector.full) return;
    const words = cmd.words;
    let i = 0;
    while (i < words.length && PREFIX_WORDS.has(words[i].raw)) i++;
    while (i < words.length && assignmentOf(words[i])) assign(ctx, words[i++], emitAssignments);
    if (i >= words.length) continue;
    if (ASSIGNING_BUILTINS.has(words[i].raw)) {
      for (let j = i + 1; j < words.length; j++) assign(ctx, words[j], emitAssignments);
      continue;
    }
    readInvocation(ctx, words, i, 0);
  }
}

/**
 * Launch scripts: flags of every training invocation (`<program>.<flag>`, call = program),
 * launcher settings (`torchrun.nproc_per_node`), variable assignments (`env.LR`), `#SBATCH`
 * directives. Variables assigned earlier in the script are substituted; unknown ones drop the fact.
 */
export function extractShellFacts(relPath: string, text: string, options?: ShellFactOptions): FactExtraction {
  const warnings: string[] = [];
  const index = new LineIndex(text);
  const collector = new FactCollector(relPath, index, options?.source ?? 'script', options?.flags, warnings, MAX_SHELL_FACTS);
  const ctx: Ctx = { vars: new Map(), collector, index };
  interpret(ctx, text, options?.assignments ?? true);
  sbatchDirectives(ctx, text);
  return { facts: collector.facts, warnings };
}
