import type { MergedNode } from './merge-nodes';
import type { ApiPod } from './types';

/** kubectl-style age: 45s, 12m, 5h, 3d. */
export function formatAge(createdAt: number | undefined, now: number): string {
  if (createdAt === undefined) return '';
  const seconds = Math.max(0, Math.floor((now - createdAt) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

const STATUS_LABEL: Record<MergedNode['status'], string> = {
  ready: 'Ready',
  notReady: 'NotReady',
  notJoined: 'not joined',
  notRenamed: 'not joined',
  notInSpec: 'not in spec',
  unknown: '',
};

/** A node's description: "Ready · cordoned · control-plane · 10.250.0.11 · v1.29.4 · 8 pods". */
export function describeNode(node: MergedNode, podCount?: number): string {
  const parts: string[] = [];
  const status = STATUS_LABEL[node.status];
  if (status) parts.push(status);
  if (node.status === 'notInSpec') parts.push(node.api?.ready ? 'Ready' : 'NotReady');
  if (node.status === 'notRenamed') parts.push(`still named ${node.api?.name ?? '?'}`);
  if (node.cordoned) parts.push('cordoned');
  if (node.api && node.api.roles.length > 0) parts.push(node.api.roles.join(','));
  if (node.address) parts.push(node.address);
  if (node.api?.kubeletVersion) parts.push(node.api.kubeletVersion);
  if (podCount !== undefined) parts.push(`${podCount} pod${podCount === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** How a pod's icon is coloured. */
export type PodHealth = 'ok' | 'pending' | 'failing' | 'done' | 'terminating';

export function podHealth(pod: ApiPod): PodHealth {
  if (pod.terminating) return 'terminating';
  if (pod.phase === 'Succeeded') return 'done';
  if (pod.phase === 'Failed' || pod.reason) return 'failing';
  if (pod.phase === 'Running' && pod.readyContainers === pod.totalContainers) return 'ok';
  if (pod.phase === 'Running') return 'pending';
  if (pod.phase === 'Pending') return 'pending';
  return 'failing';
}

/** A pod's description: "default · Running · 1/1 · 2 restarts · 5m". */
export function describePod(pod: ApiPod, now: number, showNamespace = true): string {
  const parts: string[] = [];
  if (showNamespace) parts.push(pod.namespace);
  parts.push(pod.terminating ? 'Terminating' : (pod.reason ?? pod.phase));
  parts.push(`${pod.readyContainers}/${pod.totalContainers}`);
  if (pod.restarts > 0) parts.push(`${pod.restarts} restart${pod.restarts === 1 ? '' : 's'}`);
  const age = formatAge(pod.createdAt, now);
  if (age) parts.push(age);
  return parts.join(' · ');
}

/** Stable ordering of pods: namespace, then name. */
export function comparePods(a: ApiPod, b: ApiPod): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}
