import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CardCheckApi, RunTrigger, VerifyAllResult, VerifyOutcome } from './api.js';
import { cardFileUri, findCards, isCardUri, pickCard, targetFor } from './cardTargets.js';
import { ClaimHover } from './diagnostics/claimHover.js';
import { ClaimCodeActions, OPEN_EVIDENCE_COMMAND, REVEAL_CLAIM_COMMAND } from './diagnostics/codeActions.js';
import { DiagnosticsController } from './diagnostics/diagnosticsController.js';
import { DOCX_SCHEME, DocxTextProvider, docxTextUri, isDocx } from './docx/docxDocuments.js';
import { setLlmApiKeyCommand, storeLlmApiKey } from './llm/llmKeyCommand.js';
import { LLM_API_KEY_SECRET } from './llm/llmKeyInput.js';
import { RecordingLogChannel } from './outputTail.js';
import { EvidencePanel, PANEL_VIEW_TYPE } from './panel/evidencePanel.js';
import { toVsRange } from './positions.js';
import { CardSequence, sequenceSummary, type SequenceCard } from './runs/cardSequence.js';
import { RunBaselines } from './runs/runBaselines.js';
import { SavedResults } from './runs/savedResults.js';
import { VerificationService } from './runs/verificationService.js';
import { WatchTriggers } from './runs/watchTriggers.js';
import { readSettings } from './settings.js';
import { CardCheckStatusBar } from './statusBar.js';
import { loadCardLines } from './worker/workerProcess.js';

export const COMMANDS = {
  verify: 'cardcheck.verify',
  verifyAll: 'cardcheck.verifyAll',
  cancel: 'cardcheck.cancel',
  showPanel: 'cardcheck.showPanel',
  clear: 'cardcheck.clearResults',
  setLlmApiKey: 'cardcheck.setLlmApiKey',
} as const;

