import type { Clock, TimerHandle } from './clock';
import { realClock } from './clock';

/**
 * A one-shot timer whose running time excludes the spans while it is paused (e.g. while a person answers a
 * prompt). Pauses nest: the timer runs again when the last one ends.
 */
export class PausableTimer {
  private remainingMs: number;
  private startedAt = 0;
  private handle: TimerHandle | undefined;
  private onExpire: (() => void) | undefined;
  private pauses = 0;
  private stopped = false;

  constructor(
    totalMs: number,
    private readonly clock: Clock = realClock,
  ) {
    this.remainingMs = totalMs;
  }

  start(onExpire: () => void): void {
    this.onExpire = onExpire;
    this.arm();
  }

  pause(): void {
    this.pauses++;
    if (this.handle === undefined) return;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.remainingMs -= this.clock.now() - this.startedAt;
  }

  resume(): void {
    if (this.pauses > 0) this.pauses--;
    this.arm();
  }

  /** Runs `work` with the timer paused. */
  async pausedWhile<T>(work: () => Promise<T>): Promise<T> {
    this.pause();
    try {
      return await work();
    } finally {
      this.resume();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** Whether the timer is counting down now (started, not paused, not expired or stopped). */
  get running(): boolean {
    return this.handle !== undefined;
  }

  private arm(): void {
    if (this.stopped || this.handle !== undefined || !this.onExpire || this.pauses > 0) return;
    const onExpire = this.onExpire;
    this.startedAt = this.clock.now();
    this.handle = this.clock.setTimeout(
      () => {
        this.handle = undefined;
        this.stopped = true;
        onExpire();
      },
      Math.max(0, this.remainingMs),
    );
  }
}
