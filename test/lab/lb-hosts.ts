// Reaching into a load-balanced lab's hosts from the host side: a command as root inside a host's namespaces
// (nsenter into its holder), every host of a lab, and the load balancer's runtime API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabInfo, LabNode } from './api';
import { isServing, parseShowStat, serversOf } from '../../src/ops/haproxy/runtime-api';
import { runRaw, waitFor } from './sys';

export const LB_INDEX = 0;
export const FIRST_AGENT_INDEX = 101;

/** Runs a command as root inside a lab host's namespaces (its holder's), with the fakes first on PATH. */
export function inHost(dir: string, index: number, binDir: string, argv: string[], input?: string) {
  const holder = readFileSync(join(dir, 'nodes', String(index), 'holder.pid'), 'utf8').trim();
  return runRaw(
    'nsenter',
    [
      '-t',
      holder,
      '-m',
      '-u',
      '-n',
      'env',
      `PATH=${binDir}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
      ...argv,
    ],
    input,
  );
}

export async function must(
  dir: string,
  index: number,
  binDir: string,
  argv: string[],
  input?: string,
): Promise<string> {
  const result = await inHost(dir, index, binDir, argv, input);
  if (result.code !== 0)
    throw new Error(`lab: ${argv.join(' ')} on host ${index} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Every host of a lab (gateways, load balancer, agents), for host keys and faults by index. */
export function allHosts(info: LabInfo): LabNode[] {
  return [...(info.loadBalancer ? [info.loadBalancer] : []), ...info.nodes, ...(info.agents ?? [])];
}

/** Runs `command` on the load balancer's runtime API (its stats socket), as the product does through SSH. */
export async function runtimeApi(
  info: LabInfo,
  command: string,
  socket = '/run/haproxy/admin.sock',
): Promise<string> {
  return must(
    info.dir,
    LB_INDEX,
    join(info.dir, 'bin'),
    ['socat', 'stdio', `UNIX-CONNECT:${socket}`],
    command + '\n',
  );
}

/** Waits until `count` servers of the backend passed their last check (the runtime API says so). */
export async function waitForServing(
  info: LabInfo,
  backend: string,
  count: number,
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(
    `${count} servers of ${backend} UP`,
    async () =>
      serversOf(parseShowStat(await runtimeApi(info, 'show stat')), backend).filter(isServing).length >=
      count,
    timeoutMs,
    100,
  );
}
