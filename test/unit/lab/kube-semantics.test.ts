// The lab's Kubernetes semantics that the real API server defines and the conformance tier relies on,
// checked in-process: strategic merge patch's merge keys, field selectors per kind (400 otherwise), what a
// watch sees when an object enters or leaves its selector, kubectl's durations, workload controllers and
// the eviction check of a disruption budget.
import assert from 'node:assert/strict';
import { ApiError } from '../../lab/controller/api/http';
import { applyPatch } from '../../lab/controller/api/patch';
import { fieldSelector, labelSelector } from '../../lab/controller/api/selectors';
import { humanDuration } from '../../lab/controller/api/tables';
import { reconcile } from '../../lab/controller/controllers';
import { evictionVerdict } from '../../lab/controller/disruption';
import { transition } from '../../lab/controller/hub';
import { registerK8sNode } from '../../lab/controller/k8s-nodes';
import { addWorkload } from '../../lab/controller/lab-workloads';
import { resourceOf } from '../../lab/controller/resources';
import { newCluster, putObject } from '../../lab/controller/store';
import type { Json } from '../../lab/controller/types';

const SMP = 'application/strategic-merge-patch+json';

describe('lab: Kubernetes semantics', () => {
  it('strategic merge patch merges lists by their merge key and replaces the others', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: 'a:1' },
          { name: 'b', image: 'b:1' },
        ],
        tolerations: [{ key: 'x' }, { key: 'y' }],
      },
    };
    const patched = applyPatch(
      pod,
      SMP,
      JSON.stringify({ spec: { containers: [{ name: 'b', image: 'b:2' }], tolerations: [{ key: 'z' }] } }),
    );
    assert.deepEqual(patched?.spec, {
      containers: [
        { name: 'a', image: 'a:1' },
        { name: 'b', image: 'b:2' },
      ],
      tolerations: [{ key: 'z' }],
    });
    const deleted = applyPatch(
      pod,
      SMP,
      JSON.stringify({ spec: { containers: [{ name: 'a', $patch: 'delete' }] } }),
    );
    assert.deepEqual((deleted?.spec as Json).containers, [{ name: 'b', image: 'b:1' }]);
    const service = { spec: { ports: [{ port: 80 }, { port: 443, name: 'https' }] } };
    const ports = applyPatch(
      service,
      SMP,
      JSON.stringify({ spec: { ports: [{ port: 443, nodePort: 30443 }] } }),
    );
    assert.deepEqual((ports?.spec as Json).ports, [
      { port: 80 },
      { port: 443, name: 'https', nodePort: 30443 },
    ]);
    const merge = applyPatch(
      pod,
      'application/merge-patch+json',
      JSON.stringify({ spec: { containers: [] } }),
    );
    assert.deepEqual((merge?.spec as Json).containers, [], 'a JSON merge patch replaces lists');
  });

  it('field selectors: what the kind supports, a 400 for anything else', () => {
    const pods = resourceOf('pods');
    const pod = {
      metadata: { name: 'p', namespace: 'default' },
      spec: { nodeName: 'gw-1' },
      status: { phase: 'Running' },
    };
    assert.equal(fieldSelector(pods, 'spec.nodeName=gw-1')(pod), true);
    assert.equal(fieldSelector(pods, 'spec.nodeName=gw-1,status.phase!=Running')(pod), false);
    assert.equal(fieldSelector(pods, 'metadata.namespace==default')(pod), true);
    const unsupported = (kind: 'pods' | 'nodes', text: string) => {
      try {
        fieldSelector(resourceOf(kind), text);
      } catch (error) {
        assert.ok(error instanceof ApiError);
        return [error.code, error.message];
      }
      return undefined;
    };
    assert.deepEqual(unsupported('pods', 'metadata.foo=bar'), [
      400,
      'field label not supported: metadata.foo',
    ]);
    assert.deepEqual(unsupported('nodes', 'spec.nodeName=gw-1'), [
      400,
      'field label not supported: spec.nodeName',
    ]);
    assert.equal(unsupported('nodes', 'spec.unschedulable=true'), undefined);
  });

  it('label selectors: equality, sets and existence', () => {
    const o = { metadata: { labels: { app: 'web', tier: 'front' } } };
    assert.equal(labelSelector('app=web,tier in (front,back)')(o), true);
    assert.equal(labelSelector('app notin (web)')(o), false);
    assert.equal(labelSelector('!tier')(o), false);
    assert.equal(labelSelector('app,!missing')(o), true);
  });

  it('a watch sees ADDED on entering its selector and DELETED, with the last state it saw, on leaving', () => {
    const labelled = (value: string | undefined, rv: string) => ({
      metadata: { name: 'p', resourceVersion: rv, labels: value ? { watched: value } : {} },
    });
    const matches = labelSelector('watched=yes');
    assert.equal(
      transition(
        { rv: 2, type: 'MODIFIED', object: labelled('yes', '2'), prev: labelled(undefined, '1') },
        matches,
      )?.type,
      'ADDED',
    );
    assert.equal(
      transition(
        { rv: 3, type: 'MODIFIED', object: labelled('yes', '3'), prev: labelled('yes', '2') },
        matches,
      )?.type,
      'MODIFIED',
    );
    const left = transition(
      { rv: 4, type: 'MODIFIED', object: labelled(undefined, '4'), prev: labelled('yes', '3') },
      matches,
    );
    assert.equal(left?.type, 'DELETED');
    assert.deepEqual((left?.object.metadata as Json).labels, { watched: 'yes' });
    assert.equal((left?.object.metadata as Json).resourceVersion, '4');
    assert.equal(
      transition(
        { rv: 5, type: 'MODIFIED', object: labelled('no', '5'), prev: labelled(undefined, '4') },
        matches,
      ),
      undefined,
    );
  });

  it("prints ages as kubectl's HumanDuration", () => {
    const s = 1000;
    assert.deepEqual(
      [
        45 * s,
        184 * s,
        12 * 60 * s,
        5 * 3600 * s + 3 * 60 * s,
        30 * 3600 * s,
        3 * 86400 * s + 4 * 3600 * s,
        800 * 86400 * s,
      ].map(humanDuration),
      ['45s', '3m4s', '12m', '5h3m', '30h', '3d4h', '2y'],
    );
  });

  it('a Deployment owns a ReplicaSet that keeps its pods, and a budget at its minimum refuses eviction', () => {
    const cluster = newCluster('');
    for (const index of [1, 2])
      registerK8sNode(cluster, {
        index,
        address: `10.0.0.${index}`,
        hostname: `gw-${index}`,
        running: true,
        linkUp: true,
        hang: null,
        clusterId: cluster.id,
        worker: false,
        k8sName: `gw-${index}`,
      });
    addWorkload(
      cluster,
      {
        kind: 'Deployment',
        namespace: 'default',
        name: 'web',
        replicas: 3,
        containers: [{ name: 'web', image: 'nginx' }],
      },
      { source: 'test' },
    );
    reconcile(cluster, true);
    const sets = [...cluster.objects.replicasets.values()];
    assert.equal(sets.length, 1);
    const rsUid = String((sets[0]?.metadata as Json).uid);
    const pods = [...cluster.pods.values()];
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.ownerUid === rsUid && p.nodeName));
    const pod = pods[0]!;
    assert.deepEqual(evictionVerdict(cluster, pod), { allowed: true });
    putObject(cluster, 'poddisruptionbudgets', {
      metadata: { name: 'web', namespace: 'default', generation: 1 },
      spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } },
    });
    const verdict = evictionVerdict(cluster, pod);
    assert.equal(verdict.allowed, false);
    assert.ok(!verdict.allowed && verdict.code === 429);
    for (const p of cluster.pods.values()) p.timers.forEach(clearTimeout);
  });
});
