// The pods under an expanded node follow the node's name in the cluster: a fresh VM shows its pods under its
// OVA name, and once Join renamed it, under the new one (the watch is moved, not left on the old name).
import assert from 'node:assert/strict';
import type { LiveCluster, PodWatch } from '../../../src/clusters';
import type { ClusterElement, NodeElement } from '../../../src/tree/elements';
import { podChildren, startPodWatch, stopPodWatch } from '../../../src/tree/node-pods';
import { pod } from './fixtures';

function fakeLive() {
  const watches: Array<{
    name: string;
    disposed: boolean;
    fire: () => void;
    list: ReturnType<typeof pod>[];
  }> = [];
  const live = {
    watchPods(name: string): PodWatch {
      const listeners = new Set<(c: undefined) => void>();
      const entry = {
        name,
        disposed: false,
        list: [pod(`on-${name}`, { nodeName: name })],
        fire: () => listeners.forEach((l) => l(undefined)),
      };
      watches.push(entry);
      return {
        pods: () => entry.list,
        error: undefined,
        onDidChange: (listener: (c: undefined) => void) => {
          listeners.add(listener);
          return { dispose: () => listeners.delete(listener) };
        },
        raw: () => undefined,
        retry: () => undefined,
        dispose: () => void (entry.disposed = true),
      } as unknown as PodWatch;
    },
  } as unknown as LiveCluster;
  return { live, watches };
}

function nodeElement(): NodeElement {
  return {
    kind: 'node',
    cluster: {} as ClusterElement,
    name: 'gw-1',
    podWatch: undefined,
    podCount: undefined,
    pods: new Map(),
    groups: new Map(),
    messages: new Map(),
  };
}

describe('tree: pods of an expanded node', () => {
  it('moves the watch to the node’s new name when Join renamed the VM', () => {
    const { live, watches } = fakeLive();
    const node = nodeElement();
    const refresh = { add: () => undefined, flushNow: () => undefined };
    startPodWatch(node, live, refresh, 'gateway-node');
    assert.deepEqual(
      podChildren(node, '').map((c) => (c.kind === 'pod' ? c.pod.name : c.kind)),
      ['on-gateway-node'],
    );
    startPodWatch(node, live, refresh, 'gateway-node');
    assert.equal(watches.length, 1, 'the same name keeps its watch');
    startPodWatch(node, live, refresh, 'gw-1');
    assert.deepEqual(
      watches.map((w) => [w.name, w.disposed]),
      [
        ['gateway-node', true],
        ['gw-1', false],
      ],
    );
    assert.deepEqual(
      podChildren(node, '').map((c) => (c.kind === 'pod' ? c.pod.name : c.kind)),
      ['on-gw-1'],
    );
    stopPodWatch(node);
    assert.equal(watches[1]!.disposed, true);
  });
});
