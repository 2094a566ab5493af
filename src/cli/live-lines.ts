// On a terminal: below the finished lines, one line per running step or node with its elapsed time,
// redrawn in place. Lines are cut to the terminal's width so that none wraps (a wrapped line would throw
// off the count of lines to redraw).
import { formatDuration, type OutStream } from './output';

export interface LiveClock {
  now(): number;
  every(ms: number, tick: () => void): { stop(): void };
}

export const realLiveClock: LiveClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    return { stop: () => clearInterval(timer) };
  },
};

const REDRAW_MS = 250;

export class LiveLines {
  private readonly units = new Map<string, { label: string; started: number }>();
  private drawn = 0;
  private timer: { stop(): void } | undefined;
  private paused = false;

  constructor(
    private readonly out: OutStream,
    private readonly clock: LiveClock = realLiveClock,
  ) {}

  start(key: string, label: string): void {
    this.units.set(key, { label, started: this.clock.now() });
    this.timer ??= this.clock.every(REDRAW_MS, () => this.redraw());
    this.redraw();
  }

  stop(key: string): void {
    this.units.delete(key);
    if (this.units.size === 0) this.stopTimer();
    this.redraw();
  }

  /** A finished line: written above the live ones. */
  print(line: string): void {
    this.erase();
    this.out.write(`${line}\n`);
    this.draw();
  }

  async aside<T>(work: () => Promise<T>): Promise<T> {
    this.erase();
    this.paused = true;
    try {
      return await work();
    } finally {
      this.paused = false;
      this.draw();
    }
  }

  close(): void {
    this.stopTimer();
    this.erase();
    this.units.clear();
  }

  private redraw(): void {
    this.erase();
    this.draw();
  }

  private erase(): void {
    // Up to the first live line, then clear to the end of the screen.
    if (this.drawn > 0) this.out.write(`\r\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    if (this.paused || this.units.size === 0) return;
    // A pseudo-terminal may report 0 columns: take the usual 80 then.
    const width = Math.max(30, (this.out.columns || 80) - 1);
    const now = this.clock.now();
    const lines = [...this.units.values()].map((u) => {
      const elapsed = `  ${formatDuration(now - u.started)}`;
      const label = `  … ${u.label}`;
      const room = width - elapsed.length;
      return (label.length > room ? `${label.slice(0, room - 1)}…` : label) + elapsed;
    });
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  private stopTimer(): void {
    this.timer?.stop();
    this.timer = undefined;
  }
}
