import type { ApiNode, SpecNode } from './types';

/** What the tree says about one node after comparing the spec with the cluster. */
export type NodeStatus = 'ready' | 'notReady' | 'notJoined' | 'notRenamed' | 'notInSpec' | 'unknown';

export interface MergedNode {
  /** The name shown: the spec hostname, or the API name for a node the spec lacks. */
  name: string;
  spec?: SpecNode;
  api?: ApiNode;
  status: NodeStatus;
  cordoned: boolean;
  /** Human-readable disagreements between spec and reality (empty when they agree). */
  mismatches: string[];
  /** The address to reach the node: the spec's, else the API's first. */
  address: string | undefined;
}

/**
 * Joins spec nodes with API nodes by hostname. `api` undefined means "not connected": every spec node is
 * 'unknown' rather than 'notJoined'. Spec order first, then API-only nodes by name.
 */
export function mergeNodes(spec: readonly SpecNode[], api: readonly ApiNode[] | undefined): MergedNode[] {
  const byName = new Map<string, ApiNode>();
  for (const node of api ?? []) byName.set(node.name, node);
  const usedApi = new Set<string>();
  const merged: MergedNode[] = [];

  for (const specNode of spec) {
    const apiNode = byName.get(specNode.hostname);
    const mismatches: string[] = [];
    let status: NodeStatus;
    if (!api) {
      status = 'unknown';
    } else if (apiNode) {
      usedApi.add(apiNode.name);
      status = apiNode.ready ? 'ready' : 'notReady';
      if (specNode.address && apiNode.addresses.length > 0 && !apiNode.addresses.includes(specNode.address)) {
        mismatches.push(
          `Address differs: the spec says ${specNode.address}, the cluster reports ${apiNode.addresses.join(', ')}.`,
        );
      }
    } else {
      status = 'notJoined';
      // The VM at the spec address still carries another name (its OVA's): it is this spec node, not renamed.
      const sameAddress = api.find(
        (n) => n.addresses.includes(specNode.address) && !byNameInSpec(spec, n.name) && !usedApi.has(n.name),
      );
      if (sameAddress) {
        usedApi.add(sameAddress.name);
        status = 'notRenamed';
        mismatches.push(
          `Not renamed yet: the VM at ${specNode.address} is still named "${sameAddress.name}" (Join nodes renames it to "${specNode.hostname}").`,
        );
        merged.push({
          name: specNode.hostname,
          spec: specNode,
          api: sameAddress,
          status,
          cordoned: sameAddress.unschedulable,
          mismatches,
          address: specNode.address,
        });
        continue;
      }
    }
    merged.push({
      name: specNode.hostname,
      spec: specNode,
      api: apiNode,
      status,
      cordoned: apiNode?.unschedulable ?? false,
      mismatches,
      address: specNode.address || apiNode?.addresses[0],
    });
  }

  const extra = (api ?? []).filter((n) => !usedApi.has(n.name)).sort((a, b) => a.name.localeCompare(b.name));
  for (const apiNode of extra) {
    merged.push({
      name: apiNode.name,
      api: apiNode,
      status: 'notInSpec',
      cordoned: apiNode.unschedulable,
      mismatches: ['This node is in the cluster but not in the spec.'],
      address: apiNode.addresses[0],
    });
  }
  return merged;
}

function byNameInSpec(spec: readonly SpecNode[], name: string): boolean {
  return spec.some((s) => s.hostname === name);
}

/** Whether the node has API state that says it is ready (for the NotReady badge). */
export function isNotReady(node: MergedNode): boolean {
  return node.status === 'notReady' || (node.status === 'notInSpec' && node.api?.ready === false);
}
