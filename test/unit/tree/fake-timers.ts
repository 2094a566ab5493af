import type { TimerApi } from '../../../src/tree/core';

/** A manual clock for coalescing and backoff tests: advance() runs due callbacks in order. */
export class FakeTimers implements TimerApi {
  now = 0;
  private nextId = 1;
  private readonly queue = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue.delete(handle as number);
  }

  time(): number {
    return this.now;
  }

  get pending(): number {
    return this.queue.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.queue].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.queue.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}
