import * as vscode from 'vscode';
import type { ClaimResult, Evidence } from '../../engine/model.js';
import { docxTextUri, isDocx } from '../docx/docxDocuments.js';
import { spanToVs, toSpan, vsToSpan } from '../positions.js';
import type { CardRun } from '../runs/cardRun.js';
import type { VerificationService } from '../runs/verificationService.js';
import { readSettings } from '../settings.js';
import { claimProblems, IGNORE_MARKER } from './claimProblems.js';
import { trackRangeThrough, type Span } from './rangeTracking.js';

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Diagnostics are rebuilt at most this often per card while claims stream in. */
const REFRESH_MS = 150;

/**
 * The one diagnostic collection. Each claim's range is tracked through edits of the open card:
 * edits above move it, an edit over it makes it stale (its diagnostic goes away until the next
 * run). Also answers "which claim is here" for hovers and code actions.
 */
export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('cardcheck');
  /** cardKey → claim id → current range in the document that carries the diagnostics. */
  private readonly spans = new Map<string, Map<string, Span>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly notedCaps = new Set<string>();

  constructor(
    private readonly service: VerificationService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.collection,
      service.onDidChange((change) => {
        switch (change.kind) {
          case 'begin':
            this.spans.set(change.run.cardKey, new Map());
            this.notedCaps.delete(change.run.cardKey);
            this.collection.delete(this.documentUri(change.run));
            return;
          case 'claim': {
            const claim = change.run.claims.get(change.claimId);
            const spans = this.spansOf(change.run.cardKey);
            // Only a newly decided claim gets a span; a claim marked stale keeps none.
            if (claim && !claim.stale && !spans.has(claim.id)) spans.set(claim.id, toSpan(claim.range));
            this.schedule(change.run);
            return;
          }
          case 'end':
            this.refresh(change.run);
            return;
          case 'cleared':
            this.spans.delete(change.cardKey);
            this.collection.delete(this.documentUriOf(vscode.Uri.parse(change.cardKey)));
            return;
          default:
            return;
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('cardcheck')) for (const run of this.service.runs.values()) this.refresh(run);
      }),
    );
  }

  /** The document a card's diagnostics live on: the file, or the virtual text of a .docx. */
  documentUri(run: CardRun): vscode.Uri {
    return this.documentUriOf(vscode.Uri.parse(run.cardKey));
  }

  documentUriOf(cardUri: vscode.Uri): vscode.Uri {
    return isDocx(cardUri) ? docxTextUri(cardUri) : cardUri;
  }

  /** The current range of a claim in its document (after edits). */
  spanOf(run: CardRun, claimId: string): vscode.Range | undefined {
    const s = this.spans.get(run.cardKey)?.get(claimId);
    if (s) return spanToVs(s);
    const claim = run.claims.get(claimId);
    return claim ? spanToVs(toSpan(claim.range)) : undefined;
  }

  /** The run and claims at a position of a card document. */
  claimsAt(document: vscode.TextDocument, range: vscode.Range): { run: CardRun; claims: ClaimResult[] } | undefined {
    const run = this.runForDocument(document.uri);
    if (!run) return undefined;
    const spans = this.spans.get(run.cardKey);
    const found: ClaimResult[] = [];
    for (const claim of run.claims.values()) {
      if (claim.stale) continue;
      const s = spans?.get(claim.id) ?? toSpan(claim.range);
      const r = spanToVs(s);
      if (r.intersection(range) !== undefined || r.contains(range)) found.push(claim);
    }
    return found.length > 0 ? { run, claims: found } : undefined;
  }

  runForDocument(uri: vscode.Uri): CardRun | undefined {
    for (const run of this.service.runs.values()) if (this.documentUri(run).toString() === uri.toString()) return run;
    return undefined;
  }

  evidenceUri(run: CardRun, e: Evidence): vscode.Uri {
    const root = this.service.rootOf(run.cardKey) ?? vscode.Uri.file(run.workspaceRoot);
    if (e.path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(e.path)) return root.with({ path: vscode.Uri.file(e.path).path });
    return vscode.Uri.joinPath(root, ...e.path.split(/[\\/]+/).filter((p) => p && p !== '.'));
  }

  private spansOf(cardKey: string): Map<string, Span> {
    let m = this.spans.get(cardKey);
    if (!m) {
      m = new Map();
      this.spans.set(cardKey, m);
    }
    return m;
  }

  private schedule(run: CardRun): void {
    if (this.timers.has(run.cardKey)) return;
    this.timers.set(
      run.cardKey,
      setTimeout(() => {
        this.timers.delete(run.cardKey);
        this.refresh(run);
      }, REFRESH_MS),
    );
  }

  refresh(run: CardRun): void {
    const t = this.timers.get(run.cardKey);
    if (t) {
      clearTimeout(t);
      this.timers.delete(run.cardKey);
    }
    if (this.service.runs.get(run.cardKey) !== run) return;
    const uri = this.documentUri(run);
    const settings = readSettings(uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const spans = this.spansOf(run.cardKey);
    const { problems, omitted } = claimProblems(run.orderedClaims(), {
      contradicted: settings.contradictedSeverity,
      unverified: settings.unverifiedSeverity,
      maxProblems: settings.maxProblemsPerFile,
      isIgnored: (claim) => {
        if (!doc) return false;
        const line = (spans.get(claim.id) ?? toSpan(claim.range)).start.line;
        return line < doc.lineCount && doc.lineAt(line).text.includes(IGNORE_MARKER);
      },
    });
    const diagnostics = problems.map((p) => {
      let range = spanToVs(spans.get(p.claimId) ?? toSpan(run.claims.get(p.claimId)!.range));
      if (doc) range = doc.validateRange(range);
      const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
      d.source = 'CardCheck';
      d.code = p.code;
      d.relatedInformation = p.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(this.evidenceUri(run, r.evidence), spanToVs(toSpan(r.evidence.range))), r.message),
      );
      return d;
    });
    this.collection.set(uri, diagnostics);
    run.problemsOmitted = omitted;
    if (omitted > 0 && run.status !== 'running' && !this.notedCaps.has(run.cardKey)) {
      this.notedCaps.add(run.cardKey);
      const text = `Problems limit reached: ${omitted} more claim(s) are not in the Problems view (setting cardcheck.maxProblemsPerFile = ${settings.maxProblemsPerFile}); the panel lists them all.`;
      run.addNotice(text);
      this.log.warn(`${run.label}: ${text}`);
      this.service.touch(run);
    }
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const run = this.runForDocument(e.document.uri);
    if (!run) return;
    const spans = this.spans.get(run.cardKey);
    if (!spans) return;
    const edits = e.contentChanges.map((c) => ({ range: vsToSpan(c.range), text: c.text }));
    const stale: string[] = [];
    for (const [id, span] of spans) {
      const next = trackRangeThrough(span, edits);
      if (next === undefined) stale.push(id);
      else if (next !== span) spans.set(id, next);
    }
    // Listeners run synchronously: tell them only after the map is no longer being iterated.
    for (const id of stale) {
      spans.delete(id);
      run.markStale(id);
    }
    for (const id of stale) this.service.touch(run, id);
    // Also picks up an ignore marker typed by hand.
    this.schedule(run);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
