import * as vscode from 'vscode';
import type { CardRun } from './runs/cardRun.js';
import { summaryText, type VerificationService } from './runs/verificationService.js';

/** Spinner with `n/m claims` while a run goes, `✗ 3  ? 5  ✓ 12` after; click opens the panel. */
export class CardCheckStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cardcheck.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private last: CardRun | undefined;

  constructor(service: VerificationService, showPanelCommand: string) {
    this.item.name = 'CardCheck';
    this.item.command = showPanelCommand;
    this.subscription = service.onDidChange((change) => {
      if (change.kind === 'cleared') {
        if (this.last?.cardKey === change.cardKey) {
          this.last = undefined;
          this.item.hide();
        }
        return;
      }
      this.last = change.run;
      // Claims and progress can arrive hundreds of times a second: repaint at most every 200 ms.
      if (change.kind === 'begin' || change.kind === 'end') this.update();
      else if (!this.pending) this.pending = setTimeout(() => this.update(), 200);
    });
  }

  private update(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    const run = this.last;
    if (!run) return;
    const s = run.status === 'running' || !run.summary ? run.counts() : run.summary;
    const counts = `✗ ${s.contradicted}  ? ${s.unverified}  ✓ ${s.supported}`;
    switch (run.status) {
      case 'running': {
        const p = run.progress;
        const done = p ? `${p.claimsDone}/${p.claimsTotal} claims` : 'starting';
        this.item.text = `$(sync~spin) CardCheck ${done}`;
        this.item.tooltip = `CardCheck is verifying ${run.label}${p ? ` (${p.phase}, ${p.filesScanned} files scanned${p.rssMb !== undefined ? `, worker ${p.rssMb} MB` : ''})` : ''}. Click to show the evidence panel.`;
        this.item.accessibilityInformation = { label: `CardCheck verifying ${run.label}: ${done}` };
        break;
      }
      case 'queued':
        this.item.text = '$(clock) CardCheck queued';
        this.item.tooltip = `${run.label} waits for the running verification`;
        break;
      case 'failed':
        this.item.text = `$(warning) CardCheck failed  ${counts}`;
        this.item.tooltip = `${run.label}: ${run.message ?? 'failed'}`;
        this.item.accessibilityInformation = { label: `CardCheck failed on ${run.label}: ${summaryText(s)}` };
        break;
      default:
        this.item.text = `CardCheck ${counts}`;
        this.item.tooltip = `${run.label}: ${summaryText(s)}${run.status === 'cancelled' ? ' (cancelled)' : ''}. Click to show the evidence panel.`;
        this.item.accessibilityInformation = { label: `CardCheck ${run.label}: ${summaryText(s)}` };
    }
    this.item.show();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.subscription.dispose();
    this.item.dispose();
  }
}
