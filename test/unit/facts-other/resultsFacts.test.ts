import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractDelimitedFacts, extractLogFacts, parseDelimited } from '../../../src/engine/facts/resultsFacts.js';
import type { Fact } from '../../../src/engine/facts/fact.js';

function byPath(facts: Fact[], path: string): Fact {
  const f = facts.find((x) => x.path === path);
  if (!f) throw new Error(`no fact ${path}; have ${facts.map((x) => x.path).join(', ')}`);
  return f;
}

const metricsCsv = ['step,train_loss,val_loss,lr', '0,,10.97,1.5e-07', '2500,4.05,4.09,3.0e-04', '5000,3.66,3.70,2.9e-04', '7500,3.44,3.49,2.8e-04'].join('\n');

describe('extractDelimitedFacts: metrics logs', () => {
  it('reports the last value of every numeric column as final.<column> at its cell', () => {
    const { facts, warnings } = extractDelimitedFacts('logs/metrics.csv', `${metricsCsv}\n`, ',');
    expect(warnings).toEqual([]);
    expect(facts.map((f) => f.path)).toEqual(['final.step', 'final.train_loss', 'final.val_loss', 'final.lr']);
    expect(byPath(facts, 'final.val_loss')).toMatchObject({
      rawKey: 'val_loss', value: 3.49, line: 5, column: 11, endLine: 5, endColumn: 15, form: 'result', source: 'results',
      snippet: '7500,3.44,3.49,2.8e-04',
    });
    expect(byPath(facts, 'final.lr').value).toBeCloseTo(2.8e-4);
  });

  it('takes the last non-empty value of a column logged on alternate rows', () => {
    const csv = ['epoch,step,train_loss,val_acc', '0,100,0.9,', '0,100,,0.71', '1,200,0.5,', '1,200,,0.83', '2,300,0.4,'].join('\r\n');
    const { facts } = extractDelimitedFacts('lightning/metrics.csv', csv, ',');
    expect(byPath(facts, 'final.val_acc')).toMatchObject({ value: 0.83, line: 5 });
    expect(byPath(facts, 'final.train_loss')).toMatchObject({ value: 0.4, line: 6 });
  });

  it('a log with a timestamp first column is still a log, not a label table', () => {
    const csv = 'timestamp,step,loss\n2024-05-01T10:00,1,2.0\n2024-05-01T11:00,2,1.5\n';
    const { facts } = extractDelimitedFacts('logs/train.csv', csv, ',');
    expect(facts.map((f) => [f.path, f.value])).toEqual([['final.step', 2], ['final.loss', 1.5]]);
  });

  it('reads TSV and quoted fields', () => {
    const tsv = 'epoch\tnote\taccuracy\n1\t"first, run"\t0.5\n2\t"say ""hi"""\t0.75\n';
    const { facts } = extractDelimitedFacts('results.tsv', tsv, '\t');
    expect(byPath(facts, 'final.accuracy')).toMatchObject({ value: 0.75, line: 3, column: 16 });
    expect(facts.some((f) => f.path === 'final.note')).toBe(false);
  });

  it('gives no facts for a data manifest without metric columns', () => {
    const manifest = ['path,label,duration_s,split', ...Array.from({ length: 300 }, (_, i) => `up/${i}.wav,up,1.000,train`)].join('\n');
    expect(extractDelimitedFacts('data/manifests/train.csv', manifest, ',').facts).toEqual([]);
  });

  it('maps a tail read to file lines with tailStartLine, keeping the header line', () => {
    const text = 'step,val_loss\n90000,2.5\n90100,2.4\n';
    const { facts, warnings } = extractDelimitedFacts('logs/big.csv', text, ',', { partial: 'tail', headerLines: 1, tailStartLine: 90001 });
    expect(warnings).toEqual([]);
    expect(byPath(facts, 'final.val_loss')).toMatchObject({ value: 2.4, line: 90002, endLine: 90002, snippet: '90100,2.4' });
  });

  it('warns when a tail read has no line numbers', () => {
    const { facts, warnings } = extractDelimitedFacts('logs/big.csv', 'step,loss\n5,1.5\n', ',', { partial: 'tail' });
    expect(facts).toHaveLength(2);
    expect(warnings[0]).toMatch(/^logs\/big\.csv: only the end of the file was read/);
  });
});

