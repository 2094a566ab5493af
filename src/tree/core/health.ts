import type { MergedNode } from './merge-nodes';
import { isNotReady } from './merge-nodes';
import type { ConnectionState } from './types';

/** The state a cluster's icon is coloured by. */
export type ClusterHealth =
  'notConnected' | 'connecting' | 'notBuilt' | 'healthy' | 'degraded' | 'unreachable';

export interface HealthSummary {
  health: ClusterHealth;
  /** e.g. "3/3 Ready · HA", "2/3 Ready · HA degraded", "not connected". */
  description: string;
  readyCount: number;
  /** Spec nodes plus API-only nodes. */
  totalCount: number;
  notReadyCount: number;
}

/**
 * Sums up a cluster for its description and icon. An HA cluster is "HA" while a majority of its nodes
 * (at least 3) are Ready; below that it is "no quorum" (MicroK8s's dqlite needs a majority).
 */
export function summarizeHealth(
  connection: ConnectionState,
  topology: string | undefined,
  nodes: readonly MergedNode[],
): HealthSummary {
  const totalCount = nodes.length;
  const readyCount = nodes.filter((n) => n.api?.ready === true).length;
  const notReadyCount = nodes.filter(isNotReady).length;
  const base = { readyCount, totalCount, notReadyCount };
  const topologyLabel = topology === 'ha' ? 'HA' : topology === 'single-node' ? 'single node' : undefined;

  if (connection === 'disconnected') {
    return { ...base, health: 'notConnected', description: joinParts(['not connected', topologyLabel]) };
  }
  if (connection === 'connecting') {
    return { ...base, health: 'connecting', description: joinParts(['connecting…', topologyLabel]) };
  }
  if (connection === 'unreachable') {
    return { ...base, health: 'unreachable', description: joinParts(['API unreachable', topologyLabel]) };
  }

  // No spec node is in the cluster under its own name: the VMs are not joined yet (fresh from the OVA).
  const specCount = nodes.filter((n) => n.spec).length;
  const joined = nodes.filter((n) => n.spec && (n.status === 'ready' || n.status === 'notReady')).length;
  if (specCount > 0 && joined === 0) {
    return { ...base, health: 'notBuilt', description: `not joined: 0 of ${specCount}` };
  }
  const allGood =
    totalCount > 0 &&
    readyCount === totalCount &&
    nodes.every((n) => n.status === 'ready' && n.mismatches.length === 0);
  let haLabel = topologyLabel;
  if (topology === 'ha') {
    const quorum = totalCount >= 3 && readyCount > totalCount / 2;
    haLabel = readyCount === totalCount && quorum ? 'HA' : quorum ? 'HA degraded' : 'HA lost';
  }
  return {
    ...base,
    health: allGood ? 'healthy' : 'degraded',
    description: joinParts([`${readyCount}/${totalCount} Ready`, haLabel]),
  };
}

function joinParts(parts: ReadonlyArray<string | undefined>): string {
  return parts.filter((p): p is string => !!p).join(' · ');
}
