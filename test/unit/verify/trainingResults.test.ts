import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

/** A Trainer's trainer_state.json: a training-loss entry and an evaluation entry per eval step. */
function trainerState(evals: { step: number; epoch: number; loss: number; evalLoss: number; wer: number }[]): string {
  const log = evals.flatMap((e) => [
    { epoch: e.epoch, learning_rate: 1e-5, loss: e.loss, step: e.step },
    { epoch: e.epoch, eval_loss: e.evalLoss, eval_wer: e.wer, step: e.step },
  ]);
  return `${JSON.stringify({ best_metric: 13.1047, epoch: evals[evals.length - 1].epoch, global_step: 4000, log_history: log }, null, 2)}\n`;
}

describe('a training-results table against the run\'s logged history', () => {
  const workspace = {
    'output/trainer_state.json': trainerState([
      { step: 1000, epoch: 1.4804, loss: 0.2419, evalLoss: 0.441, wer: 22.5718 },
      { step: 2000, epoch: 2.9608, loss: 0.1647, evalLoss: 0.3498, wer: 16.4033 },
      { step: 3000, epoch: 4.4412, loss: 0.1199, evalLoss: 0.3552, wer: 13.1047 },
      { step: 4000, epoch: 5.9215, loss: 0.1067, evalLoss: 0.3627, wer: 13.2519 },
    ]),
    // Evaluated after reloading the best checkpoint.
    'output/all_results.json': '{\n  "eval_loss": 0.3552,\n  "eval_wer": 13.1047\n}\n',
  };

  it('decides each row at its own step, and a final figure on the run\'s summary', async () => {
    const run = await runEngine({
      ...workspace,
      'card.md': [
        '# m', '',
        'The model reaches a WER of 13.1047 on the evaluation set.', '',
        '| Training Loss | Epoch | Step | Validation Loss | Wer |',
        '|:---:|:---:|:---:|:---:|:---:|',
        '| 0.2419 | 1.4804 | 1000 | 0.4410 | 22.5718 |',
        '| 0.1647 | 2.9608 | 2000 | 0.3498 | 16.0433 |',
        '| 0.1067 | 5.9215 | 4000 | 0.3627 | 13.2519 |', '',
      ].join('\n'),
    });
    expect(run.claim('WER of 13.1047').verdict).toBe('supported');
    const rows = run.claims.filter((c) => c.range.start.line >= 7);
    const at = (line: number, quote: string) => rows.find((c) => c.range.start.line === line && c.text.includes(quote));
    expect(at(7, '22.5718')?.verdict).toBe('supported');
    const wrong = at(8, '16.0433');
    expect(wrong?.verdict).toBe('contradicted');
    expect(wrong?.explanation).toContain('16.4033');
    expect(wrong?.explanation).toContain('step 2000');
    // A step of 2000 is a position in the log, not a year.
    expect(rows.filter((c) => c.range.start.line === 8).every((c) => !/year/.test(c.explanation))).toBe(true);
    expect(at(9, '13.2519')?.verdict).toBe('supported');
  });

  it('takes a final figure from the run\'s summary, not the last logged entry', async () => {
    const run = await runEngine({ ...workspace, 'card.md': '# m\n\n- Wer: 12.3\n- Loss: 0.3552\n' });
    const wer = run.claim('Wer: 12.3');
    expect(wer.verdict).toBe('contradicted');
    expect(wer.explanation).toContain('13.1047');
    expect(run.claim('Loss: 0.3552').verdict).toBe('supported');
  });
});
