import type { Summary } from '../../engine/model.js';
import type { Progress } from '../../protocol/events.js';
import type { HostToWebview, PanelClaim, PanelRun } from '../../protocol/webviewMessages.js';

/** What the panel shows, read from the host's single copy of the results when a message is built. */
export interface PanelView {
  run: PanelRun;
  progress: Progress | undefined;
  /** Claims in card order. */
  claims(): Iterable<PanelClaim>;
  claim(id: string): PanelClaim | undefined;
  summary: Summary | undefined;
  notices: readonly string[];
  omittedNotices: number;
}

export interface PanelFeedOptions {
  /** Minimum gap between two flushes to the webview. */
  throttleMs?: number;
  /** Byte budget of one `claims` message. */
  batchBytes?: number;
}

export interface PanelFeedStats {
  posted: number;
  /** Messages posted while the webview was not ready (must stay 0). */
  postedWhileNotReady: number;
  /** Claim ids waiting for the next flush (bounded by the card's claims). */
  pendingClaims: number;
  replays: number;
}

/**
 * Feeds the evidence panel. Nothing is posted before the webview says `ready`. While it is not
 * ready (hidden: VS Code drops messages to hidden webviews and recreates them on show) the feed
 * keeps no messages at all, only a flag that a full replay is due: the latest state per kind lives
 * in the host's results and is read again on the next `ready`. While visible, changes are
 * coalesced and flushed at most every `throttleMs`.
 */
export class PanelFeed {
  private ready = false;
  private replayDue = true;
  private dirtyRun = false;
  private dirtyProgress = false;
  private dirtySummary = false;
  private dirtyNotices = false;
  private readonly dirtyClaims = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;
  private readonly stats: PanelFeedStats = { posted: 0, postedWhileNotReady: 0, pendingClaims: 0, replays: 0 };
  private readonly throttleMs: number;
  private readonly batchBytes: number;

  constructor(
    private readonly post: (message: HostToWebview) => PromiseLike<boolean> | boolean,
    private readonly view: () => PanelView | undefined,
    opts: PanelFeedOptions = {},
  ) {
    this.throttleMs = opts.throttleMs ?? 100;
    this.batchBytes = opts.batchBytes ?? 12 * 1024;
  }

  get isReady(): boolean {
    return this.ready;
  }

  getStats(): PanelFeedStats {
    return { ...this.stats, pendingClaims: this.dirtyClaims.size };
  }

  /** The webview (re)loaded and listens: replay everything. */
  onReady(): void {
    this.ready = true;
    this.replayDue = true;
    this.schedule(true);
  }

  /** The webview is hidden or disposed: stop posting, forget pending changes, replay on the next `ready`. */
  onNotReady(): void {
    this.ready = false;
    this.replayDue = true;
    this.clearDirty();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The panel now shows another card (or a new run began): replay. */
  reset(): void {
    this.replayDue = true;
    this.clearDirty();
    this.schedule();
  }

  runChanged(): void {
    this.dirtyRun = true;
    this.schedule();
  }

  progressChanged(): void {
    this.dirtyProgress = true;
    this.schedule();
  }

  claimChanged(id: string): void {
    if (!this.ready || this.replayDue) return;
    this.dirtyClaims.add(id);
    this.schedule();
  }

  summaryChanged(): void {
    this.dirtySummary = true;
    this.schedule();
  }

  noticesChanged(): void {
    this.dirtyNotices = true;
    this.schedule();
  }

  dispose(): void {
    this.onNotReady();
  }

  /** Sends what is due now (tests and the end of a run use it). */
  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private clearDirty(): void {
    this.dirtyRun = this.dirtyProgress = this.dirtySummary = this.dirtyNotices = false;
    this.dirtyClaims.clear();
  }

  private schedule(immediate = false): void {
    if (!this.ready || this.timer) return;
    const wait = immediate ? 0 : Math.max(0, this.lastFlush + this.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private send(message: HostToWebview): void {
    if (!this.ready) {
      this.stats.postedWhileNotReady += 1;
      return;
    }
    this.stats.posted += 1;
    const result = this.post(message);
    if (typeof result === 'boolean') {
      if (!result) this.onNotReady();
    } else {
      result.then(
        (ok) => {
          if (!ok) this.onNotReady();
        },
        () => this.onNotReady(),
      );
    }
  }

  private flush(): void {
    if (!this.ready) return;
    this.lastFlush = Date.now();
    const view = this.view();
    if (!view) {
      this.clearDirty();
      return;
    }
    if (this.replayDue) {
      this.replayDue = false;
      this.clearDirty();
      this.stats.replays += 1;
      for (const m of replayMessages(view, this.batchBytes)) this.send(m);
      return;
    }
    if (this.dirtyRun) this.send({ type: 'run', run: view.run });
    if (this.dirtyProgress && view.progress) this.send({ type: 'progress', progress: view.progress });
    if (this.dirtyClaims.size > 0) {
      const ids = [...this.dirtyClaims];
      this.dirtyClaims.clear();
      const claims: PanelClaim[] = [];
      for (const id of ids) {
        const c = view.claim(id);
        if (c) claims.push(c);
      }
      this.sendClaims(claims);
    }
    if (this.dirtySummary && view.summary) this.send({ type: 'summary', summary: view.summary });
    if (this.dirtyNotices) this.send({ type: 'notices', notices: [...view.notices], omitted: view.omittedNotices });
    this.dirtyRun = this.dirtyProgress = this.dirtySummary = this.dirtyNotices = false;
  }

  private sendClaims(claims: Iterable<PanelClaim>): void {
    for (const batch of claimBatches(claims, this.batchBytes)) this.send({ type: 'claims', claims: batch });
  }
}

/** Everything a freshly loaded webview is sent for a view, in order. */
export function replayMessages(view: PanelView, batchBytes = 12 * 1024): HostToWebview[] {
  const messages: HostToWebview[] = [{ type: 'reset', run: view.run }];
  if (view.progress) messages.push({ type: 'progress', progress: view.progress });
  for (const batch of claimBatches(view.claims(), batchBytes)) messages.push({ type: 'claims', claims: batch });
  if (view.summary) messages.push({ type: 'summary', summary: view.summary });
  messages.push({ type: 'notices', notices: [...view.notices], omitted: view.omittedNotices });
  return messages;
}

function* claimBatches(claims: Iterable<PanelClaim>, batchBytes: number): Generator<PanelClaim[]> {
  let batch: PanelClaim[] = [];
  let bytes = 0;
  for (const c of claims) {
    const size = Buffer.byteLength(JSON.stringify(c), 'utf8');
    if (batch.length > 0 && bytes + size > batchBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(c);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
