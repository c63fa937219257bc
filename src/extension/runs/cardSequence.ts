/**
 * "Verify All Model Cards" as a sequence (kept free of `vscode` so it can be unit-tested): one
 * card at a time, so one worker at a time; each step says "card i of n: name" and moves a progress
 * bar by its share; a cancel stops the card under way (through the caller's cancel) and skips the
 * rest.
 */

export interface SequenceCard {
  key: string;
  name: string;
}

/** What the caller needs of a card's outcome (a subset of the extension API's VerifyOutcome). */
export interface SequenceOutcome {
  status: 'done' | 'cancelled' | 'failed' | 'dropped';
  /** Contradicted claims of the card, when known. */
  contradicted?: number;
}

/** A progress report: `increment` is in percent of the whole sequence (VS Code's withProgress). */
export interface SequenceStep {
  message: string;
  increment: number;
}

export interface SequenceResult<C extends SequenceCard, R extends SequenceOutcome> {
  total: number;
  ran: Array<{ card: C; outcome: R }>;
  skipped: C[];
  cancelled: boolean;
}

export interface SequenceHooks<C extends SequenceCard, R extends SequenceOutcome> {
  run(card: C, index: number): Promise<R>;
  cancel(card: C): Promise<void>;
  step?(step: SequenceStep): void;
}

export class CardSequence<C extends SequenceCard, R extends SequenceOutcome> {
  private cancelled = false;
  private current: C | undefined;
  private started = false;

  constructor(
    private readonly cards: readonly C[],
    private readonly hooks: SequenceHooks<C, R>,
  ) {}

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Runs the cards in order; resolves when the last is over or a cancel stopped the sequence. */
  async run(): Promise<SequenceResult<C, R>> {
    if (this.started) throw new Error('a card sequence runs once');
    this.started = true;
    const total = this.cards.length;
    const share = total > 0 ? 100 / total : 0;
    const ran: Array<{ card: C; outcome: R }> = [];
    let index = 0;
    for (; index < total && !this.cancelled; index++) {
      const card = this.cards[index]!;
      this.hooks.step?.({ message: `card ${index + 1} of ${total}: ${card.name}`, increment: index === 0 ? 0 : share });
      this.current = card;
      try {
        ran.push({ card, outcome: await this.hooks.run(card, index) });
      } finally {
        this.current = undefined;
      }
    }
    if (!this.cancelled && total > 0) this.hooks.step?.({ message: `${total} of ${total} done`, increment: share });
    return { total, ran, skipped: this.cards.slice(index), cancelled: this.cancelled };
  }

  /** Stops the card under way and skips the ones after it. */
  async cancel(): Promise<void> {
    if (this.cancelled) return;
    this.cancelled = true;
    const card = this.current;
    if (card) await this.hooks.cancel(card);
  }
}

function cards(n: number): string {
  return `${n} card${n === 1 ? '' : 's'}`;
}

/** The closing message, e.g. "CardCheck: 3 cards — 2 with contradictions". */
export function sequenceSummary(result: SequenceResult<SequenceCard, SequenceOutcome>): string {
  const withContradictions = result.ran.filter((r) => (r.outcome.contradicted ?? 0) > 0).length;
  const failed = result.ran.filter((r) => r.outcome.status === 'failed').length;
  const stopped = result.ran.filter((r) => r.outcome.status === 'cancelled' || r.outcome.status === 'dropped').length;
  const parts = [withContradictions === 0 ? 'none with contradictions' : `${withContradictions} with contradictions`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (stopped > 0) parts.push(`${stopped} cancelled`);
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} skipped`);
  const head = result.cancelled ? `cancelled after ${result.ran.length} of ${cards(result.total)}` : cards(result.total);
  return `CardCheck: ${head} — ${parts.join(', ')}`;
}
