import { Writable } from 'node:stream';
import type { ClaimResult, Stats, Summary, Verdict } from '../../../src/engine/model.js';

/** A stream that keeps what was written; `isTTY` can be set to pose as a terminal. */
export class Sink extends Writable {
  text = '';
  isTTY?: boolean;

  constructor(opts: { highWaterMark?: number; delayMs?: number; isTTY?: boolean } = {}) {
    super({ highWaterMark: opts.highWaterMark ?? 16 * 1024, decodeStrings: false });
    this.delayMs = opts.delayMs ?? 0;
    if (opts.isTTY !== undefined) this.isTTY = opts.isTTY;
  }

  private readonly delayMs: number;

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    if (this.delayMs > 0) setTimeout(() => done(), this.delayMs);
    else done();
  }
}

let n = 0;
export function claim(verdict: Verdict, over: Partial<ClaimResult> = {}): ClaimResult {
  n++;
  const line = 10 + n;
  return {
    id: `c${n}`,
    text: `Claim number ${n} with a learning rate of 2e-5.`,
    kind: 'hyperparameter',
    range: { start: { line, column: 5 }, end: { line, column: 30 } },
    verdict,
    confidence: 0.9,
    evidence: verdict === 'unverified' || verdict === 'not-checkable' ? [] : [
      {
        path: 'src/train.py',
        range: { start: { line: 41, column: 5 }, end: { line: 41, column: 24 } },
        snippet: 'learning_rate=2e-5,',
        stance: verdict === 'contradicted' ? 'contradicts' : 'supports',
        source: 'ast',
      },
      {
        path: 'configs/base.yaml',
        range: { start: { line: 3, column: 1 }, end: { line: 3, column: 10 } },
        snippet: 'lr: 2e-5',
        stance: 'related',
        source: 'config',
      },
    ],
    explanation: verdict === 'contradicted' ? 'card: learning rate 3e-5; src/train.py:41 sets 2e-5' : `explanation ${n}`,
    ...over,
  };
}

export function summarize(claims: ClaimResult[]): Summary {
  const s: Summary = { supported: 0, contradicted: 0, unverified: 0, notCheckable: 0 };
  for (const c of claims) {
    if (c.verdict === 'not-checkable') s.notCheckable++;
    else s[c.verdict]++;
  }
  return s;
}

export const STATS: Stats = { filesScanned: 12, filesSkipped: 1, facts: 80, claims: 4, durationMs: 123 };
