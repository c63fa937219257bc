import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../src/engine/facts/fact.js';
import { FactIndex, type FileIndexPart } from '../../../src/engine/verify/factIndex.js';
import type { FactFilter } from '../../../src/engine/verify/factRelevance.js';

function fact(over: Partial<Fact> & Pick<Fact, 'rawKey' | 'value'>): Fact {
  return {
    path: over.rawKey, file: 'train.py', line: 1, column: 1, endLine: 1, endColumn: 2,
    source: 'ast', form: 'assignment', snippet: `${over.rawKey} = ${String(over.value)}  # learning rate warmup`, ...over,
  };
}

/** Keeps numbers whose name is a card word; the card's words are the vocabulary. */
function filter(words: string[]): FactFilter {
  const vocabulary = new Set(words);
  return {
    vocabulary,
    fingerprint: words.join(','),
    keep: (f, keys, tokens) => keys.length > 0 || tokens.some((t) => vocabulary.has(t)),
  };
}

const FILES: Fact[][] = [
  [
    fact({ rawKey: 'learning_rate', value: 3e-4 }),
    fact({ rawKey: 'unrelated_thing', value: 7, line: 2, snippet: 'unrelated_thing = 7  # warmup only' }),
    fact({ rawKey: 'Linear', value: [512, 256], form: 'positional', call: 'nn.Linear', line: 3, snippet: 'self.fc = nn.Linear(512, 256)' }),
  ],
  [
    fact({ rawKey: 'batch_size', value: 32, file: 'configs/base.yaml', source: 'config', form: 'config', snippet: 'batch_size: 32' }),
    fact({ rawKey: 'name', value: 'resnet', file: 'configs/base.yaml', source: 'config', form: 'config', line: 2, snippet: 'name: resnet' }),
  ],
];

function snapshotOf(index: FactIndex) {
  return {
    all: index.all.map((e) => ({ fact: e.fact, keys: [...e.keys], tokens: [...e.tokens], snippet: [...e.snippetTokens], tier: e.tier, configName: e.configName })),
    vocabulary: [...index.vocabulary].sort(),
    configNames: [...index.configNames].sort(),
    dropped: index.dropped,
    keys: ['learning_rate', 'batch_size', 'out_features'].map((k) => index.withKey(k).length),
  };
}

describe('FactIndex parts', () => {
  const words = ['learning', 'rate', 'warmup', 'batch', 'size', 'resnet'];

  it('replaying the recorded parts of each file rebuilds the same index, with or without stored words', () => {
    const original = new FactIndex(filter(words));
    const parts: FileIndexPart[] = FILES.map((facts) => original.addFile(facts));
    // Of the positional call's named arguments only the one with a known key is kept; the unrelated name is dropped.
    expect(parts[0].facts.map((f) => f.rawKey)).toEqual(['learning_rate', 'out_features']);
    expect(parts.reduce((n, p) => n + p.dropped, 0)).toBe(original.dropped);
    expect(original.dropped).toBeGreaterThan(0);

    const replayed = new FactIndex(filter(words));
    for (const p of parts) replayed.replay(p);
    expect(snapshotOf(replayed)).toEqual(snapshotOf(original));

    const withoutWords = new FactIndex(filter(words));
    for (const p of parts) withoutWords.replay({ ...p, words: undefined });
    expect(snapshotOf(withoutWords)).toEqual(snapshotOf(original));
  });

  it('a dropped fact still tells the vocabulary which card words the file uses', () => {
    const index = new FactIndex(filter(words));
    const part = index.addFile([fact({ rawKey: 'unrelated_thing', value: 7, snippet: 'unrelated_thing = 7  # warmup only' })]);
    expect(part.facts).toEqual([]);
    expect(part.vocabulary).toContain('warmup');
    expect(index.vocabulary.has('warmup')).toBe(true);
  });
});
