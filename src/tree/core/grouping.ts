import { comparePods } from './describe';
import type { ApiPod } from './types';

/** Above this many pods a node groups its pods by namespace. */
export const GROUP_THRESHOLD = 20;

export type PodChildren =
  | { kind: 'flat'; pods: ApiPod[] }
  | { kind: 'grouped'; groups: Array<{ namespace: string; pods: ApiPod[] }> };

/** A node's children: the pods sorted, or namespace groups when there are many and more than one namespace. */
export function groupPods(pods: readonly ApiPod[], threshold = GROUP_THRESHOLD): PodChildren {
  const sorted = [...pods].sort(comparePods);
  const namespaces = new Map<string, ApiPod[]>();
  for (const pod of sorted) {
    const list = namespaces.get(pod.namespace);
    if (list) list.push(pod);
    else namespaces.set(pod.namespace, [pod]);
  }
  if (sorted.length <= threshold || namespaces.size < 2) return { kind: 'flat', pods: sorted };
  return { kind: 'grouped', groups: [...namespaces].map(([namespace, list]) => ({ namespace, pods: list })) };
}

/** Pods whose name (or namespace/name) contains the filter, case-insensitive. Empty filter matches all. */
export function filterPods(pods: readonly ApiPod[], filter: string): ApiPod[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return [...pods];
  return pods.filter(
    (p) => p.name.toLowerCase().includes(needle) || `${p.namespace}/${p.name}`.toLowerCase().includes(needle),
  );
}
