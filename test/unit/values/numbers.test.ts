import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareInequality, convertUnit, findNumbers, numbersAgree, parseCardNumber, toBaseUnit, type CardNumber,
} from '../../../src/engine/verify/numbers.js';

function num(raw: string): CardNumber {
  const n = parseCardNumber(raw);
  if (!n) throw new Error(`did not parse: ${raw}`);
  return n;
}

describe('parseCardNumber', () => {
  it.each([
    ['2e-5', 0.00002, 5, 1],
    ['0.00002', 0.00002, 5, 1],
    ['2 × 10⁻⁵', 0.00002, 5, 1],
    ['3.0×10^-4', 0.0003, 5, 2],
    ['3.0e-4', 0.0003, 5, 2],
    ['1.5 × 10^{9}', 1.5e9, -8, 2],
    ['10^-8', 1e-8, 8, 1],
    ['10**-4', 1e-4, 4, 1],
    ['2\\times10^{-5}', 0.00002, 5, 1],
    ['2 \\cdot 10^{-5}', 0.00002, 5, 1],
    ['50,265', 50265, 0, 5],
    ['1,000', 1000, 0, 1],
    ['1,000,000', 1e6, 0, 1],
    ['0.5', 0.5, 1, 1],
    ['.5', 0.5, 1, 1],
    ['0.10', 0.1, 2, 2],
    ['35', 35, 0, 2],
    ['−0.3', -0.3, 1, 1],
    ['-0.3', -0.3, 1, 1],
    ['+5', 5, 0, 1],
    ['1e+21', 1e21, -21, 1],
  ])('%s → %d (decimals %d, significant %d)', (raw, value, decimals, significant) => {
    const n = num(raw);
    expect(n.value).toBe(value);
    expect(n.decimals).toBe(decimals);
    expect(n.significant).toBe(significant);
    expect(n.percent).toBe(false);
    expect(n.raw).toBe(raw);
  });

  it('reads percents as percent numbers', () => {
    expect(num('91.2%')).toMatchObject({ value: 91.2, percent: true, decimals: 1 });
    expect(num('6%')).toMatchObject({ value: 6, percent: true, decimals: 0 });
    expect(num('6 %')).toMatchObject({ value: 6, percent: true });
    expect(num('12 percent')).toMatchObject({ value: 12, percent: true });
    expect(num('1.5 percentage points')).toMatchObject({ value: 1.5, percent: true });
  });

  it('applies scale suffixes to the value and the displayed precision', () => {
    expect(num('124M')).toMatchObject({ value: 124_000_000, scale: 'M', decimals: -6, significant: 3 });
    expect(num('1.5B')).toMatchObject({ value: 1_500_000_000, scale: 'B', decimals: -8 });
    expect(num('10k')).toMatchObject({ value: 10_000, scale: 'k' });
    expect(num('10K')).toMatchObject({ value: 10_000, scale: 'k' });
    expect(num('2T')).toMatchObject({ value: 2e12, scale: 'T' });
    expect(num('3 million')).toMatchObject({ value: 3e6, scale: 'M' });
  });

  it('keeps units apart from the value', () => {
    expect(num('16 kHz')).toMatchObject({ value: 16, unit: 'kHz' });
    expect(num('16kHz')).toMatchObject({ value: 16, unit: 'kHz' });
    expect(num('80GB')).toMatchObject({ value: 80, unit: 'GB' });
    expect(num('40 GiB')).toMatchObject({ value: 40, unit: 'GiB' });
    expect(num('5 ms')).toMatchObject({ value: 5, unit: 'ms' });
    expect(num('25 minutes')).toMatchObject({ value: 25, unit: 'min' });
    expect(num('6 hours')).toMatchObject({ value: 6, unit: 'h' });
    expect(num('3 s')).toMatchObject({ value: 3, unit: 's' });
    expect(num('2 days')).toMatchObject({ value: 2, unit: 'd' });
  });

  it('marks approximate numbers', () => {
    expect(num('about 25 minutes')).toMatchObject({ value: 25, unit: 'min', approx: true });
    expect(num('~300')).toMatchObject({ value: 300, approx: true });
    expect(num('≈ 0.5')).toMatchObject({ value: 0.5, approx: true });
    expect(num('approximately 6%')).toMatchObject({ value: 6, percent: true, approx: true });
    expect(num('25')).toMatchObject({ approx: false });
  });

  it('reads number words', () => {
    expect(num('seven')).toMatchObject({ value: 7, decimals: 0 });
    expect(num('Twelve')).toMatchObject({ value: 12 });
  });

  it.each(['', 'abc', '2.2.2', '12 layers', 'gpt2', '10BT', '1e', '3x', '5-fold', '1,00'])('rejects %j', (raw) => {
    expect(parseCardNumber(raw)).toBeUndefined();
  });

  it('round-trips every number JavaScript prints', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (x) => {
        const s = String(x);
        expect(parseCardNumber(s)?.value).toBe(Object.is(x, -0) ? 0 : x);
      }),
    );
  });

  it('reads thousands separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (n) => {
        expect(parseCardNumber(n.toLocaleString('en-US'))?.value).toBe(n);
      }),
    );
  });
});

