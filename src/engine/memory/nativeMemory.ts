import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * ast-grep's parse trees live outside the JS heap and are freed only when the JS objects that
 * hold them are collected. V8 does not see that memory, so while the heap is comfortable it
 * rarely collects, and trees of files long done pile up (DEPENDENCIES.md: 1.1 GB on the stdlib
 * in a sync loop). This asks for a collection when memory outside the heap has grown by more than
 * `slackBytes` since the last collection, at most once per `minIntervalMs`. On the stdlib it cut the
 * peak RSS by about a quarter at no measurable cost in time.
 */
export class NativeMemoryGuard {
  private readonly gc: (() => void) | undefined;
  /** Memory outside the heap that a collection did not free: only growth beyond it counts. */
  private baseline: number;
  private lastAt = 0;
  collections = 0;

  constructor(
    private readonly slackBytes = 64 * 1024 * 1024,
    private readonly minIntervalMs = 1000,
  ) {
    this.gc = exposedGc();
    const m = process.memoryUsage();
    this.baseline = m.rss - m.heapTotal;
  }

  /** Cheap to call often (one memoryUsage() read). */
  check(): void {
    if (!this.gc) return;
    const now = Date.now();
    if (now - this.lastAt < this.minIntervalMs) return;
    const m = process.memoryUsage();
    if (m.rss - m.heapTotal - this.baseline <= this.slackBytes) return;
    this.lastAt = now;
    this.collections++;
    this.gc();
    // What is still outside the heap after a full collection is not garbage (buffers in use,
    // code): asking again before it grows by another slack would only cost time.
    const after = process.memoryUsage();
    this.baseline = Math.max(this.baseline, after.rss - after.heapTotal);
  }
}

let cached: (() => void) | null | undefined;

/** `global.gc`, exposing it if the process was started without --expose-gc. */
function exposedGc(): (() => void) | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') {
    cached = existing;
    return existing;
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    cached = typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}
