/**
 * At most one verification runs at a time (one worker, bounded memory). A second Verify of the
 * card that is running cancels it and starts again (the user most likely edited the card); a
 * Verify of another card waits its turn. A card is never queued twice.
 */

export interface RunHandle {
  /** Settles when the run is over, whatever the outcome. */
  readonly finished: Promise<unknown>;
  cancel(): Promise<void>;
}

export type EnqueueResult = 'started' | 'queued' | 'restarted' | 'already-queued';

interface Pending {
  key: string;
  start: () => RunHandle;
  /** Called when the request is dropped without running (cancel, clear). */
  dropped: () => void;
}

export class RunQueue {
  private active: { key: string; handle: RunHandle } | undefined;
  private readonly pending: Pending[] = [];

  get activeKey(): string | undefined {
    return this.active?.key;
  }

  get pendingKeys(): string[] {
    return this.pending.map((p) => p.key);
  }

  isBusy(key: string): boolean {
    return this.active?.key === key || this.pending.some((p) => p.key === key);
  }

  /**
   * `start` is called when the run may begin and must return its handle; `dropped` when the
   * request is cancelled before it started.
   */
  async enqueue(key: string, start: () => RunHandle, dropped: () => void = () => undefined): Promise<EnqueueResult> {
    if (this.pending.some((p) => p.key === key)) {
      dropped();
      return 'already-queued';
    }
    if (this.active?.key === key) {
      // Jump the queue: the restarted run replaces the one the user is looking at.
      this.pending.unshift({ key, start, dropped });
      await this.active.handle.cancel();
      return 'restarted';
    }
    if (this.active) {
      this.pending.push({ key, start, dropped });
      return 'queued';
    }
    this.launch({ key, start, dropped });
    return 'started';
  }

  /** Cancels the run of `key` (or every run and request when no key is given). */
  async cancel(key?: string): Promise<void> {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i];
      if (p && (key === undefined || p.key === key)) {
        this.pending.splice(i, 1);
        p.dropped();
      }
    }
    if (this.active && (key === undefined || this.active.key === key)) await this.active.handle.cancel();
  }

  private launch(p: Pending): void {
    let handle: RunHandle;
    try {
      handle = p.start();
    } catch {
      // The starter reports its own failure; the request must still settle.
      p.dropped();
      this.next();
      return;
    }
    const entry = { key: p.key, handle };
    this.active = entry;
    void handle.finished.then(
      () => this.settled(entry),
      () => this.settled(entry),
    );
  }

  private settled(entry: { key: string; handle: RunHandle }): void {
    if (this.active === entry) this.active = undefined;
    this.next();
  }

  private next(): void {
    if (this.active) return;
    const p = this.pending.shift();
    if (p) this.launch(p);
  }
}
