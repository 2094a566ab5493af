import assert from 'node:assert/strict';
import { describeNode, describePod, formatAge, mergeNodes, podHealth } from '../../../src/tree/core';
import { apiNode, pod, specNodes } from './fixtures';

describe('tree model: descriptions', () => {
  it('formats ages as kubectl does', () => {
    assert.equal(formatAge(undefined, 0), '');
    assert.equal(formatAge(0, 45_000), '45s');
    assert.equal(formatAge(0, 12 * 60_000), '12m');
    assert.equal(formatAge(0, 5 * 3_600_000), '5h');
    assert.equal(formatAge(0, 3 * 86_400_000), '3d');
    assert.equal(formatAge(10_000, 0), '0s');
  });

  it('describes a node with status, cordon, role, address, kubelet and pod count', () => {
    const [node] = mergeNodes(specNodes(1), [
      apiNode('gw-1', '10.250.0.11', { unschedulable: true, roles: ['control-plane'] }),
    ]);
    assert.equal(describeNode(node!, 8), 'Ready · cordoned · control-plane · 10.250.0.11 · v1.29.4 · 8 pods');
    assert.equal(describeNode(mergeNodes(specNodes(1), [])[0]!), 'not joined · 10.250.0.11');
    assert.equal(describeNode(mergeNodes(specNodes(1), undefined)[0]!, 1), '10.250.0.11 · 1 pod');
  });

  it('describes an API-only node with its readiness', () => {
    const merged = mergeNodes(
      [],
      [apiNode('extra', '10.250.0.40', { ready: false, kubeletVersion: undefined })],
    );
    assert.equal(describeNode(merged[0]!), 'not in spec · NotReady · 10.250.0.40');
  });

  it('describes pods: namespace, phase or reason, ready containers, restarts, age', () => {
    const now = 10 * 60_000;
    assert.equal(describePod(pod('a', { createdAt: 0 }), now), 'default · Running · 1/1 · 10m');
    assert.equal(
      describePod(pod('b', { restarts: 3, reason: 'CrashLoopBackOff', readyContainers: 0 }), now, false),
      'CrashLoopBackOff · 0/1 · 3 restarts',
    );
    assert.equal(
      describePod(pod('c', { terminating: true, restarts: 1 }), now),
      'default · Terminating · 1/1 · 1 restart',
    );
  });

  it('colours pods by health', () => {
    assert.equal(podHealth(pod('a')), 'ok');
    assert.equal(podHealth(pod('a', { readyContainers: 0 })), 'pending');
    assert.equal(podHealth(pod('a', { phase: 'Pending', readyContainers: 0 })), 'pending');
    assert.equal(podHealth(pod('a', { reason: 'ImagePullBackOff' })), 'failing');
    assert.equal(podHealth(pod('a', { phase: 'Failed' })), 'failing');
    assert.equal(podHealth(pod('a', { phase: 'Succeeded' })), 'done');
    assert.equal(podHealth(pod('a', { terminating: true })), 'terminating');
    assert.equal(podHealth(pod('a', { phase: 'Unknown' })), 'failing');
  });
});
