import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { FrontMatterField } from './cardDocument.js';

export interface FrontMatter {
  /** Fields of a well-formed block; undefined when the YAML is invalid (see `warning`). */
  fields?: FrontMatterField[];
  /** 0-based index of the closing `---` line; the body starts on the next line. */
  closingLine: number;
  warning?: string;
}

/**
 * Reads a YAML front matter block (`---` on the first line, closed by `---` or `...`). Returns
 * undefined when the card has none. Invalid YAML is not fatal: the card is still checked, without
 * front matter claims, and the caller reports the warning.
 */
export function readFrontMatter(lines: readonly string[]): FrontMatter | undefined {
  if (lines.length === 0 || lines[0].trimEnd() !== '---') return undefined;
  let closingLine = -1;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i].trimEnd();
    if (l === '---' || l === '...') {
      closingLine = i;
      break;
    }
  }
  if (closingLine < 0) return undefined;

  const source = lines.slice(1, closingLine).join('\n');
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first.pos ? lineCounter.linePos(first.pos[0]) : undefined;
    const at = where ? ` at line ${where.line + 1}` : '';
    const message = first.message.split('\n')[0];
    return { closingLine, warning: `front matter is not valid YAML${at} (${message}); front matter claims were skipped` };
  }

  // `---`/text/`---` that is not a mapping is Markdown (a rule and a setext heading), not metadata.
  if (doc.contents !== null && !isMap(doc.contents)) return undefined;

  const fields: FrontMatterField[] = [];
  const visit = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, path === '' ? key : `${path}.${key}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, path === '' ? String(index) : `${path}.${index}`));
    } else if (isScalar(node) && !isAlias(node) && path !== '') {
      const value = scalarValue(node.value);
      if (value === undefined || !node.range) return;
      const pos = lineCounter.linePos(node.range[0]);
      const line = pos.line + 1; // the opening `---` is line 1 of the file
      fields.push({ path, value, line, column: pos.col, lineText: lines[line - 1] ?? '' });
    }
  };
  visit(doc.contents, '');
  return { closingLine, fields };
}

function scalarValue(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  // null leaves (`base_model:` with nothing after it) assert nothing.
  return undefined;
}
