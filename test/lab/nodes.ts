// The lab's "VMs": network namespaces on a bridge, each with its own UTS namespace, /etc view and sshd.
// Everything here runs as root on the host; see lab.md's network rules, which this file implements.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, runRaw, sleep, waitFor } from './sys';

export { etcHosts, prepareNodeFiles, sudoersText, writeContainerdEnv, type NodeFiles } from './node-files';

export interface NodePlan {
  index: number;
  netns: string;
  veth: string;
  address: string;
  hostname: string;
  dir: string;
}

export interface LabLayout {
  name: string;
  prefix: string;
  dir: string;
  bridge: string;
  user: string;
  uid: number;
  binDir: string;
}

export const SSHD = '/usr/sbin/sshd';

export function nodeDir(layout: LabLayout, index: number): string {
  return join(layout.dir, 'nodes', String(index));
}

export function planNodes(layout: LabLayout, count: number, hostnames: string[]): NodePlan[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    netns: `${layout.name}-${i + 1}`,
    veth: `${layout.name}v${i + 1}`,
    address: `${layout.prefix}.${11 + i}`,
    hostname: hostnames[i] ?? `gw-${i + 1}`,
    dir: nodeDir(layout, i + 1),
  }));
}

/** The unreachable route comes first and stays forever: a late retry then fails locally, never leaves. */
export async function installUnreachableRoute(prefix: string): Promise<void> {
  await run('ip', ['route', 'replace', 'unreachable', `${prefix}.0/24`, 'metric', '4000']);
  // A floating IP left unreachable from this machine by an earlier run (the floatingIpUnreachable fault).
  await floatingIpReachable(`${prefix}.5`, true);
}

/**
 * This machine outside the gateway's network for the floating IP (a /32 `unreachable` route beats the bridge's
 * /24): what an operator's workstation often is. Nothing leaves the machine either way.
 */
export async function floatingIpReachable(address: string, reachable: boolean): Promise<void> {
  if (reachable) await run('ip', ['route', 'del', 'unreachable', `${address}/32`]).catch(() => undefined);
  else await run('ip', ['route', 'replace', 'unreachable', `${address}/32`]);
}

/**
 * Refuses a subnet another lab's bridge (or any host interface) already has: two labs on one /24 would route
 * each other's traffic and fail far from the cause.
 */
export async function assertSubnetFree(layout: LabLayout): Promise<void> {
  const holders = (await run('ip', ['-4', '-o', 'addr', 'show']))
    .split('\n')
    .map((line) => /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+)\.\d+\//.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2] === layout.prefix && m[1] !== layout.bridge)
    .map((m) => m[1]!);
  if (holders.length)
    throw new Error(
      `lab ${layout.name}: ${layout.prefix}.0/24 is already used on this machine by ${holders.join(', ')} (another lab?): pick another subnetPrefix`,
    );
}

/** Creates the bridge, the namespaces and the veth pairs with one `ip -batch` each side. */
export async function createNetwork(layout: LabLayout, nodes: NodePlan[]): Promise<void> {
  await assertSubnetFree(layout);
  const host = [
    `link add ${layout.bridge} type bridge`,
    `addr add ${layout.prefix}.1/24 dev ${layout.bridge}`,
    `link set ${layout.bridge} up`,
  ];
  for (const node of nodes) {
    host.push(`netns add ${node.netns}`);
    host.push(`link add ${node.veth} type veth peer name eth0 netns ${node.netns}`);
    host.push(`link set ${node.veth} master ${layout.bridge} up`);
  }
  await run('ip', ['-batch', '-'], host.join('\n') + '\n');
  await Promise.all(
    nodes.map((node) =>
      run(
        'ip',
        ['-n', node.netns, '-batch', '-'],
        [`addr add ${node.address}/24 dev eth0`, 'link set eth0 up', 'link set lo up'].join('\n') + '\n',
      ),
    ),
  );
}

/** Lists the lab's namespaces (exact `NAME-<n>` names only). */
export async function labNamespaces(name: string): Promise<string[]> {
  const out = await runRaw('ip', ['netns', 'list']);
  const pattern = new RegExp(`^${name}-\\d+$`);
  return out.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((ns) => pattern.test(ns));
}

/** PIDs of every process inside a namespace, as the kernel reports them (never by process name). */
export async function namespacePids(netns: string): Promise<number[]> {
  const out = await runRaw('ip', ['netns', 'pids', netns]);
  return out.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 1);
}

