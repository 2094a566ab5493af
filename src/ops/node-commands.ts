// The remote commands of the documented procedure, and parsers for their output. Every spec value enters a
// script through shellQuote (argv commands are quoted by the remote layer); nothing here holds a secret on
// a command line except the join token, which MicroK8s only takes there (random, admitting one join, and
// revoked when a join fails or is cancelled).
import { joinArgv, shellQuote } from '../encode/shell';
import type { NodeCommand } from './ports';

export const NAMESPACE = 'default';
export const STORAGE_RELEASE = 'gateway-persistent-storage';
export const MANAGER_RELEASE = 'gateway-manager';
export const MANAGER_SERVICE = 'gateway-manager';
export const REGISTRATION_SECRET = 'gateway-registration';
export const REGISTRATION_STATUS = 'gateway-registration-status';
/** Where `microk8s add-node` keeps join tokens (one per line, `TOKEN` or `TOKEN|EXPIRY`). */
export const CLUSTER_TOKENS = '/var/snap/microk8s/current/credentials/cluster-tokens.txt';
/** Where MicroK8s reads containerd's environment (proxy settings). */
export const CONTAINERD_ENV = '/var/snap/microk8s/current/args/containerd-env';

const argv = (...words: string[]): NodeCommand => ({ argv: words });

export const cmd = {
  hostname: () => argv('hostname'),
  ipv4Addresses: () => argv('ip', '-o', '-4', 'addr', 'show'),
  cpuCount: () => argv('nproc'),
  memTotal: () => argv('grep', 'MemTotal', '/proc/meminfo'),
  rootDisk: () => argv('df', '-Pk', '/'),
  microk8sStatus: () => argv('microk8s', 'status'),
  waitReady: (timeoutSeconds: number) =>
    argv('microk8s', 'status', '--wait-ready', '--timeout', String(timeoutSeconds)),
  resolve: (hostnames: readonly string[]) => argv('getent', 'hosts', ...hostnames),
  ping: (target: string) => argv('ping', '-c', '1', '-W', '2', target),
  timeSync: () => argv('timedatectl', 'show', '-p', 'NTPSynchronized', '--value'),
  sudoProbe: () => argv('sudo', '-n', 'true'),
  setHostname: (name: string) => argv('hostnamectl', 'set-hostname', name),
  readHosts: () => argv('cat', '/etc/hosts'),
  /** The whole new file arrives on stdin: no value of the spec is part of the command. */
  writeHosts: (): NodeCommand => ({ script: 'cat > /etc/hosts' }),
  microk8sStop: () => argv('microk8s', 'stop'),
  microk8sStart: () => argv('microk8s', 'start'),
  kubeNodes: () => argv('microk8s', 'kubectl', 'get', 'nodes'),
  deleteKubeNode: (name: string) => argv('microk8s', 'kubectl', 'delete', 'node', name),
  config: () => argv('microk8s', 'config'),
  /** No time to live: MicroK8s then keeps the token for one join only (with one, until it expires). */
  addNode: (token: string) => argv('microk8s', 'add-node', '--token', token, '--format', 'json'),
  /**
   * Takes back an unused join token: its line leaves cluster-tokens.txt (where add-node wrote it). The token
   * arrives on stdin and reaches awk through its environment, never a command line.
   */
  revokeJoinToken: (): NodeCommand => ({
    script: [
      'IFS= read -r t',
      `f=${CLUSTER_TOKENS}`,
      '[ -f "$f" ] || exit 0',
      `T="$t" awk -F'|' '$1 != ENVIRON["T"]' "$f" > "$f.gc-new" && cat "$f.gc-new" > "$f"`,
      'rm -f "$f.gc-new"',
    ].join('\n'),
  }),
  /** A worker joins with `--worker`: it runs no control plane and no datastore. */
  join: (url: string, worker = false) =>
    worker ? argv('microk8s', 'join', url, '--worker') : argv('microk8s', 'join', url),
  /** On the departing node (canonical/microk8s leave.py). */
  leave: () => argv('microk8s', 'leave'),
  /** On a node that stays; `--force` also drops a node that is gone from the datastore. */
  removeNode: (name: string, force = false) =>
    force ? argv('microk8s', 'remove-node', name, '--force') : argv('microk8s', 'remove-node', name),
  enableDns: () => argv('microk8s', 'enable', 'dns'),
  /** Always with the range: without it the add-on prompts and hangs a non-interactive session. */
  enableMetallb: (range: string) => argv('microk8s', 'enable', `metallb:${range}`),
  helmList: () => argv('microk8s', 'helm3', 'list', '--namespace', NAMESPACE, '--output', 'json'),
  readContainerdEnv: () => argv('cat', CONTAINERD_ENV),
  /** As root (scripts/inspect.sh refuses otherwise); prints the path of its report tarball. */
  inspect: () => argv('microk8s', 'inspect'),
  helmUninstall: (release: string) =>
    argv('microk8s', 'helm3', 'uninstall', release, '--namespace', NAMESPACE),
  /** The storage chart's user-supplied values (it holds no secret; never asked of the manager's). */
  helmValues: (release: string) =>
    argv('microk8s', 'helm3', 'get', 'values', release, '--namespace', NAMESPACE, '--output', 'json'),
  disableAddon: (addon: string) => argv('microk8s', 'disable', addon),
  statusYaml: () => argv('microk8s', 'status', '--format', 'yaml'),
  /** The new text arrives on stdin (it may hold the proxy's credentials): nothing of it is on the line. */
  writeContainerdEnv: (): NodeCommand => ({ script: `cat > ${CONTAINERD_ENV}` }),
};

