import type { ApiNode, ApiPod, SpecNode } from '../../../src/tree/core';

export function specNodes(count: number): SpecNode[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i,
    hostname: `gw-${i + 1}`,
    address: `10.250.0.${11 + i}`,
  }));
}

export function apiNode(name: string, address: string, overrides: Partial<ApiNode> = {}): ApiNode {
  return {
    name,
    ready: true,
    unschedulable: false,
    addresses: [address],
    kubeletVersion: 'v1.29.4',
    roles: [],
    ...overrides,
  };
}

export function pod(name: string, overrides: Partial<ApiPod> = {}): ApiPod {
  return {
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    nodeName: 'gw-1',
    phase: 'Running',
    readyContainers: 1,
    totalContainers: 1,
    restarts: 0,
    ownerKind: 'ReplicaSet',
    ...overrides,
  };
}
