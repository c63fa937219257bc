import type { Baseline, ClaimResult, EngineWarning, Stats, Summary } from '../model.js';
import type { EngineEvent, Progress } from '../../protocol/events.js';
import { StreamWriter } from './streamWriter.js';
import type { ReportCard, ReportWriter, ReportWriterOptions } from './reportWriter.js';

/**
 * One EngineEvent (src/protocol/events.ts) per line, for tools that follow a run live. Progress
 * is a latest-state snapshot: lines closer together than the interval are dropped, except when
 * the phase changes.
 */
export class NdjsonReportWriter implements ReportWriter {
  private readonly w: StreamWriter;
  private readonly interval: number;
  private seq = 0;
  private lastProgressAt = -Infinity;
  private lastPhase: Progress['phase'] | undefined;
  private closed = false;

  constructor(out: NodeJS.WritableStream, private readonly opts: ReportWriterOptions) {
    this.w = new StreamWriter(out);
    this.interval = opts.progressIntervalMs ?? 100;
  }

  private emit(e: EngineEvent): void | Promise<void> {
    if (this.closed) return;
    return this.w.write(JSON.stringify(e) + '\n');
  }

  start(card: ReportCard): void | Promise<void> {
    const path = this.opts.cardDisplayPath ?? card.path;
    return this.emit({ type: 'start', card: { path, format: card.format }, workspace: this.opts.workspaceDisplay ?? this.opts.workspaceRoot });
  }

  claim(result: ClaimResult): void | Promise<void> {
    return this.emit({ type: 'claim', seq: this.seq++, claim: result });
  }

  warning(w: EngineWarning): void | Promise<void> {
    return this.emit({ type: 'warning', warning: w });
  }

  progress(p: Progress): void | Promise<void> {
    const now = Date.now();
    if (p.phase === this.lastPhase && now - this.lastProgressAt < this.interval) return;
    this.lastPhase = p.phase;
    this.lastProgressAt = now;
    return this.emit({ type: 'progress', progress: p });
  }

  async end(summary: Summary, stats: Stats, baseline?: Baseline): Promise<void> {
    await this.emit({ type: 'done', summary, stats, ...(baseline ? { baseline } : {}) });
    this.closed = true;
    await this.w.flush();
  }

  async abort(error: { message: string; path?: string }): Promise<void> {
    await this.emit({ type: 'error', message: error.message, ...(error.path !== undefined ? { path: error.path } : {}) });
    this.closed = true;
    await this.w.flush();
  }
}
