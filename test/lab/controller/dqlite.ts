// A cluster's datastore membership, as dqlite keeps it: members by address with a role. As go-dqlite's role
// adjustment does, a joining node comes in as a spare and roles change only once the cluster has at least 3
// members (then up to 3 voters and 3 standbys); a 2-node cluster keeps one voter, so that voter "holds the
// only copy" and cannot leave. Workers run no datastore and are never members.
import type { Cluster, DqliteRole } from './types';

const VOTERS = 3;
const STANDBYS = 3;

/** Starts the datastore of a new cluster with its first node. */
export function bootstrapMember(cluster: Cluster, address: string): void {
  cluster.dqlite.clear();
  cluster.dqlite.set(address, 'voter');
}

export function addMember(cluster: Cluster, address: string): void {
  if (!cluster.dqlite.has(address)) cluster.dqlite.set(address, 'spare');
  adjustRoles(cluster);
}

/** `.remove ADDRESS` on the datastore; false when it was no member. */
export function removeMember(cluster: Cluster, address: string): boolean {
  const removed = cluster.dqlite.delete(address);
  if (removed) adjustRoles(cluster);
  return removed;
}

export function adjustRoles(cluster: Cluster): void {
  // "If the cluster is still too small, do nothing" (go-dqlite app/roles.go).
  if (cluster.dqlite.size < VOTERS) return;
  const count = (role: DqliteRole) => [...cluster.dqlite.values()].filter((r) => r === role).length;
  for (const [address, role] of cluster.dqlite) {
    if (count('voter') >= VOTERS) break;
    if (role !== 'voter') cluster.dqlite.set(address, 'voter');
  }
  for (const [address, role] of cluster.dqlite) {
    if (count('standby') >= STANDBYS) break;
    if (role === 'spare') cluster.dqlite.set(address, 'standby');
  }
}

export function membersWithRole(cluster: Cluster, role: DqliteRole): string[] {
  return [...cluster.dqlite].filter(([, r]) => r === role).map(([address]) => address);
}
