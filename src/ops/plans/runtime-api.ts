// The load balancer's runtime API inside a run: one command over SSH (socat to the stats socket, as root),
// and the waits configure-lb and the drill make on it (polls: the API has no watch).
import type { LoadBalancerModel } from '../../cluster-spec/load-balanced-types';
import { StepFailure } from '../errors';
import {
  isServing,
  parseShowInfo,
  parseShowStat,
  runtimeApiCommand,
  serversOf,
  type StatRow,
} from '../haproxy/runtime-api';
import type { StepContext } from '../plan';

/** Sends one command; resolves with its answer, or undefined when haproxy does not answer (not running). */
export async function runtimeApi(
  ctx: StepContext,
  lb: LoadBalancerModel,
  command: string,
  options: { cleanup?: boolean } = {},
): Promise<string | undefined> {
  const result = await ctx.exec(lb, runtimeApiCommand(lb.statsSocket), {
    sudo: true,
    stdin: `${command}\n`,
    stdinLabel: command,
    quiet: true,
    okCodes: 'any',
    timeoutMs: 10_000,
    ...(options.cleanup ? { cleanup: true } : {}),
  });
  return result.code === 0 && result.stdout.trim() !== '' ? result.stdout : undefined;
}

/** The backend's servers as `show stat` has them (undefined: haproxy does not answer). */
export async function backendServers(
  ctx: StepContext,
  lb: LoadBalancerModel,
  options: { cleanup?: boolean } = {},
): Promise<StatRow[] | undefined> {
  const text = await runtimeApi(ctx, lb, 'show stat', options);
  return text === undefined ? undefined : serversOf(parseShowStat(text), lb.backend.name);
}

/** The `description` of the configuration haproxy runs (undefined: it does not answer). */
export async function runningDescription(
  ctx: StepContext,
  lb: LoadBalancerModel,
  options: { cleanup?: boolean } = {},
): Promise<string | undefined> {
  const text = await runtimeApi(ctx, lb, 'show info', options);
  return text === undefined ? undefined : (parseShowInfo(text).description ?? '');
}

/** Polls `probe` every `everyMs` until it returns a value or `timeoutMs` passes (then undefined). */
export async function poll<T>(
  ctx: StepContext,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  options: { everyMs?: number; afterCancel?: boolean } = {},
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  // A roll back after a cancel still waits: plain timers, not the run's (cancelled) sleep.
  const sleep = options.afterCancel
    ? (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
    : (ms: number) => ctx.sleep(ms);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(options.everyMs ?? 200);
  }
}

/** One line per server: `mgw-1 UP (L7OK)`, `mgw-2 DOWN (L4CON: Connection refused)`. */
export function describeServers(rows: readonly StatRow[]): string {
  return rows
    .map(
      (r) =>
        `${r.name} ${r.status}${r.checkStatus ? ` (${r.checkStatus}${r.lastCheck && !isServing(r) ? `: ${r.lastCheck}` : ''})` : ''}`,
    )
    .join(', ');
}

export function noAnswer(lb: LoadBalancerModel): StepFailure {
  return new StepFailure(
    `haproxy on ${lb.hostname} does not answer on its runtime API (${lb.statsSocket}).`,
    `Check that haproxy runs on ${lb.hostname} (systemctl status haproxy) with "stats socket ${lb.statsSocket} … level admin" (configure-lb writes it), then resume.`,
    { node: lb.hostname },
  );
}
