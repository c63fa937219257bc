import { extname } from 'node:path';
import type { Baseline, CardFormat, ClaimResult, EngineWarning, Stats, Summary, Verdict } from '../model.js';
import type { Progress } from '../../protocol/events.js';

export type ReportFormat = 'json' | 'sarif' | 'text' | 'ndjson';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'ndjson'];

export interface ReportCard {
  path: string;
  format: CardFormat;
}

export interface ReportWriterOptions {
  /** Absolute workspace root; evidence paths in claim results are relative to it. */
  workspaceRoot: string;
  /** The card's path as the report should show it (default: the path given to `start`). */
  cardDisplayPath?: string;
  /** The card's file on disk (absolute), for SARIF and text locations (default: resolved from the card path). */
  cardFile?: string;
  /** SARIF URIs and text paths are relative to this directory (default: the workspace root for SARIF, the current directory for text). */
  baseDir?: string;
  /** The workspace as the ndjson `start` event shows it (default: workspaceRoot). */
  workspaceDisplay?: string;
  /** Text only: ANSI colours. Default: the stream is a TTY and NO_COLOR is unset. */
  color?: boolean;
  /** Tool version for SARIF's driver. */
  toolVersion?: string;
  /** Where people learn about the tool (SARIF's driver.informationUri). */
  toolInformationUri?: string;
  /** ndjson only: least time between two progress lines (a newer snapshot replaces one not yet due). */
  progressIntervalMs?: number;
}

/**
 * Receives a run's results as they happen and writes the report incrementally: nothing holds the
 * evidence of every claim. Methods may return a promise when the output stream is full; callers
 * (the pipeline's sink) should await it.
 */
export interface ReportWriter {
  start(card: ReportCard): void | Promise<void>;
  claim(result: ClaimResult): void | Promise<void>;
  warning(w: EngineWarning): void | Promise<void>;
  /** Only ndjson writes progress; the others ignore it. */
  progress(p: Progress): void | Promise<void>;
  /** `baseline`: what the run was compared with (claims then carry `change`); see src/engine/delta. */
  end(summary: Summary, stats: Stats, baseline?: Baseline): Promise<void>;
  /** The run failed after it began: close the report with what was decided and say why. */
  abort(error: { message: string; path?: string }): Promise<void>;
}

/** Counts verdicts as claims pass, for reports closed early (`abort`) and for checking. */
export class VerdictTally {
  readonly summary: Summary = { supported: 0, contradicted: 0, unverified: 0, notCheckable: 0 };

  add(verdict: Verdict): void {
    if (verdict === 'not-checkable') this.summary.notCheckable++;
    else this.summary[verdict]++;
  }

  get total(): number {
    const s = this.summary;
    return s.supported + s.contradicted + s.unverified + s.notCheckable;
  }
}

export function guessCardFormat(path: string): CardFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.docx') return 'docx';
  if (ext === '.md' || ext === '.markdown' || ext === '.mdx') return 'markdown';
  return 'text';
}

/** Warnings kept for the closing part of json/sarif reports; beyond this they are counted. */
export const MAX_KEPT_WARNINGS = 500;

export class WarningBuffer {
  readonly kept: EngineWarning[] = [];
  private dropped = 0;

  add(w: EngineWarning): void {
    if (this.kept.length < MAX_KEPT_WARNINGS) this.kept.push(w);
    else this.dropped++;
  }

  /** The kept warnings, plus one saying how many were left out. */
  all(): EngineWarning[] {
    if (this.dropped === 0) return this.kept;
    return [...this.kept, { path: '', message: `${this.dropped} more warnings not shown` }];
  }
}