/** Marks where each check's output starts and ends inside the batched preflight script. */
export const CHECK_MARK = '@@gc-check';

/** The per-node preflight facts: each documented check's command, by name (getent only with peers). */
export function preflightFactCommands(otherHostnames: readonly string[]): Array<[string, NodeCommand]> {
  const facts: Array<[string, NodeCommand]> = [
    ['hostname', cmd.hostname()],
    ['ipv4', cmd.ipv4Addresses()],
    ['cpus', cmd.cpuCount()],
    ['memory', cmd.memTotal()],
    ['disk', cmd.rootDisk()],
    ['timeSync', cmd.timeSync()],
    ['sudo', cmd.sudoProbe()],
  ];
  if (otherHostnames.length) facts.push(['resolve', cmd.resolve(otherHostnames)]);
  return facts;
}

/**
 * The read-only facts as one script: one SSH channel and one shell per node instead of one per check (on
 * many nodes the channels and shells, not the checks, cost the time). Each check's output (stderr merged)
 * sits between `@@gc-check NAME` and `@@gc-check NAME exit CODE`.
 */
export function preflightFactsScript(otherHostnames: readonly string[]): NodeCommand {
  return factsScript(preflightFactCommands(otherHostnames));
}

/** Read-only commands as one script, each one's output (stderr merged) between its CHECK_MARK lines. */
export function factsScript(facts: ReadonlyArray<readonly [string, NodeCommand]>): NodeCommand {
  return {
    script: facts
      .map(([name, c]) => {
        const text = 'argv' in c ? joinArgv(c.argv) : c.script;
        return `echo '${CHECK_MARK} ${name}'; ${text} 2>&1; echo "${CHECK_MARK} ${name} exit $?"`;
      })
      .join('\n'),
  };
}

/** Each check's output and exit code from the facts script's output (a check that did not run is absent). */
export function parsePreflightFacts(output: string): Map<string, { code: number; output: string }> {
  const facts = new Map<string, { code: number; output: string }>();
  let current: { name: string; lines: string[] } | undefined;
  for (const line of output.split(/\r?\n/)) {
    const end = new RegExp(`^${CHECK_MARK} (\\w+) exit (\\d+)$`).exec(line);
    if (end && current && current.name === end[1]) {
      facts.set(current.name, { code: Number(end[2]), output: current.lines.join('\n') });
      current = undefined;
      continue;
    }
    const start = new RegExp(`^${CHECK_MARK} (\\w+)$`).exec(line);
    if (start) current = { name: start[1]!, lines: [] };
    else current?.lines.push(line);
  }
  return facts;
}

