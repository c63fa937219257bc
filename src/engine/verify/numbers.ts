/**
 * Numbers as a card writes them ("2e-5", "91.2%", "124M", "about 25 minutes", "16 kHz") and how
 * they compare with the plain numbers code holds. A card shows a value at some precision; code
 * that rounds to the card's display is in agreement (0.9123 supports "91.2%").
 */

export type NumberScale = 'k' | 'M' | 'B' | 'T';

export interface CardNumber {
  /** The value with any scale suffix applied (124M → 124000000). Percent numbers stay in percent (91.2% → 91.2); units are not applied (16 kHz → 16). */
  value: number;
  /** The text as written. */
  raw: string;
  /**
   * Position of the last written digit relative to the point of `value`: "0.781" → 3,
   * "2e-5" → 5, "3.0e-4" → 5, "35" → 0, "124M" → -6. The displayed resolution is 10^-decimals.
   */
  decimals: number;
  /** Significant digits as written ("0.00002" → 1, "3.0e-4" → 2, "1,000" → 1, "50,265" → 5). */
  significant: number;
  percent: boolean;
  scale?: NumberScale;
  /** Canonical unit symbol: 'ms', 's', 'min', 'h', 'd', 'Hz', 'kHz', 'GB', 'GiB', ... */
  unit?: string;
  /** Preceded by "about", "approximately", "~", "≈", ... */
  approx: boolean;
}

export type BaseUnit = 's' | 'Hz' | 'byte';

interface UnitInfo {
  unit: string;
  base: BaseUnit;
  factor: number;
}

const SCALE_EXPONENT: Record<NumberScale, number> = { k: 3, M: 6, B: 9, T: 12 };
const SCALE_WORDS: Record<string, NumberScale> = { thousand: 'k', million: 'M', billion: 'B', trillion: 'T' };

const UNITS: UnitInfo[] = [
  { unit: 'ns', base: 's', factor: 1e-9 },
  { unit: 'µs', base: 's', factor: 1e-6 },
  { unit: 'ms', base: 's', factor: 1e-3 },
  { unit: 's', base: 's', factor: 1 },
  { unit: 'min', base: 's', factor: 60 },
  { unit: 'h', base: 's', factor: 3600 },
  { unit: 'd', base: 's', factor: 86400 },
  { unit: 'wk', base: 's', factor: 604800 },
  { unit: 'Hz', base: 'Hz', factor: 1 },
  { unit: 'kHz', base: 'Hz', factor: 1e3 },
  { unit: 'MHz', base: 'Hz', factor: 1e6 },
  { unit: 'GHz', base: 'Hz', factor: 1e9 },
  { unit: 'byte', base: 'byte', factor: 1 },
  { unit: 'KB', base: 'byte', factor: 1e3 },
  { unit: 'MB', base: 'byte', factor: 1e6 },
  { unit: 'GB', base: 'byte', factor: 1e9 },
  { unit: 'TB', base: 'byte', factor: 1e12 },
  { unit: 'PB', base: 'byte', factor: 1e15 },
  { unit: 'KiB', base: 'byte', factor: 2 ** 10 },
  { unit: 'MiB', base: 'byte', factor: 2 ** 20 },
  { unit: 'GiB', base: 'byte', factor: 2 ** 30 },
  { unit: 'TiB', base: 'byte', factor: 2 ** 40 },
];
const UNIT_BY_SYMBOL = new Map(UNITS.map((u) => [u.unit, u]));

