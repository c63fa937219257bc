import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Baseline, ClaimResult, EngineWarning, Range, Stats, Summary, Verdict } from '../model.js';
import { StreamWriter } from './streamWriter.js';
import { VerdictTally, WarningBuffer, type ReportCard, type ReportWriter, type ReportWriterOptions } from './reportWriter.js';

const DEFAULT_INFORMATION_URI = 'https://github.com/cardcheck/cardcheck';

/** The URI base every relative location refers to; GitHub code scanning resolves it to the checkout. */
export const SRCROOT = '%SRCROOT%';

interface RuleDef {
  id: string;
  name: string;
  verdict: Verdict;
  level: 'warning' | 'note';
  short: string;
  full: string;
}

/** One rule per verdict kind that produces results; supported and not-checkable claims raise nothing. */
export const SARIF_RULES: readonly RuleDef[] = [
  {
    id: 'cardcheck/contradicted', name: 'ContradictedClaim', verdict: 'contradicted', level: 'warning',
    short: 'Model card claim contradicted by the workspace',
    full: 'The model card states a value that differs from what the code, configuration or results in the workspace use.',
  },
  {
    id: 'cardcheck/unverified', name: 'UnverifiedClaim', verdict: 'unverified', level: 'note',
    short: 'Model card claim not verified',
    full: 'The model card makes a checkable claim that nothing in the workspace confirms or contradicts.',
  },
];

export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number; startColumn: number; endLine: number; endColumn: number; snippet?: { text: string } };
  };
  id?: number;
  message?: { text: string };
}

/**
 * SARIF 2.1.0 with one run, streamed: tool and rules first, a result per contradicted or
 * unverified claim as it arrives (at the claim's place in the card, with the evidence as related
 * locations), then the invocation with warnings. URIs are relative to `baseDir` (%SRCROOT%)
 * when the file lies under it, absolute file URIs otherwise.
 */
export class SarifReportWriter implements ReportWriter {
  private readonly w: StreamWriter;
  private readonly tally = new VerdictTally();
  private readonly warnings = new WarningBuffer();
  private readonly baseDir: string;
  private cardFile: string | undefined;
  private opened = false;
  private results = 0;
  private closed = false;

  constructor(out: NodeJS.WritableStream, private readonly opts: ReportWriterOptions) {
    this.w = new StreamWriter(out);
    this.baseDir = resolve(opts.baseDir ?? opts.workspaceRoot);
    if (opts.cardFile) this.cardFile = resolve(opts.cardFile);
  }

  start(card: ReportCard): void | Promise<void> {
    this.cardFile ??= resolve(card.path);
    return this.open();
  }

  private open(): void | Promise<void> {
    if (this.opened) return;
    this.opened = true;
    const driver = {
      name: 'CardCheck',
      ...(this.opts.toolVersion ? { version: this.opts.toolVersion, semanticVersion: this.opts.toolVersion } : {}),
      informationUri: this.opts.toolInformationUri ?? DEFAULT_INFORMATION_URI,
      rules: SARIF_RULES.map((r) => ({
        id: r.id,
        name: r.name,
        shortDescription: { text: r.short },
        fullDescription: { text: r.full },
        defaultConfiguration: { level: r.level },
      })),
    };
    const baseUri = pathToFileURL(this.baseDir).href.replace(/\/?$/, '/');
    const head =
      '{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n  "runs": [\n    {\n' +
      `      "tool": { "driver": ${JSON.stringify(driver)} },\n` +
      `      "originalUriBaseIds": ${JSON.stringify({ [SRCROOT]: { uri: baseUri } })},\n` +
      '      "columnKind": "utf16CodeUnits",\n' +
      '      "results": [';
    return this.w.write(head);
  }

  claim(result: ClaimResult): void | Promise<void> {
    if (this.closed) return;
    this.tally.add(result.verdict);
    const ruleIndex = SARIF_RULES.findIndex((r) => r.verdict === result.verdict);
    if (ruleIndex < 0) return;
    const opening = this.open();
    const text = `${this.results === 0 ? '\n' : ',\n'}        ${JSON.stringify(this.toResult(result, ruleIndex))}`;
    this.results++;
    if (opening) return opening.then(() => this.w.write(text));
    return this.w.write(text);
  }

