import type { Baseline, ClaimResult, EngineWarning, Stats, Summary } from '../model.js';
import { StreamWriter } from './streamWriter.js';
import { guessCardFormat, VerdictTally, WarningBuffer, type ReportCard, type ReportWriter, type ReportWriterOptions } from './reportWriter.js';

/**
 * The JSON report of FORMAT.md (schemaVersion 1), streamed: the opening and card first, each claim
 * serialised as it arrives, then summary, warnings and stats. Key order in a JSON object carries no
 * meaning, so a run whose card arrives late still yields a valid report (the card goes last).
 */
export class JsonReportWriter implements ReportWriter {
  private readonly w: StreamWriter;
  private readonly tally = new VerdictTally();
  private readonly warnings = new WarningBuffer();
  private card: ReportCard | undefined;
  private opened = false;
  private cardWritten = false;
  private claims = 0;
  private closed = false;

  constructor(out: NodeJS.WritableStream, private readonly opts: ReportWriterOptions) {
    this.w = new StreamWriter(out);
  }

  start(card: ReportCard): void | Promise<void> {
    this.card = { path: this.opts.cardDisplayPath ?? card.path, format: card.format };
    return this.open();
  }

  private open(): void | Promise<void> {
    if (this.opened) return;
    this.opened = true;
    let head = '{\n  "schemaVersion": 1,\n';
    if (this.card) {
      head += `  "card": ${JSON.stringify(this.card)},\n`;
      this.cardWritten = true;
    }
    return this.w.write(head + '  "claims": [');
  }

  claim(result: ClaimResult): void | Promise<void> {
    if (this.closed) return;
    this.tally.add(result.verdict);
    const opening = this.open();
    const text = `${this.claims === 0 ? '\n' : ',\n'}    ${JSON.stringify(result)}`;
    this.claims++;
    if (opening) return opening.then(() => this.w.write(text));
    return this.w.write(text);
  }

  warning(w: EngineWarning): void {
    this.warnings.add(w);
  }

  progress(): void {
    // The JSON report is a document, not a log: progress goes to the terminal, not here.
  }

  async end(summary: Summary, stats: Stats, baseline?: Baseline): Promise<void> {
    await this.close(summary, stats, baseline);
  }

  async abort(error: { message: string; path?: string }): Promise<void> {
    this.warnings.add({ path: error.path ?? '', message: `run aborted: ${error.message}` });
    await this.close(this.tally.summary, undefined);
  }

  private async close(summary: Summary, stats: Stats | undefined, baseline?: Baseline): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.open();
    let tail = this.claims === 0 ? '],\n' : '\n  ],\n';
    if (!this.cardWritten) {
      const path = this.opts.cardDisplayPath ?? this.opts.cardFile ?? '';
      const card = this.card ?? { path, format: guessCardFormat(path) };
      tail += `  "card": ${JSON.stringify(card)},\n`;
    }
    tail += `  "summary": ${JSON.stringify(summary)}`;
    const warnings = this.warnings.all();
    tail += warnings.length === 0
      ? ',\n  "warnings": []'
      : ',\n  "warnings": [\n' + warnings.map((w) => `    ${JSON.stringify(w)}`).join(',\n') + '\n  ]';
    if (stats) tail += `,\n  "stats": ${JSON.stringify(stats)}`;
    if (baseline) tail += `,\n  "baseline": ${JSON.stringify(baseline)}`;
    await this.w.write(tail + '\n}\n');
    await this.w.flush();
  }
}
