import type { ApiPod } from './types';

/** Pods a drain evicts: everything but DaemonSet pods (they stay) and pods already finished. */
export function podsToEvict(pods: readonly ApiPod[]): ApiPod[] {
  return pods.filter((p) => p.ownerKind !== 'DaemonSet' && p.phase !== 'Succeeded' && p.phase !== 'Failed');
}

/** The confirmation text for a drain: names the pods that will move (at most `limit`, then "and N more"). */
export function drainConfirmation(node: string, pods: readonly ApiPod[], limit = 10): string {
  const moving = podsToEvict(pods);
  if (moving.length === 0) return `Drain ${node}? It is cordoned; no pods need to move.`;
  const names = moving.slice(0, limit).map((p) => `${p.namespace}/${p.name}`);
  const more = moving.length > limit ? ` and ${moving.length - limit} more` : '';
  const unowned = moving.filter((p) => !p.ownerKind).length;
  const warning = unowned > 0 ? ` ${unowned} of them have no controller and will not come back.` : '';
  return `Drain ${node}? It is cordoned and these ${moving.length} pod${moving.length === 1 ? '' : 's'} move to other nodes: ${names.join(', ')}${more}.${warning}`;
}
