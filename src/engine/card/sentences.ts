/** A sentence of a block, with its offset in the block's text. */
export interface Sentence {
  text: string;
  start: number;
}

/**
 * Splits prose into sentences. A period ends a sentence only when followed by white space and
 * an upper-case letter, digit or bracket, so "2e-5", "e.g. the", "v2.1" and "0.5" stay whole.
 */
export function splitSentences(text: string): Sentence[] {
  return splitAtPeriods(text).flatMap(splitAtSemicolons);
}

/** Independent clauses joined by a semicolon state separate facts ("x is one-hot encoded; y is imputed"). */
function splitAtSemicolons(sentence: Sentence): Sentence[] {
  const parts: Sentence[] = [];
  let start = 0;
  for (const m of sentence.text.matchAll(/;\s+/g)) {
    const end = m.index ?? 0;
    const left = sentence.text.slice(start, end);
    if (left.trim().split(/\s+/).length >= 3 && sentence.text.slice(end).trim().split(/\s+/).length >= 4) {
      parts.push({ text: left.trim(), start: sentence.start + start + (left.length - left.trimStart().length) });
      start = end + m[0].length;
    }
  }
  const rest = sentence.text.slice(start);
  parts.push({ text: rest.trim(), start: sentence.start + start + (rest.length - rest.trimStart().length) });
  return parts.filter((p) => p.text.length > 0);
}

function splitAtPeriods(text: string): Sentence[] {
  const out: Sentence[] = [];
  const boundary = /([.!?])\s+(?=[A-Z0-9(\["'“])/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = boundary.exec(text)) !== null) {
    const end = m.index + 1;
    const before = text.slice(Math.max(start, end - 6), end);
    // Abbreviations that end in a period do not end a sentence.
    if (/\b(e\.g|i\.e|etc|vs|approx|incl|Fig|No|cf)\.$/i.test(before)) continue;
    pushTrimmed(out, text, start, end);
    start = m.index + m[0].length;
  }
  pushTrimmed(out, text, start, text.length);
  return out;
}

function pushTrimmed(out: Sentence[], text: string, start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e > s) out.push({ text: text.slice(s, e), start: s });
}
