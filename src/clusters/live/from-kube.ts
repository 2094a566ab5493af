import type { ApiNode, ApiPod } from './types';

// Converters from Kubernetes objects to the tree's shapes. They take loose objects on purpose: list replies
// are deserialised by the client (dates become Date) while watch events stay raw JSON (dates are strings).

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

function toMillis(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

export function nodeFromKube(node: Loose): ApiNode {
  const conditions: Loose[] = node?.status?.conditions ?? [];
  const ready = conditions.some((c) => c?.type === 'Ready' && c?.status === 'True');
  const addresses: Loose[] = node?.status?.addresses ?? [];
  const internal = addresses.filter((a) => a?.type === 'InternalIP').map((a) => String(a.address));
  const others = addresses
    .filter((a) => a?.type !== 'InternalIP' && a?.type !== 'Hostname')
    .map((a) => String(a.address));
  const labels: Record<string, string> = node?.metadata?.labels ?? {};
  // MicroK8s marks its nodes with its own labels rather than node-role.kubernetes.io/*.
  const microk8s: Record<string, string> = {
    'node.kubernetes.io/microk8s-controlplane': 'control-plane',
    'node.kubernetes.io/microk8s-worker': 'worker',
  };
  const roles = [
    ...new Set(
      Object.keys(labels)
        .map((k) => microk8s[k] ?? (k.startsWith('node-role.kubernetes.io/') ? k.slice(24) : ''))
        .filter((r) => r.length > 0),
    ),
  ].sort();
  return {
    name: String(node?.metadata?.name ?? ''),
    ready,
    unschedulable: node?.spec?.unschedulable === true,
    addresses: [...internal, ...others],
    kubeletVersion: node?.status?.nodeInfo?.kubeletVersion,
    roles,
  };
}

export function podFromKube(pod: Loose): ApiPod {
  const statuses: Loose[] = pod?.status?.containerStatuses ?? [];
  const specContainers: Loose[] = pod?.spec?.containers ?? [];
  let reason: string | undefined;
  for (const s of statuses) {
    const waiting = s?.state?.waiting?.reason;
    const terminated = s?.state?.terminated?.reason;
    const candidate =
      waiting && waiting !== 'ContainerCreating'
        ? waiting
        : terminated && terminated !== 'Completed'
          ? terminated
          : undefined;
    if (candidate) {
      reason = String(candidate);
      break;
    }
  }
  const owner =
    (pod?.metadata?.ownerReferences ?? []).find((o: Loose) => o?.controller) ??
    pod?.metadata?.ownerReferences?.[0];
  return {
    namespace: String(pod?.metadata?.namespace ?? 'default'),
    name: String(pod?.metadata?.name ?? ''),
    uid: String(pod?.metadata?.uid ?? ''),
    nodeName: String(pod?.spec?.nodeName ?? ''),
    phase: String(pod?.status?.phase ?? 'Unknown'),
    readyContainers: statuses.filter((s) => s?.ready === true).length,
    totalContainers: Math.max(specContainers.length, statuses.length),
    restarts: statuses.reduce((sum, s) => sum + (Number(s?.restartCount) || 0), 0),
    createdAt: toMillis(pod?.metadata?.creationTimestamp),
    terminating: pod?.metadata?.deletionTimestamp ? true : undefined,
    reason,
    ownerKind: owner?.kind,
  };
}
