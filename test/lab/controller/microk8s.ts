// The fake `microk8s` and `hostnamectl` commands, answered by the controller from the shared lab state.
// Output formats follow canonical/microk8s scripts/wrappers/*.py; where the lab guesses, README.md says so.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { ControllerConfig } from './config';
import { KUBELET_VERSION, LabModel, type Cluster, type Json, type LabNodeRuntime } from './model';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads one line of the caller's stdin; null at end of input. */
  readLine(): Promise<string | null>;
  /** Reads the caller's whole stdin. */
  readAll(): Promise<string>;
}

export interface CommandContext {
  model: LabModel;
  config: ControllerConfig;
  node: LabNodeRuntime;
  uid: number;
  io: CommandIo;
  certCheck: string;
  kubeconfig(node: LabNodeRuntime): string;
}

const NOT_RUNNING = 'microk8s is not running, try microk8s start\n';

const ADDONS: Array<[string, string]> = [
  ['cert-manager', 'Cloud native certificate management'],
  ['cis-hardening', 'Apply CIS K8s hardening'],
  ['community', 'The community addons repository'],
  ['dashboard', 'The Kubernetes dashboard'],
  ['dns', 'CoreDNS'],
  ['gpu', 'Alias to nvidia add-on'],
  ['ha-cluster', 'Configure high availability on the current node'],
  ['helm', 'Helm - the package manager for Kubernetes'],
  ['helm3', 'Helm 3 - the package manager for Kubernetes'],
  ['host-access', 'Allow Pods connecting to Host services smoothly'],
  ['hostpath-storage', 'Storage class; allocates storage from host directory'],
  ['ingress', 'Ingress controller for external access'],
  ['kube-ovn', 'An advanced network fabric for Kubernetes'],
  ['mayastor', 'OpenEBS MayaStor'],
  ['metallb', 'Loadbalancer for your Kubernetes cluster'],
  ['metrics-server', 'K8s Metrics Server for API access to service metrics'],
  ['minio', 'MinIO object storage'],
  ['nvidia', 'NVIDIA hardware (GPU and network) support'],
  ['observability', 'A lightweight observability stack for logs, traces and metrics'],
  ['prometheus', 'Prometheus operator for monitoring and logging'],
  ['rbac', 'Role-Based Access Control for authorisation'],
  ['registry', 'Private image registry exposed on localhost:32000'],
  ['rook-ceph', 'Distributed Ceph storage using Rook'],
  ['storage', 'Alias to hostpath-storage add-on, deprecated'],
];

/** Runs one fake command; returns its exit code. */
export async function runCommand(ctx: CommandContext, tool: string, argv: string[]): Promise<number> {
  if (tool === 'hostnamectl') return hostnamectl(ctx, argv);
  const [command, ...args] = argv;
  const { node, io } = ctx;
  switch (command) {
    case undefined:
    case '--help':
    case 'help':
      io.out(
        'Usage: microk8s [OPTIONS] COMMAND [ARGS]...\n\nOptions:\n  --help  Show this message and exit.\n\nCommands:\n' +
          '  add-node config disable enable helm3 inspect join kubectl leave remove-node start status stop\n',
      );
      return 0;
    case 'start':
      if (!node.running) {
        node.running = true;
        restartKubelet(ctx);
        ctx.model.nodeHealthChanged(node.index);
      }
      io.out('Started.\n');
      return 0;
    case 'stop':
      if (node.running) {
        node.running = false;
        ctx.model.onMicrok8sStopped(node.index);
      }
      ctx.model.nodeHealthChanged(node.index);
      io.out('Stopped.\n');
      return 0;
    case 'inspect':
      return inspect(ctx);
    case 'version':
      io.out(`MicroK8s ${KUBELET_VERSION} revision 7394\n`);
      return 0;
  }
  if (!node.running) {
    io.out(NOT_RUNNING);
    return 0;
  }
  const cluster = ctx.model.clusterOf(node.index);
  switch (command) {
    case 'status':
      return status(ctx, cluster, args);
    case 'add-node':
      return addNode(ctx, cluster, args);
    case 'join':
      return join_(ctx, cluster, args);
    case 'leave':
      return leave(ctx, cluster);
    case 'remove-node':
      return removeNode(ctx, cluster, args);
    case 'enable':
      return enable(ctx, cluster, args);
    case 'disable':
      return disable(ctx, cluster, args);
    case 'config':
      io.out(ctx.kubeconfig(node));
      return 0;
    case 'helm3':
    case 'helm':
      return helm(ctx, cluster, args);
    case 'kubectl':
      return kubectl(ctx, cluster, args);
    default:
      io.err(`'${command}' is not a valid MicroK8s subcommand.\n`);
      return 1;
  }
}

function flagValue(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(name + '=')) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Every value of a repeatable flag (`-f a -f b`, `--set=x`), in order. */
function flagValues(args: string[], ...names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    for (const name of names) {
      if (arg === name && args[i + 1] !== undefined) out.push(args[++i] ?? '');
      else if (arg.startsWith(name + '=')) out.push(arg.slice(name.length + 1));
    }
  }
  return out;
}

