/**
 * For the few delays an issue asks a test to check ("within 1 s"): the measured attempt is repeated, up to
 * `attempts` times, until one makes the limit. A slow implementation fails every attempt; a load spike on a
 * shared 2-core CI machine stretches only one. Speed goals proper are the benchmarks' (bench/).
 * Returns every attempt's milliseconds, for the failure message and the log.
 */
export async function bestOf(
  attempts: number,
  limitMs: number,
  attempt: () => Promise<number>,
): Promise<{ met: boolean; times: number[] }> {
  const times: number[] = [];
  while (times.length < attempts && !times.some((ms) => ms < limitMs)) times.push(await attempt());
  return { met: times.some((ms) => ms < limitMs), times };
}
