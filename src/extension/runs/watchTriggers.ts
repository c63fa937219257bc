import * as path from 'node:path';

/**
 * Watch mode's bookkeeping (kept free of `vscode` so it can be unit-tested): which saved files
 * concern which verified cards, and the per-card debounce that turns a burst of saves into one
 * re-run. A card is watched once it has been verified in this session; a save of the card itself
 * or of a file that supplied evidence to its last run schedules a re-run after `debounceMs` of quiet.
 */

export const WATCH_DEBOUNCE_MS = 600;

/** Evidence files remembered per card: a card's claims are capped, and so is this. */
const MAX_SOURCES_PER_CARD = 10_000;

export interface WatchTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: WatchTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface WatchedCard {
  cardPath: string;
  sources: Set<string>;
}

export class WatchTriggers {
  private readonly cards = new Map<string, WatchedCard>();
  private readonly timers = new Map<string, unknown>();
  private readonly debounceMs: number;
  private readonly clock: WatchTimers;

  constructor(
    /** Starts the re-run of a card (the caller's queue supersedes a run already going). */
    private readonly rerun: (cardKey: string) => void,
    opts: { debounceMs?: number; timers?: WatchTimers } = {},
  ) {
    this.debounceMs = opts.debounceMs ?? WATCH_DEBOUNCE_MS;
    this.clock = opts.timers ?? realTimers;
  }

  /** A run of the card started in this session: from now on saving the card re-verifies it. */
  track(cardKey: string, cardPath: string): void {
    const known = this.cards.get(cardKey);
    if (known) known.cardPath = normalise(cardPath);
    else this.cards.set(cardKey, { cardPath: normalise(cardPath), sources: new Set() });
  }

  isTracked(cardKey: string): boolean {
    return this.cards.has(cardKey);
  }

  /**
   * The files the card's last run took evidence from (relative to `workspaceRoot`, or absolute).
   * A complete run replaces the list; a partial one (cancelled, crashed) only adds to it, since
   * the claims it did not reach still rest on the earlier run's files.
   */
  recordEvidence(cardKey: string, workspaceRoot: string, evidencePaths: Iterable<string>, replace: boolean): void {
    const card = this.cards.get(cardKey);
    if (!card) return;
    const sources = replace ? new Set<string>() : card.sources;
    for (const p of evidencePaths) {
      if (sources.size >= MAX_SOURCES_PER_CARD) break;
      if (p === '') continue;
      sources.add(normalise(path.resolve(workspaceRoot, p)));
    }
    card.sources = sources;
  }

  /** Stops watching a card (all cards when no key is given) and drops its pending re-run. */
  forget(cardKey?: string): void {
    const keys = cardKey === undefined ? [...this.cards.keys()] : [cardKey];
    for (const k of keys) {
      this.cards.delete(k);
      this.cancelPending(k);
    }
  }

  /** The watched cards a save of `filePath` (absolute) concerns: the card itself, or one of its evidence files. */
  cardsFor(filePath: string): string[] {
    if (!path.isAbsolute(filePath)) return [];
    const file = normalise(filePath);
    const out: string[] = [];
    for (const [key, card] of this.cards) if (card.cardPath === file || card.sources.has(file)) out.push(key);
    return out;
  }

  /**
   * A file was saved: schedules a debounced re-run of each card it concerns for which `enabled`
   * holds (the watch setting, read per card). Returns the cards scheduled.
   */
  saved(filePath: string, enabled: (cardKey: string) => boolean): string[] {
    const due = this.cardsFor(filePath).filter((k) => enabled(k));
    for (const k of due) this.schedule(k);
    return due;
  }

  /** Cards with a re-run waiting for the debounce to pass. */
  pendingKeys(): string[] {
    return [...this.timers.keys()];
  }

  dispose(): void {
    for (const k of [...this.timers.keys()]) this.cancelPending(k);
    this.cards.clear();
  }

  private schedule(cardKey: string): void {
    this.cancelPending(cardKey);
    const handle = this.clock.set(() => {
      if (this.timers.get(cardKey) !== handle) return;
      this.timers.delete(cardKey);
      if (this.cards.has(cardKey)) this.rerun(cardKey);
    }, this.debounceMs);
    this.timers.set(cardKey, handle);
  }

  private cancelPending(cardKey: string): void {
    const handle = this.timers.get(cardKey);
    if (handle === undefined) return;
    this.clock.clear(handle);
    this.timers.delete(cardKey);
  }
}

/** One spelling per file: resolved, and case-folded where the file system ignores case. */
function normalise(p: string): string {
  const abs = path.resolve(p);
  return process.platform === 'win32' || process.platform === 'darwin' ? abs.toLowerCase() : abs;
}
