import * as vscode from 'vscode';
import { PanelUiStateSchema, WebviewToHostSchema, type HostToWebview } from '../../protocol/webviewMessages.js';
import type { CardRun } from '../runs/cardRun.js';
import type { VerificationService } from '../runs/verificationService.js';
import { PanelFeed, replayMessages, type PanelFeedStats, type PanelView } from './panelFeed.js';
import { panelHtml } from './panelHtml.js';

export const PANEL_VIEW_TYPE = 'cardcheck.evidence';

export interface PanelActions {
  openEvidence(cardKey: string, claimId: string, index: number): Promise<void>;
  revealClaim(cardKey: string, claimId: string): Promise<void>;
  verify(cardKey: string): Promise<void>;
  cancel(cardKey: string): Promise<void>;
  /** Loads saved results of a card after a window reload. */
  restore(cardKey: string): Promise<boolean>;
}

/**
 * The evidence panel (one webview panel). It follows the card of the latest run. The webview is
 * not retained while hidden; it reloads on show, says `ready`, and gets the latest state replayed.
 */
export class EvidencePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private cardKey: string | undefined;
  private feed: PanelFeed | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];
  private readonly mediaRoot: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly service: VerificationService,
    private readonly actions: PanelActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
    this.disposables.push(
      service.onDidChange((change) => {
        if (change.kind === 'cleared') {
          if (change.cardKey === this.cardKey) this.feed?.reset();
          return;
        }
        const run = change.run;
        if (change.kind === 'begin' && run.cardKey !== this.cardKey && run.status === 'running') {
          // Follow the card being verified now.
          this.cardKey = run.cardKey;
          if (this.panel) this.panel.title = `CardCheck: ${run.label}`;
          this.feed?.reset();
          return;
        }
        if (run.cardKey !== this.cardKey || !this.feed) return;
        switch (change.kind) {
          case 'begin':
            this.feed.reset();
            return;
          case 'progress':
            this.feed.progressChanged();
            this.feed.runChanged();
            return;
          case 'claim':
            this.feed.claimChanged(change.claimId);
            this.feed.summaryChanged();
            return;
          case 'notices':
            this.feed.noticesChanged();
            return;
          case 'end':
            this.feed.runChanged();
            this.feed.progressChanged();
            this.feed.summaryChanged();
            this.feed.noticesChanged();
            return;
        }
      }),
    );
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  get currentCard(): string | undefined {
    return this.cardKey;
  }

  stats(): PanelFeedStats | undefined {
    return this.feed?.getStats();
  }

  /** What the webview is sent when it (re)loads on the current card: the panel's whole content. */
  snapshot(): HostToWebview[] {
    const view = this.view();
    return view ? replayMessages(view) : [];
  }

  /** Opens (or reveals) the panel on a card. */
  show(cardKey: string | undefined, preserveFocus = false): void {
    if (cardKey) this.cardKey = cardKey;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        'CardCheck',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [this.mediaRoot] },
      );
      this.attach(panel);
    } else {
      this.panel.reveal(undefined, preserveFocus);
      this.feed?.reset();
    }
    this.updateTitle();
  }

  /** Re-creates the panel after a window reload (WebviewPanelSerializer). */
  async deserialize(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = PanelUiStateSchema.safeParse(state);
    const cardKey = parsed.success ? parsed.data.cardUri : undefined;
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.mediaRoot] };
    if (this.panel) {
      panel.dispose();
      return;
    }
    if (cardKey) {
      this.cardKey = cardKey;
      if (!this.service.runs.has(cardKey)) {
        const restored = await this.actions.restore(cardKey).catch(() => false);
        this.log.info(`evidence panel restored for ${cardKey}${restored ? ' with saved results' : ' (no saved results)'}`);
      }
    }
    this.attach(panel);
    this.updateTitle();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, 'icon.png');
    this.feed = new PanelFeed((m: HostToWebview) => panel.webview.postMessage(m), () => this.view());
    panel.webview.html = panelHtml(panel.webview, this.mediaRoot, vscode.Uri.joinPath);
    this.panelDisposables = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidChangeViewState((e) => {
        // Hidden webviews drop messages and are rebuilt on show; the rebuilt one says `ready`.
        if (!e.webviewPanel.visible) this.feed?.onNotReady();
      }),
      panel.onDidDispose(() => {
        this.feed?.dispose();
        this.feed = undefined;
        this.panel = undefined;
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    ];
  }

  private updateTitle(): void {
    if (!this.panel) return;
    const run = this.cardKey ? this.service.runs.get(this.cardKey) : undefined;
    this.panel.title = run ? `CardCheck: ${run.label}` : 'CardCheck';
  }

  private view(): PanelView | undefined {
    const run: CardRun | undefined = this.cardKey ? this.service.runs.get(this.cardKey) : undefined;
    if (!run) {
      return {
        run: { cardLabel: 'No card verified yet', cardUri: this.cardKey ?? '', status: 'idle' },
        progress: undefined,
        claims: () => [],
        claim: () => undefined,
        summary: undefined,
        notices: [],
        omittedNotices: 0,
      };
    }
    return {
      run: this.service.panelRun(run),
      progress: run.progress,
      claims: () => run.orderedClaims(),
      claim: (id) => run.claims.get(id),
      summary: run.status === 'running' ? run.counts() : (run.summary ?? run.counts()),
      notices: run.notices,
      omittedNotices: run.omittedNotices,
    };
  }

  private onMessage(raw: unknown): void {
    const parsed = WebviewToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`ignored an invalid message from the evidence panel: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const m = parsed.data;
    const key = this.cardKey;
    switch (m.type) {
      case 'ready':
        this.feed?.onReady();
        return;
      case 'openEvidence':
        if (key) void this.actions.openEvidence(key, m.claimId, m.index);
        return;
      case 'revealClaim':
        if (key) void this.actions.revealClaim(key, m.claimId);
        return;
      case 'verify':
        if (key) void this.actions.verify(key);
        return;
      case 'cancel':
        if (key) void this.actions.cancel(key);
        return;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
