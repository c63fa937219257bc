import v8 from 'node:v8';
import vm from 'node:vm';
import { trimMallocArenas } from './mallocTrim.js';

/**
 * ast-grep's parse trees live outside the JS heap and are freed only when the JS objects that
 * hold them are collected. V8 does not see that memory, so while the heap is comfortable it
 * rarely collects, and trees of files long done pile up (DEPENDENCIES.md: 1.1 GB on the stdlib
 * in a sync loop). This asks for a collection whenever memory outside the heap is more than
 * `slackBytes` above what it was at the start, at most once per `minIntervalMs`.
 *
 * The threshold stays where it started: glibc keeps freed memory in its arenas, so memory outside
 * the heap rarely falls back after a collection, and raising the threshold to it after each one
 * (as this class did before) stopped the collections after the first few. On the stdlib, three
 * runs each: peak RSS 281-292 MB instead of 342-392 MB, in 30-31 s instead of 25-31.5 s. The
 * collections then keep coming while memory stays high, so they are spaced to take at most
 * GC_SHARE of the time (on 50,000 files, a collection a second had made the run 13% slower).
 *
 * Each collection is followed by a trim of glibc's arenas (mallocTrim.ts, ~5 ms), which gives
 * back what the collection freed. A run that builds its index after the walk keeps the heap small
 * while it extracts, so collections are cheap there: with a 32 MB slack, at most two a second, and
 * the worker's smaller young generation (WORKER_SEMI_SPACE_MB), three interleaved cold stdlib
 * runs peaked at 174-175 MB against 207-214 MB with a 64 MB slack, one a second and no trim.
 */
const CHECK_INTERVAL_MS = 50;

export class NativeMemoryGuard {
  private readonly gc: (() => void) | undefined;
  /** Memory outside the heap at the start: only growth beyond it counts. */
  private readonly baseline: number;
  private nextAt = 0;
  private lastCheckAt = 0;
  collections = 0;

  constructor(
    private readonly slackBytes = 32 * 1024 * 1024,
    private readonly minIntervalMs = 500,
    /** For tests: the memory reading, the clock and the collector. */
    private readonly env: { memory: () => { rss: number; heapTotal: number }; now: () => number; gc: (() => void) | undefined } = {
      memory: () => process.memoryUsage(), now: Date.now, gc: collectAndTrim(),
    },
  ) {
    this.gc = env.gc;
    const m = env.memory();
    this.baseline = m.rss - m.heapTotal;
  }

  /** Cheap to call often: memory is read at most every CHECK_INTERVAL_MS (a read costs ~0.2 ms). */
  check(): void {
    if (!this.gc) return;
    const now = this.env.now();
    if (now < this.nextAt || now - this.lastCheckAt < CHECK_INTERVAL_MS) return;
    this.lastCheckAt = now;
    const m = this.env.memory();
    if (m.rss - m.heapTotal - this.baseline <= this.slackBytes) return;
    this.collections++;
    this.gc();
    // A large heap takes long to collect: at most GC_SHARE of the time goes to these collections.
    const took = this.env.now() - now;
    this.nextAt = now + Math.max(this.minIntervalMs, took / GC_SHARE);
  }
}

/**
 * The most of a run's time the guard's collections may take (a collection of a 150 MB heap takes
 * ~0.1 s). On 50,000 files (bench): one run at 5% peaked at 399 MB in 290 s, two at 10% at 321 MB
 * in 291 s and 399 MB in 333 s (a slower stretch of the machine): the peak varies more between
 * runs than between these settings.
 */
const GC_SHARE = 0.1;

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

/**
 * After extraction: collects the parse trees' wrappers, then gives the memory the trees held in
 * glibc's arenas back to the system (mallocTrim.ts), before the index takes its own.
 */
export function releaseNativeMemory(): void {
  collectAndTrim()?.();
}

/** A full collection, then a trim of glibc's arenas; undefined when collections cannot be asked for. */
function collectAndTrim(): (() => void) | undefined {
  const gc = exposedGc();
  return gc && (() => {
    gc();
    trimMallocArenas();
  });
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
