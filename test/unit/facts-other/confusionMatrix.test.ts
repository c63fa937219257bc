import { describe, expect, it } from 'vitest';
import { confusionMatricesIn, confusedPairsOf, readSummary, stringList, summaryOf, summaryValue } from '../../../src/engine/facts/confusionMatrix.js';

describe('printed confusion matrices', () => {
  it('reads a NumPy matrix with the class names printed before it', () => {
    const lines = ["['ant', 'bee', 'wasp']", '[[50  2  7]', ' [ 1 40 12]', ' [ 3  9 44]]'];
    const { matrices, lists } = confusionMatricesIn(lines);
    expect(lists).toEqual([['ant', 'bee', 'wasp']]);
    expect(matrices).toHaveLength(1);
    expect(matrices[0].cells).toEqual([[50, 2, 7], [1, 40, 12], [3, 9, 44]]);
    expect(matrices[0].labels).toEqual(['ant', 'bee', 'wasp']);
    // The largest off-diagonal cell: bee predicted as wasp, on the second line at its column.
    const s = summaryOf(matrices[0]);
    expect(s?.summary.top).toEqual({ a: 'bee', b: 'wasp', count: 12 });
    expect(s?.topPlace).toEqual({ line: 2, start: 8, end: 10 });
    // Both ways: bee/wasp 12 + 9 = 21, ant/wasp 7 + 3 = 10, ant/bee 2 + 1 = 3.
    expect(s?.summary.pairs).toEqual([{ a: 'bee', b: 'wasp', count: 21 }, { a: 'ant', b: 'wasp', count: 10 }, { a: 'ant', b: 'bee', count: 3 }]);
  });

  it('joins rows NumPy wrapped over several lines and reads rates as well as counts', () => {
    const lines = ['[[0.90 0.05', '  0.05]', ' [0.20 0.70', '  0.10]', ' [0.00 0.30', '  0.70]]'];
    const [m] = confusionMatricesIn(lines).matrices;
    expect(m.cells).toEqual([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0, 0.3, 0.7]]);
    expect(m.labels).toBeUndefined();
    expect(summaryOf(m)?.summary.top).toEqual({ a: '2', b: '1', count: 0.3 });
    expect(m.places[2][1]).toEqual({ line: 4, start: 7, end: 11 });
  });

  it('takes the nearest earlier list of as many names', () => {
    const { matrices } = confusionMatricesIn(['[[5 1]', ' [2 6]]'], [['x', 'y'], ['a', 'b', 'c'], ['cold', 'warm']]);
    expect(matrices[0].labels).toEqual(['cold', 'warm']);
  });

  it('leaves out arrays that are not square matrices of numbers', () => {
    expect(confusionMatricesIn(['[[1 2 3]', ' [4 5 6]]']).matrices).toEqual([]);
    expect(confusionMatricesIn(['[[1 2]', ' [3 x]]']).matrices).toEqual([]);
    expect(confusionMatricesIn(['[[[1 2]', '  [3 4]]]']).matrices).toEqual([]);
    expect(confusionMatricesIn(['[[1 2]', ' [3 4]']).matrices).toEqual([]);
    expect(confusionMatricesIn(['[[-1 2]', ' [3 4]]']).matrices).toEqual([]);
    expect(confusionMatricesIn(['[[7]]']).matrices).toEqual([]);
  });

  it('has no summary without an off-diagonal count', () => {
    const [m] = confusionMatricesIn(['[[5 0]', ' [0 6]]']).matrices;
    expect(summaryOf(m)).toBeUndefined();
    expect(confusedPairsOf(m)).toEqual([]);
  });

  it('reads lists of quoted names only', () => {
    expect(stringList("['cat', \"dog's\", 'it\\'s']")).toEqual(['cat', "dog's", "it's"]);
    expect(stringList("classes: ['cat', 'dog']")).toEqual(['cat', 'dog']);
    expect(stringList("labels = ['cat', 'dog']")).toEqual(['cat', 'dog']);
    expect(stringList("['only']")).toBeUndefined();
    expect(stringList('[1, 2, 3]')).toBeUndefined();
    expect(stringList("['a', 'b'] and more")).toBeUndefined();
    expect(stringList("['a' 'b']")).toBeUndefined();
  });

  it('keeps a summary as a fact value that reads back the same', () => {
    const [m] = confusionMatricesIn(["['no', 'yes']", '[[80 20]', ' [5 95]]']).matrices;
    const s = summaryOf(m)?.summary;
    expect(s).toBeDefined();
    if (!s) return;
    const v = summaryValue(s);
    expect(readSummary(JSON.parse(JSON.stringify(v)))).toEqual(s);
    // Not a plain list of names or numbers: the deciders of lists must not read it as one.
    expect(Array.isArray(v) && v.every((x) => Array.isArray(x))).toBe(true);
    expect(readSummary(['no', 'yes'])).toBeUndefined();
    expect(readSummary([['no', 'yes'], ['no', 'yes', 'many']])).toBeUndefined();
  });
});
