/** A minimal typed event (vscode-free, shaped like vscode.Event so either side can consume it). */
export type Listener<T> = (value: T) => void;
export type Subscribe<T> = (listener: Listener<T>) => { dispose(): void };

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();

  readonly event: Subscribe<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // One faulty listener must not starve the others.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
