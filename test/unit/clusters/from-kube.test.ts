import assert from 'node:assert/strict';
import { nodeFromKube, podFromKube } from '../../../src/clusters';

describe('tree model: from Kubernetes objects', () => {
  it('reads a node: readiness, cordon, addresses, roles, kubelet version', () => {
    const node = nodeFromKube({
      metadata: {
        name: 'gw-1',
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/os': 'linux' },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
        addresses: [
          { type: 'Hostname', address: 'gw-1' },
          { type: 'ExternalIP', address: '1.2.3.4' },
          { type: 'InternalIP', address: '10.250.0.11' },
        ],
        nodeInfo: { kubeletVersion: 'v1.29.4' },
      },
    });
    assert.deepEqual(node, {
      name: 'gw-1',
      ready: true,
      unschedulable: true,
      addresses: ['10.250.0.11', '1.2.3.4'],
      kubeletVersion: 'v1.29.4',
      roles: ['control-plane'],
    });
    // MicroK8s's own role labels.
    assert.deepEqual(
      nodeFromKube({
        metadata: { name: 'w', labels: { 'node.kubernetes.io/microk8s-worker': 'microk8s-worker' } },
      }).roles,
      ['worker'],
    );
    assert.deepEqual(
      nodeFromKube({
        metadata: {
          name: 'c',
          labels: {
            'node.kubernetes.io/microk8s-controlplane': 'microk8s-controlplane',
            'node-role.kubernetes.io/control-plane': '',
          },
        },
      }).roles,
      ['control-plane'],
    );
    assert.equal(
      nodeFromKube({
        metadata: { name: 'x' },
        status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
      }).ready,
      false,
    );
  });

  it('reads a pod from a watch event (string dates) and from a list (Date)', () => {
    const raw = {
      metadata: {
        namespace: 'kube-system',
        name: 'coredns-1',
        uid: 'u1',
        creationTimestamp: '2024-01-01T00:00:00Z',
        ownerReferences: [{ kind: 'ReplicaSet', controller: true }],
      },
      spec: { nodeName: 'gw-2', containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 2, state: { running: {} } },
          { ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    };
    const fromWatch = podFromKube(raw);
    assert.deepEqual(fromWatch, {
      namespace: 'kube-system',
      name: 'coredns-1',
      uid: 'u1',
      nodeName: 'gw-2',
      phase: 'Running',
      readyContainers: 1,
      totalContainers: 2,
      restarts: 3,
      createdAt: Date.parse('2024-01-01T00:00:00Z'),
      terminating: undefined,
      reason: 'CrashLoopBackOff',
      ownerKind: 'ReplicaSet',
    });
    const fromList = podFromKube({
      ...raw,
      metadata: { ...raw.metadata, creationTimestamp: new Date(0), deletionTimestamp: new Date(5) },
    });
    assert.equal(fromList.createdAt, 0);
    assert.equal(fromList.terminating, true);
  });

  it('survives an empty object', () => {
    const pod = podFromKube({});
    assert.equal(pod.phase, 'Unknown');
    assert.equal(pod.totalContainers, 0);
    assert.equal(pod.reason, undefined);
  });
});