export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Kills what runs in the lab's namespaces and deletes them and the bridge. The route stays. */
export async function destroyNetwork(name: string): Promise<void> {
  const namespaces = await labNamespaces(name);
  const pids = (await Promise.all(namespaces.map(namespacePids))).flat();
  killPids(pids);
  if (pids.length > 0) {
    // A namespace's processes must be gone before its veth and mounts are released.
    await waitFor('lab processes to exit', () => pids.every((pid) => !isAlive(pid)), 2000, 5);
  }
  // Host-side veths go first: a namespace still held open (a socket, a late process) would keep them alive.
  const veth = new RegExp(`^${name}v\\d+$`);
  const batch = readdirSync('/sys/class/net')
    .filter((dev) => veth.test(dev))
    .map((dev) => `link del ${dev}`);
  batch.push(...namespaces.map((ns) => `netns del ${ns}`));
  if (existsSync(`/sys/class/net/${name}br0`)) batch.push(`link del ${name}br0`);
  if (batch.length > 0) await runRaw('ip', ['-force', '-batch', '-'], batch.join('\n') + '\n');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has no /proc/PID/cmdline content left.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

export function sshdLog(layout: LabLayout, index: number): string {
  return join(layout.dir, 'logs', `sshd-${index}.log`);
}

/**
 * Starts a node: a holder process (`sleep infinity`) inside the node's network, mount and UTS namespaces,
 * which mounts the node's /etc overlay, home, /tmp and /var/log (and `binds`: host folders over paths of the
 * node's own) and sets the hostname, then starts sshd. Returns the holder's PID (the handle for nsenter later on).
 */
export async function startNode(
  layout: LabLayout,
  node: NodePlan,
  binds: ReadonlyArray<{ source: string; target: string }> = [],
): Promise<number> {
  const script = [
    'set -e',
    'dir=$1; host=$2; user=$3; log=$4; shift 4',
    'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$dir/etc-upper,workdir=$dir/etc-work" /etc',
    'mount -t tmpfs -o mode=755 tmpfs /home',
    'mkdir -p "/home/$user"',
    'mount --bind "$dir/home" "/home/$user"',
    'mount --bind "$dir/tmp" /tmp',
    'mount --bind "$dir/varlog" /var/log',
    // Where `microk8s inspect` leaves its report, as on a real node.
    'mkdir -p /var/snap/microk8s',
    'mount --bind "$dir/snap" /var/snap/microk8s',
    'while [ $# -gt 1 ]; do mkdir -p "$2"; mount --bind "$1" "$2"; shift 2; done',
    'hostname "$host"',
    `setsid -f ${SSHD} -D -f "$dir/sshd_config" -E "$log"`,
    'exec sleep infinity',
  ].join('\n');
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      node.netns,
      'unshare',
      '--mount',
      '--uts',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'lab-node',
      node.dir,
      node.hostname,
      layout.user,
      sshdLog(layout, node.index),
      ...binds.flatMap((bind) => [bind.source, bind.target]),
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`lab: could not start node ${node.index}`);
  writeFileSync(join(node.dir, 'holder.pid'), String(pid));
  await waitSshd(node);
  return pid;
}

export async function waitSshd(node: NodePlan, timeoutMs = 5000): Promise<void> {
  const pidFile = join(node.dir, 'sshd.pid');
  await waitFor(`sshd on ${node.address}`, () => sshdPid(node) !== undefined, timeoutMs, 5);
  void pidFile;
}

export function sshdPid(node: { dir: string }): number | undefined {
  try {
    const pid = Number(readFileSync(join(node.dir, 'sshd.pid'), 'utf8').trim());
    return pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function holderPid(node: { dir: string }): number {
  return Number(readFileSync(join(node.dir, 'holder.pid'), 'utf8').trim());
}

/** (Re)starts sshd inside a running node's namespaces. */
export async function startSshd(layout: LabLayout, node: NodePlan): Promise<void> {
  if (sshdPid(node) !== undefined) return;
  rmSync(join(node.dir, 'sshd.pid'), { force: true });
  // sshd keeps whatever stdio it is given: none here, so nothing waits on its pipes.
  await spawnDetached('nsenter', [
    '-t',
    String(holderPid(node)),
    '-m',
    '-u',
    '-n',
    'setsid',
    '-f',
    SSHD,
    '-D',
    '-f',
    join(node.dir, 'sshd_config'),
    '-E',
    sshdLog(layout, node.index),
  ]);
  await waitSshd(node);
}

/** Kills the node's sshd listener and every session it forked (they are its process group's members). */
export async function killSshd(node: NodePlan): Promise<void> {
  const pid = sshdPid(node);
  if (pid === undefined) return;
  const pids = await namespacePids(node.netns);
  // Sessions are sshd's descendants; the holder is not.
  const holder = holderPid(node);
  const victims = pids.filter((p) => p !== holder && descendsFrom(p, pid));
  killPids(victims);
  await waitFor('sshd to exit', () => !isAlive(pid), 2000, 5);
  rmSync(join(node.dir, 'sshd.pid'), { force: true });
  await sleep(0);
}

function descendsFrom(pid: number, ancestor: number): boolean {
  let current = pid;
  for (let depth = 0; depth < 64 && current > 1; depth++) {
    if (current === ancestor) return true;
    try {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      current = Number(after[1]);
    } catch {
      return false;
    }
  }
  return false;
}

function spawnDetached(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

export async function setLink(node: NodePlan, layout: LabLayout, up: boolean): Promise<void> {
  await run('ip', ['link', 'set', node.veth, up ? 'up' : 'down']);
  void layout;
}
