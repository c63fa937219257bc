import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputNumbers } from '../../../src/engine/facts/outputNumbers.js';

function summary(lines: string[], bare?: string): string[] {
  return outputNumbers(lines, bare).map((n) => `${n.line}|${n.label}|${n.value}${n.percent ? '%' : ''}`);
}

describe('numbers in printed lines', () => {
  it('labels each number with the words before it', () => {
    expect(summary(['Test AUC 0.7164', 'Test KS:   0.3108', 'intercept: -1.6341', 'loans with an outcome: 579,402'])).toEqual([
      '0|Test AUC|0.7164', '1|Test KS|0.3108', '2|intercept|-1.6341', '3|loans with an outcome|579402',
    ]);
  });

  it('keeps percent numbers as written and flags them', () => {
    expect(summary(['observed 14.62% vs mean predicted 15.53%, abs. gap 0.91 pp'])).toEqual([
      '0|observed|14.62%', '0|mean predicted|15.53%', '0|abs. gap|0.91',
    ]);
  });

  it('reads key: value and key = value pairs separated by | or ,', () => {
    expect(summary(['train: (412860, 60) | test: (166542, 60)', 'lr = 3e-4, epochs = 30.'])).toEqual([
      '0|train|412860', '0|train|60', '0|test|166542', '0|test|60', '1|lr|0.0003', '1|epochs|30',
    ]);
  });

  it('ignores digits inside words, versions and ranges', () => {
    expect(summary(['EAD (CCF) test R2 0.5467', 'torch 2.2.2 on cuda12', 'years 2012-2016', 'inq_last_6mths 0.0461', 'top-1 accuracy: 88.47%'])).toEqual([
      '0|EAD CCF test R2|0.5467', '2|years|2012', '2|years|2016', '3|inq_last_6mths|0.0461', '4|top-1 accuracy|88.47%',
    ]);
  });

  it('drops numbers nothing names', () => {
    expect(summary(['[[905   2  20]', ' [ 12 944   1]]', '(642118, 74)'])).toEqual([]);
  });

  it('labels a bare result with the given expression', () => {
    expect(summary(['0.7164'], 'roc_auc_score(y_test, p)')).toEqual(['0|roc_auc_score(y_test, p)|0.7164']);
    expect(summary(['(0.71, 0.31)'], 'auc, ks')).toEqual(['0|auc, ks|0.71', '0|auc, ks|0.31']);
  });
});

describe('tables', () => {
  it('labels pandas frame cells with row label and column header', () => {
    const lines = [
      '              size    mean',
      'issue_year                ',
      '2012         38412  0.1512',
      '2017        166542  0.1462',
    ];
    expect(summary(lines)).toEqual(['2|2012 size|38412', '2|2012 mean|0.1512', '3|2017 size|166542', '3|2017 mean|0.1462']);
  });

  it('aligns sparse rows of a classification report by column', () => {
    const lines = [
      '              precision    recall  f1-score   support',
      '',
      '           0       0.84      0.95      0.89      4673',
      '    accuracy                           0.82      6000',
      '   macro avg       0.75      0.65      0.67      6000',
    ];
    expect(summary(lines)).toEqual([
      '2|0 precision|0.84', '2|0 recall|0.95', '2|0 f1-score|0.89', '2|0 support|4673',
      '3|accuracy f1-score|0.82', '3|accuracy support|6000',
      '4|macro avg precision|0.75', '4|macro avg recall|0.65', '4|macro avg f1-score|0.67', '4|macro avg support|6000',
    ]);
  });

  it('keeps percent row labels of describe()', () => {
    const lines = ['       recovery_rate  ccf', 'mean          0.0931  0.6412', '25%           0.0000  0.4718'];
    expect(summary(lines)).toEqual(['1|mean recovery_rate|0.0931', '1|mean ccf|0.6412', '2|25% recovery_rate|0', '2|25% ccf|0.4718']);
  });

  it('falls back to plain lines after the table ends', () => {
    const lines = ['       a     b', 'x    1.0   2.0', 'Test AUC 0.7'];
    expect(summary(lines)).toEqual(['1|x a|1', '1|x b|2', '2|Test AUC|0.7']);
  });
});

describe('properties', () => {
  const word = fc.constantFrom('accuracy', 'val loss', 'Test AUC', 'f1', 'top-1 acc', 'R2 score');
  it('recovers the label and value of "label: value" lines', () => {
    fc.assert(
      fc.property(word, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(': ', ' = ', ' '), (label, v, sep) => {
        const text = v.toFixed(4);
        const found = outputNumbers([`${label}${sep}${text}`]);
        expect(found).toHaveLength(1);
        expect(found[0].label).toBe(label);
        expect(found[0].value).toBe(Number(text));
        expect(`${label}${sep}${text}`.slice(found[0].start, found[0].end)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
