import type { Progress } from '../protocol/events.js';

const PHASE_LABEL: Record<Progress['phase'], string> = {
  card: 'reading card', index: 'indexing', facts: 'reading files', verify: 'verifying', done: 'done',
};

/** One line of progress for a terminal `width` columns wide, without colours or control codes. */
export function renderProgress(p: Progress, width: number): string {
  const parts = [PHASE_LABEL[p.phase]];
  if (p.claimsTotal > 0) parts.push(`${p.claimsDone}/${p.claimsTotal} claims`);
  if (p.filesScanned > 0) parts.push(`${p.filesScanned.toLocaleString('en-US')} files`);
  if (p.rssMb !== undefined) parts.push(`${Math.round(p.rssMb)} MB`);
  const info = parts.join(' · ');
  const barWidth = Math.min(30, width - info.length - 4);
  if (barWidth < 6) return info.slice(0, Math.max(0, width - 1));
  const ratio = p.claimsTotal > 0 ? Math.min(1, p.claimsDone / p.claimsTotal) : 0;
  const filled = Math.round(ratio * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${info}`.slice(0, width - 1);
}

/**
 * A single redrawn line on a terminal (stderr). Updates are coalesced: only the newest snapshot
 * is drawn, at most every `intervalMs`. Anything else written to the terminal goes through
 * `interrupt` so it does not land in the middle of the bar.
 */
export class ProgressBar {
  private latest: Progress | undefined;
  private lastDraw = 0;
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly intervalMs = 100,
  ) {}

  update(p: Progress): void {
    this.latest = p;
    const wait = this.intervalMs - (Date.now() - this.lastDraw);
    if (wait <= 0) {
      this.draw();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.draw();
      }, wait);
      this.timer.unref();
    }
  }

  /** Clears the bar, runs `write`, and redraws the bar under it. */
  interrupt(write: () => void): void {
    const wasShown = this.shown;
    this.erase();
    write();
    if (wasShown) this.draw();
  }

  /** Removes the bar for good (the run is over). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    this.erase();
  }

  private draw(): void {
    if (!this.latest) return;
    this.lastDraw = Date.now();
    const width = this.stream.columns || 80;
    this.stream.write(`\r\x1b[2K${renderProgress(this.latest, width)}`);
    this.shown = true;
  }

  private erase(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
