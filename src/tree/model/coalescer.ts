/** Timer functions, injectable so tests run without waiting. */
export interface TimerApi {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: TimerApi = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Collects keys of changed items and flushes them together once per window: a burst of watch events
 * becomes one refresh per item. The first key of a burst arms the timer; later keys ride along (a steady
 * stream still flushes every `delayMs`, never starves). A key marked `undefined` means "everything".
 */
export class Coalescer<K> {
  private pending = new Set<K>();
  private everything = false;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly delayMs: number,
    private readonly flush: (keys: K[] | undefined) => void,
    private readonly timers: TimerApi = realTimers,
  ) {}

  add(key: K | undefined): void {
    if (this.disposed) return;
    if (key === undefined) this.everything = true;
    else this.pending.add(key);
    if (this.timer === undefined) {
      this.timer = this.timers.setTimeout(() => this.fire(), this.delayMs);
    }
  }

  /** Flushes now (e.g. before a test reads the tree). */
  fire(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const everything = this.everything;
    const keys = [...this.pending];
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
