import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Baseline, ClaimResult, EngineWarning, Stance, Stats, Summary, Verdict } from '../model.js';
import { StreamWriter } from './streamWriter.js';
import { VerdictTally, type ReportCard, type ReportWriter, type ReportWriterOptions } from './reportWriter.js';

const ORDER: readonly Verdict[] = ['contradicted', 'unverified', 'supported', 'not-checkable'];
const TITLES: Record<Verdict, string> = {
  contradicted: 'Contradicted', unverified: 'Unverified', supported: 'Supported', 'not-checkable': 'Not checkable',
};
const STANCE_MARK: Record<Stance, string> = { supports: '✓', contradicts: '✗', related: '·' };
const MAX_TEXT = 160;
const MAX_SNIPPET = 120;
const MAX_EVIDENCE_LINES = 3;
const MAX_WARNING_LINES = 50;

type Paint = 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'cyan';
const ANSI: Record<Paint, [string, string]> = {
  red: ['\x1b[31m', '\x1b[39m'], yellow: ['\x1b[33m', '\x1b[39m'], green: ['\x1b[32m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'], bold: ['\x1b[1m', '\x1b[22m'], cyan: ['\x1b[36m', '\x1b[39m'],
};
const VERDICT_PAINT: Record<Verdict, Paint> = { contradicted: 'red', unverified: 'yellow', supported: 'green', 'not-checkable': 'dim' };

/**
 * The report for people, grouped by verdict (contradicted first). Claims arrive in card order, so
 * grouping while streaming means holding something back: only the rendered lines are kept, one
 * short list per verdict, never the claims' evidence objects.
 */
export class TextReportWriter implements ReportWriter {
  private readonly w: StreamWriter;
  private readonly color: boolean;
  private readonly baseDir: string;
  private readonly groups = new Map<Verdict, string[]>(ORDER.map((v) => [v, []]));
  private readonly tally = new VerdictTally();
  private readonly warnings: string[] = [];
  private warningsDropped = 0;
  private cardLabel: string;
  private closed = false;
  private baselineLine: string | undefined;

