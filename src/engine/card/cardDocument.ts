import type { CardFormat } from '../model.js';

/**
 * A card reduced to text lines plus the blocks claims are drawn from.
 * For Markdown the lines are the file's own; for DOCX they are the extracted text
 * (one paragraph or table row per line), which is what report ranges refer to.
 */
export interface CardDocument {
  path: string;
  format: CardFormat;
  lines: string[];
  blocks: CardBlock[];
  /** Parsed YAML front matter (Markdown only), with 1-based line of each top-level / nested key. */
  frontMatter?: FrontMatterField[];
  /** Problems that did not stop loading (invalid front matter YAML, DOCX conversion errors). */
  warnings?: string[];
}

export type CardBlockKind = 'heading' | 'paragraph' | 'listItem' | 'tableRow' | 'code';

export interface CardBlock {
  kind: CardBlockKind;
  /** 1-based line of the block's first line in `lines`. */
  line: number;
  /** 1-based column where `text` starts on that line. */
  column: number;
  /** Inline markup stripped (links keep their label, emphasis removed), one line of text. */
  text: string;
  /** Headings above this block, outermost first (texts only). */
  headings: string[];
  /** For table rows: the header cells, and this row's cells (same order). */
  header?: string[];
  cells?: string[];
  /** For table rows: the 1-based column of each cell's text on the line. */
  cellColumns?: number[];
}

export interface FrontMatterField {
  /** Dotted path, array indices as numbers: `model-index.0.results.0.metrics.1.value`. */
  path: string;
  value: string | number | boolean;
  line: number;
  column: number;
  /** The source text of the line, for the claim's text. */
  lineText: string;
}
