/** Timer functions, injectable so tests run without waiting. */
export interface TimerApi {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds on a monotonic clock. */
  time(): number;
}

export const realTimers: TimerApi = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  time: () => performance.now(),
};

/**
 * Collects keys of changed items and flushes them together: a burst of watch events becomes one refresh per
 * item. The first key after a quiet spell goes out after a short settle time (so an expanded node's first
 * list, or a lone pod change, shows at once); keys that arrive while a flush was recent wait for the end of
 * the window, so there is at most one flush per `delayMs` and a steady stream never starves.
 * A key marked `undefined` means "everything".
 */
export class Coalescer<K> {
  private pending = new Set<K>();
  private everything = false;
  private timer: unknown;
  private disposed = false;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    /** At most one flush per window. */
    private readonly delayMs: number,
    private readonly flush: (keys: K[] | undefined) => void,
    private readonly timers: TimerApi = realTimers,
    /** Delay of the first flush after a quiet spell, to gather what arrives with it. */
    private readonly settleMs = 20,
  ) {}

  add(key: K | undefined): void {
    if (this.disposed) return;
    if (key === undefined) this.everything = true;
    else this.pending.add(key);
    if (this.timer === undefined) {
      const sinceFlush = this.timers.time() - this.lastFlush;
      this.timer = this.timers.setTimeout(
        () => this.fire(),
        Math.max(this.settleMs, this.delayMs - sinceFlush),
      );
    }
  }

  /** Flushes now (e.g. before a test reads the tree). */
  fire(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const everything = this.everything;
    const keys = [...this.pending];
    if (everything || keys.length > 0) this.lastFlush = this.timers.time();
    this.pending = new Set();
    this.everything = false;
    if (everything) this.flush(undefined);
    else if (keys.length > 0) this.flush(keys);
  }

  get hasPending(): boolean {
    return this.everything || this.pending.size > 0;
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.disposed = true;
    this.pending.clear();
  }
}
