import type { Clock, TimerHandle } from './clock';
import { realClock } from './clock';

/**
 * The delay before retry number `attempt` (0-based): `baseMs` doubling per attempt, with ±`jitter` (a
 * fraction) so many clients do not retry in step, never above `maxMs` — jitter included.
 */
export function backoffDelay(
  attempt: number,
  baseMs = 1000,
  maxMs = 30_000,
  random: () => number = Math.random,
  jitter = 0.2,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  const factor = 1 - jitter + 2 * jitter * random();
  return Math.round(Math.min(maxMs, raw * factor));
}

export interface BackoffOptions {
  /** The first delay (default 1 s). */
  initialMs?: number;
  /** No delay is longer, jitter included (default 30 s). */
  maxMs?: number;
  /** ± this fraction of the delay (default 0.2; 0 for exact doubling). */
  jitter?: number;
  random?: () => number;
}

/** Successive backoff delays; reset() after a success starts from the first delay again. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = {}) {}

  next(): number {
    const { initialMs, maxMs, random, jitter } = this.options;
    return backoffDelay(this.attempt++, initialMs, maxMs, random, jitter);
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}

/**
 * Retries an action after failures with growing delays until it succeeds or is stopped. `stop()` is final:
 * an intentional stop must never be undone by a late failure (the informer reports stop() as an error).
 */
export class Retrier {
  private readonly backoff: Backoff;
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly action: () => Promise<void>,
    private readonly options: { baseMs?: number; maxMs?: number; onRetry?: (delayMs: number) => void } = {},
    private readonly clock: Clock = realClock,
  ) {
    this.backoff = new Backoff({ initialMs: options.baseMs, maxMs: options.maxMs });
  }

  /** Call after a failure: schedules the next attempt. Returns the delay, or undefined when stopped. */
  failed(): number | undefined {
    if (this.stopped) return undefined;
    const delay = this.backoff.next();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.options.onRetry?.(delay);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.attemptNow();
    }, delay);
    return delay;
  }

  /** Call after a success: the next failure starts from the base delay again. */
  succeeded(): void {
    this.backoff.reset();
  }

  /** Retries now (the user's "Retry"), cancelling a scheduled attempt. */
  retryNow(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.attemptNow();
  }

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private attemptNow(): void {
    this.action().then(
      () => this.succeeded(),
      () => this.failed(),
    );
  }
}
