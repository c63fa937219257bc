/**
 * The two bounded channels of DESIGN.md memory rule 1.
 *
 * - Claim results are credited: a sender may have at most `window` results unacknowledged; the
 *   next one waits (the pipeline awaits `claim()`), so nothing is dropped and nothing piles up.
 * - Progress is latest-state: a newer snapshot replaces one not yet sent.
 */

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** Sender side of credit-based flow control over sequence numbers 1, 2, 3, … */
export class CreditWindow {
  private sent = 0;
  private acked = 0;
  private waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private closed = false;

  constructor(readonly window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`credit window must be a positive integer, got ${window}`);
  }

  get inFlight(): number {
    return this.sent - this.acked;
  }

  get lastSent(): number {
    return this.sent;
  }

  /**
   * Resolves with the sequence number to send once a credit is free. One caller at a time: the
   * pipeline awaits each claim before producing the next.
   */
  async acquire(): Promise<number> {
    if (this.closed) throw new CancelledError();
    if (this.waiter) throw new Error('CreditWindow.acquire called while another acquire is pending');
    while (this.sent - this.acked >= this.window) {
      await new Promise<void>((resolve, reject) => {
        this.waiter = { resolve, reject };
      });
      this.waiter = undefined;
      if (this.closed) throw new CancelledError();
    }
    this.sent += 1;
    return this.sent;
  }

  /** Cumulative acknowledgement; stale or out-of-range acks are ignored. */
  ack(upTo: number): void {
    if (!Number.isInteger(upTo) || upTo <= this.acked) return;
    this.acked = Math.min(upTo, this.sent);
    this.waiter?.resolve();
  }

  /** Wakes a waiting sender with CancelledError. */
  close(): void {
    this.closed = true;
    this.waiter?.reject(new CancelledError());
  }
}

/** Receiver side: acknowledges handled results, batching acks to half the window. */
export class CreditGranter {
  private handled = 0;
  private lastAcked = 0;

  constructor(
    private readonly window: number,
    private readonly sendAck: (upTo: number) => void,
  ) {}

  /** Call once per result, in sequence order, after the host has handled it. */
  handledUpTo(seq: number): void {
    this.handled = Math.max(this.handled, seq);
    if (this.handled - this.lastAcked >= Math.max(1, Math.floor(this.window / 2))) this.flush();
  }

  /** Acks everything handled so far (called when the host becomes idle, so a short tail is not held back). */
  flush(): void {
    if (this.handled > this.lastAcked) {
      this.lastAcked = this.handled;
      this.sendAck(this.handled);
    }
  }
}

/**
 * A one-slot mailbox: `set` replaces any unsent value, `take` empties it. Used for progress,
 * worker memory and anything else where only the latest state matters.
 */
export class LatestSlot<T> {
  private value: T | undefined;
  private full = false;
  private replacedCount = 0;

  set(value: T): void {
    if (this.full) this.replacedCount += 1;
    this.value = value;
    this.full = true;
  }

  get hasValue(): boolean {
    return this.full;
  }

  /** Number of snapshots that were overwritten before being sent (coalesced away). */
  get replaced(): number {
    return this.replacedCount;
  }

  peek(): T | undefined {
    return this.full ? this.value : undefined;
  }

  take(): T | undefined {
    if (!this.full) return undefined;
    const v = this.value;
    this.value = undefined;
    this.full = false;
    return v;
  }
}

/**
 * Sends the latest value of a slot at most every `intervalMs`, and only when the transport says it
 * is idle (its previous send completed). Between sends new values replace old ones.
 */
export class CoalescingSender<T> {
  private readonly slot = new LatestSlot<T>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending = false;
  private lastSentAt = 0;
  private stopped = false;

  constructor(
    private readonly send: (value: T) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get coalesced(): number {
    return this.slot.replaced;
  }

  offer(value: T): void {
    if (this.stopped) return;
    this.slot.set(value);
    this.schedule();
  }

  /** Sends whatever is pending now (e.g. before `done`), waiting for an in-progress send. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.sending) await new Promise((r) => setTimeout(r, 1));
    const v = this.slot.take();
    if (v !== undefined) await this.doSend(v);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.slot.take();
  }

  private schedule(): void {
    if (this.timer || this.sending || this.stopped) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const v = this.slot.take();
      if (v !== undefined) void this.doSend(v);
    }, wait);
  }

  private async doSend(value: T): Promise<void> {
    this.sending = true;
    try {
      await this.send(value);
    } catch {
      // A failed progress send is not fatal: the next snapshot supersedes it.
    } finally {
      this.sending = false;
      this.lastSentAt = this.now();
      if (this.slot.hasValue) this.schedule();
    }
  }
}
