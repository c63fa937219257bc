import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findAtoms } from '../../../src/engine/card/claimAtoms.js';
import { keysAroundValue, keysOfCodeName } from '../../../src/engine/verify/keyMatch.js';

function atoms(s: string) {
  return findAtoms(s).map((a) => ({
    text: s.slice(a.start, a.end),
    type: a.value.type,
    keys: a.keyBefore !== undefined ? keysAroundValue('', a.keyBefore, a.keyAfter ?? '') : [],
  }));
}

describe('findAtoms', () => {
  it('finds several claims in one sentence, each with its own key', () => {
    const found = atoms('The encoder has 12 layers, 12 heads and 768 hidden units.');
    expect(found.map((a) => a.keys[0])).toEqual(['num_layers', 'num_heads', 'out_features']);
  });

  it('reads ranges, lists, inequalities, plus-minus and ratios', () => {
    expect(atoms('Scores lie on a 300–850 scale.')[0].type).toBe('range');
    expect(atoms('The target is clipped to [0, 1].')[0].type).toBe('range');
    expect(atoms('Loans issued from 2012 to 2016 are used.')[0].type).toBe('range');
    expect(atoms('Cut-offs are 580, 620 and 660 points.')[0].type).toBe('list');
    expect(atoms('The AUC is above 0.70.')[0].type).toBe('inequality');
    expect(atoms('The error is at most 1.5%.')[0].type).toBe('inequality');
    expect(atoms('Mean AUC is 0.781 ± 0.005.')[0].type).toBe('plusminus');
    expect(atoms('Odds of 10:1 at 650 points.')[0].text).toContain('10:1');
  });

  it('reads ranges however their ends are joined, and only those', () => {
    const capped = atoms('Scores are capped to the range 300 to 850.');
    expect(capped.map((a) => a.type)).toEqual(['range']);
    expect(capped[0].text).toContain('300 to 850');
    expect(atoms('Scores take values ranging 300 to 850.')[0].type).toBe('range');
    const years = atoms('Loans issued 2012 through 2016 are used.');
    expect(years.map((a) => a.type)).toEqual(['range']);
    expect(years[0].text).toContain('2012 through 2016');
    // Not ends of a range: a step count "through" another, a number "to" another without a range word.
    expect(atoms('Steps 3 through 5 repeat.').map((a) => a.type)).not.toContain('range');
    expect(atoms('The learning rate drops 0.1 to 0.01.').map((a) => a.type)).not.toContain('range');
    expect(atoms('We use 2 and 4 GPUs.').map((a) => a.type)).not.toContain('range');
  });

  it('reads plain column names a dropping sentence puts before "columns"', () => {
    const ids = (s: string) => findAtoms(s).filter((a) => a.value.type === 'identifiers').map((a) => a.value);
    expect(ids('The client id column is dropped.')).toEqual([{ type: 'identifiers', ids: ['id'], action: 'dropped' }]);
    expect(ids('We drop the id, zip and age columns.')).toEqual([{ type: 'identifiers', ids: ['id', 'zip', 'age'], action: 'dropped' }]);
    expect(ids('Redundant columns are removed.')).toEqual([]);
    // Plain names listed with snake_case ones belong to the list.
    expect(ids('The fields total_pymnt, total_rec_prncp and recoveries are excluded.')).toEqual([{ type: 'identifiers', ids: ['total_pymnt', 'total_rec_prncp', 'recoveries'], action: 'dropped' }]);
    expect(ids('Payment fields, including total_pymnt and last_pymnt_amnt, are dropped.')).toEqual([{ type: 'identifiers', ids: ['total_pymnt', 'last_pymnt_amnt'], action: 'dropped' }]);
    // Without a dropping verb, plain words before "columns" name no list.
    expect(ids('The id and age columns are used.')).toEqual([]);
  });

  it('reads three or more numbers a slash joins as a list, not two', () => {
    expect(atoms('Cut-offs at 580/620/660/700.').map((a) => a.type)).toEqual(['list']);
    expect(atoms('A 1/3 share is held out.').map((a) => a.type)).not.toContain('list');
  });

  it('names a code name by its most specific suffix only', () => {
    expect(keysOfCodeName('layer_norm_epsilon')).toEqual(['layer_norm_eps']);
    expect(keysOfCodeName('layer_norm_eps')).toEqual(['layer_norm_eps']);
    expect(keysOfCodeName('adam_epsilon')).toEqual(['epsilon']);
    expect(keysOfCodeName('min_lr')).toEqual(['min_learning_rate']);
    expect(keysOfCodeName('gradient_accumulation_steps')).toEqual(['grad_accum']);
  });

  it('pairs two numbers a comma joins unless the second names its own key', () => {
    expect(atoms('The betas are 0.9, 0.95.').map((a) => a.type)).toEqual(['list']);
    expect(atoms('Betas are (0.9, 0.999) here.').map((a) => a.type)).toEqual(['list']);
    expect(atoms('It decays to a minimum of 3e-5, 1k warmup steps precede it.').map((a) => a.type)).toEqual(['number', 'number']);
  });

  it('names the key a value is followed by, even past a preposition', () => {
    const found = atoms('The base score of 650 corresponds to 10:1 odds with 40 points to double the odds.');
    expect(found.map((a) => a.keys[0])).toEqual(['base_score', 'base_odds', 'pdo']);
    // A noun phrase after the value still ends at its preposition when no name spans it.
    const steps = atoms('We train for 90,000 steps with a sequence length of 2048.');
    expect(steps[0].keys).not.toContain('context_length');
    expect(steps[1].keys[0]).toBe('context_length');
  });

  it('takes versions, licenses and model families as named claims', () => {
    expect(atoms('Built with PyTorch 2.2.2 and scikit-learn 1.3.2.').map((a) => a.type)).toEqual(['version', 'version']);
    for (const s of ['scikit-learn version 1.3.2 is used.', 'We use scikit-learn (version 1.3.2).', 'Pinned: scikit-learn==1.3.2.']) {
      const [v] = findAtoms(s);
      expect(v?.value, s).toEqual({ type: 'version', pkg: 'scikit-learn', version: '1.3.2' });
    }
    expect(atoms('The weights are licensed under Apache 2.0.').map((a) => a.type)).toEqual(['license']);
    expect(atoms('The PD model is a gradient-boosting classifier.').map((a) => a.type)).toEqual(['name']);
    expect(atoms('We train with AdamW.').map((a) => a.text)).toEqual(['AdamW']);
    expect(atoms('We train with Adam.').map((a) => a.text)).toEqual(['Adam']);
  });

  it('reads dropped columns from a sentence that says so', () => {
    const found = findAtoms('Payment fields (total_pymnt, last_pymnt_amnt and recoveries) are dropped.');
    const ids = found.find((a) => a.value.type === 'identifiers');
    expect(ids?.value).toMatchObject({ action: 'dropped', ids: expect.arrayContaining(['total_pymnt', 'last_pymnt_amnt', 'recoveries']) });
  });

  it('skips digits that are no values: names, dates, sizes, formulas, speed-ups', () => {
    expect(atoms('Trained on CIFAR-10 with GPT-2 on an H100.')).toEqual([]);
    expect(atoms('Data up to 2021-12-31 is used.')).toEqual([]);
    expect(atoms('Images are 32×32 pixels.')).toEqual([]);
    expect(atoms('Weights are scaled by 1/√N at init.')).toEqual([]);
    expect(atoms('Training is faster (2-3X).')).toEqual([]);
  });

  it('keeps a unit with its number and lets the unit decide the key', () => {
    const [khz] = atoms('Audio is sampled at 16 kHz.');
    expect(khz.keys).toContain('sample_rate');
    const [gb] = atoms('The GPUs were H100 80GB cards.');
    expect(gb.text).toContain('80');
  });

  it('never throws and keeps every atom inside the sentence (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (s) => {
      for (const a of findAtoms(s)) {
        expect(a.start).toBeGreaterThanOrEqual(0);
        expect(a.end).toBeLessThanOrEqual(s.length);
        expect(a.start).toBeLessThanOrEqual(a.end);
      }
    }), { numRuns: 300 });
  });
});
