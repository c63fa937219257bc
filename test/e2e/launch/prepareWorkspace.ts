import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import JSZip from 'jszip';

/**
 * Builds the workspaces the e2e suites open, in a temp folder (the repository is never written):
 *   example/  a copy of the bundled example workspace with its card
 *   docx/     the same workspace with the card as card.docx
 *   big/      a generated 300-claim card and the config it talks about
 */

export interface E2eWorkspace {
  root: string;
  /** A multi-root workspace of the three folders, so each card has its own workspace folder. */
  workspaceFile: string;
  exampleCard: string;
  docxCard: string;
  bigCard: string;
  bigClaims: number;
}

/** The bundled example: the one `npm start` runs, else examples/<dir>/README.md. */
export function findExample(repo: string): { card: string; workspace: string } {
  const fromEnv = process.env.CARDCHECK_E2E_EXAMPLE_CARD;
  if (fromEnv) return { card: resolve(fromEnv), workspace: resolve(process.env.CARDCHECK_E2E_EXAMPLE_WORKSPACE ?? dirname(fromEnv)) };
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const m = /verify\s+(\S+\.md)\s+--workspace\s+(\S+)/.exec(pkg.scripts?.start ?? '');
  if (m && existsSync(join(repo, m[1]!)) && existsSync(join(repo, m[2]!))) return { card: join(repo, m[1]!), workspace: join(repo, m[2]!) };
  const examples = join(repo, 'examples');
  for (const d of readdirSync(examples, { withFileTypes: true })) {
    if (d.isDirectory() && existsSync(join(examples, d.name, 'README.md'))) return { card: join(examples, d.name, 'README.md'), workspace: join(examples, d.name) };
  }
  throw new Error(`no example card under ${examples}`);
}

function copyWorkspace(from: string, to: string, skip: (name: string) => boolean = () => false): void {
  cpSync(from, to, { recursive: true, filter: (src) => !skip(src) && !/[\\/](node_modules|\.git|\.cardcheck-cache)([\\/]|$)/.test(src) });
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function para(text: string, style?: string): string {
  const pPr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  return `<w:p>${pPr}<w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`;
}

function table(rows: string[][]): string {
  const tr = rows.map((cells) => `<w:tr>${cells.map((c) => `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>${para(c)}</w:tc>`).join('')}</w:tr>`).join('');
  return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${tr}</w:tbl>`;
}

/** A minimal valid .docx: headings, paragraphs and a table. */
export async function writeDocx(file: string, body: string): Promise<void> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`);
  writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));
}

/** The example card's prose and table, as a Word document. */
export function docxBodyFromMarkdown(markdown: string): string {
  const lines = markdown.replace(/^---[\s\S]*?\n---\n/, '').split(/\r?\n/);
  const parts: string[] = [];
  let rows: string[][] = [];
  const flush = () => {
    if (rows.length > 0) parts.push(table(rows));
    rows = [];
  };
  for (const line of lines) {
    const t = line.trim();
    if (/^\|/.test(t)) {
      if (/^\|[\s:|-]+\|$/.test(t)) continue;
      rows.push(t.replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
      continue;
    }
    flush();
    if (!t) continue;
    const h = /^(#+)\s+(.*)$/.exec(t);
    if (h) parts.push(para(h[2]!, `Heading${Math.min(3, h[1]!.length)}`));
    else parts.push(para(t.replace(/^[-*]\s+/, '')));
  }
  flush();
  return parts.join('');
}

export async function prepareWorkspace(repo: string, root: string, bigClaims = 300): Promise<E2eWorkspace> {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const example = findExample(repo);
  const cardName = basename(example.card);

  // example/: the workspace with its card inside.
  const exampleDir = join(root, 'example');
  copyWorkspace(example.workspace, exampleDir);
  const exampleCard = join(exampleDir, cardName);
  if (!existsSync(exampleCard)) cpSync(example.card, exampleCard);

  // docx/: same workspace, the card as Word (the Markdown card removed so it is not evidence).
  const docxDir = join(root, 'docx');
  copyWorkspace(example.workspace, docxDir, (src) => resolve(src) === resolve(example.card));
  const docxCard = join(docxDir, 'card.docx');
  await writeDocx(docxCard, docxBodyFromMarkdown(readFileSync(example.card, 'utf8')));

  // big/: N claims, one per line, and the config they talk about.
  const bigDir = join(root, 'big');
  mkdirSync(join(bigDir, 'configs'), { recursive: true });
  let card = '# Variants\n\n';
  let yaml = '';
  for (let i = 1; i <= bigClaims; i++) {
    card += `The learning rate of variant ${i} is 0.00${i}.\n\n`;
    yaml += `variant_${i}:\n  learning_rate: 0.00${i}\n`;
  }
  writeFileSync(join(bigDir, 'card.md'), card);
  writeFileSync(join(bigDir, 'configs', 'variants.yaml'), yaml);

  writeFileSync(join(root, 'e2e-fixture.json'), JSON.stringify({ exampleCard, docxCard, bigCard: join(bigDir, 'card.md') }, null, 2));
  const workspaceFile = join(root, 'cardcheck-e2e.code-workspace');
  writeFileSync(
    workspaceFile,
    JSON.stringify({ folders: [{ path: 'example' }, { path: 'docx' }, { path: 'big' }], settings: { 'cardcheck.showPanelOnVerify': true } }, null, 2),
  );
  return { root, workspaceFile, exampleCard, docxCard, bigCard: join(bigDir, 'card.md'), bigClaims };
}

/** A single-folder copy of the example for the UI test, with markup planted in an evidence line. */
export function prepareUiWorkspace(repo: string, root: string, opts: { plant?: boolean } = {}): { folder: string; card: string; cardName: string } {
  rmSync(root, { recursive: true, force: true });
  const example = findExample(repo);
  const folder = join(root, 'tiny-example');
  copyWorkspace(example.workspace, folder);
  const cardName = basename(example.card);
  const card = join(folder, cardName);
  if (!existsSync(card)) cpSync(example.card, card);
  // The evidence snippet of the max-length claim will carry this: it must render as text.
  const train = join(folder, 'train.py');
  if (opts.plant !== false && existsSync(train)) {
    const planted = readFileSync(train, 'utf8').replace(
      /^(MAX_LENGTH\s*=\s*\d+)\s*$/m,
      `$1  ${PLANTED_MARKUP}`,
    );
    writeFileSync(train, planted);
  }
  return { folder, card, cardName };
}

export const PLANTED_MARKUP = '# <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
