// Tests wait for conditions, not for time: poll a condition until it holds, failing with what was awaited.

export interface WaitOptions {
  /** Give up after this long (default 5 s): the condition is then reported as never met. */
  timeoutMs?: number;
  /** Between checks (default 20 ms). */
  intervalMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
  /** The state to show when it times out. */
  detail?: () => unknown;
}

/** Resolves once `condition` holds (checked at once, then every intervalMs); rejects after timeoutMs. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  const { timeoutMs = 5_000, intervalMs = 20, what = 'a condition', detail } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (performance.now() > deadline) {
      const shown = detail ? ` (${String(detail())})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${shown}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