describe('numbersAgree', () => {
  it.each([
    ['91.2%', 0.9123, true],
    ['91.2%', 91.23, true],
    ['91.2%', 0.9134, false],
    ['0.781', 0.7812, true],
    ['0.781', 0.7818, false],
    ['3e-5', 2e-5, false],
    ['2e-5', 0.00002, true],
    ['0.1', 0.2, false],
    ['88.5%', 0.885, true],
    ['88.5%', 88.5, true],
    ['88.5%', 0.875, false],
    ['124M', 124_337_664, true],
    ['124M', 125_337_664, false],
    ['1.5B', 1_478_000_000, true],
    ['35', 35.0, true],
    ['35', 36, false],
    ['1e-2', 0.01, true],
    ['0.01', 1e-2, true],
    ['50,265', 50265, true],
    ['50,265', 50257, false],
    ['6%', 0.06, true],
    ['6%', 0.1, false],
    ['−0.3', -0.3, true],
    ['−0.3', 0.3, false],
    ['16 kHz', 16000, true],
    ['16 kHz', 16, true],
    ['16 kHz', 8000, false],
  ])('card %s vs code %d → %s', (raw, code, expected) => {
    expect(numbersAgree(num(raw), code)).toBe(expected);
  });

  it('honours what the code unit is known to be', () => {
    expect(numbersAgree(num('88.5%'), 88.5, { codeIsPercentUnit: false })).toBe(false);
    expect(numbersAgree(num('88.5%'), 0.885, { codeIsPercentUnit: true })).toBe(false);
    expect(numbersAgree(num('0.885'), 88.5, { codeIsPercentUnit: true })).toBe(true);
    expect(numbersAgree(num('0.885'), 88.5)).toBe(false);
    expect(numbersAgree(num('25 minutes'), 1500, { codeUnit: 's' })).toBe(true);
    expect(numbersAgree(num('25 minutes'), 25, { codeUnit: 's' })).toBe(false);
    expect(numbersAgree(num('5 ms'), 0.005, { codeUnit: 's' })).toBe(true);
  });

  it('compares settings exactly when asked', () => {
    expect(numbersAgree(num('2e-5'), 2.4e-5)).toBe(true);
    expect(numbersAgree(num('2e-5'), 2.4e-5, { precision: 'exact' })).toBe(false);
    expect(numbersAgree(num('2e-5'), 0.00002, { precision: 'exact' })).toBe(true);
  });

  it('gives approximate card numbers a relative tolerance', () => {
    expect(numbersAgree(num('about 25 minutes'), 27)).toBe(true);
    expect(numbersAgree(num('about 25 minutes'), 28)).toBe(false);
    expect(numbersAgree(num('about 25 minutes'), 27, { approxTolerance: 0 })).toBe(false);
    expect(numbersAgree(num('about 25 minutes'), 29, { approxTolerance: 0.2 })).toBe(true);
    expect(numbersAgree(num('25 minutes'), 27)).toBe(false);
  });

  it('rejects non-finite code values', () => {
    expect(numbersAgree(num('1'), Number.NaN)).toBe(false);
    expect(numbersAgree(num('1'), Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('agrees with any value that rounds to the card at its displayed precision', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: -0.49, max: 0.49, noNaN: true }),
        (x, digits, offset) => {
          const shown = x.toFixed(digits);
          const code = Number(shown) + offset * 10 ** -digits;
          expect(numbersAgree(num(shown), code)).toBe(true);
        },
      ),
    );
  });

  it('disagrees with values a displayed step or more away', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        fc.double({ min: 1.01, max: 1000, noNaN: true }),
        fc.boolean(),
        (x, digits, steps, up) => {
          const shown = x.toFixed(digits);
          const code = Number(shown) + (up ? 1 : -1) * steps * 10 ** -digits;
          expect(numbersAgree(num(shown), code)).toBe(false);
        },
      ),
    );
  });

  it('matches scientific notation against the plain value it shows', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, digits) => {
        const shown = x.toExponential(digits);
        expect(numbersAgree(num(shown), x)).toBe(true);
        expect(numbersAgree(num(shown), Number(shown))).toBe(true);
      }),
    );
  });

  it('matches a percent against the fraction and the percent number it shows', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), (p, digits) => {
        const card = num(`${(p * 100).toFixed(digits)}%`);
        expect(numbersAgree(card, p)).toBe(true);
        expect(numbersAgree(card, p * 100)).toBe(true);
      }),
    );
  });

  it('matches a scaled count within half a displayed step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom(['k', 1e3], ['M', 1e6], ['B', 1e9]), fc.double({ min: -0.49, max: 0.49, noNaN: true }), (n, [suffix, factor], off) => {
        const card = num(`${n}${suffix}`);
        expect(numbersAgree(card, Math.round((n + off) * factor))).toBe(true);
        expect(numbersAgree(card, (n + 1.01) * factor)).toBe(false);
      }),
    );
  });
});

