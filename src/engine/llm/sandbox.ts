import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSSyncVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import * as singleFileVariant from '@jitl/quickjs-singlefile-cjs-release-sync';

/**
 * A QuickJS sandbox for the code an LLM writes. Every step gets a fresh runtime with a memory
 * limit, a stack limit and a deadline; the guest sees no `require`, `process`, `fetch` or file
 * system, only the host functions a step is given (see sandboxTools.ts).
 *
 * Known QuickJS trap (DEPENDENCIES.md): disposing a runtime after an out-of-memory error can abort
 * the WASM module, so after a step that hit a limit the runtime is abandoned together with its
 * module and the next step loads a fresh module (about 25 ms).
 */

export interface StepLimits {
  /** Wall-clock budget of one step, guest code and host tools together. */
  timeMs: number;
  memoryBytes: number;
  /** Guest stack; 256 KB keeps deep recursion a guest error (512 KB let it escape as a host RangeError). */
  stackBytes?: number;
  /** Characters of printed output and of the result kept for the model. */
  maxOutputChars?: number;
}

export type StepErrorKind = 'timeout' | 'memory' | 'stack' | 'forbidden' | 'syntax' | 'runtime' | 'tool' | 'internal';

export interface StepError {
  kind: StepErrorKind;
  /** Says what stopped the step, in words the model (and a user reading a trace) can act on. */
  message: string;
}

export interface StepOutcome {
  ok: boolean;
  /** The step's value as JSON text (or `undefined`), truncated. */
  value?: string;
  /** What the code printed, truncated. */
  output: string;
  error?: StepError;
  ms: number;
}

/**
 * What the host offers a step. `call` answers a named tool with JSON-safe data or throws a
 * ToolError; `text` hands the guest a file's text (for grep, which runs inside the guest so a
 * hostile regular expression is stopped by the deadline, not run on the host).
 */
export interface HostBridge {
  call(name: string, args: unknown[], deadline: number): unknown;
  text(path: string, deadline: number): string | undefined;
  /** Tool names defined as guest globals, each a thin wrapper over `call`. */
  toolNames: readonly string[];
  /** Guest JavaScript defining further globals over the primitives (`grep` over `__text`). */
  guestPrelude?: string;
}

/** A tool's failure the model can correct (bad arguments, unknown file): becomes a guest exception. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}

/** The host noticed the step's deadline inside a tool. */
class DeadlineError extends Error {}

const DEFAULT_STACK = 256 << 10;
const DEFAULT_OUTPUT = 6000;
const FORBIDDEN_GLOBALS = ['require', 'process', 'fetch', 'XMLHttpRequest', 'WebSocket', 'Deno', 'Bun', 'std', 'os', 'module', 'exports', '__dirname', '__filename', 'global', 'Buffer', 'setTimeout', 'setInterval'];

/** What the module needs before any runtime exists (its static data and stack); emscripten's INITIAL_MEMORY. */
const MODULE_BASE_BYTES = 16 << 20;
const MODULE_SLACK_BYTES = 8 << 20;
const WASM_PAGE = 65536;

/** Node has WebAssembly at run time; the project's lib settings only declare its types. */
type WasmMemoryType = Extract<NonNullable<Parameters<typeof newVariant>[1]['wasmMemory']>, { buffer: unknown }>;
const WasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => WasmMemoryType } }).WebAssembly.Memory;

let current: { memoryBytes: number; module: Promise<QuickJSWASMModule> } | undefined;

function variant(): QuickJSSyncVariant {
  // The CJS module's default export arrives as `.default` under esbuild and Node, or as the module itself under some loaders.
  const m = singleFileVariant as unknown as { default?: QuickJSSyncVariant } & QuickJSSyncVariant;
  return m.default ?? m;
}

/**
 * The module, with a WebAssembly memory whose maximum is the step's memory limit (plus the
 * module's own base). This cap is what really bounds a step: QuickJS's own `setMemoryLimit`
 * counts allocations, not their sizes, in this build (malloc_usable_size is unavailable under
 * emscripten), so a loop of large strings or buffers sails past it up to the 2 GB WASM ceiling.
 */
function quickJs(memoryBytes: number): Promise<QuickJSWASMModule> {
  if (current?.memoryBytes !== memoryBytes) {
    const maximum = Math.ceil((MODULE_BASE_BYTES + memoryBytes + MODULE_SLACK_BYTES) / WASM_PAGE);
    const capped = newVariant(variant(), {
      wasmMemory: () => Promise.resolve(new WasmMemory({ initial: MODULE_BASE_BYTES / WASM_PAGE, maximum })),
    });
    current = { memoryBytes, module: newQuickJSWASMModuleFromVariant(capped) };
  }
  return current.module;
}

