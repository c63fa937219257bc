import type { CardBlock, CardDocument } from './cardDocument.js';

/** Lines as editors count them (`\r\n`, `\r` and `\n` all end a line); a final newline adds no line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const LIST_ITEM = /^([ \t]*)([-*•]|\d{1,3}[.)])[ \t]+(?=\S)/;
const HEADING = /^([ \t]*)#{1,6}[ \t]+(?=\S)/;
// Underlines and rules (`=====`, `-----`) carry no words.
const RULE = /^[ \t]*([=\-_*~#])\1{2,}[ \t]*$/;

/**
 * A plain-text card: every non-empty line is a block; bulleted or numbered lines are list
 * items (text after the marker), `#` lines headings, so cards pasted from Markdown keep their
 * structure.
 */
export function parseTextCard(path: string, text: string): CardDocument {
  const lines = splitLines(text);
  const blocks: CardBlock[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  lines.forEach((line, index) => {
    if (line.trim().length === 0 || RULE.test(line)) return;
    const end = line.trimEnd().length;
    const heading = HEADING.exec(line);
    const item = heading ? null : LIST_ITEM.exec(line);
    const start = heading ? heading[0].length : item ? item[0].length : line.length - line.trimStart().length;
    const blockText = line.slice(start, end);
    const level = heading ? (line.trimStart().match(/^#+/)?.[0].length ?? 1) : 0;
    if (heading) while (headings.length > 0 && headings[headings.length - 1].level >= level) headings.pop();
    blocks.push({
      kind: heading ? 'heading' : item ? 'listItem' : 'paragraph',
      line: index + 1,
      column: start + 1,
      text: blockText,
      headings: headings.map((h) => h.text),
    });
    if (heading) headings.push({ level, text: blockText });
  });
  return { path, format: 'text', lines, blocks };
}