describe('units', () => {
  it('converts to base units', () => {
    expect(toBaseUnit(num('16 kHz'))).toEqual({ value: 16000, unit: 'Hz' });
    expect(toBaseUnit(num('25 minutes'))).toEqual({ value: 1500, unit: 's' });
    expect(toBaseUnit(num('5 ms'))).toEqual({ value: 0.005, unit: 's' });
    expect(toBaseUnit(num('2 GiB'))).toEqual({ value: 2 ** 31, unit: 'byte' });
    expect(toBaseUnit(num('80GB'))).toEqual({ value: 80e9, unit: 'byte' });
    expect(toBaseUnit(num('91.2%'))).toEqual({ value: 0.912 });
    expect(toBaseUnit(num('124M'))).toEqual({ value: 124e6 });
  });

  it('converts within a dimension only', () => {
    expect(convertUnit(2, 'h', 'min')).toBe(120);
    expect(convertUnit(1, 'GiB', 'MiB')).toBe(1024);
    expect(convertUnit(1, 'kHz', 's')).toBeUndefined();
    expect(convertUnit(1, 'parsecs', 's')).toBeUndefined();
  });
});

describe('compareInequality', () => {
  it.each([
    ['>', '0.70', 0.7164, true],
    ['>', '0.70', 0.70, false],
    ['>=', '0.70', 0.70, true],
    ['>', '70%', 0.7164, true],
    ['>', '70%', 71.64, true],
    ['>', '70%', 0.6, false],
    ['<', '0.10', 0.08, true],
    ['<', '0.10', 0.1, false],
    ['<=', '0.10', 0.1, true],
    ['<=', '1.5%', 0.012, true],
    ['<=', '1.5%', 0.02, false],
    ['>', '0.5', 0.61, true],
    ['<', '5 ms', 3, true],
    ['=', '91.2%', 0.9123, true],
    ['≈', '25', 27, true],
    ['=', '25', 27, false],
  ] as const)('%s %s vs %d → %s', (op, bound, measured, expected) => {
    expect(compareInequality(op, num(bound), measured)).toBe(expected);
  });

  it('uses the measured unit when known', () => {
    expect(compareInequality('<', num('5 ms'), 0.003, { measuredUnit: 's' })).toBe(true);
    expect(compareInequality('<', num('5 ms'), 0.006, { measuredUnit: 's' })).toBe(false);
    expect(compareInequality('<', num('1%'), 0.5, { measuredIsPercentUnit: true })).toBe(true);
    expect(compareInequality('<', num('1%'), 0.5, { measuredIsPercentUnit: false })).toBe(false);
  });

  it('is consistent with plain comparison for plain numbers', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (b, m) => {
        const bound = num(String(b));
        if (Math.abs(b - m) > 1e-6 * Math.max(1, Math.abs(b))) {
          expect(compareInequality('>', bound, m)).toBe(m > b);
          expect(compareInequality('<', bound, m)).toBe(m < b);
        }
        expect(compareInequality('>=', bound, b)).toBe(true);
        expect(compareInequality('<=', bound, b)).toBe(true);
      }),
    );
  });
});