/** `ping -c 1 -W 2` of every target at once, in one shell; prints `reachable T` or `unreachable T` each. */
export function pingAllScript(targets: readonly string[]): NodeCommand {
  const words = targets.map(shellQuote).join(' ');
  return {
    script: `for t in ${words}; do (ping -c 1 -W 2 "$t" >/dev/null 2>&1 && echo "reachable $t" || echo "unreachable $t") & done; wait`,
  };
}

/** Targets `pingAllScript` reported unreachable. */
export function parseUnreachable(output: string): Set<string> {
  return new Set([...output.matchAll(/^unreachable (\S+)$/gm)].map((m) => m[1]!));
}

export interface ChartInstall {
  release: string;
  repository: string;
  version: string;
  /** Use the chart's own cluster.yaml values (ha). */
  clusterValues: boolean;
  /** --set pairs (never secrets). */
  set: Array<[string, string]>;
  /** A values file arrives on stdin (`-f -`): how secrets reach the chart. */
  valuesOnStdin: boolean;
}

/**
 * Pulls the chart into a temporary folder that the script removes, then installs or upgrades the release.
 * No --debug: it would print the user-supplied values, the password among them.
 */
export function helmInstall(c: ChartInstall): NodeCommand {
  const chartRef = `${c.repository.replace(/\/+$/, '')}/${c.release}`;
  const chartDir = `"$d"/${shellQuote(c.release)}`;
  const install = [
    'microk8s helm3 upgrade --install',
    shellQuote(c.release),
    chartDir,
    '--namespace',
    shellQuote(NAMESPACE),
  ];
  if (c.clusterValues) install.push('-f', `${chartDir}/cluster.yaml`);
  // helm splits --set values at commas; a backslash keeps them literal.
  for (const [key, value] of c.set)
    install.push('--set', shellQuote(`${key}=${value.replace(/[\\,]/g, '\\$&')}`));
  if (c.valuesOnStdin) install.push('-f', '-');
  return {
    script: [
      'set -e',
      'd=$(mktemp -d)',
      `trap 'rm -rf "$d"' EXIT`,
      `microk8s helm3 pull ${shellQuote(chartRef)} --version ${shellQuote(c.version)} --untar --untardir "$d"`,
      install.join(' '),
    ].join('\n'),
  };
}

/** A YAML values file with one secret string (JSON strings are valid YAML scalars). */
export function managerValues(password: string): string {
  return `secrets:\n  defaultPassword: ${JSON.stringify(password)}\n`;
}

/** The variables the proxy step owns in containerd's environment file. */
export const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'] as const;

/**
 * Proxy settings for containerd, in a stable order. `credentials` (`user:password` from secret storage) go
 * into the URLs' user info, percent-encoded as URLs require.
 */
export function proxyAssignments(
  proxy: { http?: string; https?: string; noProxy: readonly string[] },
  credentials?: string,
): Array<[string, string]> {
  const withCredentials = (url: string) => {
    if (!credentials) return url;
    const parsed = new URL(url);
    const colon = credentials.indexOf(':');
    parsed.username = encodeURIComponent(colon < 0 ? credentials : credentials.slice(0, colon));
    if (colon >= 0) parsed.password = encodeURIComponent(credentials.slice(colon + 1));
    return parsed.toString();
  };
  const out: Array<[string, string]> = [];
  if (proxy.http) out.push(['HTTP_PROXY', withCredentials(proxy.http)]);
  if (proxy.https) out.push(['HTTPS_PROXY', withCredentials(proxy.https)]);
  if (proxy.noProxy.length) out.push(['NO_PROXY', proxy.noProxy.join(',')]);
  return out;
}

