import { describe, expect, it } from 'vitest';
import { claimProblems, problemMessage, replacementFor } from '../../../src/extension/diagnostics/claimProblems.js';
import { trackRange, trackRangeThrough } from '../../../src/extension/diagnostics/rangeTracking.js';
import type { ClaimResult } from '../../../src/engine/model.js';
import { fakeClaim } from './fixtures/fakePipeline.js';

const contradicted: ClaimResult = {
  ...fakeClaim(3),
  text: 'We fine-tune with a learning rate of 3e-5.',
  verdict: 'contradicted',
  key: 'learning_rate',
  cardValue: '3e-5',
  codeValue: '2e-5',
  explanation: '',
  evidence: [{ path: 'train.py', range: { start: { line: 41, column: 5 }, end: { line: 41, column: 30 } }, snippet: 'learning_rate=2e-5,', stance: 'contradicts', source: 'ast' }],
};

describe('problemMessage', () => {
  it('states both sides of a contradiction', () => {
    expect(problemMessage(contradicted)).toBe('Contradicted: card says learning rate 3e-5; train.py:41 has 2e-5');
  });

  it('falls back to the snippet when the code value is unknown', () => {
    const { codeValue: _c, ...rest } = contradicted;
    expect(problemMessage(rest)).toContain('train.py:41: learning_rate=2e-5,');
  });

  it('names an unverified claim and why', () => {
    const c: ClaimResult = { ...fakeClaim(2), verdict: 'unverified', text: 'Trained on 8 A100 GPUs.', explanation: 'no launch script names a GPU count' };
    expect(problemMessage(c)).toBe('Unverified: nothing in the workspace confirms or contradicts "Trained on 8 A100 GPUs." (no launch script names a GPU count)');
  });
});

describe('claimProblems', () => {
  const claims: ClaimResult[] = Array.from({ length: 30 }, (_, i) => fakeClaim(i + 1));

  it('maps verdicts to the configured severities and skips supported claims', () => {
    const { problems, omitted } = claimProblems(claims, { contradicted: 'error', unverified: 'hint', maxProblems: 1000 });
    expect(omitted).toBe(0);
    expect(problems.filter((p) => p.code === 'contradicted').every((p) => p.severity === 'error')).toBe(true);
    expect(problems.filter((p) => p.code === 'unverified').every((p) => p.severity === 'hint')).toBe(true);
    expect(problems.some((p) => p.code === 'supported')).toBe(false);
    expect(problems).toHaveLength(20);
  });

  it('turns unverified problems off', () => {
    const { problems } = claimProblems(claims, { contradicted: 'warning', unverified: 'off', maxProblems: 1000 });
    expect(problems.every((p) => p.code === 'contradicted')).toBe(true);
    expect(problems).toHaveLength(10);
  });

  it('keeps the contradictions when the cap is hit and counts the rest', () => {
    const { problems, omitted } = claimProblems(claims, { contradicted: 'warning', unverified: 'information', maxProblems: 12 });
    expect(problems).toHaveLength(12);
    expect(omitted).toBe(8);
    expect(problems.filter((p) => p.code === 'contradicted')).toHaveLength(10);
  });

  it('skips stale and ignored claims', () => {
    const marked = claims.map((c) => (c.id === 'c3' ? { ...c, stale: true } : c));
    const { problems } = claimProblems(marked, { contradicted: 'warning', unverified: 'off', maxProblems: 100, isIgnored: (c) => c.id === 'c6' });
    expect(problems.map((p) => p.claimId)).not.toContain('c3');
    expect(problems.map((p) => p.claimId)).not.toContain('c6');
    expect(problems).toHaveLength(8);
  });

  it('points related information at the evidence', () => {
    const { problems } = claimProblems([contradicted], { contradicted: 'warning', unverified: 'off', maxProblems: 10 });
    expect(problems[0]?.related[0]?.evidence.path).toBe('train.py');
    expect(problems[0]?.related[0]?.message).toBe('contradicts the card: learning_rate=2e-5,');
  });
});

describe('replacementFor', () => {
  it('finds the card value inside the claim range', () => {
    const line = '- We fine-tune with a learning rate of 3e-5 for 3 epochs.';
    const r = replacementFor(contradicted, line, 2, line.length);
    expect(r).toEqual({ start: line.indexOf('3e-5'), end: line.indexOf('3e-5') + 4, text: '2e-5' });
  });

  it('matches whole values only', () => {
    const c = { ...contradicted, cardValue: '3', codeValue: '5' };
    const line = 'lr 0.003 and 3 epochs';
    expect(replacementFor(c, line, 0, line.length)).toEqual({ start: 13, end: 14, text: '5' });
    expect(replacementFor(c, 'lr 0.003', 0, 8)).toBeUndefined();
  });

  it('offers nothing for supported claims', () => {
    expect(replacementFor({ ...contradicted, verdict: 'supported' }, 'rate 3e-5', 0, 9)).toBeUndefined();
  });
});

describe('trackRange', () => {
  const r = { start: { line: 5, character: 4 }, end: { line: 5, character: 10 } };

  it('leaves a range before the edit alone', () => {
    expect(trackRange(r, { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: 'x\n' })).toEqual(r);
    expect(trackRange(r, { range: { start: { line: 5, character: 10 }, end: { line: 5, character: 10 } }, text: ' <!-- cardcheck-ignore -->' })).toEqual(r);
  });

  it('moves a range down when lines are inserted above', () => {
    expect(trackRange(r, { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'a\nb\n' })).toEqual({
      start: { line: 7, character: 4 },
      end: { line: 7, character: 10 },
    });
  });

  it('moves a range up when lines are deleted above', () => {
    expect(trackRange(r, { range: { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }, text: '' })).toEqual({
      start: { line: 3, character: 4 },
      end: { line: 3, character: 10 },
    });
  });

  it('shifts columns for an edit earlier on the same line', () => {
    expect(trackRange(r, { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 2 } }, text: 'abcd' })).toEqual({
      start: { line: 5, character: 6 },
      end: { line: 5, character: 12 },
    });
  });

  it('joins lines: a range after a deleted line break moves to the previous line', () => {
    expect(trackRange(r, { range: { start: { line: 4, character: 7 }, end: { line: 5, character: 0 } }, text: '' })).toEqual({
      start: { line: 4, character: 11 },
      end: { line: 4, character: 17 },
    });
  });

  it('drops a range the edit overlaps', () => {
    expect(trackRange(r, { range: { start: { line: 5, character: 6 }, end: { line: 5, character: 7 } }, text: '9' })).toBeUndefined();
    expect(trackRange(r, { range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, text: '' })).toBeUndefined();
  });

  it('applies several edits in order', () => {
    const edits = [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x\n' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'y\n' },
    ];
    expect(trackRangeThrough(r, edits)?.start.line).toBe(7);
  });
});
