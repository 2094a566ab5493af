import type { Clock } from './clock';
import { realClock } from './clock';
import { Coalescer } from './coalescer';

/**
 * Runs `action` at most once per `intervalMs`, `intervalMs` after the first request of a spell: requests in
 * between are absorbed by the pending run. It is a Coalescer whose settle time is the whole interval and
 * whose only key is "everything" (a state to re-send, a file to rewrite).
 */
export class Throttle {
  private readonly coalescer: Coalescer<never>;

  constructor(action: () => void, intervalMs: number, clock: Clock = realClock) {
    this.coalescer = new Coalescer<never>(intervalMs, () => action(), clock, intervalMs);
  }

  /** Asks for a run; the one already pending absorbs it. */
  schedule(): void {
    this.coalescer.add(undefined);
  }

  /** Runs now if a run is pending (and drops that pending run). */
  fire(): void {
    this.coalescer.fire();
  }

  /** Drops the pending run, e.g. because the caller just did the work itself. */
  cancel(): void {
    this.coalescer.cancel();
  }

  get pending(): boolean {
    return this.coalescer.hasPending;
  }

  dispose(): void {
    this.coalescer.dispose();
  }
}
