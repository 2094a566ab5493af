// Waits for a watched condition: the watch delivers values, `done` decides; a failed watch is started again
// with backoff until the timeout; the run's cancel ends the wait at once.
import { Backoff } from '../../timing';
import { StepFailure } from '../errors';
import { CancelledError } from './deps';

export type Subscribe<T> = (onValue: (value: T) => void, onError: (err: Error) => void) => { stop(): void };

export function waitFor<T>(
  signal: AbortSignal,
  what: string,
  subscribe: Subscribe<T>,
  done: (value: T) => boolean | Error,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let sub: { stop(): void } | undefined;
    let retry: NodeJS.Timeout | undefined;
    const backoff = new Backoff({ initialMs: 250, maxMs: 5_000, jitter: 0 });
    let settled = false;
    const end = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (retry) clearTimeout(retry);
      signal.removeEventListener('abort', onAbort);
      sub?.stop();
      fn();
    };
    const onAbort = () => end(() => reject(new CancelledError()));
    const timer = setTimeout(
      () =>
        end(() =>
          reject(
            new StepFailure(
              `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}.`,
              `Look at the cluster (Clusters view) to see what is stuck, then resume.`,
            ),
          ),
        ),
      timeoutMs,
    );
    const start = () => {
      if (settled) return;
      sub = subscribe(
        (value) => {
          if (settled) return;
          const verdict = done(value);
          if (verdict instanceof Error) end(() => reject(verdict));
          else if (verdict) end(() => resolve(value));
        },
        () => {
          // A watch that failed stops for good: start a new one, with backoff, until the timeout.
          if (settled) return;
          sub?.stop();
          retry = setTimeout(start, backoff.next());
        },
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    start();
  });
}
