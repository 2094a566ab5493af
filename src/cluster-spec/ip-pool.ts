// seed 004's IP pools: the block of static addresses a cluster's VMs get, by range (start, end) or by
// subnet (a CIDR whose network and broadcast addresses are never handed out). Pure interval maths, shared by
// the validator (GC110-GC116), the next-free-address suggestion and the node completion.
import { parseCidr, parseIPv4, type Interval } from './net';
import type { ClusterModel, IpPoolModel } from './types';

/** The addresses the pool hands out, or undefined when it is not a well-formed range or subnet. */
export function poolInterval(pool: IpPoolModel | undefined): Interval | undefined {
  if (!pool) return undefined;
  if (pool.subnet !== undefined) {
    if (pool.start !== undefined || pool.end !== undefined) return undefined;
    const cidr = parseCidr(pool.subnet);
    if (!cidr) return undefined;
    // A /31 or /32 has no network or broadcast address to keep back.
    return cidr.last - cidr.first >= 2 ? { first: cidr.first + 1, last: cidr.last - 1 } : cidr;
  }
  const first = parseIPv4(pool.start ?? '');
  const last = parseIPv4(pool.end ?? '');
  return first !== undefined && last !== undefined && first <= last ? { first, last } : undefined;
}

export function poolSize(interval: Interval): number {
  return interval.last - interval.first + 1;
}

/** What a pool must hold: every node's address and the floating IP; a single node also the resize to 3's. */
export function poolNeeds(model: Pick<ClusterModel, 'topology' | 'nodes'>): { now: number; resize?: number } {
  const now = model.nodes.length + 1;
  return model.topology === 'single-node' ? { now, resize: 3 + 1 } : { now };
}