/** Drops the module so its WASM memory (and any abandoned runtime in it) is garbage collected. */
function discardModule(module: QuickJSWASMModule): void {
  const held = current;
  void held?.module.then((m) => {
    if (m === module && current === held) current = undefined;
  });
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… [${s.length - max} more characters cut]`;
}

/**
 * Runs one step of generated code. Never throws for anything the guest does: every failure comes
 * back as a StepError.
 */
export async function runStep(code: string, host: HostBridge, limits: StepLimits): Promise<StepOutcome> {
  const module = await quickJs(limits.memoryBytes);
  const started = Date.now();
  const deadline = started + limits.timeMs;
  const maxOut = limits.maxOutputChars ?? DEFAULT_OUTPUT;
  let printed = '';
  let printedCut = false;
  let rt: QuickJSRuntime | undefined;
  let ctx: QuickJSContext | undefined;
  let poisoned = false;
  const finish = (o: Omit<StepOutcome, 'ms' | 'output'>): StepOutcome => ({ ...o, output: printedCut ? `${printed}… [output cut]` : printed, ms: Date.now() - started });
  try {
    rt = module.newRuntime();
    rt.setMemoryLimit(limits.memoryBytes);
    rt.setMaxStackSize(limits.stackBytes ?? DEFAULT_STACK);
    rt.setInterruptHandler(() => Date.now() > deadline);
    ctx = rt.newContext();
    const c = ctx;
    let hostFailure: StepError | undefined;

    const callFn = c.newFunction('__call', (nameH: QuickJSHandle, argsH: QuickJSHandle) => {
      const name = c.getString(nameH);
      let args: unknown[];
      try {
        const parsed: unknown = JSON.parse(c.getString(argsH));
        args = Array.isArray(parsed) ? parsed : [];
      } catch {
        args = [];
      }
      try {
        if (Date.now() > deadline) throw new DeadlineError();
        const value = host.call(name, args, deadline);
        return c.newString(JSON.stringify({ ok: true, value: value ?? null }));
      } catch (err) {
        if (err instanceof DeadlineError) {
          hostFailure = { kind: 'timeout', message: timeMessage(limits.timeMs) };
          throw new Error('interrupted');
        }
        if (err instanceof ToolError) return c.newString(JSON.stringify({ ok: false, error: `${name}: ${err.message}` }));
        hostFailure = { kind: 'internal', message: `the ${name} tool failed inside CardCheck: ${err instanceof Error ? err.message : String(err)}` };
        throw new Error(hostFailure.message);
      }
    });
    c.setProp(c.global, '__call', callFn);
    callFn.dispose();
    const textFn = c.newFunction('__text', (pathH: QuickJSHandle) => {
      const p = c.getString(pathH);
      if (Date.now() > deadline) {
        hostFailure = { kind: 'timeout', message: timeMessage(limits.timeMs) };
        throw new Error('interrupted');
      }
      const t = host.text(p, deadline);
      return t === undefined ? c.undefined : c.newString(t);
    });
    c.setProp(c.global, '__text', textFn);
    textFn.dispose();
    const printFn = c.newFunction('__print', (sH: QuickJSHandle) => {
      if (printed.length < maxOut) {
        const s = c.getString(sH);
        printed += `${s}\n`;
        if (printed.length > maxOut) {
          printed = printed.slice(0, maxOut);
          printedCut = true;
        }
      } else printedCut = true;
    });
    c.setProp(c.global, '__print', printFn);
    printFn.dispose();

    const prelude = c.evalCode(preludeSource(host), 'cardcheck-prelude.js');
    if (prelude.error) {
      const detail = JSON.stringify(c.dump(prelude.error));
      prelude.error.dispose();
      return finish({ ok: false, error: { kind: 'internal', message: `sandbox prelude failed: ${detail}` } });
    }
    prelude.value.dispose();

    let result = c.evalCode(code, 'step.js', { type: 'global' });
    if (result.error) {
      const first = describeGuestError(c.dump(result.error));
      // A step written as a function body ("return x") is run as one.
      if (first.kind === 'syntax' && /return not in a function/i.test(first.message)) {
        result.error.dispose();
        result = c.evalCode(`(function () {\n${code}\n})()`, 'step.js', { type: 'global' });
      }
    }
    if (result.error) {
      const dumped: unknown = c.dump(result.error);
      result.error.dispose();
      let error = hostFailure ?? describeGuestError(dumped, limits);
      // A static import is a syntax error in a script; say what was meant.
      if (error.kind === 'syntax' && /^\s*import\s*[\w{*]/m.test(code)) error = { kind: 'forbidden', message: IMPORT_MESSAGE };
      poisoned = error.kind === 'memory' || error.kind === 'timeout' || error.kind === 'stack' || error.kind === 'internal';
      return finish({ ok: false, error });
    }
    let valueHandle = result.value;
    const state = c.getPromiseState(valueHandle);
    if (state.type !== 'fulfilled' || !state.notAPromise) {
      // An async step: tools are synchronous, so its jobs settle without waiting on the host.
      rt.executePendingJobs(1000);
      const settled = c.getPromiseState(valueHandle);
      valueHandle.dispose();
      if (settled.type === 'pending') return finish({ ok: false, error: { kind: 'runtime', message: 'the step returned a promise that never settled; tools are synchronous, so write synchronous code' } });
      if (settled.type === 'rejected') {
        const dumped: unknown = c.dump(settled.error);
        settled.error.dispose();
        const error = hostFailure ?? describeGuestError(dumped, limits);
        poisoned = error.kind === 'memory' || error.kind === 'timeout' || error.kind === 'stack';
        return finish({ ok: false, error });
      }
      valueHandle = settled.value;
    }
    const show = c.getProp(c.global, '__show');
    const shown = c.callFunction(show, c.undefined, valueHandle);
    show.dispose();
    valueHandle.dispose();
    if (shown.error) {
      const dumped: unknown = c.dump(shown.error);
      shown.error.dispose();
      const error = hostFailure ?? describeGuestError(dumped, limits);
      poisoned = error.kind !== 'runtime';
      return finish({ ok: false, error });
    }
    const text = c.getString(shown.value);
    shown.value.dispose();
    return finish({ ok: true, value: truncate(text, maxOut) });
  } catch (err) {
    poisoned = true;
    return finish({ ok: false, error: { kind: 'internal', message: `the sandbox failed: ${err instanceof Error ? err.message : String(err)}` } });
  } finally {
    if (poisoned) discardModule(module);
    else {
      try {
        ctx?.dispose();
        rt?.dispose();
      } catch {
        discardModule(module);
      }
    }
  }
}

const IMPORT_MESSAGE = 'step error: modules cannot be imported in the sandbox; read the workspace only through listFiles, readLines, grep, astGrep and facts';

function timeMessage(ms: number): string {
  return `step stopped: it ran past its time limit of ${ms} ms (an endless loop, or too much work for one step)`;
}

/** Turns what the guest threw into a clear step error. */
export function describeGuestError(dumped: unknown, limits?: StepLimits): StepError {
  const e = (dumped && typeof dumped === 'object' ? dumped : {}) as { name?: unknown; message?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : dumped === null || dumped === undefined ? '' : String(dumped);
  const mb = limits ? Math.round(limits.memoryBytes / (1 << 20)) : undefined;
  // QuickJS may fail to allocate even the error object once memory is gone: it then throws null.
  if (dumped === null || dumped === undefined || /out of memory|string too long|invalid array length|allocation/i.test(message)) {
    return { kind: 'memory', message: `step stopped: it ran out of memory${mb ? ` (limit ${mb} MB)` : ''}` };
  }
  if (/^interrupted$/i.test(message)) return { kind: 'timeout', message: timeMessage(limits?.timeMs ?? 0) };
  if (/stack overflow|maximum call stack/i.test(message)) return { kind: 'stack', message: 'step stopped: recursion too deep (stack limit reached)' };
  const missing = /^'?([\w$]+)'? is not defined$/.exec(message);
  if (name === 'ReferenceError' && missing && FORBIDDEN_GLOBALS.includes(missing[1])) {
    return { kind: 'forbidden', message: `step error: ${missing[1]} is not available in the sandbox; read the workspace only through listFiles, readLines, grep, astGrep and facts` };
  }
  if (/could not load module/i.test(message)) return { kind: 'forbidden', message: IMPORT_MESSAGE };
  if (name === 'SyntaxError') return { kind: 'syntax', message: `step error: SyntaxError: ${message}` };
  if (name === 'ToolError') return { kind: 'tool', message: `step error: ${message}` };
  return { kind: 'runtime', message: `step error: ${name ? `${name}: ` : ''}${message}` };
}

function preludeSource(host: HostBridge): string {
  const tools = host.toolNames.map((n) => `  def(${JSON.stringify(n)}, (...args) => call(${JSON.stringify(n)}, args));`).join('\n');
  return `(() => {
  'use strict';
  const hostCall = globalThis.__call, hostText = globalThis.__text, hostPrint = globalThis.__print;
  delete globalThis.__call; delete globalThis.__text; delete globalThis.__print;
  const def = (name, value) => Object.defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: false });
  const call = (name, args) => {
    const reply = JSON.parse(hostCall(name, JSON.stringify(args, (k, v) => v instanceof RegExp ? v.source : v)));
    if (!reply.ok) { const e = new Error(reply.error); e.name = 'ToolError'; throw e; }
    return reply.value;
  };
  const show = (v) => {
    if (typeof v === 'string') return v;
    try { const s = JSON.stringify(v, (k, x) => typeof x === 'bigint' ? String(x) : x, 1); return s === undefined ? String(v) : s; }
    catch (e) { return String(v); }
  };
  const print = (...args) => { hostPrint(args.map((a) => typeof a === 'string' ? a : show(a)).join(' ')); };
  def('print', print);
  def('console', Object.freeze({ log: print, info: print, warn: print, error: print, debug: print }));
  def('__show', (v) => v === undefined ? 'undefined' : show(v));
  def('__readText', (path) => hostText(String(path)));
${tools}
${host.guestPrelude ?? ''}
})();`;
}
