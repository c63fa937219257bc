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
