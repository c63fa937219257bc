/** A plain decimal or scientific number as written in configs, logs and command lines (`3e-4`, `.5`, `-2`). */
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** The number a token spells, or undefined. Thousands separators are not accepted here (`1,000` is a list in CSV). */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A scalar from untyped text (ini values, shell arguments): number, `true`/`false`, else the string. */
export function scalarFromText(text: string): number | boolean | string {
  const n = parseNumberText(text);
  if (n !== undefined) return n;
  const lower = text.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return text;
}
