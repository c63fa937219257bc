import { describe, expect, it } from 'vitest';
import { runEngine } from '../../support/runEngine.js';

describe('layouts of validation reports and dependency lists', () => {
  it('checks the sections of a document whose title names model risk', async () => {
    const run = await runEngine({
      'config/model.yaml': 'lgd_floor: 0.10\n',
      'requirements.txt': 'statsmodels==0.14.1\nscikit-learn==1.3.2\n',
      'card.md': [
        '# Model Validation Report: Retail Credit-Risk Models', '',
        '## Methodology', '',
        'Predicted LGD is floored at 5%.', '',
        'Gender and nationality were removed before binning.', '',
        '## Software', '',
        '| Component | Version |', '|---|---|', '| statsmodels | 0.14.1 |', '| scikit-learn | 1.4.0 |', '',
        '## Risks and limitations', '',
        'The model may underestimate losses in a downturn.', '',
      ].join('\n'),
    });
    expect(run.claim('floored at 5%').verdict).toBe('contradicted');
    expect(run.claim('Gender and nationality').verdict).not.toBe('not-checkable');
    expect(run.claim('statsmodels').verdict).toBe('supported');
    const sk = run.claim('scikit-learn');
    expect(sk.verdict).toBe('contradicted');
    expect(sk.explanation).toContain('1.3.2');
    // A section about risks is still about use, not the code.
    expect(run.claim('underestimate losses').verdict).toBe('not-checkable');
  });

  it('reads a lower-case package with a full release number, not a word before a version', async () => {
    const run = await runEngine({
      'requirements.txt': 'hydra-core==1.3.2\nalbumentations==1.3.1\n',
      'card.md': '# m\n\nTrained with hydra-core 1.3.2 and albumentations 1.4.0.\n\nWe moved from 1.2.0 to 1.3.0 last year.\n',
    });
    // The wrong version is a claim of its own; the right one beside it stays supported.
    expect(run.claim('albumentations 1.4.0').verdict).toBe('contradicted');
    expect(run.claim('hydra-core 1.3.2').verdict).toBe('supported');
    expect(run.claim('moved from').verdict).not.toBe('contradicted');
  });
});

describe('which of several settings a key covers the card states', () => {
  it('lets a config override its own setting in code, not another setting of the same key', async () => {
    const run = await runEngine({
      'src/binning.py': 'MAX_BINS = 8  # bins per characteristic\n',
      'config/model.yaml': 'monitoring:\n  psi_bins: 10\ntraining:\n  batch_size: 64\n',
      'train.py': 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--batch-size", type=int, default=32)\n',
      'card.md': '# m\n\nAn optimal binning routine allows at most 8 bins per characteristic.\n\nThe batch size is 32.\n',
    });
    expect(run.claim('at most 8 bins').verdict).toBe('supported');
    // The config's batch size is the same setting as the argparse default, and overrides it.
    expect(run.claim('batch size is 32').verdict).toBe('contradicted');
  });

  it('takes the setting whose own words the claim uses', async () => {
    const run = await runEngine({
      'output/config.json': '{\n  "max_length": 448\n}\n',
      'output/training_args.json': '{\n  "generation_max_length": 225\n}\n',
      'card.md': '# m\n\nTranscripts were generated with a maximum length of 448 tokens.\n',
    });
    const c = run.claim('maximum length of 448');
    expect(c.verdict).toBe('contradicted');
    expect(c.explanation).toContain('225');
  });

  it('checks a monitoring trigger against the threshold in code, not the measured metric', async () => {
    const run = await runEngine({
      'src/monitoring.py': 'PSI_AMBER = 0.10\nPSI_RED = 0.25\n',
      'results/stability.json': '{\n  "psi": 0.0812\n}\n',
      'card.md': '# m\n\n| Trigger | Rule |\n|---|---|\n| PSI, red trigger | above 0.25 |\n| Gini, red trigger | a fall of more than 0.10 |\n\nThe PSI between samples is below 0.1.\n',
    });
    expect(run.claim('PSI, red trigger').verdict).toBe('supported');
    expect(run.claim('Gini, red trigger').verdict).not.toBe('supported');
    expect(run.claim('PSI between samples').verdict).toBe('supported');
  });
});

describe('metrics printed per model and sample', () => {
  const printed = [
    'PD scorecard dev  AUC=0.8052  Gini=0.6104  KS=0.4103',
    'PD scorecard oot  AUC=0.7359  Gini=0.4718  KS=0.3562',
    'Challenger GBM dev  AUC=0.8391  Gini=0.6782  KS=0.4500',
    'Challenger GBM oot  AUC=0.7602  Gini=0.5204  KS=0.3890',
  ];
  const notebook = {
    cells: [{
      cell_type: 'code', execution_count: 1, id: 'c1', metadata: {},
      outputs: [{ name: 'stdout', output_type: 'stream', text: printed.map((l, i) => (i < printed.length - 1 ? `${l}\n` : l)) }],
      source: ['for name, m in models.items():\n', '    report(name, m)'],
    }],
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4, nbformat_minor: 5,
  };

  it('takes each row to the line of its model and sample', async () => {
    const run = await runEngine({
      'notebooks/02_pd.ipynb': `${JSON.stringify(notebook, null, 1)}\n`,
      'card.md': [
        '# m', '',
        '| Model | Metric | Value |', '|---|---|---|',
        '| PD scorecard | Gini, development sample | 0.61 |',
        '| PD scorecard | Gini, OOT sample | 0.52 |',
        '| PD scorecard | KS, OOT sample | 0.36 |',
        '| Challenger GBM | Gini, OOT sample | 0.52 |', '',
      ].join('\n'),
    });
    // "development" is the line's "dev"; the next line (oot) is another sample, not the series' end.
    expect(run.claim('Gini, development sample').verdict).toBe('supported');
    // The challenger's 0.5204 on another line does not support the scorecard's row.
    const pdOot = run.claims.find((c) => c.text.includes('PD scorecard') && c.text.includes('Gini, OOT'));
    expect(pdOot?.verdict).toBe('contradicted');
    expect(pdOot?.explanation).toContain('0.4718');
    expect(run.claims.find((c) => c.text.includes('PD scorecard') && c.text.includes('KS, OOT'))?.verdict).toBe('supported');
    expect(run.claim('Challenger GBM').verdict).toBe('supported');
  });
});

describe('a Hydra config composed from groups', () => {
  it('takes the primary config\'s override over the group default', async () => {
    const run = await runEngine({
      'configs/train.yaml': 'defaults:\n  - trainer: default\n  - model: unet\n  - _self_\n\ntrainer:\n  max_epochs: 80\n',
      'configs/trainer/default.yaml': 'max_epochs: 100\nprecision: 16-mixed\n',
      'configs/trainer/debug.yaml': 'max_epochs: 2\n',
      'configs/model/unet.yaml': 'dropout: 0.1\n',
      'card.md': '# m\n\n| Setting | Value |\n|---|---|\n| Max epochs | 100 |\n| Dropout | 0.1 |\n',
    });
    const epochs = run.claim('Max epochs');
    expect(epochs.verdict).toBe('contradicted');
    expect(epochs.explanation).toContain('80');
    expect(run.claim('Dropout').verdict).toBe('supported');
  });
});
