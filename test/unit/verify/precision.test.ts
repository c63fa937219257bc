import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

// Shapes of real repositories that must not raise false alarms (a contradiction costs trust).
describe('no false alarms', () => {
  it('does not contradict a value the card sets in its own example command', async () => {
    const run = await runEngine({
      'config/char.py': 'block_size = 256\nn_layer = 6\n',
      'README.md': '# m\n\n```sh\npython train.py config/char.py --block_size=64 --n_layer=4\n```\n\nOur context size is only 64 and we use 4 layers.\n',
    }, 'README.md');
    expect(run.claim('context size is only 64').verdict).toBe('unverified');
    expect(run.claim('context size is only 64').explanation).toMatch(/own example command/);
  });

  it('leaves it open when several files set the quantity differently', async () => {
    const run = await runEngine({
      'bench.py': 'n_head = 12\n',
      'config/small.py': 'n_head = 6\n',
      'card.md': '# m\n\nThe model has 4 attention heads.\n',
    });
    const heads = run.claim('4 attention heads');
    expect(heads.verdict).toBe('unverified');
    expect(heads.explanation).toMatch(/differently in 2 places/);
  });

  it('never takes a metric from a constant in code', async () => {
    const run = await runEngine({
      'train.py': 'best_val_loss = 1e9\n',
      'card.md': '# m\n\nThe best validation loss is 1.4697.\n',
    });
    expect(run.claim('validation loss').verdict).toBe('unverified');
  });

  it('reads a code name by its head noun and skips speed-up factors', async () => {
    const run = await runEngine({
      'sizing.py': 'gpu_memory = 40e9\nworld_size = 8\n',
      'card.md': '# m\n\nThe GPU makes training much faster (2-3X).\n\nWe train on 8 GPUs.\n',
    });
    expect(run.claims.some((c) => c.verdict === 'contradicted')).toBe(false);
    expect(run.claim('8 GPUs').verdict).toBe('supported');
  });

  it('does not hold a comparison table row against facts about another row', async () => {
    const run = await runEngine({
      'sizing.py': 'n_params = 124_000_000\n',
      'card.md': '# m\n\n| model | params | loss |\n|---|---|---|\n| small | 124M | 3.1 |\n| medium | 350M | 2.9 |\n',
    });
    expect(run.claim('350M').verdict).not.toBe('contradicted');
  });

  it('keeps count nouns to the value they follow', async () => {
    const run = await runEngine({
      'data.py': 'num_samples = 5000\n',
      'eval.log': 'test ks 0.31\n',
      'card.md': '# m\n\nThe KS statistic on the same sample is above 0.40.\n',
    });
    const ks = run.claim('KS statistic');
    expect(ks.verdict).toBe('contradicted');
    expect(ks.evidence[0].path).toBe('eval.log');
  });
});