/** Spellings of each unit. Symbols are case-sensitive ("MB" is not "mb"); words are not. */
const UNIT_SPELLINGS: Record<string, string[]> = {
  ns: ['ns', 'nanosecond', 'nanoseconds'],
  'µs': ['µs', 'μs', 'us', 'microsecond', 'microseconds'],
  ms: ['ms', 'msec', 'msecs', 'millisecond', 'milliseconds'],
  s: ['s', 'sec', 'secs', 'second', 'seconds'],
  min: ['min', 'mins', 'minute', 'minutes'],
  h: ['h', 'hr', 'hrs', 'hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
  Hz: ['Hz', 'hz', 'hertz'],
  kHz: ['kHz', 'KHz', 'khz', 'kilohertz'],
  MHz: ['MHz', 'megahertz'],
  GHz: ['GHz', 'gigahertz'],
  byte: ['byte', 'bytes'],
  KB: ['KB', 'kB', 'kilobyte', 'kilobytes'],
  MB: ['MB', 'megabyte', 'megabytes'],
  GB: ['GB', 'gigabyte', 'gigabytes'],
  TB: ['TB', 'terabyte', 'terabytes'],
  PB: ['PB', 'petabyte', 'petabytes'],
  KiB: ['KiB', 'kibibyte', 'kibibytes'],
  MiB: ['MiB', 'mebibyte', 'mebibytes'],
  GiB: ['GiB', 'gibibyte', 'gibibytes'],
  TiB: ['TiB', 'tebibyte', 'tebibytes'],
};
const UNIT_SPELLING = new Map<string, string>();
for (const [unit, spellings] of Object.entries(UNIT_SPELLINGS)) {
  for (const s of spellings) UNIT_SPELLING.set(s, unit);
}
// Longest first so "ms" wins over "s" and "minutes" over "min".
const UNIT_ALTERNATION = [...UNIT_SPELLING.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, dozen: 12, single: 1, twice: 2,
};

const SUPERSCRIPT_DIGITS: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-', '⁺': '+',
};

// Pieces of a number token. All sticky: they are tried at a known position.
const CORE = /(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:\.\d+)?|\.\d+/y;
const VERSION_TAIL = /(?:\.\d+)+/y;
const E_EXPONENT = /[eE]([+\-−]?\d+)/y;
const TIMES_TEN = /[ \t\u00a0\u202f]*(?:[×x*·⋅]|\\times|\\cdot)[ \t\u00a0\u202f]*10[ \t]*(?:\^[ \t]*\{?[ \t]*([+\-−]?\d+)(?:[ \t]*\})?|\*\*[ \t]*\(?([+\-−]?\d+)\)?|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))/y;
const POWER_OF_TEN = /[ \t]*(?:\^[ \t]*\{?[ \t]*([+\-−]?\d+)(?:[ \t]*\})?|\*\*[ \t]*\(?([+\-−]?\d+)\)?|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))/y;
const PERCENT = /[ \u00a0\u202f]?%|[ \u00a0\u202f]?(?:percentage points?|percent|pp)(?![\p{L}\p{N}_])/uy;
const SCALE_LETTER = /([kKMBT])(?![\p{L}\p{N}_])/uy;
const SCALE_WORD = /[ \u00a0\u202f](thousand|million|billion|trillion)(?![\p{L}\p{N}_])/iuy;
const UNIT = new RegExp(`[ \\u00a0\\u202f]?(${UNIT_ALTERNATION})(?![\\p{L}\\p{N}_])`, 'uy');
const APPROX_BEFORE = /(?:\b(?:about|approximately|approx\.?|around|roughly|circa|ca\.|nearly|almost)|~|≈|∼)[ \t\u00a0]*$/i;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const URL = /\b(?:https?:\/\/|www\.)[^\s)\]>]+|\]\([^)\s]*\)/g;

interface TokenMatch {
  end: number;
  number?: CardNumber;
}

/**
 * Reads one number token at `start` (no sign handling here). Returns the token's end, and the
 * number unless the token is part of something else (a version "2.2.2", an identifier "10BT").
 */
