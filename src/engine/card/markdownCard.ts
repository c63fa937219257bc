import MarkdownIt from 'markdown-it';
import type { CardBlock, CardBlockKind, CardDocument } from './cardDocument.js';
import { readFrontMatter } from './frontMatter.js';
import { MappedText, alignPiece, attachColumnMap } from './sourceColumn.js';
import { splitLines } from './textCard.js';

type Token = MarkdownIt.Token;

// CommonMark + GFM tables and strikethrough (the 'default' preset). HTML is recognised so it can
// be stripped; typographer and linkify stay off so the text keeps the card's own characters.
const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });

// Tags that separate words; everything else (b, em, a, span, ...) vanishes without a trace.
const INLINE_HTML_TAGS = new Set([
  'a', 'abbr', 'b', 'big', 'code', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span',
  'strike', 'strong', 'sub', 'sup', 'tt', 'u', 'var',
]);

const LIST_MARKER = /^([-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

interface HeadingEntry {
  level: number;
  text: string;
}

/**
 * Parses a Markdown card. `lines` are the file's own lines; every block points at them with exact
 * 1-based line/column, one block per source line for prose (model cards often put one sentence
 * per line without blank lines between), so a claim's range never spans unrelated sentences.
 */
export function parseMarkdownCard(path: string, text: string): CardDocument {
  const lines = splitLines(text);
  const frontMatter = readFrontMatter(lines);
  const warnings: string[] = [];
  if (frontMatter?.warning) warnings.push(frontMatter.warning);

  // Blank the front matter (keeping its lines) so markdown-it's line maps stay those of the file
  // and the `---` fences are not read as a setext heading or a rule.
  const body = frontMatter ? lines.map((l, i) => (i <= frontMatter.closingLine ? '' : l)) : lines;
  const tokens = markdown.parse(body.join('\n'), {});
  const walker = new MarkdownWalker(lines);
  walker.walk(tokens);

  const doc: CardDocument = { path, format: 'markdown', lines, blocks: walker.blocks };
  if (frontMatter?.fields) doc.frontMatter = frontMatter.fields;
  if (warnings.length > 0) doc.warnings = warnings;
  return doc;
}

interface RenderedLine {
  /** 0-based line index in the file. */
  index: number;
  text: MappedText;
}

class MarkdownWalker {
  readonly blocks: CardBlock[] = [];
  private readonly headingStack: HeadingEntry[] = [];
  /** Innermost container last: decides whether a paragraph is a list item's text. */
  private readonly containers: Array<'list_item' | 'blockquote'> = [];
  /** How many list markers open on a line (`- 1. text` opens two). */
  private readonly markersOnLine = new Map<number, number>();

  constructor(private readonly lines: readonly string[]) {}

  walk(tokens: readonly Token[]): void {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      switch (t.type) {
        case 'list_item_open':
          this.containers.push('list_item');
          if (t.map) this.markersOnLine.set(t.map[0], (this.markersOnLine.get(t.map[0]) ?? 0) + 1);
          break;
        case 'blockquote_open':
          this.containers.push('blockquote');
          break;
        case 'list_item_close':
        case 'blockquote_close':
          this.containers.pop();
          break;
        case 'heading_open':
          this.heading(t, tokens[i + 1]);
          break;
        case 'paragraph_open': {
          const kind: CardBlockKind = this.containers[this.containers.length - 1] === 'list_item' ? 'listItem' : 'paragraph';
          this.paragraph(kind, tokens[i + 1]);
          break;
        }
        case 'table_open': {
          const end = findClose(tokens, i, 'table_open', 'table_close');
          this.table(tokens.slice(i + 1, end));
          i = end;
          break;
        }
        case 'fence':
          this.code(t, 1);
          break;
        case 'code_block':
          this.code(t, 0);
          break;
        case 'html_block':
          this.htmlBlock(t);
          break;
        default:
          break;
      }
    }
  }

  private heading(open: Token, inline: Token | undefined): void {
    const level = Number(open.tag.slice(1)) || 1;
    const rendered = inline?.type === 'inline' && open.map ? this.renderInline(inline.children ?? [], open.map[0]) : [];
    const first = rendered.find((r) => r.text.text.length > 0);
    const fullText = rendered.map((r) => r.text.text).filter((s) => s.length > 0).join(' ');
    while (this.headingStack.length > 0 && this.headingStack[this.headingStack.length - 1].level >= level) this.headingStack.pop();
    if (first) this.push('heading', first);
    if (fullText.length > 0) this.headingStack.push({ level, text: fullText });
  }

  private paragraph(kind: CardBlockKind, inline: Token | undefined): void {
    if (!inline || inline.type !== 'inline' || !inline.map) return;
    for (const r of this.renderInline(inline.children ?? [], inline.map[0])) {
      if (r.text.text.length > 0) this.push(kind, r);
    }
  }

  private push(kind: CardBlockKind, r: RenderedLine, extra?: Partial<CardBlock>): CardBlock {
    const block: CardBlock = {
      kind,
      line: r.index + 1,
      column: (r.text.positions[0] ?? 0) + 1,
      text: r.text.text,
      headings: this.headingStack.map((h) => h.text),
      ...extra,
    };
    if (!r.text.isVerbatimIn(this.lines[r.index] ?? '')) attachColumnMap(block, r.text.positions);
    this.blocks.push(block);
    return block;
  }

  /** Index where a line's inline content starts, past indentation, `>` and this line's list markers. */
  private contentStart(index: number): number {
    const line = this.lines[index] ?? '';
    const inQuote = this.containers.includes('blockquote');
    let markers = this.markersOnLine.get(index) ?? 0;
    let i = 0;
    for (;;) {
      while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
      if (inQuote && line[i] === '>') {
        i++;
        continue;
      }
      if (markers > 0) {
        const m = LIST_MARKER.exec(line.slice(i));
        if (m) {
          i += m[0].length;
          markers--;
          continue;
        }
      }
      return i;
    }
  }

  /**
   * Strips inline markup from `children`, one result per source line (soft and hard breaks split
   * lines), recording where each kept character stands on its line.
   */
  private renderInline(children: readonly Token[], firstIndex: number, firstCursor?: number): RenderedLine[] {
    const out: RenderedLine[] = [];
    let index = firstIndex;
    let source = this.lines[index] ?? '';
    let cursor = firstCursor ?? this.contentStart(index);
    let current = new MappedText();
    const finish = (): void => {
      out.push({ index, text: current.collapsed().trimmed() });
      current = new MappedText();
    };

    for (const c of children) {
      switch (c.type) {
        case 'text':
        case 'text_special':
        case 'code_inline': {
          const a = alignPiece(source, cursor, c.content);
          current.append(c.content, a.positions);
          cursor = a.cursor;
          break;
        }
        case 'softbreak':
        case 'hardbreak':
          finish();
          index++;
          source = this.lines[index] ?? '';
          cursor = this.contentStart(index);
          break;
        case 'link_close':
          if (c.markup !== 'autolink' && c.markup !== 'linkify') cursor = skipLinkTail(source, cursor);
          break;
        case 'image':
          cursor = skipImage(source, cursor);
          break;
        case 'html_inline': {
          const at = source.indexOf(c.content, cursor);
          if (at >= 0) {
            if (/^<br\s*\/?>$/i.test(c.content)) current.appendAt(' ', at);
            cursor = at + c.content.length;
          }
          break;
        }
        default:
          break;
      }
    }
    finish();
    return out;
  }

  private table(inner: readonly Token[]): void {
    interface Row {
      index: number;
      cells: Token[][];
    }
    const rows: Row[] = [];
    let headerRows = 0;
    let inHead = false;
    for (let i = 0; i < inner.length; i++) {
      const t = inner[i];
      if (t.type === 'thead_open') inHead = true;
      else if (t.type === 'thead_close') inHead = false;
      else if (t.type === 'tr_open' && t.map) {
        rows.push({ index: t.map[0], cells: [] });
        if (inHead) headerRows++;
      } else if ((t.type === 'th_open' || t.type === 'td_open') && rows.length > 0) {
        const inline = inner[i + 1];
        rows[rows.length - 1].cells.push(inline?.type === 'inline' ? (inline.children ?? []) : []);
      }
    }
    if (rows.length === 0) return;

    const rendered = rows.map((row) => this.renderRow(row.index, row.cells));
    const header = headerRows > 0 && rows.length > headerRows ? rendered[0].cells.map((c) => c.text) : [];
    const firstBody = header.length > 0 ? 1 : 0;
    for (let r = firstBody; r < rendered.length; r++) {
      const { index, cells } = rendered[r];
      if (cells.every((c) => c.text.length === 0)) continue;
      const rowText = new MappedText();
      const last = cells.reduce((acc, c, j) => (c.text.length > 0 ? j : acc), 0);
      cells.slice(0, last + 1).forEach((cell, j) => {
        if (j > 0) {
          const pipe = rendered[r].pipes[j - 1] ?? cell.positions[0] ?? 0;
          rowText.appendAt(' ', Math.max(pipe - 1, 0));
          rowText.appendAt('|', pipe);
          rowText.appendAt(' ', pipe + 1);
        }
        rowText.append(cell.text, cell.positions);
      });
      const trimmed = rowText.trimmed();
      this.push('tableRow', { index, text: trimmed }, {
        header,
        cells: cells.map((c) => c.text),
        cellColumns: cells.map((c, j) => (c.positions[0] ?? rendered[r].segmentStarts[j] ?? 0) + 1),
      });
    }
  }

  private renderRow(index: number, cellTokens: readonly Token[][]): { index: number; cells: MappedText[]; pipes: number[]; segmentStarts: number[] } {
    const line = this.lines[index] ?? '';
    const { segments, pipes } = splitTableRow(line, this.contentStart(index));
    const cells = cellTokens.map((children, j) => {
      const seg = segments[j];
      const start = seg ? seg[0] : line.length;
      const [r] = this.renderInline(children, index, start);
      return r ? r.text : new MappedText();
    });
    const segmentStarts = cellTokens.map((_, j) => {
      const seg = segments[j];
      if (!seg) return line.length;
      let s = seg[0];
      while (s < seg[1] && /\s/.test(line[s])) s++;
      return s;
    });
    return { index, cells, pipes, segmentStarts };
  }

  /** A code block is one block; `line` is its first content line and `text` keeps its newlines. */
  private code(t: Token, fenceLines: number): void {
    if (!t.map) return;
    const text = t.content.replace(/\n+$/, '');
    if (text.trim().length === 0) return;
    const index = t.map[0] + fenceLines;
    const firstLine = text.split('\n')[0];
    const source = this.lines[index] ?? '';
    const at = firstLine.length > 0 ? source.indexOf(firstLine) : -1;
    this.blocks.push({
      kind: 'code',
      line: index + 1,
      column: at >= 0 ? at + 1 : 1,
      text,
      headings: this.headingStack.map((h) => h.text),
    });
  }

  /** Raw HTML: tags and comments dropped, entities decoded, each remaining line a paragraph. */
  private htmlBlock(t: Token): void {
    if (!t.map) return;
    const state: HtmlScanState = { mode: 'text', rawTag: '' };
    for (let index = t.map[0]; index < t.map[1]; index++) {
      const text = stripHtmlLine(this.lines[index] ?? '', state).collapsed().trimmed();
      if (text.text.length > 0) this.push('paragraph', { index, text });
    }
  }
}

function findClose(tokens: readonly Token[], openIndex: number, open: string, close: string): number {
  let depth = 0;
  for (let i = openIndex; i < tokens.length; i++) {
    if (tokens[i].type === open) depth++;
    else if (tokens[i].type === close && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/**
 * Splits a GFM table row into cell segments [start, end) as markdown-it does: unescaped pipes
 * separate cells, a leading and a trailing pipe are optional.
 */
export function splitTableRow(line: string, from: number): { segments: Array<[number, number]>; pipes: number[] } {
  let s = from;
  while (s < line.length && /\s/.test(line[s])) s++;
  let e = line.length;
  while (e > s && /\s/.test(line[e - 1])) e--;
  const pipes: number[] = [];
  if (line[s] === '|') s++;
  if (e > s && line[e - 1] === '|' && line[e - 2] !== '\\') e--;
  const segments: Array<[number, number]> = [];
  let segStart = s;
  for (let i = s; i < e; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') {
      segments.push([segStart, i]);
      pipes.push(i);
      segStart = i + 1;
    }
  }
  segments.push([segStart, e]);
  return { segments, pipes };
}

/** After a link's label: skips `](destination "title")`, `][ref]` or `]`. */
function skipLinkTail(source: string, cursor: number): number {
  const close = source.indexOf(']', cursor);
  if (close < 0) return cursor;
  const next = source[close + 1];
  if (next === '(') return skipBalanced(source, close + 1, '(', ')');
  if (next === '[') {
    const end = source.indexOf(']', close + 2);
    return end >= 0 ? end + 1 : close + 1;
  }
  return close + 1;
}

/** Skips `![alt](src)` (or `![alt][ref]`) starting at or after the cursor. */
function skipImage(source: string, cursor: number): number {
  const start = source.indexOf('![', cursor);
  if (start < 0) return cursor;
  const afterLabel = skipBalanced(source, start + 1, '[', ']');
  return skipLinkTail(source, afterLabel - 1);
}

/** Index just after the bracket closing the one at `open` (nesting and escapes respected). */
function skipBalanced(source: string, open: number, opener: string, closer: string): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (ch === opener) depth++;
    else if (ch === closer && --depth === 0) return i + 1;
  }
  return source.length;
}

interface HtmlScanState {
  mode: 'text' | 'tag' | 'comment' | 'raw';
  /** The element whose content is skipped (script, style) while mode is 'raw'. */
  rawTag: string;
}

/** One line of an HTML block without tags or comments; the state carries over multi-line tags. */
function stripHtmlLine(line: string, state: HtmlScanState): MappedText {
  const out = new MappedText();
  // Reading back `out.text` would flatten the growing string on every tag; collapse() runs later.
  const addSpace = (at: number): void => out.appendAt(' ', at);
  let i = 0;
  while (i < line.length) {
    if (state.mode === 'comment') {
      const end = line.indexOf('-->', i);
      if (end < 0) return out;
      i = end + 3;
      state.mode = 'text';
    } else if (state.mode === 'tag') {
      const end = line.indexOf('>', i);
      if (end < 0) return out;
      i = end + 1;
      state.mode = state.rawTag ? 'raw' : 'text';
    } else if (state.mode === 'raw') {
      const end = line.toLowerCase().indexOf(`</${state.rawTag}`, i);
      if (end < 0) return out;
      state.rawTag = '';
      state.mode = 'tag';
      i = end + 2;
    } else if (line.startsWith('<!--', i)) {
      state.mode = 'comment';
      i += 4;
    } else if (line[i] === '<' && /[A-Za-z/!?]/.test(line[i + 1] ?? '')) {
      const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(line.slice(i))?.[1]?.toLowerCase() ?? '';
      if (!INLINE_HTML_TAGS.has(name)) addSpace(i);
      if ((name === 'script' || name === 'style') && line[i + 1] !== '/') state.rawTag = name;
      state.mode = 'tag';
      i++;
    } else if (line[i] === '&') {
      const entity = /^&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/.exec(line.slice(i));
      if (entity) {
        out.appendAt(markdown.utils.unescapeAll(entity[0]), i);
        i += entity[0].length;
      } else {
        out.appendAt('&', i);
        i++;
      }
    } else {
      out.appendAt(line[i], i);
      i++;
    }
  }
  return out;
}