  constructor(out: NodeJS.WritableStream, private readonly opts: ReportWriterOptions) {
    this.w = new StreamWriter(out);
    const tty = (out as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
    this.color = opts.color ?? (tty && !process.env.NO_COLOR);
    this.baseDir = resolve(opts.baseDir ?? process.cwd());
    this.cardLabel = opts.cardDisplayPath ?? (opts.cardFile ? this.display(opts.cardFile) : 'card');
  }

  start(card: ReportCard): void {
    if (this.opts.cardDisplayPath === undefined) this.cardLabel = this.display(this.opts.cardFile ?? card.path);
  }

  claim(c: ClaimResult): void {
    if (this.closed) return;
    this.tally.add(c.verdict);
    const lines = this.groups.get(c.verdict);
    if (!lines) return;
    const where = `${this.cardLabel}:${c.range.start.line}:${c.range.start.column}`;
    const head = c.verdict === 'not-checkable'
      ? `  ${this.paint('dim', where)}  ${clean(c.text, MAX_TEXT)}`
      : `  ${this.paint('cyan', where)}  ${this.paint('dim', `[${c.kind}]`)} ${clean(c.text, MAX_TEXT)}`;
    lines.push(head);
    if (c.verdict === 'not-checkable') return;
    if (c.change) lines.push(`      ${this.paint('bold', 'Δ')} ${clean(c.change.reason, 2 * MAX_TEXT)}`);
    const explanation = clean(c.explanation, 2 * MAX_TEXT);
    if (explanation && c.verdict !== 'supported') lines.push(`      ${explanation}`);
    const shown = c.verdict === 'supported' ? 1 : MAX_EVIDENCE_LINES;
    for (const e of c.evidence.slice(0, shown)) {
      const mark = this.paint(e.stance === 'contradicts' ? 'red' : e.stance === 'supports' ? 'green' : 'dim', STANCE_MARK[e.stance]);
      const loc = `${this.display(resolve(this.opts.workspaceRoot, e.path))}:${e.range.start.line}`;
      lines.push(`      ${mark} ${loc}  ${this.paint('dim', clean(e.snippet, MAX_SNIPPET))}`);
    }
    if (c.evidence.length > shown && c.verdict !== 'supported') {
      lines.push(this.paint('dim', `      … ${c.evidence.length - shown} more`));
    }
  }

  warning(w: EngineWarning): void {
    if (this.warnings.length >= MAX_WARNING_LINES) {
      this.warningsDropped++;
      return;
    }
    const where = w.path ? `${this.display(resolve(this.opts.workspaceRoot, w.path))}: ` : '';
    this.warnings.push(`  ${where}${clean(w.message, 2 * MAX_TEXT)}`);
  }

  progress(): void {
    // The progress bar lives on stderr (see cli/progressBar.ts); the report stays clean.
  }

  async end(summary: Summary, _stats?: Stats, baseline?: Baseline): Promise<void> {
    if (baseline) this.baselineLine = changesLine(baseline);
    await this.close(summary);
  }

  async abort(error: { message: string; path?: string }): Promise<void> {
    await this.close(this.tally.summary, `error: ${error.path ? `${error.path}: ` : ''}${clean(error.message, 400)}`);
  }

  private async close(summary: Summary, error?: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const v of ORDER) {
      const lines = this.groups.get(v) ?? [];
      if (lines.length === 0) continue;
      const count = v === 'not-checkable' ? summary.notCheckable : summary[v];
      const title = this.paint(VERDICT_PAINT[v], this.paint('bold', `${TITLES[v]} (${count})`));
      // One write per group: a slow terminal applies back-pressure between groups.
      await this.w.write(`${title}\n${lines.join('\n')}\n\n`);
      lines.length = 0;
    }
    if (this.warnings.length > 0) {
      const more = this.warningsDropped > 0 ? `\n  … ${this.warningsDropped} more warnings` : '';
      await this.w.write(`${this.paint('yellow', `Warnings (${this.warnings.length + this.warningsDropped})`)}\n${this.warnings.join('\n')}${more}\n\n`);
    }
    if (this.tally.total === 0 && !error) await this.w.write(`No claims found in ${this.cardLabel}.\n`);
    if (error) await this.w.write(`${this.paint('red', error)}\n`);
    if (this.baselineLine) await this.w.write(`${this.baselineLine}\n`);
    await this.w.write(`${this.summaryLine(summary)}\n`);
    await this.w.flush();
  }

  private summaryLine(s: Summary): string {
    const parts = [
      this.paint('red', `✗ ${s.contradicted} contradicted`),
      this.paint('yellow', `? ${s.unverified} unverified`),
      this.paint('green', `✓ ${s.supported} supported`),
    ];
    if (s.notCheckable > 0) parts.push(this.paint('dim', `– ${s.notCheckable} not checkable`));
    return parts.join('  ');
  }

  private paint(p: Paint, s: string): string {
    if (!this.color) return s;
    const [on, off] = ANSI[p];
    return on + s + off;
  }

  /** A path relative to the base directory when it lies under it: terminals make those clickable. */
  private display(absPath: string): string {
    const rel = relative(this.baseDir, resolve(absPath));
    const ups = rel.split(sep).filter((x) => x === '..').length;
    if (rel === '' || isAbsolute(rel) || ups > 2) return absPath;
    return rel.split(sep).join('/');
  }
}

/**
 * One line of text for a terminal: workspace content is data, so control characters (escape
 * sequences that could recolour or rewrite the terminal) are made visible, and long text is cut.
 */
/** "Since base.json: 2 changed verdict, 1 new, 1 gone (…)". */
function changesLine(b: Baseline): string {
  const gone = b.removed.slice(0, 3).map((r) => `"${clean(r.text, 60)}" was ${r.verdict}`);
  const more = b.removedCount > gone.length ? `, +${b.removedCount - gone.length} more` : '';
  const goneText = b.removedCount > 0 ? ` (${gone.join('; ')}${more})` : '';
  return `Since ${b.source}: ${b.changed} changed verdict, ${b.added} new, ${b.removedCount} gone${goneText}`;
}

export function clean(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  let out = s.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '�').trim();
  if (out.length > max) out = out.slice(0, max - 1) + '…';
  return out;
}
