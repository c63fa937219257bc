import { describe, expect, it } from 'vitest';
import { runStep, ToolError, type HostBridge, type StepLimits } from '../../../src/engine/llm/sandbox.js';

const LIMITS: StepLimits = { timeMs: 300, memoryBytes: 16 << 20 };

function bridge(calls: string[] = [], texts: Record<string, string> = {}): HostBridge {
  return {
    toolNames: ['echo', 'fail'],
    call(name, args) {
      calls.push(name);
      if (name === 'fail') throw new ToolError('no such file "x.py"');
      return { name, args };
    },
    text: (p) => texts[p],
  };
}

describe('sandbox', () => {
  it('runs code with the tools and returns the last value and printed output', async () => {
    const calls: string[] = [];
    const r = await runStep('print("hello", {a: 1}); const x = echo(1, "two"); x.args', bridge(calls), LIMITS);
    expect(r.ok).toBe(true);
    expect(JSON.parse(r.value ?? '')).toEqual([1, 'two']);
    expect(r.output).toContain('hello {');
    expect(calls).toEqual(['echo']);
  });

  it('accepts a step written as a function body', async () => {
    const r = await runStep('const n = 2 + 3;\nreturn { n };', bridge(), LIMITS);
    expect(r.ok).toBe(true);
    expect(JSON.parse(r.value ?? '')).toEqual({ n: 5 });
  });

  it('turns a tool failure into a guest exception the code can catch', async () => {
    const caught = await runStep('try { fail() } catch (e) { "caught: " + e.message }', bridge(), LIMITS);
    expect(caught.value).toBe('caught: fail: no such file "x.py"');
    const uncaught = await runStep('fail()', bridge(), LIMITS);
    expect(uncaught.error).toEqual({ kind: 'tool', message: 'step error: fail: no such file "x.py"' });
  });

  it('stops an endless loop at the deadline', async () => {
    const started = Date.now();
    const r = await runStep('while (true) {}', bridge(), LIMITS);
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('timeout');
    expect(r.error?.message).toMatch(/time limit of 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops a catastrophic regular expression at the deadline', async () => {
    const r = await runStep('/(a+)+$/.test("a".repeat(40) + "b")', bridge(), LIMITS);
    expect(r.error?.kind).toBe('timeout');
  });

  it('stops unbounded allocation at the memory limit', async () => {
    const r = await runStep('const keep = []; for (;;) keep.push("x".repeat(1 << 16) + keep.length);', bridge(), { timeMs: 5000, memoryBytes: 8 << 20 });
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('memory');
    expect(r.error?.message).toMatch(/out of memory \(limit 8 MB\)/);
  });

  it('stops large allocations that QuickJS\'s own limit does not count, quickly', async () => {
    // setMemoryLimit counts allocations, not their sizes, under emscripten: the capped WASM memory is what holds.
    for (const code of ['const k = []; for (;;) k.push(new ArrayBuffer(1 << 20));', 'const k = Array.from({ length: 3000 }, () => "z".repeat(1 << 20));']) {
      const started = Date.now();
      const r = await runStep(code, bridge(), { timeMs: 10_000, memoryBytes: 16 << 20 });
      expect(r.error?.kind).toBe('memory');
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('stops deep recursion with a stack error', async () => {
    const r = await runStep('function f(n) { return f(n + 1) + 1 } f(0)', bridge(), LIMITS);
    expect(r.error).toEqual({ kind: 'stack', message: 'step stopped: recursion too deep (stack limit reached)' });
  });

  it('keeps working after steps that hit limits', async () => {
    await runStep('const a = []; for (;;) a.push(new Array(1e4).fill(a.length))', bridge(), { timeMs: 5000, memoryBytes: 8 << 20 });
    const r = await runStep('[1, 2, 3].map((x) => x * 2)', bridge(), LIMITS);
    expect(JSON.parse(r.value ?? '')).toEqual([2, 4, 6]);
  });

  it.each([
    ['require("fs").readFileSync("/etc/passwd", "utf8")', 'require'],
    ['process.env.OPENAI_API_KEY', 'process'],
    ['fetch("http://127.0.0.1:1/")', 'fetch'],
  ])('has no %s', async (code, name) => {
    const r = await runStep(code, bridge(), LIMITS);
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('forbidden');
    expect(r.error?.message).toBe(`step error: ${name} is not available in the sandbox; read the workspace only through listFiles, readLines, grep, astGrep and facts`);
  });

  it('cannot import modules or reach the host through globals', async () => {
    for (const code of ['import("fs")', 'import fs from "fs";\nfs.readFileSync("/etc/passwd")']) {
      const imported = await runStep(code, bridge(), LIMITS);
      expect(imported.error).toEqual({ kind: 'forbidden', message: 'step error: modules cannot be imported in the sandbox; read the workspace only through listFiles, readLines, grep, astGrep and facts' });
    }
    const escaped = await runStep('[typeof new Function("return this")().process, typeof globalThis.require]', bridge(), LIMITS);
    expect(JSON.parse(escaped.value ?? '')).toEqual(['undefined', 'undefined']);
    const probe = await runStep('[typeof __call, typeof __text, typeof std, typeof os, typeof globalThis.Buffer].join(",")', bridge(), LIMITS);
    expect(probe.value).toBe('undefined,undefined,undefined,undefined,undefined');
  });

  it('reports syntax errors as step errors', async () => {
    const r = await runStep('const = 3', bridge(), LIMITS);
    expect(r.error?.kind).toBe('syntax');
    expect(r.error?.message).toMatch(/^step error: SyntaxError/);
  });

  it('bounds printed output', async () => {
    const r = await runStep('for (let i = 0; i < 10000; i++) print("line " + i); 1', bridge(), { ...LIMITS, timeMs: 2000, maxOutputChars: 500 });
    expect(r.output.length).toBeLessThan(600);
    expect(r.output).toMatch(/output cut/);
  });
});
