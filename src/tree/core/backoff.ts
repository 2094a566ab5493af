import type { TimerApi } from './coalescer';
import { realTimers } from './coalescer';

/** Exponential backoff with a cap and ±20 % jitter so many clusters do not retry in step. */
export function backoffDelay(attempt: number, baseMs = 1000, maxMs = 30_000, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(maxMs, raw * jitter));
}

/**
 * Retries an action after failures with growing delays until it succeeds or is stopped. `stop()` is final:
 * an intentional stop must never be undone by a late failure (the informer reports stop() as an error).
 */
export class Retrier {
  private attempt = 0;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly action: () => Promise<void>,
    private readonly options: { baseMs?: number; maxMs?: number; onRetry?: (delayMs: number) => void } = {},
    private readonly timers: TimerApi = realTimers,
  ) {}

  /** Call after a failure: schedules the next attempt. Returns the delay, or undefined when stopped. */
  failed(): number | undefined {
    if (this.stopped) return undefined;
    const delay = backoffDelay(this.attempt++, this.options.baseMs, this.options.maxMs);
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.options.onRetry?.(delay);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.action().then(
        () => this.succeeded(),
        () => this.failed(),
      );
    }, delay);
    return delay;
  }

  /** Call after a success: the next failure starts from the base delay again. */
  succeeded(): void {
    this.attempt = 0;
  }

  /** Retries now (the user's "Retry"), cancelling a scheduled attempt. */
  retryNow(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.action().then(
      () => this.succeeded(),
      () => this.failed(),
    );
  }

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
