import { describe, expect, it } from 'vitest';
import { extractNotebookFacts } from '../../../src/engine/facts/notebookFacts.js';
import { extractLogFacts } from '../../../src/engine/facts/resultsFacts.js';
import { readSummary } from '../../../src/engine/facts/confusionMatrix.js';
import { runEngine } from '../../support/runEngine.js';

const lines = (s: string[]) => s.map((l, i) => (i < s.length - 1 ? `${l}\n` : l));

/** A notebook as Jupyter writes it, one cell per [source, printed lines]. */
function notebook(cells: [string[], string[]][]): string {
  return `${JSON.stringify({
    cells: cells.map(([source, printed], i) => ({
      cell_type: 'code', execution_count: i + 1, id: `c${i}`, metadata: {}, source: lines(source),
      outputs: printed.length > 0 ? [{ name: 'stdout', output_type: 'stream', text: lines([...printed, '']) }] : [],
    })),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4, nbformat_minor: 5,
  }, null, 1)}\n`;
}

// Fashion classes: shirts are taken for T-shirts most (row shirt, column t-shirt/top: 97), and
// shirt/coat is the largest pair both ways (61 + 58 = 119 against 97 + 12 = 109).
const FASHION = notebook([
  [['from sklearn.metrics import confusion_matrix', 'names = test_set.classes', 'print(names)'], ["['T-shirt/top', 'Trouser', 'Pullover', 'Coat', 'Shirt']"]],
  [['cm = confusion_matrix(y_true, y_pred)', 'print(cm)'], [
    '[[880   2  15  10  12]',
    ' [  3 960   1   4   0]',
    ' [ 20   1 850  40  30]',
    ' [  8   2  45 800  58]',
    ' [ 97   1  33  61 700]]',
  ]],
]);

describe('claims about which classes a model confuses', () => {
  it('finds the matrix, its classes and its largest confusion in a notebook', () => {
    const { facts } = extractNotebookFacts('eval.ipynb', FASHION);
    const confusion = facts.filter((f) => f.path === 'confusion matrix');
    expect(confusion).toHaveLength(1);
    const s = readSummary(confusion[0].value);
    expect(s?.labels).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Coat', 'Shirt']);
    expect(s?.top).toEqual({ a: 'Shirt', b: 'T-shirt/top', count: 97 });
    expect(s?.pairs[0]).toEqual({ a: 'Coat', b: 'Shirt', count: 119 });
    // At the cell itself: the matrix's last row, where 97 stands.
    const text = FASHION.split('\n');
    expect(text[confusion[0].line - 1]).toContain('[ 97   1  33  61 700]]');
    expect(text[confusion[0].line - 1].slice(confusion[0].column - 1)).toMatch(/^97 /);
  });

  it('supports the largest cell or the largest pair, and contradicts another pair', async () => {
    const run = await runEngine({
      'eval.ipynb': FASHION,
      'card.md': [
        '# m', '',
        'The most common confusion is between shirts and T-shirts/tops.', '',
        'Shirts and coats are the pair the model confuses most.', '',
        'The most frequent confusion is between pullovers and trousers.', '',
        'Pullovers are sometimes confused with coats.', '',
        'Trousers and coats are the least confused pair.', '',
      ].join('\n'),
    });
    const top = run.claim('shirts and T-shirts');
    expect(top.verdict).toBe('supported');
    expect(top.evidence[0]).toMatchObject({ path: 'eval.ipynb', stance: 'supports' });
    expect(run.claim('Shirts and coats').verdict).toBe('supported');
    const wrong = run.claim('pullovers and trousers');
    expect(wrong.verdict).toBe('contradicted');
    expect(wrong.explanation).toContain('Shirt predicted as T-shirt/top (97)');
    // Not a superlative: a pair outside the largest three is left unconfirmed, not contradicted.
    expect(run.claim('sometimes confused').verdict).not.toBe('contradicted');
    // About the rarest confusion, which the largest ones say nothing for or against.
    const least = run.claim('least confused');
    expect(least.verdict).toBe('unverified');
    expect(least.evidence.filter((e) => e.stance !== 'related')).toEqual([]);
  });

  it('numbers the classes of a matrix printed without names', () => {
    const nb = notebook([[['cm = confusion_matrix(y, p)', 'print(cm)'], ['[[90  1  9]', ' [ 2 95  3]', ' [14  0 86]]']]]);
    const [fact] = extractNotebookFacts('mnist.ipynb', nb).facts.filter((f) => f.path === 'confusion matrix');
    expect(readSummary(fact.value)).toMatchObject({ labels: ['0', '1', '2'], top: { a: '2', b: '0', count: 14 } });
  });

  it('reads a matrix a log titles as a confusion matrix', async () => {
    const log = ['epoch 10 val_acc 0.91', "classes: ['negative', 'neutral', 'positive']", 'Confusion matrix:', '[[410  60  30]', ' [ 25 300  75]', ' [ 10  40 450]]', ''].join('\n');
    const { facts } = extractLogFacts('logs/eval.log', log);
    const [fact] = facts.filter((f) => f.path === 'confusion matrix');
    expect(readSummary(fact.value)?.top).toEqual({ a: 'neutral', b: 'positive', count: 75 });
    expect(fact).toMatchObject({ line: 5, column: 12, endColumn: 14, snippet: '[ 25 300  75]' });
    const run = await runEngine({
      'logs/eval.log': log,
      'card.md': '# m\n\nMost errors confuse neutral and positive reviews.\n\nThe most frequent confusion is between negative and neutral.\n',
    });
    expect(run.claim('neutral and positive').verdict).toBe('supported');
    expect(run.claim('negative and neutral').verdict).toBe('contradicted');
    // Untitled, the same matrix could be anything square.
    const untitled = log.replace('Confusion matrix:', 'Matrix:');
    expect(extractLogFacts('logs/eval.log', untitled).facts.filter((f) => f.path === 'confusion matrix')).toEqual([]);
  });

  it('reads no confusion into a square matrix that is not one', async () => {
    const nb = notebook([[['corr = df[["a", "b"]].corr().values', 'print(corr)'], ['[[1.   0.42]', ' [0.42 1.  ]]']]]);
    expect(extractNotebookFacts('stats.ipynb', nb).facts.filter((f) => f.path === 'confusion matrix')).toEqual([]);
  });

  it('leaves a sentence naming no two classes to the general check', async () => {
    const run = await runEngine({
      'eval.ipynb': FASHION,
      'card.md': '# m\n\nThe most frequent confusion involves sandals.\n',
    });
    expect(run.claim('sandals').verdict).toBe('unverified');
  });
});
