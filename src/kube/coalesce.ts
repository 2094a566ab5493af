// Change events for consumers: the first change after a quiet spell goes out quickly, bursts are merged and
// sent at most once per window, so a tree refresh never runs once per object.

export class Coalescer<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  constructor(
    private readonly flush: (batch: T[]) => void,
    /** At most one flush per window (default 300 ms). */
    private readonly windowMs = 300,
    /** Delay before the first flush after a quiet spell, to gather a burst (default 15 ms). */
    private readonly settleMs = 15,
  ) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.timer) return;
    const sinceLast = Date.now() - this.lastFlush;
    const delay = Math.max(this.settleMs, this.windowMs - sinceLast);
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.lastFlush = Date.now();
    this.flush(batch);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}

/** Exponential backoff with a cap; reset after a success. */
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly initialMs = 250,
    private readonly maxMs = 10_000,
  ) {}

  next(): number {
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    // A little jitter so many watchers do not hammer a recovering server in step.
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
