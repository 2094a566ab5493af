// Timing for the SSH-layer tests and benchmark: waiting on a condition with a deadline, round-trip times.
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds or `ms` pass; the last check decides. */
export async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(25);
  }
  return check();
}

/** Times `count` round trips of `true` over one session, after a few untimed ones; sorted, in ms. */
export async function timeRoundTrips(
  session: { exec(argv: string[]): Promise<unknown> },
  count: number,
  warmUp = 0,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await session.exec(['true']);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await session.exec(['true']);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}
