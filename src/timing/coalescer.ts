import type { Clock, TimerHandle } from './clock';
import { realClock } from './clock';

/**
 * Collects keys of changed items and flushes them together: a burst of changes becomes one flush, each key
 * once, in arrival order. The first key after a quiet spell goes out after a short settle time (so a lone
 * change shows at once, with what arrives right along with it); keys that arrive while a flush was recent wait
 * for the end of the window, so there is at most one flush per `windowMs` and a steady stream never starves.
 * A key `undefined` means "everything": the flush gets `undefined` instead of a list.
 */
export class Coalescer<K> {
  private pending = new Set<K>();
  private everything = false;
  private timer: TimerHandle | undefined;
  private disposed = false;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    /** At most one flush per window. */
    private readonly windowMs: number,
    private readonly flush: (keys: K[] | undefined) => void,
    private readonly clock: Clock = realClock,
    /** Delay of the first flush after a quiet spell, to gather what arrives with it. */
    private readonly settleMs = 20,
  ) {}

  add(key: K | undefined): void {
    if (this.disposed) return;
    if (key === undefined) this.everything = true;
    else this.pending.add(key);
    if (this.timer === undefined) {
      const sinceFlush = this.clock.now() - this.lastFlush;
      this.timer = this.clock.setTimeout(
        () => this.fire(),
        Math.max(this.settleMs, this.windowMs - sinceFlush),
      );
    }
  }

  /** Flushes now (e.g. before a test reads the tree); nothing happens when nothing is pending. */
  fire(): void {
    this.clearTimer();
    if (this.disposed) return;
    const everything = this.everything;
    const keys = [...this.pending];
    if (everything || keys.length > 0) this.lastFlush = this.clock.now();
    this.pending = new Set();
    this.everything = false;
    if (everything) this.flush(undefined);
    else if (keys.length > 0) this.flush(keys);
  }

  get hasPending(): boolean {
    return this.everything || this.pending.size > 0;
  }

  /** Drops what is pending; later keys are collected again (a watch that stops and starts anew). */
  cancel(): void {
    this.clearTimer();
    this.pending.clear();
    this.everything = false;
  }

  /** Drops what is pending and ignores every later key. */
  dispose(): void {
    this.cancel();
    this.disposed = true;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