  private toResult(c: ClaimResult, ruleIndex: number): Record<string, unknown> {
    const rule = SARIF_RULES[ruleIndex];
    const cardFile = this.cardFile ?? resolve(this.opts.cardDisplayPath ?? '');
    const cardLoc = this.artifact(cardFile);
    const related: SarifLocation[] = c.evidence.map((e, i) => ({
      id: i + 1,
      physicalLocation: {
        artifactLocation: this.artifact(resolve(this.opts.workspaceRoot, e.path)),
        region: { ...region(e.range), snippet: { text: e.snippet } },
      },
      message: { text: `${e.stance}: ${e.snippet}` },
    }));
    const fingerprint = createHash('sha256')
      .update(`${cardLoc.uri}\0${c.kind}\0${c.text.replace(/\s+/g, ' ').trim().toLowerCase()}`)
      .digest('hex')
      .slice(0, 32);
    return {
      ruleId: rule.id,
      ruleIndex,
      level: rule.level,
      message: { text: c.explanation.trim() || `Card claim "${c.text}" is ${c.verdict}.` },
      locations: [{ physicalLocation: { artifactLocation: cardLoc, region: { ...region(c.range), snippet: { text: c.text } } } }],
      ...(related.length > 0 ? { relatedLocations: related } : {}),
      partialFingerprints: { 'cardcheckClaim/v1': fingerprint },
      // Set only when a baseline was given and the claim differs from it (src/engine/delta).
      ...(c.change ? { baselineState: c.change.from === undefined ? 'new' : 'updated' } : {}),
      properties: {
        claimId: c.id,
        kind: c.kind,
        verdict: c.verdict,
        confidence: c.confidence,
        ...(c.key !== undefined ? { key: c.key } : {}),
        ...(c.cardValue !== undefined ? { cardValue: c.cardValue } : {}),
        ...(c.codeValue !== undefined ? { codeValue: c.codeValue } : {}),
        ...(c.change ? { change: c.change } : {}),
      },
    };
  }

  private artifact(absPath: string): { uri: string; uriBaseId?: string } {
    const rel = relative(this.baseDir, absPath);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { uri: pathToFileURL(absPath).href };
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  }

  warning(w: EngineWarning): void {
    this.warnings.add(w);
  }

  progress(): void {
    // SARIF has no place for progress.
  }

  async end(summary: Summary, stats: Stats, baseline?: Baseline): Promise<void> {
    await this.close(true, summary, stats, baseline);
  }

  async abort(error: { message: string; path?: string }): Promise<void> {
    this.warnings.add({ path: error.path ?? '', message: `run aborted: ${error.message}` });
    await this.close(false, this.tally.summary, undefined);
  }

  private async close(successful: boolean, summary: Summary, stats: Stats | undefined, baseline?: Baseline): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.open();
    const notifications = this.warnings.all().map((w, i, all) => ({
      level: !successful && i === all.length - 1 ? 'error' : 'warning',
      message: { text: w.path ? `${w.path}: ${w.message}` : w.message },
      ...(w.path ? { locations: [{ physicalLocation: { artifactLocation: this.artifact(resolve(this.opts.workspaceRoot, w.path)) } }] } : {}),
    }));
    const invocation = { executionSuccessful: successful, toolExecutionNotifications: notifications };
    const tail =
      (this.results === 0 ? '],\n' : '\n      ],\n') +
      `      "invocations": [${JSON.stringify(invocation)}],\n` +
      `      "properties": ${JSON.stringify({ summary, ...(stats ? { stats } : {}), ...(baseline ? { baseline } : {}) })}\n` +
      '    }\n  ]\n}\n';
    await this.w.write(tail);
    await this.w.flush();
  }
}

function region(r: Range): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column };
}
