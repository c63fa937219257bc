import { DomUtils, parseDocument } from 'htmlparser2';
import type { CardBlock, CardBlockKind, CardDocument } from './cardDocument.js';
import { CardLoadError } from './cardLoadError.js';

/*
 * Why HTML: mammoth's `convertToHtml` is its documented, typed output and already resolves what
 * matters here (heading styles to h1-h6, numbering to nested ul/ol, tables with header rows),
 * while `transformDocument` hands over an untyped internal tree. htmlparser2 walks that HTML with
 * typed nodes and no DOM emulation.
 *
 * The card's `lines` are a Markdown-like rendering of the document: `# ` headings, paragraphs,
 * `- ` / `1. ` list items indented by level, tables as `| cell | cell |` rows under a `| --- |`
 * separator; blank lines between paragraphs. Every block's text is the paragraph's (or cell's)
 * words exactly as extracted, starting at `column` on its line, so offsets in `text` are
 * columns (column + offset) without any mapping.
 */

type DomNode = ReturnType<typeof parseDocument>['children'][number];
type DomElement = Extract<DomNode, { name: string; attribs: Record<string, string> }>;

const STYLE_MAP = [
  // Word's Title style sits above the Heading 1 sections, so it becomes a level-0 heading (class
  // `title`) that stays in the headings context of everything below it.
  "p[style-name='Title'] => h1.title:fresh",
];

// Elements whose boundaries separate words when text is flattened (cells with several paragraphs).
const BLOCK_TAGS = new Set([
  'p', 'div', 'li', 'ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'br',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
]);