describe('findNumbers', () => {
  const values = (text: string) => findNumbers(text).map((f) => f.number.value);
  const raws = (text: string) => findNumbers(text).map((f) => f.raw);

  it('finds the numbers of model-card prose with their places', () => {
    const text = 'We fine-tune with a learning rate of 2e-5 for 3 epochs, reaching 91.2% accuracy.';
    const found = findNumbers(text);
    expect(found.map((f) => f.raw)).toEqual(['2e-5', '3', '91.2%']);
    for (const f of found) expect(text.slice(f.index, f.index + f.raw.length)).toBe(f.raw);
  });

  it('reads every written form', () => {
    expect(raws('1,000 steps, 2e-5, 3.0×10^-4, 2 × 10⁻⁵, 91.2%, 124M params, 1.5B tokens, 16 kHz, 80GB')).toEqual([
      '1,000', '2e-5', '3.0×10^-4', '2 × 10⁻⁵', '91.2%', '124M', '1.5B', '16 kHz', '80GB',
    ]);
  });

  it('splits ranges into two numbers', () => {
    expect(values('Scores are reported on a 300–850 scale.')).toEqual([300, 850]);
    expect(values('from 300 - 850')).toEqual([300, 850]);
    expect(values('loans issued from 2012 to 2016')).toEqual([2012, 2016]);
    expect(values('bounded to [0, 1]')).toEqual([0, 1]);
    expect(values('0.781 ± 0.005')).toEqual([0.781, 0.005]);
  });

  it('reads minus signs but not hyphens', () => {
    expect(values('a shift of -0.3 and −0.2')).toEqual([-0.3, -0.2]);
    expect(values('5-fold cross-validation')).toEqual([5]);
  });

  it('skips digits that belong to names', () => {
    const text = 'gpt2 on an H100 and A100, Speech Commands v2, CIFAR-10 and CIFAR-10-C, inventory RC-EL-017, '
      + 'sample-10BT of FineWeb, an NVIDIA RTX 3090, β1 = 0.9, GPT-2 BPE, file train_v2.py, Llama-2-70 and Llama-2-7b, v1.5';
    expect(values(text)).toEqual([0.9]);
  });

  it('skips versions and URLs', () => {
    expect(values('Trained with PyTorch 2.2.2 and scikit-learn 1.3.2.')).toEqual([]);
    expect(values('see https://example.com/v1/2012/data and [the paper](https://arxiv.org/abs/2106.09685)')).toEqual([]);
  });

  it('reads counts written with a multiplier', () => {
    expect(raws('Trained on 8x A100 and 4× H100 GPUs, 5x faster')).toEqual(['8', '4', '5']);
    expect(raws('a 5xx error and 0x1F')).toEqual(['0']);
  });

  it('reads LaTeX scientific notation', () => {
    expect(values('with $\\epsilon = 1\\times10^{-8}$')).toEqual([1e-8]);
  });

  it('keeps years and sizes', () => {
    expect(values('clients from Taiwan (2005) in 32×32 images with 3x3 kernels')).toEqual([2005, 32, 32, 3, 3]);
  });

  it('marks approximate numbers', () => {
    const found = findNumbers('Training takes about 25 minutes on ~8 GPUs and 6 hours total.');
    expect(found.map((f) => [f.raw, f.number.approx])).toEqual([['25 minutes', true], ['8', true], ['6 hours', false]]);
  });

  it('reads number words only when asked', () => {
    const text = 'Seven grades, two frequency masks, one-hot columns.';
    expect(findNumbers(text)).toEqual([]);
    expect(findNumbers(text, { words: true }).map((f) => f.number.value)).toEqual([7, 2]);
  });

  it('finds each number of generated prose at its index', () => {
    const word = fc.constantFrom('the', 'rate', 'is', 'of', 'layers', 'and', 'with', 'steps', '(', ')', ',', ';', ':');
    const number = fc.oneof(
      fc.integer({ min: 0, max: 10 ** 9 }).map((n) => n.toLocaleString('en-US')),
      fc.double({ min: 0, max: 1e6, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 6 }).map((d) => x.toFixed(d))),
      fc.double({ min: 1e-9, max: 1, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 4 }).map((d) => x.toExponential(d))),
      fc.double({ min: 0, max: 100, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 2 }).map((d) => `${x.toFixed(d)}%`)),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(word, { maxLength: 3 }), number), { maxLength: 8 }), (parts) => {
        const pieces: string[] = [];
        const expected: string[] = [];
        for (const [words, n] of parts) {
          pieces.push(...words, n);
          expected.push(n);
        }
        const text = pieces.join(' ');
        const found = findNumbers(text);
        expect(found.map((f) => f.raw)).toEqual(expected);
        for (const f of found) {
          expect(text.slice(f.index, f.index + f.raw.length)).toBe(f.raw);
          expect(f.number.value).toBe(parseCardNumber(f.raw)?.value);
        }
      }),
    );
  });
});
