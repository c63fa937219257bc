import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../../src/protocol/events.js';
import { fitClaimResult } from '../../../src/protocol/messageBudget.js';
import {
  assertMessageSize,
  batchLines,
  HostToWorkerSchema,
  MessageTooLargeError,
  messageBytes,
  splitText,
  WorkerToHostSchema,
} from '../../../src/protocol/workerMessages.js';
import { fakeClaim } from './fixtures/fakePipeline.js';

describe('worker message schemas', () => {
  it('accept a verify job and reject malformed messages', () => {
    expect(HostToWorkerSchema.safeParse({ type: 'verify', job: { cardPath: '/a/card.md', workspaceRoot: '/a' }, window: 16 }).success).toBe(true);
    expect(HostToWorkerSchema.safeParse({ type: 'verify', job: { cardPath: '', workspaceRoot: '/a' }, window: 16 }).success).toBe(false);
    expect(HostToWorkerSchema.safeParse({ type: 'ack', upTo: 'x' }).success).toBe(false);
    expect(HostToWorkerSchema.safeParse({ type: 'rm -rf' }).success).toBe(false);
  });

  it('carry every engine option the extension sets (zod strips unlisted keys)', () => {
    const options = { extractThreads: 2, cacheDir: '/s/facts', maxClaims: 10, include: ['**/*.py'] };
    const parsed = HostToWorkerSchema.parse({ type: 'verify', job: { cardPath: '/a/card.md', workspaceRoot: '/a', options }, window: 16 });
    expect(parsed.type === 'verify' && parsed.job.options).toEqual(options);
    expect(HostToWorkerSchema.safeParse({ type: 'verify', job: { cardPath: '/a/card.md', workspaceRoot: '/a', options: { extractThreads: -1 } }, window: 16 }).success).toBe(false);
  });

  it('validate claim events against the engine schema', () => {
    const ok = { type: 'event', event: { type: 'claim', seq: 1, claim: fakeClaim(1) } };
    expect(WorkerToHostSchema.safeParse(ok).success).toBe(true);
    const bad = { type: 'event', event: { type: 'claim', seq: 1, claim: { ...fakeClaim(1), verdict: 'maybe' } } };
    expect(WorkerToHostSchema.safeParse(bad).success).toBe(false);
  });
});

describe('message size ceiling', () => {
  it('fits a claim with huge snippets and many evidence entries under 16 KB', () => {
    const base = fakeClaim(1, '<script>'.repeat(5000));
    const claim = { ...base, text: 'é'.repeat(20000), evidence: Array.from({ length: 50 }, () => base.evidence[0]!) };
    const fitted = fitClaimResult(claim);
    const message = { type: 'event', event: { type: 'claim', seq: 99999, claim: fitted } };
    expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(fitted.evidence.length).toBeGreaterThan(0);
    expect(fitted.evidence.length).toBeLessThanOrEqual(5);
    expect(fitted.evidence[0]!.snippet.length).toBeLessThanOrEqual(240);
    expect(fitted.id).toBe(claim.id);
  });

  it('fits a claim whose characters escape to six bytes each', () => {
    const claim = { ...fakeClaim(2, '\u0001'.repeat(240)), explanation: '\u0002'.repeat(5000), text: '\u0003'.repeat(5000) };
    claim.evidence = Array.from({ length: 5 }, () => claim.evidence[0]!);
    const fitted = fitClaimResult(claim);
    expect(messageBytes({ type: 'event', event: { type: 'claim', seq: 1, claim: fitted } })).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });

  it('leaves a small claim untouched', () => {
    const c = fakeClaim(3);
    expect(fitClaimResult(c)).toEqual(c);
  });

  it('assertMessageSize throws for oversized messages', () => {
    expect(() => assertMessageSize({ type: 'cardText', text: 'x'.repeat(MAX_MESSAGE_BYTES) } as { type: string })).toThrow(MessageTooLargeError);
  });

  it('splitText keeps surrogate pairs whole and reassembles exactly', () => {
    const text = '😀'.repeat(5000) + 'tail';
    const parts = splitText(text, 4095);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(messageBytes({ type: 'cardText', index: 0, text: p })).toBeLessThan(MAX_MESSAGE_BYTES);
      expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
    }
  });

  it('batchLines keeps every batch under budget and all lines in order', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'y'.repeat(i % 200)}`);
    lines.push('z'.repeat(50000));
    const batches = batchLines(lines);
    expect(batches.flat().length).toBe(lines.length);
    expect(batches.flat()[10]).toBe(lines[10]);
    for (const b of batches) expect(messageBytes({ type: 'lines', format: 'docx', lines: b, last: false })).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});
