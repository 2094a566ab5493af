// Round-trip times for the SSH-layer tests and benchmark.

/** Times `count` round trips of `true` over one connection, after a few untimed ones; sorted, in ms. */
export async function timeRoundTrips(
  connection: { exec(argv: string[]): Promise<unknown> },
  count: number,
  warmUp = 0,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await connection.exec(['true']);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await connection.exec(['true']);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}