function readToken(text: string, start: number, negative: boolean, signStart: number): TokenMatch | undefined {
  CORE.lastIndex = start;
  const core = CORE.exec(text);
  if (!core) return undefined;
  let pos = CORE.lastIndex;

  // "2.2.2" or "192.168.0.1": a version or address, not a number.
  if (text[pos] === '.' && /\d/.test(text[pos + 1] ?? '')) {
    VERSION_TAIL.lastIndex = pos;
    VERSION_TAIL.exec(text);
    return { end: VERSION_TAIL.lastIndex };
  }

  const mantissa = core[0].replace(/,/g, '');
  let exponent = 0;
  let mantissaText = mantissa;
  E_EXPONENT.lastIndex = pos;
  const e = E_EXPONENT.exec(text);
  if (e) {
    exponent = Number(e[1].replace('−', '-'));
    pos = E_EXPONENT.lastIndex;
  } else {
    const powerRe = mantissa === '10' ? POWER_OF_TEN : TIMES_TEN;
    powerRe.lastIndex = pos;
    const p = powerRe.exec(text);
    if (p) {
      const expText = p[1] ?? p[2] ?? [...p[3]].map((c) => SUPERSCRIPT_DIGITS[c] ?? c).join('');
      exponent = Number(expText.replace('−', '-'));
      if (mantissa === '10' && powerRe === POWER_OF_TEN) mantissaText = '1';
      pos = powerRe.lastIndex;
    }
  }

  let percent = false;
  let scale: NumberScale | undefined;
  let unit: string | undefined;
  PERCENT.lastIndex = pos;
  const pc = PERCENT.exec(text);
  if (pc) {
    percent = true;
    pos = PERCENT.lastIndex;
  } else {
    SCALE_LETTER.lastIndex = pos;
    const sl = SCALE_LETTER.exec(text);
    SCALE_WORD.lastIndex = pos;
    const sw = sl ? null : SCALE_WORD.exec(text);
    if (sl) {
      scale = (sl[1] === 'K' ? 'k' : sl[1]) as NumberScale;
      pos = SCALE_LETTER.lastIndex;
    } else if (sw) {
      scale = SCALE_WORDS[sw[1].toLowerCase()];
      pos = SCALE_WORD.lastIndex;
    } else {
      UNIT.lastIndex = pos;
      const u = UNIT.exec(text);
      if (u) {
        unit = UNIT_SPELLING.get(u[1]) ?? UNIT_SPELLING.get(u[1].toLowerCase());
        pos = UNIT.lastIndex;
      }
    }
  }

  // "3x3" (a size) and "8x A100" (a count) end at the x; anything else glued on makes an identifier.
  const next = text[pos];
  const after = text[pos + 1];
  const multiplier = next === 'x' && (after === undefined || /\d/.test(after) || !WORD_CHAR.test(after));
  if (next !== undefined && WORD_CHAR.test(next) && !multiplier) {
    let end = pos;
    while (end < text.length && WORD_CHAR.test(text[end])) end++;
    return { end };
  }

  const written = mantissaText.includes('.') ? mantissaText.split('.')[1].length : 0;
  const scaleExp = scale ? SCALE_EXPONENT[scale] : 0;
  const value = Number(`${negative ? '-' : ''}${mantissaText}e${exponent + scaleExp}`);
  const number: CardNumber = {
    value: Object.is(value, -0) ? 0 : value,
    raw: text.slice(signStart, pos),
    decimals: written - exponent - scaleExp,
    significant: significantDigits(mantissaText),
    percent,
    approx: false,
  };
  if (scale) number.scale = scale;
  if (unit) number.unit = unit;
  return { end: pos, number };
}