export function activate(context: vscode.ExtensionContext): CardCheckApi {
  const log = new RecordingLogChannel(vscode.window.createOutputChannel('CardCheck', { log: true }));
  const workerScript = context.asAbsolutePath('dist/worker.js');
  // Facts and previous verdicts belong to this workspace: its storage, else the global one.
  const storage = context.storageUri ?? context.globalStorageUri;
  const service = new VerificationService(
    workerScript,
    log,
    {
      apiKey: async () => context.secrets.get(LLM_API_KEY_SECRET),
      workspaceTrusted: () => vscode.workspace.isTrusted,
      cacheDir: path.join(context.globalStorageUri.fsPath, 'llm-cache'),
    },
    {
      factCacheDir: path.join(storage.fsPath, 'facts'),
      baselines: new RunBaselines(path.join(storage.fsPath, 'verdicts')),
    },
  );
  const diagnostics = new DiagnosticsController(service, log);
  const saved = new SavedResults(context.storageUri ?? context.globalStorageUri);
  const docx = new DocxTextProvider(async (file) => {
    const { promise } = loadCardLines({ script: workerScript, heapMb: readSettings(file).workerMemoryMb }, file.fsPath);
    return (await promise).lines;
  });
  const claimEvents = new vscode.EventEmitter<{ card: string; claimId: string }>();

  const openEvidence = async (cardKey: string, claimId: string, index: number): Promise<void> => {
    const run = service.runs.get(cardKey);
    const evidence = run?.claims.get(claimId)?.evidence[index];
    if (!run || !evidence) {
      void vscode.window.showWarningMessage('CardCheck: that evidence is no longer available; verify the card again.');
      return;
    }
    const uri = diagnostics.evidenceUri(run, evidence);
    try {
      // A text editor even for notebooks: evidence lines are lines of the file as stored.
      const doc = await vscode.workspace.openTextDocument(uri);
      const range = doc.validateRange(toVsRange(evidence.range));
      const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: range, preview: true });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      log.error(`cannot open ${uri.toString()}: ${String(error)}`);
      void vscode.window.showErrorMessage(`CardCheck: cannot open ${evidence.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const revealClaim = async (cardKey: string, claimId: string): Promise<void> => {
    const run = service.runs.get(cardKey);
    if (!run) return;
    const range = diagnostics.spanOf(run, claimId);
    const doc = await vscode.workspace.openTextDocument(diagnostics.documentUri(run));
    const selection = range ? doc.validateRange(range) : undefined;
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false, ...(selection ? { selection } : {}) });
  };

  const verifyCard = async (uri: vscode.Uri, opts: { showPanel?: boolean; trigger?: RunTrigger } = {}): Promise<VerifyOutcome> => {
    const target = targetFor(uri);
    if (isDocx(target.cardUri)) {
      const textUri = docxTextUri(target.cardUri);
      docx.refresh(textUri);
      // A re-run of watch mode happens while the user works elsewhere: it opens nothing.
      if (opts.trigger !== 'watch') await vscode.window.showTextDocument(textUri, { preview: true, viewColumn: vscode.ViewColumn.One });
    }
    if (opts.showPanel ?? readSettings(target.cardUri).showPanelOnVerify) panel.show(target.cardUri.toString(), true);
    const { result } = service.verify(target, opts.trigger ?? 'command');
    const r = await result;
    const outcome = r.outcome;
    if (!outcome) return { status: 'dropped', claims: 0 };
    switch (outcome.kind) {
      case 'done': {
        const s = outcome.summary;
        return { status: 'done', claims: r.run.claims.size, engineClaims: s.supported + s.contradicted + s.unverified + s.notCheckable, summary: s };
      }
      case 'cancelled':
        return { status: 'cancelled', claims: r.run.claims.size, summary: r.run.counts() };
      default:
        return { status: 'failed', message: outcome.message, claims: r.run.claims.size, summary: r.run.counts() };
    }
  };

  // Watch mode: saving a verified card, or a file its last run took evidence from, re-verifies it.
  const watch = new WatchTriggers((cardKey) => {
    void verifyCard(vscode.Uri.parse(cardKey), { showPanel: false, trigger: 'watch' }).catch((error: unknown) => {
      log.error(`watch: re-verifying ${cardKey} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const watchEnabled = (cardKey: string): boolean => readSettings(vscode.Uri.parse(cardKey)).watch;

  type AllCard = SequenceCard & { uri: vscode.Uri };
  type AllOutcome = VerifyOutcome & { contradicted?: number };
  let verifyAllSequence: CardSequence<AllCard, AllOutcome> | undefined;
  const verifyAll = async (): Promise<VerifyAllResult> => {
    const settings = readSettings();
    const cards = await findCards(settings.cardGlob);
    if (cards.length === 0) {
      void vscode.window.showInformationMessage(`CardCheck: no model cards match ${settings.cardGlob} (setting cardcheck.cardGlob), and no README.md starts with model-card metadata.`);
      return { total: 0, cancelled: false, outcomes: [], skipped: [], message: 'no model cards' };
    }
    if (verifyAllSequence) {
      void vscode.window.showInformationMessage('CardCheck: Verify All Model Cards is already running.');
      return { total: cards.length, cancelled: false, outcomes: [], skipped: cards.map((c) => c.toString()), message: 'already running' };
    }
    log.info(`verify all: ${cards.length} card(s) match ${settings.cardGlob}, verified one at a time`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'CardCheck: verifying model cards', cancellable: true },
      async (progress, token) => {
        const sequence = new CardSequence<AllCard, AllOutcome>(
          cards.map((uri) => ({ key: uri.toString(), name: vscode.workspace.asRelativePath(uri, true), uri })),
          {
            run: async (card, index): Promise<AllOutcome> => {
              const outcome = await verifyCard(card.uri, { showPanel: index === 0 ? undefined : false, trigger: 'verifyAll' });
              return outcome.summary ? { ...outcome, contradicted: outcome.summary.contradicted } : outcome;
            },
            cancel: (card) => service.cancel(card.key),
            step: (step) => progress.report(step),
          },
        );
        verifyAllSequence = sequence;
        const cancelling = token.onCancellationRequested(() => void sequence.cancel());
        try {
          return await sequence.run();
        } finally {
          cancelling.dispose();
          verifyAllSequence = undefined;
        }
      },
    );
    const message = sequenceSummary(result);
    log.info(message);
    const contradictions = result.ran.some((r) => (r.outcome.contradicted ?? 0) > 0);
    void (contradictions ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    return {
      total: result.total,
      cancelled: result.cancelled,
      outcomes: result.ran.map((r) => ({ card: r.card.key, ...r.outcome })),
      skipped: result.skipped.map((c) => c.key),
      message,
    };
  };

  const panel = new EvidencePanel(
    context.extensionUri,
    service,
    {
      openEvidence,
      revealClaim,
      verify: async (cardKey) => void (await verifyCard(vscode.Uri.parse(cardKey), { showPanel: false, trigger: 'panel' })),
      cancel: (cardKey) => service.cancel(cardKey),
      restore: async (cardKey) => {
        const found = await saved.load(cardKey);
        if (!found) return false;
        service.restore(found.run, found.rootUri);
        return true;
      },
    },
    log,
  );

  const guarded =
    (name: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    async (...args: unknown[]): Promise<unknown> => {
      try {
        return await fn(...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${name}: ${message}`);
        void vscode.window.showErrorMessage(`CardCheck: ${message}`);
        return undefined;
      }
    };

  context.subscriptions.push(
    log,
    service,
    diagnostics,
    docx,
    panel,
    claimEvents,
    new CardCheckStatusBar(service, COMMANDS.showPanel),
    vscode.workspace.registerTextDocumentContentProvider(DOCX_SCHEME, docx),
    service.onDidChange((change) => {
      if (change.kind === 'cleared') {
        watch.forget(change.cardKey);
        return;
      }
      // Only a run of this session (a restored one never begins `running`) makes a card watched.
      if (change.kind === 'begin' && change.run.status === 'running') watch.track(change.run.cardKey, change.run.cardPath);
      if (change.kind === 'claim') claimEvents.fire({ card: change.run.cardKey, claimId: change.claimId });
      if (change.kind === 'end') {
        const run = change.run;
        const paths = [...run.claims.values()].flatMap((c) => c.evidence.map((e) => e.path));
        watch.recordEvidence(run.cardKey, run.workspaceRoot, paths, change.outcome.kind === 'done');
      }
      if (change.kind === 'end' && change.run.claims.size > 0 && change.run.startedAt !== undefined) {
        const root = service.rootOf(change.run.cardKey);
        if (root) saved.save(change.run, root).catch((e: unknown) => log.warn(`could not save results: ${String(e)}`));
      }
    }),
    { dispose: () => watch.dispose() },
    vscode.workspace.onDidSaveTextDocument((doc) => {
      // Only files on disk: untitled buffers and virtual documents (a .docx card's text) never trigger.
      if (doc.uri.scheme !== 'file') return;
      const due = watch.saved(doc.uri.fsPath, watchEnabled);
      if (due.length > 0) log.info(`watch: ${vscode.workspace.asRelativePath(doc.uri, true)} saved; re-verifying ${due.length} card(s) shortly`);
    }),
    vscode.languages.registerHoverProvider([{ language: 'markdown' }, { scheme: DOCX_SCHEME }], new ClaimHover(diagnostics)),
    vscode.languages.registerCodeActionsProvider([{ language: 'markdown' }, { scheme: DOCX_SCHEME }], new ClaimCodeActions(diagnostics), {
      providedCodeActionKinds: ClaimCodeActions.kinds,
    }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (webviewPanel, state) => panel.deserialize(webviewPanel, state),
    }),
    vscode.commands.registerCommand(
      COMMANDS.verify,
      guarded('verify', async (arg) => {
        const uri = await pickCard(arg);
        return uri ? verifyCard(uri) : undefined;
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.verifyAll, guarded('verifyAll', verifyAll)),
    vscode.commands.registerCommand(COMMANDS.cancel, guarded('cancel', () => service.cancel())),
    vscode.commands.registerCommand(
      COMMANDS.showPanel,
      guarded('showPanel', async () => {
        const active = vscode.window.activeTextEditor?.document.uri;
        const key = active && isCardUri(active) && service.runFor(cardFileUri(active)) ? cardFileUri(active).toString() : (panel.currentCard ?? service.activeKey ?? [...service.runs.keys()].at(-1));
        panel.show(key);
      }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.clear,
      guarded('clear', async () => {
        await service.clear();
        await saved.remove();
        log.info('results cleared');
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.setLlmApiKey, guarded('setLlmApiKey', () => setLlmApiKeyCommand(context.secrets, log))),
    vscode.commands.registerCommand(OPEN_EVIDENCE_COMMAND, guarded('openEvidence', async (cardKey, claimId, index) => {
      if (typeof cardKey === 'string' && typeof claimId === 'string' && typeof index === 'number') await openEvidence(cardKey, claimId, index);
    })),
    vscode.commands.registerCommand(REVEAL_CLAIM_COMMAND, guarded('revealClaim', async (cardKey, claimId) => {
      if (typeof cardKey === 'string' && typeof claimId === 'string') await revealClaim(cardKey, claimId);
    })),
  );

  // Results of the last session come back with the extension (after a reload), if the cards are unchanged.
  void saved.loadAll().then((all) => {
    for (const { run, rootUri } of all) if (!service.runs.has(run.cardKey)) service.restore(run, rootUri);
    if (all.length > 0) log.info(`restored saved results of ${all.length} card(s)`);
  });

  log.info(`CardCheck activated (VS Code ${vscode.version}, extension host pid ${process.pid})`);

  return {
    verify: (card, options) => verifyCard(card, { ...(options ?? {}), trigger: 'api' }),
    verifyAll,
    cancelVerifyAll: async () => verifyAllSequence?.cancel(),
    runLog: () => service.runLog(),
    delta: (card) => service.runFor(cardFileUri(card))?.baseline,
    watched: () => ({ cards: [...service.runs.keys()].filter((k) => watch.isTracked(k)), pending: watch.pendingKeys() }),
    cancel: (card) => service.cancel(card ? cardFileUri(card).toString() : undefined),
    results: (card) => [...(service.runFor(cardFileUri(card))?.orderedClaims() ?? [])],
    diagnosticsUri: (card) => diagnostics.documentUriOf(cardFileUri(card)),
    workerPid: (card) => service.workerPid(cardFileUri(card).toString()),
    onDidReceiveClaim: claimEvents.event,
    panel: () => ({ visible: panel.visible, card: panel.currentCard, stats: panel.stats() }),
    panelSnapshot: () => panel.snapshot(),
    outputLines: () => log.recent(),
    setLlmApiKey: async (key) => {
      await storeLlmApiKey(context.secrets, key);
    },
  };
}

export function deactivate(): void {
  // Disposables (including running workers' cancel) are released through context.subscriptions.
}
