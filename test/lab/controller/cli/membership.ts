// Cluster membership: `add-node` and `join` (leaving: leave.ts).
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControllerConfig } from '../config';
import type { Cluster } from '../types';
import { addMember } from '../dqlite';
import { flagValue, positional } from './args';
import type { CommandContext } from './context';

function randomToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * MicroK8s keeps join tokens in ${SNAP_DATA}/credentials/cluster-tokens.txt of the node that issued them,
 * `TOKEN` (one join) or `TOKEN|EXPIRY` (epoch seconds) per line: the node's real file here, so a token taken
 * back by editing it (as root on the node) is gone for the fake `join` too.
 */
function tokensFile(config: ControllerConfig, index: number): string {
  return join(config.dir, 'nodes', String(index), 'snap', 'current', 'credentials', 'cluster-tokens.txt');
}

function readTokens(file: string): Array<{ token: string; expiry: number | null }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [token, expiry] = line.split('|');
      return { token: token ?? '', expiry: expiry ? Number(expiry) : null };
    });
}

export function addNode(ctx: CommandContext, _cluster: Cluster, args: string[]): number {
  const { io, node } = ctx;
  const token = flagValue(args, '--token', '-t') ?? randomToken();
  if (token.length !== 32) {
    io.err('Invalid token size.  It must be 32 characters long.\n');
    return 1;
  }
  const ttl = Number(flagValue(args, '--token-ttl', '-l') ?? '-1');
  const line = ttl > 0 ? `${token}|${Math.round(Date.now() / 1000) + ttl}` : token;
  appendFileSync(tokensFile(ctx.config, node.index), `${line}\n`, { mode: 0o600 });
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

export async function join_(ctx: CommandContext, own: Cluster, args: string[]): Promise<number> {
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
  const file = tokensFile(config, host.index);
  const entries = readTokens(file);
  const entry = entries.find((e) => e.token === token);
  if (!entry || (entry.expiry !== null && entry.expiry * 1000 < Date.now()) || cluster === own) {
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
  // The cluster agent refuses an address its datastore still lists (a node that left uncleanly or was
  // swapped without `remove-node --force`).
  if (cluster.dqlite.has(node.address)) {
    io.err(`Connection failed. The joining node (${node.address}) is already known to dqlite (504).\n`);
    return 6;
  }
  if ([...cluster.k8sNodes.values()].some((n) => n.name === node.hostname && n.labIndex !== null)) {
    io.err(`Connection failed. The joining node (${node.hostname}) is already known to dqlite (409).\n`);
    return 6;
  }
  // The cluster agent deletes a token without an expiry when it is used; one with an expiry stays.
  if (entry.expiry === null)
    writeFileSync(
      file,
      entries
        .filter((e) => e !== entry)
        .map((e) => (e.expiry === null ? e.token : `${e.token}|${e.expiry}`))
        .join('\n') + '\n',
    );
  io.out('Waiting for this node to finish joining the cluster. .. .. .. ..\n');
  await new Promise((resolve) => setTimeout(resolve, 300));
  model.dropCluster(own);
  node.clusterId = cluster.id;
  node.worker = args.includes('--worker');
  if (!node.worker) addMember(cluster, node.address);
  node.k8sName = node.hostname;
  const stale = cluster.k8sNodes.get(node.hostname);
  if (stale) model.deleteK8sNode(cluster, stale.name);
  model.registerK8sNode(cluster, node);
  model.reconcile(cluster);
  io.out('Successfully joined the cluster.\n');
  return 0;
}