function significantDigits(mantissa: string): number {
  const hasPoint = mantissa.includes('.');
  let digits = mantissa.replace('.', '').replace(/^0+/, '');
  if (!hasPoint) digits = digits.replace(/0+$/, '');
  return Math.max(digits.length, 1);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Parses one number as a card writes it: "2e-5", "2 × 10⁻⁵", "91.2%", "50,265", "124M", "1.5B",
 * "−0.3", "16 kHz", "about 25 minutes", "seven". Undefined when `raw` is not exactly one number.
 */
export function parseCardNumber(raw: string): CardNumber | undefined {
  const text = raw.trim();
  const approx = /^(?:about|approximately|approx\.?|around|roughly|circa|ca\.|nearly|almost|~|≈|∼)\s*/i.exec(text);
  let pos = approx ? approx[0].length : 0;
  const word = /^([a-z]+)$/i.exec(text.slice(pos));
  if (word) {
    const n = wordNumber(word[1], raw.trim());
    if (n) n.approx = approx !== null;
    return n;
  }
  let negative = false;
  const sign = /[-−+]/y;
  sign.lastIndex = pos;
  if (sign.test(text)) {
    negative = text[pos] !== '+';
    pos++;
  }
  const m = readToken(text, pos, negative, 0);
  if (!m?.number || m.end !== text.length) return undefined;
  m.number.raw = text;
  m.number.approx = approx !== null;
  return m.number;
}

function wordNumber(word: string, raw: string): CardNumber | undefined {
  const value = NUMBER_WORDS[word.toLowerCase()];
  if (value === undefined) return undefined;
  return { value, raw, decimals: 0, significant: significantDigits(String(value)), percent: false, approx: false };
}

export interface FoundNumber {
  raw: string;
  /** Index in the text of the first character (the sign, if any). */
  index: number;
  number: CardNumber;
}

export interface FindNumbersOptions {
  /** Also read number words ("seven grades", "two masks"). Off by default: "one" is often a pronoun. */
  words?: boolean;
}

/**
 * Every number token in a piece of prose, in order. Digits that belong to names are skipped
 * ("gpt2", "H100", "v2", "CIFAR-10", "RC-EL-017", "RTX 3090", "sample-10BT", "PyTorch 2.2.2",
 * URLs); a range "300–850" gives two numbers.
 */
export function findNumbers(text: string, opts: FindNumbersOptions = {}): FoundNumber[] {
  const out: FoundNumber[] = [];
  const skipSpans: Array<[number, number]> = [];
  for (const m of text.matchAll(URL)) skipSpans.push([m.index, m.index + m[0].length]);
  const inSkipSpan = (i: number): number | undefined => skipSpans.find(([s, e]) => i >= s && i < e)?.[1];

  const candidate = opts.words ? /[-−+]?\.?\d|\p{L}+/gu : /[-−+]?\.?\d/g;
  let m: RegExpExecArray | null;
  while ((m = candidate.exec(text)) !== null) {
    const at = m.index;
    const skipTo = inSkipSpan(at);
    if (skipTo !== undefined) {
      candidate.lastIndex = skipTo;
      continue;
    }
    if (/\p{L}/u.test(m[0][0])) {
      const word = m[0];
      const prev = text[at - 1];
      if (prev === undefined || !WORD_CHAR.test(prev)) {
        const n = wordNumber(word, word);
        // "one-hot", "two-stage": part of a compound word rather than a count.
        if (n && text[at + word.length] !== '-') {
          n.approx = APPROX_BEFORE.test(text.slice(Math.max(0, at - 16), at));
          out.push({ raw: word, index: at, number: n });
        }
      }
      continue;
    }

    let digitStart = at;
    let negative = false;
    const first = m[0][0];
    if (first === '-' || first === '−' || first === '+') {
      digitStart = at + 1;
      negative = first !== '+' && isSignContext(text, at);
      if (!negative) {
        // Not a sign: a hyphen or range dash; read the number after it on its own.
        candidate.lastIndex = at + 1;
        continue;
      }
    }

    if (isIdentifierContext(text, at)) {
      // The whole name: "CIFAR-10-C", "Llama-2-70", "v1.5".
      let end = digitStart;
      while (end < text.length && (WORD_CHAR.test(text[end]) || (/[.-]/.test(text[end]) && WORD_CHAR.test(text[end + 1] ?? '')))) end++;
      candidate.lastIndex = Math.max(end, at + 1);
      continue;
    }

    const tok = readToken(text, digitStart, negative, at);
    if (!tok) {
      candidate.lastIndex = at + 1;
      continue;
    }
    candidate.lastIndex = Math.max(tok.end, at + 1);
    const n = tok.number;
    if (!n) continue;
    if (isModelNumber(text, at, n)) continue;
    n.approx = APPROX_BEFORE.test(text.slice(Math.max(0, at - 16), at));
    out.push({ raw: n.raw, index: at, number: n });
  }
  return out;
}

/** A '-' before digits is a minus sign unless it joins two numbers ("300-850") or a word ("CIFAR-10"). */
function isSignContext(text: string, at: number): boolean {
  const prev = text[at - 1];
  if (prev === undefined) return true;
  if (WORD_CHAR.test(prev) || prev === '.' || prev === ')') return false;
  let i = at - 1;
  while (i >= 0 && /[ \t]/.test(text[i])) i--;
  // "300 - 850", "5% - 10%": a range, not a negative number.
  if (i >= 0 && /[\d%]/.test(text[i])) return false;
  return /[\s(\[{=:,;/<>≈~]/.test(prev);
}

/** Digits glued to a name: "gpt2", "H100", "β1", "CIFAR-10", "RC-EL-017", "file/2". */
function isIdentifierContext(text: string, at: number): boolean {
  const prev = text[at - 1];
  if (prev === undefined) return false;
  // "3x3": the second 3 is a number too.
  if (prev === 'x' && /\d/.test(text[at - 2] ?? '')) return false;
  if (WORD_CHAR.test(prev)) return true;
  if (prev === '-' || prev === '.' || prev === '/' || prev === '\\') {
    const before = text[at - 2];
    return before !== undefined && /[\p{L}_]/u.test(before);
  }
  return false;
}

/** "RTX 3090", "GTX 1080": a product number after an all-caps word, not a quantity. */
function isModelNumber(text: string, at: number, n: CardNumber): boolean {
  if (n.percent || n.scale || n.unit || !/^\d{3,4}$/.test(n.raw)) return false;
  return /(?:^|[^\p{L}])\p{Lu}{2,5}[ \u00a0]$/u.test(text.slice(Math.max(0, at - 8), at));
}

// ---------------------------------------------------------------------------------------------
// Units

export function unitInfo(unit: string): { base: BaseUnit; factor: number } | undefined {
  const canonical = UNIT_BY_SYMBOL.get(unit) ?? UNIT_BY_SYMBOL.get(UNIT_SPELLING.get(unit) ?? UNIT_SPELLING.get(unit.toLowerCase()) ?? '');
  return canonical ? { base: canonical.base, factor: canonical.factor } : undefined;
}

/**
 * The number in base units: seconds, hertz, bytes. A percent becomes a fraction (91.2% → 0.912).
 * A number without a known unit keeps its value and has no unit.
 */
export function toBaseUnit(n: CardNumber): { value: number; unit?: BaseUnit } {
  if (n.percent) return { value: shiftExact(n.value, -2) };
  const info = n.unit ? unitInfo(n.unit) : undefined;
  if (!info) return { value: n.value };
  return { value: n.value * info.factor, unit: info.base };
}

/** Converts between units of one dimension ("min" → "s"); undefined across dimensions or for unknown units. */
export function convertUnit(value: number, from: string, to: string): number | undefined {
  const a = unitInfo(from);
  const b = unitInfo(to);
  if (!a || !b || a.base !== b.base) return undefined;
  return (value * a.factor) / b.factor;
}

/** value × 10^exp without binary drift (0.912 rather than 0.9120000000000001). */
function shiftExact(value: number, exp: number): number {
  const s = value.toExponential();
  const [m, e] = s.split('e');
  return Number(`${m}e${Number(e) + exp}`);
}

// ---------------------------------------------------------------------------------------------
// Comparison

export interface NumbersAgreeOptions {
  /**
   * Whether the code's number is a percent number (91.2) rather than a fraction (0.912).
   * Undefined: a percent card may match either.
   */
  codeIsPercentUnit?: boolean;
  /** The code's unit when known ('s', 'ms', 'Hz'...); the card's number is converted to it. */
  codeUnit?: string;
  /**
   * 'display' (default): the code's value rounded to the card's displayed precision must equal the
   * card's value. 'exact': equal values only (for settings, where 2.4e-5 is not "2e-5").
   */
  precision?: 'display' | 'exact';
  /** Relative tolerance for approximate card numbers ("about 25 minutes"); default 0.1, 0 turns it off. */
  approxTolerance?: number;
}

interface Candidate {
  value: number;
  /** Displayed resolution in the same units as `value`. */
  resolution: number;
}

/** The card's number expressed in each reading of the code's unit that is plausible. */
function candidates(card: CardNumber, opts: NumbersAgreeOptions): Candidate[] {
  const res = 10 ** -card.decimals;
  const base: Candidate[] = [];
  if (card.percent) {
    if (opts.codeIsPercentUnit !== true) base.push({ value: shiftExact(card.value, -2), resolution: res / 100 });
    if (opts.codeIsPercentUnit !== false) base.push({ value: card.value, resolution: res });
  } else {
    base.push({ value: card.value, resolution: res });
    if (opts.codeIsPercentUnit === true) base.push({ value: shiftExact(card.value, 2), resolution: res * 100 });
  }
  if (!card.unit) return base;
  const info = unitInfo(card.unit);
  if (!info) return base;
  if (opts.codeUnit !== undefined) {
    const factor = convertUnit(1, card.unit, opts.codeUnit);
    if (factor === undefined) return base;
    return base.map((c) => ({ value: c.value * factor, resolution: c.resolution * factor }));
  }
  // Unknown code unit: the card's own unit or the base unit (16 kHz vs 16 or 16000).
  if (info.factor === 1) return base;
  return [...base, ...base.map((c) => ({ value: c.value * info.factor, resolution: c.resolution * info.factor }))];
}

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Whether a number in code agrees with a number on the card: equal by value, or equal once the
 * code's value is rounded to the card's displayed precision (card 91.2% vs 0.9123, card 124M vs
 * 124,337,664, card 0.781 vs 0.7812); a percent card matches a fraction or a percent number;
 * approximate card numbers allow a relative tolerance.
 */
export function numbersAgree(card: CardNumber, code: number, opts: NumbersAgreeOptions = {}): boolean {
  if (!Number.isFinite(code) || !Number.isFinite(card.value)) return false;
  const approxTol = card.approx ? (opts.approxTolerance ?? 0.1) : 0;
  for (const c of candidates(card, opts)) {
    if (closeEnough(c.value, code)) return true;
    const diff = Math.abs(c.value - code);
    // Half the displayed resolution, with room for binary rounding at the boundary.
    if (opts.precision !== 'exact' && diff <= (c.resolution / 2) * (1 + 1e-9)) return true;
    if (approxTol > 0 && diff <= Math.abs(c.value) * approxTol * (1 + 1e-9)) return true;
  }
  return false;
}

export type ComparisonOp = '>' | '>=' | '<' | '<=' | '=' | '≈';

export interface CompareOptions {
  /** Whether the measured number is a percent number. Undefined: a fraction when |measured| ≤ 1 and the bound is a percent. */
  measuredIsPercentUnit?: boolean;
  /** The measured number's unit when known; the bound is converted to it. */
  measuredUnit?: string;
}

/**
 * Checks a card's bound against a measured value: "AUC above 0.70" is `('>', 0.70, 0.7164)`;
 * "above 70%" holds for 0.7164 and for 71.64. '=' and '≈' use `numbersAgree` (≈ with a 10% tolerance).
 */
export function compareInequality(op: ComparisonOp, bound: CardNumber, measured: number, opts: CompareOptions = {}): boolean {
  if (!Number.isFinite(measured)) return false;
  if (op === '=' || op === '≈') {
    const card = op === '≈' ? { ...bound, approx: true } : bound;
    return numbersAgree(card, measured, { codeIsPercentUnit: opts.measuredIsPercentUnit, codeUnit: opts.measuredUnit });
  }
  let b = bound.value;
  if (bound.percent) {
    const measuredIsFraction = opts.measuredIsPercentUnit === undefined ? Math.abs(measured) <= 1 : !opts.measuredIsPercentUnit;
    if (measuredIsFraction) b = shiftExact(bound.value, -2);
  } else if (opts.measuredIsPercentUnit === true) {
    b = shiftExact(bound.value, 2);
  }
  if (bound.unit && opts.measuredUnit) {
    const converted = convertUnit(b, bound.unit, opts.measuredUnit);
    if (converted !== undefined) b = converted;
  }
  const equal = closeEnough(measured, b);
  switch (op) {
    case '>': return measured > b && !equal;
    case '>=': return measured > b || equal;
    case '<': return measured < b && !equal;
    case '<=': return measured < b || equal;
  }
}
