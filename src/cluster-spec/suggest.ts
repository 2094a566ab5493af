// Suggestions for quick fixes and completion: the next free static address (from the IP pool, when there is
// one), hostname and physical host.
import {
  contains,
  formatIPv4,
  parseCidr,
  parseCidrOrRange,
  parseIPv4,
  isRfc1123Label,
  type Interval,
} from './net';
import { poolInterval } from './ip-pool';
import type { ClusterModel } from './types';

/**
 * The first address of the IP pool (if the spec has one) or else of the subnet that no node, the floating IP, the gateway, a name/NTP/NFS server, the DHCP
 * pool or the metallb pool uses. The network address and the one after it (by convention the gateway) are skipped, and so is
 * the broadcast address.
 */
export function nextFreeAddress(model: ClusterModel): string | undefined {
  const subnet = parseCidr(model.network.subnet);
  if (!subnet) return undefined;
  const used = new Set<number>();
  const inSubnet = [
    ...model.nodes.map((node) => node.address),
    model.network.floatingIp,
    model.network.gateway ?? '',
    ...model.network.nameservers,
    ...model.network.ntpServers,
    model.storage.nfs?.server ?? '',
  ];
  for (const text of inSubnet) {
    const address = parseIPv4(text);
    if (address !== undefined) used.add(address);
  }
  const pools: Interval[] = [];
  for (const text of [model.network.dhcpRange ?? '', model.network.metallbRange]) {
    const pool = parseCidrOrRange(text);
    if (pool) pools.push(pool);
  }
  // With an IP pool, new VMs take their addresses from it (seed 004), within the subnet.
  const pool = poolInterval(model.network.ipPool);
  const last = pool ? Math.min(pool.last, subnet.last - 1) : subnet.last - 1;
  let candidate = pool ? Math.max(pool.first, subnet.first + 1) : subnet.first + 2;
  // Each step either skips a used address or jumps past a pool, so this ends after a bounded number of steps.
  while (candidate <= last) {
    const pool = pools.find((p) => contains(p, candidate));
    if (pool) {
      candidate = pool.last + 1;
      continue;
    }
    if (!used.has(candidate)) return formatIPv4(candidate);
    candidate++;
  }
  return undefined;
}

/** `<prefix><n>` after the first node's hostname pattern (gw-1, gw-2 -> gw-3), the lowest n not in use. */
export function nextFreeHostname(model: ClusterModel): string | undefined {
  const used = new Set(model.nodes.map((node) => node.hostname));
  const pattern =
    model.nodes.map((node) => node.hostname).find(isRfc1123Label) ??
    (isRfc1123Label(model.name) ? `${model.name}-1` : 'node-1');
  const match = /^(.*?)(\d+)$/.exec(pattern);
  const prefix = match ? (match[1] ?? '') : `${pattern}-`;
  for (let n = 1; n <= used.size + 1; n++) {
    const candidate = `${prefix}${n}`;
    if (!used.has(candidate) && isRfc1123Label(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A physical host no node runs on, after the pattern of the hosts given (esxi-1, esxi-2 -> esxi-3);
 * undefined when no node names its host (placement is not being tracked).
 */
export function nextFreeHost(model: ClusterModel): string | undefined {
  const hosts = model.nodes.flatMap((node) => (node.host ? [node.host] : []));
  if (hosts.length === 0) return undefined;
  const used = new Set(hosts);
  const match = /^(.*?)(\d+)$/.exec(hosts[0]!);
  const prefix = match ? (match[1] ?? '') : `${hosts[0]}-`;
  for (let n = 1; n <= used.size + 1; n++) {
    const candidate = `${prefix}${n}`;
    if (!used.has(candidate)) return candidate;
  }
  return undefined;
}