/** helm's `--set a=b,c=d` with `\,` and `\\` escapes. */
function parseSet(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let current = '';
  const flush = (): void => {
    const eq = current.indexOf('=');
    if (eq > 0) pairs.push([current.slice(0, eq), current.slice(eq + 1)]);
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) current += text[++i];
    else if (c === ',') flush();
    else current += c;
  }
  flush();
  return pairs;
}

/** Whether a values file sets a non-empty password somewhere (the value is not kept). */
function valuesHavePassword(text: string): boolean {
  return /^\s*["']?[\w.-]*password["']?\s*:\s*(?!(?:""|''|~|null)\s*$)\S/im.test(text);
}

/** Where a path on the node lives on the host: /tmp and the login user's home are the node's own. */
function nodePath(ctx: CommandContext, path: string): string | undefined {
  const nodeDir = join(ctx.config.dir, 'nodes', String(ctx.node.index));
  const user = ctx.config.user ?? 'gateway';
  const clean = posix.normalize(path.startsWith('/') ? path : `/home/${user}/${path}`);
  if (clean === '/tmp' || clean.startsWith('/tmp/')) return join(nodeDir, 'tmp', clean.slice(4));
  if (clean.startsWith(`/home/${user}/`)) return join(nodeDir, 'home', clean.slice(`/home/${user}/`.length));
  return undefined;
}

function positional(args: string[], valueFlags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('-')) {
      if (valueFlags.includes(arg)) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** A kubelet restart re-registers the node under a changed hostname (the old name stays, NotReady). */
function restartKubelet(ctx: CommandContext): void {
  const { node, model } = ctx;
  if (node.hostname === node.k8sName) return;
  const cluster = model.clusterOf(node.index);
  const old = cluster.k8sNodes.get(node.k8sName);
  if (old) {
    old.labIndex = null;
    model.setNodeReady(cluster, old, false);
  }
  node.k8sName = node.hostname;
  const existing = cluster.k8sNodes.get(node.hostname);
  if (existing) {
    existing.labIndex = node.index;
    existing.address = node.address;
    model.setNodeReady(cluster, existing, node.linkUp);
  } else {
    model.registerK8sNode(cluster, node);
  }
  model.reconcile(cluster);
}

function voters(ctx: CommandContext, cluster: Cluster): { voters: string[]; standby: string[] } {
  const members = ctx.model.nodes.filter((n) => n.clusterId === cluster.id && !n.worker);
  const addresses = members.map((n) => `${n.address}:19001`);
  return { voters: addresses.slice(0, 3), standby: addresses.slice(3) };
}

async function status(ctx: CommandContext, cluster: Cluster, args: string[]): Promise<number> {
  const { io, node } = ctx;
  if (node.worker) {
    io.out(
      'This MicroK8s deployment is acting as a node in a cluster. Please use microk8s status on the master.\n',
    );
    return 0;
  }
  const format = flagValue(args, '--format') ?? (args.includes('--yaml') ? 'yaml' : 'pretty');
  if (!['pretty', 'yaml', 'short'].includes(format)) {
    io.err(
      `microk8s status: error: argument --format: invalid choice: '${format}' (choose from 'pretty', 'yaml', 'short')\n`,
    );
    return 2;
  }
  if (args.includes('--wait-ready') || args.includes('-w')) {
    const timeout = Number(flagValue(args, '--timeout', '-t') ?? '0');
    const deadline = Date.now() + timeout * 1000;
    while (!node.running && (timeout === 0 || Date.now() < deadline))
      await new Promise((r) => setTimeout(r, 100));
  }
  const enabled = ADDONS.filter(([name]) => cluster.addons.has(name));
  const disabled = ADDONS.filter(([name]) => !cluster.addons.has(name));
  const addon = flagValue(args, '-a', '--addon');
  if (addon !== undefined) {
    io.out(cluster.addons.has(addon) ? 'enabled\n' : 'disabled\n');
    return 0;
  }
  const ha = voters(ctx, cluster);
  const haYes = ha.voters.length >= 3;
  const lines: string[] = [];
  if (format === 'short') {
    lines.push('microk8s is running', 'addons:');
    for (const [name] of enabled) lines.push(`core/${name}: enabled`);
    for (const [name] of disabled) lines.push(`core/${name}: disabled`);
  } else if (format === 'yaml') {
    lines.push('microk8s:', '  running: True', 'high-availability:', '  enabled: True', '  nodes:');
    for (const address of ha.voters) lines.push(`    - address: ${address}`, '      role: voter');
    for (const address of ha.standby) lines.push(`    - address: ${address}`, '      role: standby');
    lines.push('addons:');
    for (const [list, state] of [
      [enabled, 'enabled'],
      [disabled, 'disabled'],
    ] as const) {
      for (const [name, description] of list) {
        lines.push(
          `  - name: ${name}`,
          '    repository: core',
          `    description: ${description}`,
          '    version: ' + KUBELET_VERSION,
          `    status: ${state}`,
        );
      }
    }
  } else {
    lines.push('microk8s is running', `high-availability: ${haYes ? 'yes' : 'no'}`);
    lines.push(`  datastore master nodes: ${ha.voters.join(' ') || 'none'}`);
    lines.push(`  datastore standby nodes: ${ha.standby.join(' ') || 'none'}`);
    lines.push('addons:');
    if (enabled.length) lines.push('  enabled:');
    for (const [name, description] of enabled) lines.push(`    ${name.padEnd(20)} # (core) ${description}`);
    if (disabled.length) lines.push('  disabled:');
    for (const [name, description] of disabled) lines.push(`    ${name.padEnd(20)} # (core) ${description}`);
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}

function randomToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

function addNode(ctx: CommandContext, cluster: Cluster, args: string[]): number {
  const { io, node } = ctx;
  const token = flagValue(args, '--token', '-t') ?? randomToken();
  if (token.length !== 32) {
    io.err('Invalid token size.  It must be 32 characters long.\n');
    return 1;
  }
  const ttl = Number(flagValue(args, '--token-ttl', '-l') ?? '-1');
  cluster.tokens.set(token, { expiresAt: ttl > 0 ? Date.now() + ttl * 1000 : null, singleUse: ttl <= 0 });
  const full = `${token}/${ctx.certCheck}`;
  const url = `${node.address}:25000/${full}`;
  const format = flagValue(args, '--format') ?? 'pretty';
  switch (format) {
    case 'json':
      io.out(
        JSON.stringify({ token: full, urls: [url] })
          .replace(/":"/g, '": "')
          .replace(/","/g, '", "')
          .replace(/":\[/g, '": [') + '\n',
      );
      return 0;
    case 'yaml':
      io.out(`token: ${full}\nurls:\n- ${url}\n`);
      return 0;
    case 'short':
      io.out(`microk8s join ${url}\n`);
      return 0;
    case 'token':
      io.out(`${token}\n`);
      return 0;
    case 'token-check':
      io.out(`${full}\n`);
      return 0;
    case 'pretty':
      io.out(
        'From the node you wish to join to this cluster, run the following:\n' +
          `microk8s join ${url}\n\n` +
          "Use the '--worker' flag to join a node as a worker not running the control plane, eg:\n" +
          `microk8s join ${url} --worker\n\n` +
          'If the node you are adding is not reachable through the default interface you can use one of the following:\n' +
          `microk8s join ${url}\n`,
      );
      return 0;
    default:
      io.err(`microk8s add-node: error: argument --format: invalid choice: '${format}'\n`);
      return 2;
  }
}

function hostsMap(config: ControllerConfig, index: number): Map<string, string> {
  const map = new Map<string, string>();
  try {
    const text = readFileSync(join(config.dir, 'nodes', String(index), 'etc-upper', 'hosts'), 'utf8');
    for (const line of text.split('\n')) {
      const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (!address) continue;
      for (const name of names) if (!map.has(name)) map.set(name, address);
    }
  } catch {
    // no hosts file: nothing resolves
  }
  return map;
}

async function join_(ctx: CommandContext, own: Cluster, args: string[]): Promise<number> {
  const { io, node, model, config } = ctx;
  const target = positional(args, [])[0];
  const match = /^([\d.]+):(\d+)\/([^/]+)(?:\/([0-9a-f]+))?$/.exec(target ?? '');
  if (!match) {
    io.err('Usage: microk8s join <master>:<port>/<token>[/<check>] [--worker] [--skip-verify]\n');
    return 1;
  }
  const [, address, , token, check] = match;
  io.out(`Contacting cluster at ${address}\n`);
  const host = model.nodes.find((n) => n.address === address);
  if (!host || !host.running || !host.linkUp || !node.linkUp) {
    io.err(`Connection failed. The cluster at ${address}:25000 could not be reached.\n`);
    return 1;
  }
  const cluster = model.clusterOf(host.index);
  const entry = cluster.tokens.get(token ?? '');
  if (!entry || (entry.expiresAt !== null && entry.expiresAt < Date.now()) || cluster === own) {
    io.err('Connection failed. Invalid token (500).\n');
    return 6;
  }
  if (check !== undefined && check !== ctx.certCheck && !args.includes('--skip-verify')) {
    io.err(
      `Joining cluster failed. Could not verify the identity of ${address}. Use '--skip-verify' to skip server certificate check.\n`,
    );
    return 4;
  }
  const resolved = hostsMap(config, host.index).get(node.hostname);
  if (resolved !== node.address) {
    io.err(
      `Connection failed. The hostname (${node.hostname}) of the joining node does not resolve to the IP "${node.address}". Refusing join (400).\n`,
    );
    return 6;
  }
  if ([...cluster.k8sNodes.values()].some((n) => n.name === node.hostname && n.labIndex !== null)) {
    io.err(`Connection failed. The joining node (${node.hostname}) is already known to dqlite (409).\n`);
    return 6;
  }
  if (entry.singleUse) cluster.tokens.delete(token ?? '');
  io.out('Waiting for this node to finish joining the cluster. .. .. .. ..\n');
  await new Promise((resolve) => setTimeout(resolve, 300));
  model.dropCluster(own);
  node.clusterId = cluster.id;
  node.worker = args.includes('--worker');
  node.k8sName = node.hostname;
  const stale = cluster.k8sNodes.get(node.hostname);
  if (stale) model.deleteK8sNode(cluster, stale.name);
  model.registerK8sNode(cluster, node);
  model.reconcile(cluster);
  io.out('Successfully joined the cluster.\n');
  return 0;
}

async function leave(ctx: CommandContext, cluster: Cluster): Promise<number> {
  const { io, node, model } = ctx;
  io.out('Generating new cluster certificates.\n');
  await new Promise((resolve) => setTimeout(resolve, 200));
  io.out('Waiting for node to start. \n');
  const k8sNode = [...cluster.k8sNodes.values()].find((n) => n.labIndex === node.index);
  if (k8sNode) {
    k8sNode.labIndex = null;
    model.setNodeReady(cluster, k8sNode, false);
  }
  model.newSingleNodeCluster(node);
  model.reconcile(model.clusterOf(node.index), true);
  return 0;
}

function removeNode(ctx: CommandContext, cluster: Cluster, args: string[]): number {
  const { io, model } = ctx;
  const name = positional(args, [])[0];
  if (!name) {
    io.err('Please provide the node name or IP address to remove.\n');
    return 1;
  }
  const k8sNode =
    cluster.k8sNodes.get(name) ??
    [...cluster.k8sNodes.values()].find((n) => n.address === name && n.labIndex === null);
  if (!k8sNode) {
    io.err(`Node ${name} does not exist in Kubernetes.\n`);
    return 1;
  }
  if (k8sNode.labIndex !== null && !args.includes('--force')) {
    io.err(
      `Removal failed. Node ${name} is registered with dqlite. Please, run first 'microk8s leave' on the departing node. \n` +
        "If the node is not available anymore and will never attempt to join the cluster in the future use the '--force' flag \n" +
        'to unregister the node while removing it.\n',
    );
    return 1;
  }
  if (k8sNode.labIndex !== null) {
    const departed = model.node(k8sNode.labIndex);
    k8sNode.labIndex = null;
    model.newSingleNodeCluster(departed);
  }
  model.deleteK8sNode(cluster, k8sNode.name);
  return 0;
}

function validRange(range: string): boolean {
  const ip = '(?:\\d{1,3}\\.){3}\\d{1,3}';
  return range
    .split(',')
    .every(
      (part) =>
        new RegExp(`^${ip}/\\d{1,2}$`).test(part.trim()) || new RegExp(`^${ip}-${ip}$`).test(part.trim()),
    );
}

async function enable(ctx: CommandContext, cluster: Cluster, args: string[]): Promise<number> {
  const { io, model } = ctx;
  const spec = positional(args, [])[0] ?? '';
  const [name = '', ...rest] = spec.replace(/^core\//, '').split(':');
  const argument = rest.join(':');
  if (!ADDONS.some(([n]) => n === name)) {
    io.err(`Addon ${name} was not found in any repository\n`);
    return 1;
  }
  io.err(`Infer repository core for addon ${name}\n`);
  if (cluster.addons.has(name)) {
    io.out(`Addon core/${name} is already enabled\n`);
    return 0;
  }
  if (name === 'dns') {
    io.out(
      'Enabling DNS\nUsing host configuration from /etc/resolv.conf\nApplying manifest\n' +
        'serviceaccount/coredns created\nconfigmap/coredns created\ndeployment.apps/coredns created\nservice/kube-dns created\n' +
        'clusterrole.rbac.authorization.k8s.io/coredns created\nclusterrolebinding.rbac.authorization.k8s.io/coredns created\n' +
        'CoreDNS service deployed with IP address 10.152.183.10\nRestarting kubelet\nDNS is enabled\n',
    );
  } else if (name === 'metallb') {
    let range = argument;
    io.out('Enabling MetalLB\n');
    if (!range) {
      io.out(
        "Enter each IP address range delimited by comma (e.g. '10.64.140.43-10.64.140.49,192.168.0.105-192.168.0.111'): ",
      );
      const line = await ctx.io.readLine();
      if (line === null) {
        io.err(
          'Traceback (most recent call last):\n  File "enable.py", line 1, in <module>\nEOFError: EOF when reading a line\n',
        );
        return 1;
      }
      range = line.trim();
    }
    if (!validRange(range)) {
      io.err(`Your input value (${range}) is not a valid IP Range\n`);
      return 1;
    }
    cluster.metallbRange = range;
    io.out(
      'Applying Metallb manifest\nnamespace/metallb-system created\nsecret/memberlist created\n' +
        'customresourcedefinition.apiextensions.k8s.io/ipaddresspools.metallb.io created\n' +
        'customresourcedefinition.apiextensions.k8s.io/l2advertisements.metallb.io created\n' +
        'serviceaccount/controller created\nserviceaccount/speaker created\ndeployment.apps/controller created\n' +
        'daemonset.apps/speaker created\nWaiting for Metallb controller to be ready.\ndeployment.apps/controller condition met\n' +
        'ipaddresspool.metallb.io/default-addresspool created\nl2advertisement.metallb.io/default-advertise-all-pools created\n' +
        'MetalLB is enabled\n',
    );
  } else {
    io.out(`Enabling ${name}\n${name} is enabled\n`);
  }
  model.enableAddon(cluster, name);
  model.reconcile(cluster);
  return 0;
}

function disable(ctx: CommandContext, cluster: Cluster, args: string[]): number {
  const { io, model } = ctx;
  const name = (positional(args, [])[0] ?? '').replace(/^core\//, '').split(':')[0] ?? '';
  if (!ADDONS.some(([n]) => n === name)) {
    io.err(`Addon ${name} was not found in any repository\n`);
    return 1;
  }
  io.err(`Infer repository core for addon ${name}\n`);
  if (!cluster.addons.has(name)) {
    io.out(`Addon core/${name} is already disabled\n`);
    return 0;
  }
  const label = name === 'dns' ? 'DNS' : name === 'metallb' ? 'MetalLB' : name;
  io.out(`Disabling ${label}\n${label} is disabled\n`);
  model.disableAddon(cluster, name);
  return 0;
}

function chartName(ref: string): string {
  const base = ref.replace(/\/+$/, '').split('/').pop() ?? ref;
  return base
    .replace(/\.tgz$/, '')
    .replace(/-\d+\.\d+\.\d+.*$/, '')
    .replace(/:.*$/, '');
}

function chartVersion(ref: string, args: string[], fallback: string): string {
  return (
    flagValue(args, '--version') ??
    /-(\d+\.\d+\.\d+[^/]*?)(?:\.tgz)?$/.exec(ref)?.[1] ??
    /:(\d+\.\d+\.\d+.*)$/.exec(ref)?.[1] ??
    fallback
  );
}

function helmDate(iso: string): string {
  return iso.replace('T', ' ').replace('Z', ' +0000 UTC');
}

async function helm(ctx: CommandContext, cluster: Cluster, args: string[]): Promise<number> {
  const { io, model, config } = ctx;
  const valueFlags = [
    '-n',
    '--namespace',
    '--version',
    '-f',
    '--values',
    '--set',
    '--set-string',
    '--timeout',
    '-o',
    '--output',
    '--kubeconfig',
    '--repo',
    '--untardir',
  ];
  const [sub, ...rest] = positional(args, valueFlags);
  const namespace = flagValue(args, '-n', '--namespace') ?? 'default';
  const valuesFiles = flagValues(args, '-f', '--values');
  // Values on stdin (how secrets arrive): read, checked for a password, never kept or logged.
  const stdinValues = valuesFiles.includes('-') ? await io.readAll() : undefined;
  switch (sub) {
    case 'version':
      io.out(
        'version.BuildInfo{Version:"v3.9.1+unreleased", GitCommit:"", GitTreeState:"", GoVersion:"go1.22.4"}\n',
      );
      return 0;
    case 'repo':
      if (rest[0] === 'add') io.out(`"${rest[1] ?? ''}" has been added to your repositories\n`);
      else if (rest[0] === 'update')
        io.out(
          'Hang tight while we grab the latest from your chart repositories...\nUpdate Complete. ⎈Happy Helming!⎈\n',
        );
      return 0;
    case 'pull': {
      const ref = rest[0] ?? '';
      const version = chartVersion(ref, args, config.chartsVersion);
      if (args.includes('--untar'))
        untarChart(ctx, chartName(ref), version, flagValue(args, '--untardir') ?? '.');
      io.out(
        `Pulled: ${ref.replace(/^oci:\/\//, '')}:${version}\nDigest: sha256:${randomBytes(32).toString('hex')}\n`,
      );
      return 0;
    }
    case 'install':
    case 'upgrade': {
      const [name, ref] = rest;
      if (!name || !ref) {
        io.err(`Error: "helm ${sub}" requires 2 arguments\n`);
        return 1;
      }
      const existing = cluster.releases.find((r) => r.name === name && r.namespace === namespace);
      const failed = existing && sub === 'upgrade' ? 'UPGRADE FAILED' : 'INSTALLATION FAILED';
      const fail = (message: string): number => {
        io.err(`Error: ${failed}: ${message}\n`);
        return 1;
      };
      if (sub === 'install' && existing) {
        io.err('Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n');
        return 1;
      }
      if (sub === 'upgrade' && !existing && !args.includes('--install') && !args.includes('-i')) {
        io.err(`Error: UPGRADE FAILED: "${name}" has no deployed releases\n`);
        return 1;
      }
      const chart = chartName(ref);
      if (ref.startsWith('/') || ref.startsWith('.')) {
        const local = nodePath(ctx, ref);
        if (local !== undefined && !existsSync(join(local, 'Chart.yaml')))
          return fail(`path "${ref}" not found`);
      }
      let passwordGiven = stdinValues !== undefined && valuesHavePassword(stdinValues);
      for (const file of valuesFiles) {
        if (file === '-') continue;
        const local = nodePath(ctx, file);
        if (local === undefined) continue;
        let text: string;
        try {
          text = readFileSync(local, 'utf8');
        } catch {
          return fail(`open ${file}: no such file or directory`);
        }
        if (valuesHavePassword(text)) passwordGiven = true;
      }
      const values: Record<string, string> = {};
      for (const [key, value] of flagValues(args, '--set', '--set-string').flatMap(parseSet)) {
        // A secret on the command line still counts as given, but the lab keeps no copy.
        if (/password|token|secret/i.test(key)) passwordGiven = true;
        else values[key] = value;
      }
      if (args.includes('--reuse-values') && existing) {
        Object.assign(values, { ...existing.values, ...values });
        passwordGiven ||= existing.passwordGiven;
      }
      const haValues = valuesFiles.some((f) => f !== '-' && /(^|\/)cluster\.ya?ml$/.test(f));
      if (
        chart === 'gateway-persistent-storage' &&
        haValues &&
        (!values['nfs.server'] || !values['nfs.path'])
      ) {
        return fail(
          'execution error at (gateway-persistent-storage/templates/deployment.yaml:31:22): nfs.server and nfs.path are required with the ha values (cluster.yaml)',
        );
      }
      if (chart === 'gateway-manager' && !passwordGiven) {
        return fail(
          'execution error at (gateway-manager/templates/secret.yaml:9:28): secrets.defaultPassword is required',
        );
      }
      const release = model.installRelease(
        cluster,
        name,
        namespace,
        chart,
        chartVersion(ref, args, config.chartsVersion),
        { values, passwordGiven },
      );
      if (sub === 'upgrade') {
        io.out(
          existing
            ? `Release "${name}" has been upgraded. Happy Helming!\n`
            : `Release "${name}" does not exist. Installing it now.\n`,
        );
      }
      io.out(
        `NAME: ${name}\nLAST DEPLOYED: ${new Date(release.updated).toUTCString()}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${release.revision}\nTEST SUITE: None\n`,
      );
      return 0;
    }
    case 'list':
    case 'ls': {
      const all = args.includes('-A') || args.includes('--all-namespaces');
      const releases = cluster.releases.filter((r) => all || r.namespace === namespace);
      const output = flagValue(args, '-o', '--output');
      if (output === 'json') {
        io.out(
          JSON.stringify(
            releases.map((r) => ({
              name: r.name,
              namespace: r.namespace,
              revision: String(r.revision),
              updated: helmDate(r.updated),
              status: 'deployed',
              chart: `${r.chart}-${r.version}`,
              app_version: r.version,
            })),
          ) + '\n',
        );
        return 0;
      }
      const rows = [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']];
      for (const r of releases)
        rows.push([
          r.name,
          r.namespace,
          String(r.revision),
          helmDate(r.updated),
          'deployed',
          `${r.chart}-${r.version}`,
          r.version,
        ]);
      io.out(table(rows, '\t'));
      return 0;
    }
    case 'status': {
      const release = cluster.releases.find((r) => r.name === rest[0] && r.namespace === namespace);
      if (!release) {
        io.err('Error: release: not found\n');
        return 1;
      }
      io.out(
        `NAME: ${release.name}\nLAST DEPLOYED: ${new Date(release.updated).toUTCString()}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${release.revision}\nTEST SUITE: None\n`,
      );
      return 0;
    }
    case 'uninstall':
    case 'delete': {
      const name = rest[0] ?? '';
      if (!model.uninstallRelease(cluster, name, namespace)) {
        io.err(`Error: uninstall: Release not loaded: ${name}: release: not found\n`);
        return 1;
      }
      io.out(`release "${name}" uninstalled\n`);
      return 0;
    }
    default:
      io.err(`Error: unknown command "${sub ?? ''}" for "helm"\n`);
      return 1;
  }
}

/** `helm pull --untar`: a small chart folder on the node (Chart.yaml, values.yaml, cluster.yaml). */
function untarChart(ctx: CommandContext, chart: string, version: string, untarDir: string): void {
  const base = nodePath(ctx, untarDir);
  if (base === undefined) return;
  const dir = join(base, chart);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'Chart.yaml': `apiVersion: v2\nname: ${chart}\nversion: ${version}\nappVersion: "${version}"\ntype: application\n`,
    'values.yaml':
      chart === 'gateway-manager' ? 'secrets:\n  defaultPassword: ""\n' : 'nfs:\n  server: ""\n  path: ""\n',
    'cluster.yaml':
      chart === 'gateway-manager'
        ? 'replicaCount: 1\nha: true\n'
        : 'ha: true\nstorageClass:\n  defaultClass: true\n',
  };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  // The caller must be able to remove what it pulled (the deploy script's `rm -rf` trap).
  if (ctx.uid > 0) {
    for (const path of [dir, ...Object.keys(files).map((f) => join(dir, f))]) {
      try {
        chownSync(path, ctx.uid, ctx.uid);
      } catch {
        // the folder vanished meanwhile
      }
    }
  }
}

function table(rows: string[][], separator = '   '): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
          .join(separator)
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function age(iso: unknown): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(String(iso))) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

function kubectl(ctx: CommandContext, cluster: Cluster, args: string[]): number {
  const { io, model } = ctx;
  const valueFlags = [
    '-n',
    '--namespace',
    '-o',
    '--output',
    '-l',
    '--selector',
    '--field-selector',
    '--grace-period',
  ];
  const [verb, resource = '', name] = positional(args, valueFlags);
  const output = flagValue(args, '-o', '--output');
  const namespace = flagValue(args, '-n', '--namespace') ?? 'default';
  const allNamespaces = args.includes('-A') || args.includes('--all-namespaces');
  const isNodes = /^(no|nodes?)$/.test(resource);
  const isPods = /^(po|pods?)$/.test(resource);
  if (verb === 'get' && isNodes) {
    const nodes = [...cluster.k8sNodes.values()].filter((n) => !name || n.name === name);
    if (name && nodes.length === 0) {
      io.err(`Error from server (NotFound): nodes "${name}" not found\n`);
      return 1;
    }
    if (output === 'json') {
      io.out(
        JSON.stringify(
          {
            apiVersion: 'v1',
            kind: 'List',
            items: nodes.map((n) => ({ apiVersion: 'v1', kind: 'Node', ...model.nodeJson(n) })),
          },
          null,
          4,
        ) + '\n',
      );
      return 0;
    }
    const wide = output === 'wide';
    const rows = [
      [
        'NAME',
        'STATUS',
        'ROLES',
        'AGE',
        'VERSION',
        ...(wide ? ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : []),
      ],
    ];
    for (const n of nodes) {
      const statusText = (n.ready ? 'Ready' : 'NotReady') + (n.unschedulable ? ',SchedulingDisabled' : '');
      rows.push([
        n.name,
        statusText,
        '<none>',
        age(n.created),
        KUBELET_VERSION,
        ...(wide
          ? [n.address, '<none>', 'Ubuntu 22.04.4 LTS', '5.15.0-105-generic', 'containerd://1.6.28']
          : []),
      ]);
    }
    io.out(table(rows));
    return 0;
  }
  if (verb === 'get' && isPods) {
    const pods = [...cluster.pods.values()].filter((p) => {
      const meta = p.object.metadata as Json;
      return (allNamespaces || meta.namespace === namespace) && (!name || meta.name === name);
    });
    if (output === 'json') {
      io.out(
        JSON.stringify(
          {
            apiVersion: 'v1',
            kind: 'List',
            items: pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p.object })),
          },
          null,
          4,
        ) + '\n',
      );
      return 0;
    }
    if (pods.length === 0) {
      io.err(allNamespaces ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
      return 0;
    }
    const wide = output === 'wide';
    const rows = [
      [
        ...(allNamespaces ? ['NAMESPACE'] : []),
        'NAME',
        'READY',
        'STATUS',
        'RESTARTS',
        'AGE',
        ...(wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : []),
      ],
    ];
    for (const p of pods) {
      const meta = p.object.metadata as Json;
      const st = p.object.status as Json;
      const cs = (st.containerStatuses as Array<{ ready: boolean; restartCount: number }> | undefined) ?? [];
      const readyCount = cs.filter((c) => c.ready).length;
      const phase = p.terminating
        ? 'Terminating'
        : st.phase === 'Pending' && p.nodeName
          ? 'ContainerCreating'
          : String(st.phase);
      rows.push([
        ...(allNamespaces ? [String(meta.namespace)] : []),
        String(meta.name),
        `${readyCount}/${p.workload.containers.length}`,
        phase,
        String(cs.reduce((sum, c) => sum + c.restartCount, 0)),
        age(meta.creationTimestamp),
        ...(wide ? [String(st.podIP ?? '<none>'), p.nodeName || '<none>', '<none>', '<none>'] : []),
      ]);
    }
    io.out(table(rows));
    return 0;
  }
  if (verb === 'delete' && isNodes && name) {
    if (!model.deleteK8sNode(cluster, name)) {
      io.err(`Error from server (NotFound): nodes "${name}" not found\n`);
      return 1;
    }
    io.out(`node "${name}" deleted\n`);
    return 0;
  }
  if (verb === 'delete' && isPods && name) {
    const pod = model.findPod(cluster, namespace, name);
    if (!pod) {
      io.err(`Error from server (NotFound): pods "${name}" not found\n`);
      return 1;
    }
    const grace = flagValue(args, '--grace-period');
    model.deletePod(cluster, pod, grace === undefined ? undefined : Number(grace));
    io.out(`pod "${name}" deleted\n`);
    return 0;
  }
  if ((verb === 'cordon' || verb === 'uncordon') && resource) {
    const k8sNode = cluster.k8sNodes.get(resource);
    if (!k8sNode) {
      io.err(`Error from server (NotFound): nodes "${resource}" not found\n`);
      return 1;
    }
    k8sNode.unschedulable = verb === 'cordon';
    model.touchNode(cluster, k8sNode);
    model.reconcile(cluster);
    io.out(`node/${resource} ${verb}ed\n`);
    return 0;
  }
  if (verb === 'version') {
    io.out(
      `Client Version: ${KUBELET_VERSION}\nKustomize Version: v5.5.0\nServer Version: ${KUBELET_VERSION}\n`,
    );
    return 0;
  }
  io.err(`error: the lab's kubectl does not support "${args.join(' ')}"\n`);
  return 1;
}

function inspect(ctx: CommandContext): number {
  const { io, node, config } = ctx;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  const nodeDir = join(config.dir, 'nodes', String(node.index));
  const work = join(nodeDir, 'inspect-work', `inspection-report`);
  mkdirSync(work, { recursive: true });
  const snapshot = node.running ? ctx.model.snapshot(node.index) : null;
  writeFileSync(
    join(work, 'status.txt'),
    node.running ? 'microk8s is running\n' : 'microk8s is not running\n',
  );
  writeFileSync(join(work, 'snapshot.json'), JSON.stringify(snapshot, null, 2) + '\n');
  const reportDir = join(nodeDir, 'snap', 'current');
  mkdirSync(reportDir, { recursive: true });
  const file = `inspection-report-${stamp}.tar.gz`;
  execFileSync('tar', [
    'czf',
    join(reportDir, file),
    '-C',
    join(nodeDir, 'inspect-work'),
    'inspection-report',
  ]);
  const services = ['cluster-agent', 'containerd', 'k8s-dqlite', 'kubelite'];
  io.out(
    'Inspecting system\nInspecting Certificates\nInspecting services\n' +
      services
        .map((s) => `  Service snap.microk8s.daemon-${s} is ${node.running ? 'running' : 'not running'}\n`)
        .join('') +
      '  Copy service arguments to the final report tarball\nInspecting AppArmor configuration\nGathering system information\n' +
      '  Copy processes list to the final report tarball\n  Copy disk usage information to the final report tarball\n' +
      '  Copy memory usage information to the final report tarball\n  Copy server uptime to the final report tarball\n' +
      '  Copy openSSL information to the final report tarball\n  Copy network configuration to the final report tarball\n' +
      'Inspecting kubernetes cluster\n  Inspect kubernetes cluster\nInspecting dqlite\n  Inspect dqlite\n\n' +
      `Building the report tarball\n  Report tarball is at /var/snap/microk8s/current/${file}\n`,
  );
  return 0;
}

function hostnamectl(ctx: CommandContext, argv: string[]): number {
  const { io, node, uid } = ctx;
  const [command = 'status', value] = argv.filter((a) => !a.startsWith('--'));
  if (command === 'set-hostname' || (command === 'hostname' && value !== undefined)) {
    if (uid !== 0) {
      io.err('Could not set static hostname: Access denied\n');
      return 1;
    }
    if (!value || !/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(value)) {
      io.err(`Invalid hostname '${value ?? ''}'\n`);
      return 1;
    }
    // The fake client already set the UTS hostname and /etc/hostname inside the node; record it here.
    node.hostname = value.toLowerCase();
    return 0;
  }
  if (command === 'hostname') {
    io.out(node.hostname + '\n');
    return 0;
  }
  if (command === 'status') {
    if (argv.includes('--static') || argv.includes('--transient')) {
      io.out(node.hostname + '\n');
      return 0;
    }
    io.out(
      ` Static hostname: ${node.hostname}\n       Icon name: computer-vm\n         Chassis: vm\n` +
        `      Machine ID: ${String(node.index).padStart(32, '0')}\n         Boot ID: ${String(node.index).padStart(32, 'b')}\n` +
        '  Virtualization: vmware\nOperating System: Ubuntu 22.04.4 LTS\n          Kernel: Linux 5.15.0-105-generic\n' +
        '    Architecture: x86-64\n Hardware Vendor: VMware, Inc.\n  Hardware Model: VMware Virtual Platform\n',
    );
    return 0;
  }
  io.err(`Unknown command verb ${command}.\n`);
  return 1;
}