describe('extractDelimitedFacts: label/value tables', () => {
  it('one fact per row without a header', () => {
    const { facts } = extractDelimitedFacts('metrics/summary.csv', 'auc,0.78\nks,0.31\n', ',');
    expect(facts.map((f) => [f.rawKey, f.path, f.value, f.line, f.column])).toEqual([
      ['auc', 'auc', 0.78, 1, 5],
      ['ks', 'ks', 0.31, 2, 4],
    ]);
  });

  it('with a header and several value columns: <label>.<column>', () => {
    const { facts } = extractDelimitedFacts('r.csv', 'model,accuracy,f1\nbase,0.91,0.90\nsmall,0.88,0.87\n', ',');
    expect(byPath(facts, 'small.f1')).toMatchObject({ rawKey: 'f1', value: 0.87, line: 3 });
    expect(facts).toHaveLength(4);
  });

  it('a header row and one value column: the label is the key', () => {
    const { facts } = extractDelimitedFacts('r.csv', 'metric,value\nroc_auc,0.7164\n', ',');
    expect(facts).toEqual([expect.objectContaining({ rawKey: 'roc_auc', path: 'roc_auc', value: 0.7164, line: 2 })]);
  });

  it('repeated labels (a scorecard, a long table) are data, not results', () => {
    const csv = 'attribute,bin,woe,points\nfico,"(-inf, 669]",-0.41,54\nfico,"(669, 684]",-0.21,65\n';
    expect(extractDelimitedFacts('artifacts/scorecard.csv', csv, ',').facts).toEqual([]);
  });

  it('handles empty, single-column and header-only files', () => {
    expect(extractDelimitedFacts('e.csv', '', ',')).toEqual({ facts: [], warnings: [] });
    expect(extractDelimitedFacts('e.csv', 'a\n1\n2\n', ',').facts).toEqual([]);
    expect(extractDelimitedFacts('e.csv', 'step,loss\n', ',').facts).toEqual([]);
  });

  it('survives a huge line', () => {
    const huge = `step,loss\n1,${'9'.repeat(1_000_000)}\n2,0.5\n`;
    const { facts } = extractDelimitedFacts('logs/x.csv', huge, ',');
    expect(byPath(facts, 'final.loss')).toMatchObject({ value: 0.5, line: 3 });
  });
});

describe('parseDelimited', () => {
  it('property: rows of plain and quoted cells come back as written', () => {
    const cell = fc.oneof(fc.stringMatching(/^[a-z0-9.]{0,6}$/), fc.string({ maxLength: 8 }).map((s) => s.replace(/\r/g, '')));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = rows.map((r) => r.map((c) => (/[",\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n');
        const parsed = parseDelimited(text, ',');
        expect(parsed.map((r) => r.cells.map((c) => c.text))).toEqual(rows);
      }),
    );
  });
});

describe('extractLogFacts', () => {
  it('reads `key value` pairs; the last occurrence of each key wins', () => {
    const log = ['epoch 1 | loss 3.20 | val_loss 3.30', 'epoch 2 | loss 2.95 | val_loss 3.01', 'done'].join('\n');
    const { facts } = extractLogFacts('train.log', log);
    expect(byPath(facts, 'final.val_loss')).toMatchObject({ rawKey: 'val_loss', value: 3.01, line: 2, column: 32, endColumn: 36, form: 'result', source: 'results' });
    expect(byPath(facts, 'final.epoch')).toMatchObject({ value: 2, line: 2, column: 7 });
  });

  it('reads key=value, key: value, Python dict reprs and percentages', () => {
    const log = [
      '2024-05-01 12:00:00 INFO step=100 lr=3e-4 loss=2.5',
      "{'loss': 0.41, 'learning_rate': 2e-05, 'epoch': 3.0}",
      'Test accuracy: 88.47%',
    ].join('\n');
    const { facts } = extractLogFacts('nohup.out', log);
    expect(byPath(facts, 'final.lr').value).toBeCloseTo(3e-4);
    expect(byPath(facts, 'final.loss')).toMatchObject({ value: 0.41, line: 2 });
    expect(byPath(facts, 'final.learning_rate').value).toBeCloseTo(2e-5);
    expect(byPath(facts, 'final.Test accuracy %')).toMatchObject({ rawKey: 'Test accuracy', value: 88.47, line: 3, column: 16, endColumn: 22 });
    expect(facts.some((f) => f.rawKey.includes('INFO'))).toBe(false);
  });

  it('reads JSON lines, nested keys included', () => {
    const jsonl = ['{"step": 1, "val_loss": 3.0, "metrics": {"acc": 0.5}}', '{"step": 2, "val_loss": 2.9, "metrics": {"acc": 0.6}, "tag": "x"}'].join('\n');
    const { facts } = extractLogFacts('metrics.jsonl', jsonl);
    expect(byPath(facts, 'final.val_loss')).toMatchObject({ value: 2.9, line: 2, column: 25 });
    expect(byPath(facts, 'final.metrics.acc')).toMatchObject({ rawKey: 'acc', value: 0.6, line: 2 });
    expect(facts.some((f) => f.path === 'final.tag')).toBe(false);
  });

  it('ignores numbers glued to words and identifiers with digits', () => {
    const { facts } = extractLogFacts('x.log', 'using gpt2 on cuda:0, 4.9it/s, resnet50 ready');
    expect(facts.map((f) => f.path)).toEqual([]);
  });

  it('maps tail lines to file lines', () => {
    const { facts } = extractLogFacts('big.log', 'loss 1.0\nloss 0.5\n', { partial: 'tail', headerLines: 0, tailStartLine: 5001 });
    expect(byPath(facts, 'final.loss').line).toBe(5002);
  });

  it('handles empty input and a huge line', () => {
    expect(extractLogFacts('e.log', '')).toEqual({ facts: [], warnings: [] });
    const { facts } = extractLogFacts('h.log', `${'x'.repeat(500_000)} loss 0.3\nacc 0.9`);
    expect(byPath(facts, 'final.acc').value).toBe(0.9);
  });
});
