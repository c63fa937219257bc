import { describe, expect, it } from 'vitest';
import { parseMarkdownCard } from '../../../src/engine/card/markdownCard.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { claimUnitAt, extractClaimUnits, extractPlacedClaimUnits } from '../../../src/engine/card/extractClaims.js';

const REPO = path.resolve(__dirname, '../../..');

const CARD = `---
license: mit
datasets:
- imdb
model-index:
- name: m
  results:
  - dataset:
      split: test
    metrics:
    - type: accuracy
      value: 0.91
---
# Model

The learning rate is 3e-4.

| Setting | Value |
|---|---|
| Epochs | 3 |

| Split | Accuracy | F1 |
|---|---|---|
| test | 91.2% | 90.1% |

## Intended use

For research only.
`;

describe('extractClaimUnits', () => {
  const units = extractClaimUnits(parseMarkdownCard('card.md', CARD));
  const byText = (t: string) => {
    const u = units.find((x) => x.text.includes(t));
    if (!u) throw new Error(`no unit with ${t}: ${units.map((x) => x.text).join(' | ')}`);
    return u;
  };

  it('takes the license, datasets and model-index metrics from the front matter, at their lines', () => {
    expect(byText('license').atoms[0].value).toEqual({ type: 'license', license: 'mit' });
    expect(byText('license').range.start.line).toBe(2);
    expect(byText('imdb').atoms[0].value).toMatchObject({ type: 'name', name: 'imdb' });
    const metric = byText('value: 0.91');
    expect(metric.atoms[0].keys).toContain('accuracy');
    expect(metric.range.start.line).toBe(12);
  });

  it('gives prose claims 1-based ranges that cover their words', () => {
    const u = byText('learning rate');
    expect(u.range.start).toEqual({ line: 16, column: 1 });
    const lines = CARD.split('\n');
    expect(lines[u.range.start.line - 1].slice(u.range.start.column - 1, u.range.end.column - 1)).toBe('The learning rate is 3e-4.');
  });

  it('keys a two-column table by its row header and a wider one by column and row', () => {
    expect(byText('Epochs').atoms[0].keys).toContain('epochs');
    const results = byText('91.2%');
    expect(results.atoms.map((a) => a.keys[0])).toEqual(['accuracy', 'f1']);
  });

  it('marks intended-use prose not checkable', () => {
    expect(byText('research only').notCheckable).toBe(true);
  });
});

describe('claimUnitAt', () => {
  const cards: Record<string, string> = {
    inline: `${CARD}\nNot this one. <!-- cardcheck-ignore -->\n\n| Name | Value |\n|---|---|\n| Note | - |\n| Dropout | 0.1 |\n\n1. 2. Then a batch size of 32; the seed is 7.\n`,
    example: readFileSync(path.join(REPO, 'examples', 'tiny-sentiment', 'README.md'), 'utf8'),
    fixture: readFileSync(path.join(REPO, 'test', 'fixtures', 'card', 'sample-card.md'), 'utf8'),
  };
  for (const [name, text] of Object.entries(cards)) {
    it(`extracts each unit of the ${name} card alone from its place, as the whole card gives it`, () => {
      const doc = parseMarkdownCard(`${name}.md`, text);
      const { units, places } = extractPlacedClaimUnits(doc);
      expect(units).toEqual(extractClaimUnits(doc));
      expect(units.length).toBeGreaterThan(3);
      expect(places.map((p) => claimUnitAt(doc, p))).toEqual(units);
    });
  }
});