/** Converts a .docx buffer into lines and blocks; throws CardLoadError when it is not a Word document. */
export async function parseDocxCard(path: string, buffer: Buffer): Promise<CardDocument> {
  assertZip(path, buffer);
  let html: string;
  const warnings: string[] = [];
  try {
    // Loaded on the first DOCX card: most runs read Markdown, and mammoth's set-up costs ~35 ms.
    const { default: mammoth } = await import('mammoth');
    const result = await mammoth.convertToHtml(
      { buffer },
      {
        styleMap: STYLE_MAP,
        // Images carry no claims; skipping them keeps base64 copies out of memory.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
    for (const m of result.messages) if (m.type === 'error') warnings.push(`DOCX: ${m.message}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/main document part/i.test(message)) {
      throw new CardLoadError(path, 'invalid-docx', 'not a valid .docx (zip) file: the archive has no Word document (word/document.xml)', { cause: error });
    }
    throw new CardLoadError(path, 'invalid-docx', `not a valid .docx (zip) file (${firstLine(message)})`, { cause: error });
  }

  const builder = new DocxLines();
  builder.walk(parseDocument(html).children);
  const doc: CardDocument = { path, format: 'docx', lines: builder.lines, blocks: builder.blocks };
  if (warnings.length > 0) doc.warnings = warnings;
  return doc;
}

function assertZip(path: string, buffer: Buffer): void {
  if (buffer.length >= 4 && buffer.readUInt32BE(0) === 0xd0cf11e0) {
    throw new CardLoadError(path, 'invalid-docx', 'not a valid .docx (zip) file: it is a legacy Word .doc (or encrypted) document; save it as .docx');
  }
  const isZip = buffer.length >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && (buffer[2] === 3 || buffer[2] === 5) && (buffer[3] === 4 || buffer[3] === 6);
  if (!isZip) throw new CardLoadError(path, 'invalid-docx', 'not a valid .docx (zip) file');
}

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 200);
}

class DocxLines {
  readonly lines: string[] = [];
  readonly blocks: CardBlock[] = [];
  private readonly headingStack: Array<{ level: number; text: string }> = [];
  /** Consecutive lines of one list or table stay together; anything else is set off by a blank line. */
  private lastGroup: object | undefined;

  walk(nodes: readonly DomNode[]): void {
    for (const node of nodes) {
      if (DomUtils.isText(node)) {
        const text = normalize(node.data);
        if (text) this.add('paragraph', text, '', undefined);
      } else if (DomUtils.isTag(node)) {
        this.element(node);
      }
    }
  }

  private element(el: DomElement): void {
    const heading = /^h([1-6])$/.exec(el.name);
    if (heading) {
      const level = el.attribs.class === 'title' ? 0 : Number(heading[1]);
      const text = flatten(el);
      if (!text) return;
      while (this.headingStack.length > 0 && this.headingStack[this.headingStack.length - 1].level >= level) this.headingStack.pop();
      this.add('heading', text, `${'#'.repeat(Math.max(level, 1))} `, undefined);
      this.headingStack.push({ level, text });
    } else if (el.name === 'p') {
      const group = {};
      for (const segment of splitAtBreaks(el)) this.add('paragraph', segment, '', group);
    } else if (el.name === 'ul' || el.name === 'ol') {
      this.list(el, 0, {});
    } else if (el.name === 'table') {
      this.table(el);
    } else if (el.name !== 'img') {
      this.walk(el.children);
    }
  }

  private list(el: DomElement, depth: number, group: object): void {
    let n = Number(el.attribs.start ?? '1');
    if (!Number.isFinite(n)) n = 1;
    for (const li of el.children) {
      if (!DomUtils.isTag(li) || li.name !== 'li') continue;
      const own = li.children.filter((c) => !(DomUtils.isTag(c) && isStructural(c.name)));
      const text = normalize(own.map((c) => textOf(c)).join(''));
      const marker = el.name === 'ol' ? `${n}. ` : '- ';
      n++;
      if (text) this.add('listItem', text, '  '.repeat(depth) + marker, group);
      for (const child of li.children) {
        if (!DomUtils.isTag(child)) continue;
        if (child.name === 'ul' || child.name === 'ol') this.list(child, depth + 1, group);
        else if (child.name === 'table') this.table(child);
      }
    }
  }

  private table(el: DomElement): void {
    const rows = tableRows(el)
      .map((tr) => tr.children.filter((c): c is DomElement => DomUtils.isTag(c) && (c.name === 'td' || c.name === 'th')).map((c) => flatten(c)))
      .filter((cells) => cells.some((c) => c.length > 0));
    if (rows.length === 0) return;
    const group = {};
    const header = rows.length > 1 ? rows[0] : [];
    rows.forEach((cells, r) => {
      const line = this.pushLine(`| ${cells.join(' | ')} |`, group);
      if (r === 0 && rows.length > 1) {
        this.pushLine(`| ${cells.map(() => '---').join(' | ')} |`, group);
        return;
      }
      const cellColumns: number[] = [];
      let column = 3;
      for (const cell of cells) {
        cellColumns.push(column);
        column += cell.length + 3;
      }
      this.blocks.push({
        kind: 'tableRow',
        line,
        column: 3,
        text: cells.join(' | '),
        headings: this.headingTexts(),
        header,
        cells,
        cellColumns,
      });
    });
  }

  private add(kind: CardBlockKind, text: string, prefix: string, group: object | undefined): void {
    const line = this.pushLine(prefix + text, group);
    this.blocks.push({ kind, line, column: prefix.length + 1, text, headings: this.headingTexts() });
  }

  /** Appends a line (after a blank one unless it continues the same group); returns its 1-based number. */
  private pushLine(text: string, group: object | undefined): number {
    if (this.lines.length > 0 && (group === undefined || group !== this.lastGroup)) this.lines.push('');
    this.lines.push(text);
    this.lastGroup = group;
    return this.lines.length;
  }

  private headingTexts(): string[] {
    return this.headingStack.map((h) => h.text);
  }
}

function isStructural(name: string): boolean {
  return name === 'ul' || name === 'ol' || name === 'table';
}

/** Rows of this table only (not of tables nested in its cells). */
function tableRows(table: DomElement): DomElement[] {
  const rows: DomElement[] = [];
  for (const child of table.children) {
    if (!DomUtils.isTag(child)) continue;
    if (child.name === 'tr') rows.push(child);
    else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') {
      for (const tr of child.children) if (DomUtils.isTag(tr) && tr.name === 'tr') rows.push(tr);
    }
  }
  return rows;
}

/** A paragraph's text, one entry per manual line break (`<br>`). */
function splitAtBreaks(p: DomElement): string[] {
  const segments: string[] = [''];
  const visit = (node: DomNode): void => {
    if (DomUtils.isText(node)) segments[segments.length - 1] += node.data;
    else if (DomUtils.isTag(node)) {
      if (node.name === 'br') segments.push('');
      else node.children.forEach(visit);
    }
  };
  p.children.forEach(visit);
  return segments.map(normalize).filter((s) => s.length > 0);
}

function flatten(node: DomNode): string {
  return normalize(textOf(node));
}

function textOf(node: DomNode): string {
  if (DomUtils.isText(node)) return node.data;
  if (!DomUtils.isTag(node)) return '';
  const inner = node.children.map(textOf).join('');
  return BLOCK_TAGS.has(node.name) ? ` ${inner} ` : inner;
}

/** Collapses runs of white space (tabs, breaks, no-break spaces) into one space: one line per paragraph. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
