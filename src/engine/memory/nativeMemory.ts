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
const CHECK_INTERVAL_MS = 50;

export class NativeMemoryGuard {
  private readonly gc: (() => void) | undefined;
  /** Memory outside the heap that a collection did not free: only growth beyond it counts. */
  private baseline: number;
  private lastAt = 0;
  private lastCheckAt = 0;
  collections = 0;

  constructor(
    private readonly slackBytes = 64 * 1024 * 1024,
    private readonly minIntervalMs = 1000,
  ) {
    this.gc = exposedGc();
    const m = process.memoryUsage();
    this.baseline = m.rss - m.heapTotal;
  }

  /** Cheap to call often: memory is read at most every CHECK_INTERVAL_MS (a read costs ~0.2 ms). */
  check(): void {
    if (!this.gc) return;
    const now = Date.now();
    if (now - this.lastAt < this.minIntervalMs || now - this.lastCheckAt < CHECK_INTERVAL_MS) return;
    this.lastCheckAt = now;
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

/** Source characters parsed between two scavenges (see releaseParseTrees). */
const SCAVENGE_EVERY_CHARS = 256 * 1024;
let parsedSinceScavenge = 0;

/**
 * Call before each parse with the size of the source. A file's parse tree is garbage as soon as
 * its facts are read, but V8 sees only the small JS wrappers and collects them late: a sequential
 * parse of the standard library peaked at 195 MB RSS. The wrappers die young, so a scavenge
 * (minor GC, about a millisecond) frees their trees: with one per 256 K characters parsed the
 * same loop peaked at 109 MB and ran faster. Per thread: each worker thread has its own heap.
 */
export function releaseParseTrees(chars: number): void {
  parsedSinceScavenge += chars;
  if (parsedSinceScavenge < SCAVENGE_EVERY_CHARS) return;
  parsedSinceScavenge = 0;
  const gc = exposedGc() as ((options?: { type: 'minor' | 'major'; execution?: 'sync' }) => void) | undefined;
  gc?.({ type: 'minor', execution: 'sync' });
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