// ---- parsers ----

/** Addons listed as enabled by `microk8s status` (default or short format). */
export function parseEnabledAddons(status: string): Set<string> {
  const enabled = new Set<string>();
  let section: 'enabled' | 'disabled' | undefined;
  for (const raw of status.split(/\r?\n/)) {
    const line = raw.trim();
    const short = /^(?:[\w-]+\/)?([\w-]+):\s*(enabled|disabled)$/.exec(line);
    if (short) {
      if (short[2] === 'enabled') enabled.add(short[1]!);
      continue;
    }
    if (/^enabled:$/.test(line)) section = 'enabled';
    else if (/^disabled:$/.test(line)) section = 'disabled';
    else if (/^[\w-]+:/.test(line) && !raw.startsWith('    ')) section = undefined;
    else if (section === 'enabled' && line) {
      const name = line.split(/\s+/)[0]!.replace(/^[\w-]+\//, '');
      if (name) enabled.add(name);
    }
  }
  return enabled;
}

/** `microk8s status` of a running node; a worker answers that it acts as a node of a cluster (status.py). */
export function isRunning(status: string): boolean {
  return /microk8s is running|acting as a node in a cluster/.test(status);
}

export function isHighlyAvailable(status: string): boolean {
  return /high-availability:\s*yes/.test(status);
}

/** Node names from `microk8s kubectl get nodes` (table or `-o name`). */
export function parseKubeNodeNames(output: string): string[] {
  const names: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    const first = line.trim().split(/\s+/)[0];
    if (!first || first === 'NAME') continue;
    names.push(first.replace(/^node\//, ''));
  }
  return names;
}

/** `getent hosts` lines: name → addresses it resolves to. */
export function parseGetent(output: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const line of output.split(/\r?\n/)) {
    const [address, ...names] = line.trim().split(/\s+/);
    if (!address || names.length === 0) continue;
    for (const name of names) byName.set(name, [...(byName.get(name) ?? []), address]);
  }
  return byName;
}

/** IPv4 addresses from `ip -o -4 addr show`. */
export function parseIpv4(output: string): string[] {
  return [...output.matchAll(/\binet\s+(\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]!);
}

export function parseMemTotalKiB(output: string): number | undefined {
  const m = /MemTotal:\s*(\d+)\s*kB/i.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** Size of the root file system in KiB from `df -Pk /`. */
export function parseDfKiB(output: string): number | undefined {
  const line = output.split(/\r?\n/).find((l) => /\s\/$/.test(l.trim()) || /\s\/\s*$/.test(l));
  const total = line?.trim().split(/\s+/)[1];
  return total && /^\d+$/.test(total) ? Number(total) : undefined;
}

/** The join URL whose address is node 1's spec address, from `add-node --format json`. */
export function pickJoinUrl(json: string, address: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const urls = (parsed as { urls?: unknown }).urls;
  if (!Array.isArray(urls)) return undefined;
  return urls.find((u): u is string => typeof u === 'string' && u.startsWith(`${address}:`));
}

export interface HelmRelease {
  name: string;
  chart: string;
  status: string;
}

export function parseHelmList(json: string): HelmRelease[] {
  try {
    const parsed: unknown = JSON.parse(json || '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (r): r is HelmRelease =>
        typeof r === 'object' && r !== null && typeof (r as HelmRelease).name === 'string',
    );
  } catch {
    return [];
  }
}

/** A fresh 32-character token for `add-node` (MicroK8s insists on exactly 32). */
export function randomToken(randomBytes: (n: number) => Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(64);
  let token = '';
  // Rejection sampling keeps the characters uniform (248 = 4 * 62).
  for (const b of bytes) {
    if (b < 248) token += alphabet[b % 62];
    if (token.length === 32) return token;
  }
  return token.length === 32 ? token : randomToken(randomBytes);
}
