import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nameTokens, namesAgree, normalizeName } from '../../../src/engine/verify/names.js';

describe('nameTokens / normalizeName', () => {
  it.each([
    ['AdamW', ['adamw']],
    ['torch.optim.AdamW', ['torch', 'optim', 'adamw']],
    ['adamw_torch', ['adamw', 'torch']],
    ['LogisticRegression', ['logistic', 'regression']],
    ['GradientBoostingClassifier', ['gradient', 'boosting', 'classifier']],
    ['SGDClassifier', ['sgd', 'classifier']],
    ['get_cosine_schedule_with_warmup', ['get', 'cosine', 'schedule', 'with', 'warmup']],
    ['ResNet-50', ['res', 'net', '50']],
    ['GPT2Model', ['gpt2', 'model']],
    ['k-nearest neighbours', ['k', 'nearest', 'neighbors']],
    ['  Random   Forest!  ', ['random', 'forest']],
    ['', []],
  ])('%j → %j', (s, tokens) => {
    expect(nameTokens(s)).toEqual(tokens);
    expect(normalizeName(s)).toBe(tokens.join(' '));
  });
});

describe('namesAgree', () => {
  it.each([
    ['AdamW', 'torch.optim.AdamW'],
    ['AdamW', 'adamw_torch'],
    ['AdamW (torch)', 'adamw_torch'],
    ['logistic regression', 'LogisticRegression'],
    ['gradient boosting', 'GradientBoostingClassifier'],
    ['gradient boosting', 'sklearn.ensemble.HistGradientBoostingClassifier'],
    ['random forest', 'RandomForestClassifier'],
    ['SGD with Nesterov momentum', 'torch.optim.SGD'],
    ['stochastic gradient descent', 'SGD'],
    ['cosine annealing', 'CosineAnnealingLR'],
    ['ResNet-50', 'resnet50'],
    ['the AdamW optimizer', 'AdamW'],
    ['byte-level BPE', 'byte pair encoding'],
  ])('%j ~ %j', (a, b) => {
    expect(namesAgree(a, b)).toBe(true);
    expect(namesAgree(b, a)).toBe(true);
  });

  it.each([
    ['Adam', 'AdamW'],
    ['Adam', 'adamw_torch'],
    ['linear regression', 'LogisticRegression'],
    ['random forest', 'GradientBoostingClassifier'],
    ['resnet18', 'ResNet-50'],
    ['SGD', 'RMSprop'],
    ['', 'AdamW'],
    ['w', 'AdamW'],
  ])('%j ≁ %j', (a, b) => {
    expect(namesAgree(a, b)).toBe(false);
    expect(namesAgree(b, a)).toBe(false);
  });

  const word = fc.stringMatching(/^[a-z]{3,8}$/);
  it('matches the same words in any identifier style', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
        const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
        const styles = [words.join(' '), words.join('_'), words.join('-'), words.map(cap).join(''), words.join('.'), words.join('_').toUpperCase()];
        for (const a of styles) {
          for (const b of styles) expect(namesAgree(a, b), `${a} vs ${b}`).toBe(true);
        }
      }),
    );
  });

  it('is symmetric', () => {
    const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(namesAgree(a, b)).toBe(namesAgree(b, a));
      }),
    );
  });
});
