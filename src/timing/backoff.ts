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
