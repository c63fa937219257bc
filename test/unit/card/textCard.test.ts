import { describe, expect, it } from 'vitest';
import { parseTextCard, splitLines } from '../../../src/engine/card/textCard.js';

describe('text card', () => {
  it('makes every non-empty line a block, bullets and numbers list items', () => {
    const doc = parseTextCard('card.txt', 'Model card\n==========\n\nTrained for 3 epochs.\n  - lr 2e-5\n* batch 32\n• warmup 500 steps\n1. AdamW\n12) seed 42\n-5 is a number\n');
    expect(doc.format).toBe('text');
    expect(doc.blocks.map((b) => [b.kind, b.text, b.line, b.column])).toEqual([
      ['paragraph', 'Model card', 1, 1],
      ['paragraph', 'Trained for 3 epochs.', 4, 1],
      ['listItem', 'lr 2e-5', 5, 5],
      ['listItem', 'batch 32', 6, 3],
      ['listItem', 'warmup 500 steps', 7, 3],
      ['listItem', 'AdamW', 8, 4],
      ['listItem', 'seed 42', 9, 5],
      ['paragraph', '-5 is a number', 10, 1],
    ]);
    for (const b of doc.blocks) expect(doc.lines[b.line - 1].slice(b.column - 1).startsWith(b.text)).toBe(true);
  });

  it('treats # lines as headings with nesting', () => {
    const doc = parseTextCard('card.txt', '# Card\n## Training\nlr 1e-3\n## Eval\nacc 0.9\n');
    expect(doc.blocks.map((b) => [b.kind, b.text, b.headings])).toEqual([
      ['heading', 'Card', []],
      ['heading', 'Training', ['Card']],
      ['paragraph', 'lr 1e-3', ['Card', 'Training']],
      ['heading', 'Eval', ['Card']],
      ['paragraph', 'acc 0.9', ['Card', 'Eval']],
    ]);
  });

  it('splits lines on any line ending without a phantom last line', () => {
    expect(splitLines('a\r\nb\rc\n')).toEqual(['a', 'b', 'c']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
    expect(splitLines('')).toEqual(['']);
  });
});
