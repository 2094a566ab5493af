// The lab's node lifecycle and membership, in-process at time scale 0.01 (heartbeats every 100 ms, a 500 ms
// grace period, 3 s tolerations): a stopped node turns Unknown with the unreachable taint after the grace
// period, not before; its pods are evicted when their tolerations run out; ReplicaSets replace them while the
// StatefulSet's pod stays Terminating until the Node object goes. And `leave`/`remove-node` with
// MicroK8s's rules, messages and exit statuses.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControllerConfig } from '../../lab/controller/config';
import { runCommand } from '../../lab/controller/cli/microk8s';
import { LabModel } from '../../lab/controller/model';
import { nodeJson } from '../../lab/controller/k8s-nodes';
import type { Cluster, Json, PodRecord } from '../../lab/controller/types';
import { metaOf } from '../../lab/controller/types';
import { waitFor } from '../../support/wait-for';

function config(dir: string, nodes: number): ControllerConfig {
  return {
    name: 'unit',
    prefix: '10.9.9',
    dir,
    socketPath: join(dir, 'ctl.sock'),
    nodes: Array.from({ length: nodes }, (_, i) => ({
      index: i + 1,
      netns: `unit-${i + 1}`,
      address: `10.9.9.${11 + i}`,
      hostname: `gw-${i + 1}`,
      specHostname: `gw-${i + 1}`,
      dir: join(dir, 'nodes', String(i + 1)),
    })),
    state: 'deployed',
    podsPerNode: 2,
    timeScale: 0.01,
    caCertPath: join(dir, 'missing-ca.pem'),
    serverCertPath: '',
    serverKeyPath: '',
    clientCertPath: '',
    clientKeyPath: '',
    apiTokenPath: '',
    listenHelperPath: '',
    floatingHelperPath: '',
    nodeBinary: process.execPath,
    chartsVersion: '0.9.6',
    floatingIp: '10.9.9.5',
    freshHostname: 'gateway-node',
    kubectlPath: '',
  };
}

async function microk8s(model: LabModel, index: number, ...argv: string[]) {
  let out = '';
  let err = '';
  const io = {
    out: (t: string) => void (out += t),
    err: (t: string) => void (err += t),
    readLine: async () => null,
    readAll: async () => '',
    run: () => undefined,
  };
  const node = model.node(index);
  const cfg = model.config;
  const code = await runCommand(
    { model, config: cfg, node, uid: 0, io, certCheck: 'abc', kubeconfig: () => '' },
    'microk8s',
    argv,
  );
  return { code, out, err };
}

const podsOn = (cluster: Cluster, node: string) =>
  [...cluster.pods.values()].filter((p) => p.nodeName === node);
const nameOf = (pod: PodRecord) => String(metaOf(pod.object).name);
const readyCondition = (cluster: Cluster, name: string) =>
  ((nodeJson(cluster.k8sNodes.get(name)!).status as Json).conditions as Json[]).find(
    (c) => c.type === 'Ready',
  );

describe('lab: node lifecycle and membership', function () {
  this.timeout(20_000);
  let dir: string;
  let model: LabModel | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gc-lab-unit-'));
  });

  afterEach(() => {
    for (const cluster of [...(model?.clusters.values() ?? [])]) model!.dropCluster(cluster);
    model = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stopped node turns Unknown after the grace period, its pods go after their tolerations, a StatefulSet pod waits for the Node object', async () => {
    model = new LabModel(config(dir, 3));
    model.reset('deployed');
    const cluster = model.clusterOf(1);
    assert.deepEqual([...cluster.dqlite.values()], ['voter', 'voter', 'voter']);
    // Stop the node that runs the Gateway Manager's StatefulSet pod.
    const redis = [...cluster.pods.values()].find((p) => nameOf(p) === 'gateway-manager-redis-0')!;
    const victim = cluster.k8sNodes.get(redis.nodeName)!;
    const index = victim.labIndex!;
    const stoppedAt = Date.now();
    model.node(index).running = false;
    model.nodeHealthChanged(index);
    // Heartbeats every 100 ms, grace 500 ms, monitor every 50 ms: Unknown 400–550 ms after the stop.
    await waitFor(() => !victim.ready, { what: 'NotReady', timeoutMs: 3000 });
    const detected = Date.now() - stoppedAt;
    assert.ok(detected >= 380 && detected <= 900, `NotReady after ${detected} ms`);
    assert.equal(readyCondition(cluster, victim.name)?.status, 'Unknown');
    const taints = ((nodeJson(victim).spec as Json).taints ?? []) as Json[];
    assert.deepEqual(taints.map((t) => `${String(t.key)}:${String(t.effect)}`).sort(), [
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    // Within the 300 s (scaled: 3 s) toleration nothing is evicted.
    assert.ok(podsOn(cluster, victim.name).every((p) => !p.terminating));
    await waitFor(() => podsOn(cluster, victim.name).some((p) => p.terminating), {
      what: 'the evictions',
      timeoutMs: 6000,
    });
    const evictedAfter = Date.now() - victim.readySinceMs;
    assert.ok(evictedAfter >= 2900, `evicted ${evictedAfter} ms after NotReady`);
    // ReplicaSet pods are replaced on Ready nodes; DaemonSet pods stay; redis-0 stays Terminating.
    const replicaSets = new Set(
      [...cluster.objects.replicasets.values()].map((rs) => String(metaOf(rs).uid)),
    );
    const evicted = () =>
      podsOn(cluster, victim.name).filter((p) => p.terminating && replicaSets.has(p.ownerUid));
    await waitFor(
      () =>
        evicted().length > 0 &&
        evicted().every((gone) =>
          [...cluster.pods.values()].some(
            (p) =>
              p.ownerUid === gone.ownerUid && p.nodeName !== victim.name && !p.terminating && p.readySinceMs,
          ),
        ),
      { what: 'Ready replacements elsewhere', timeoutMs: 5000 },
    );
    const onVictim = podsOn(cluster, victim.name);
    assert.ok(onVictim.find((p) => nameOf(p) === 'gateway-manager-redis-0')?.terminating);
    assert.ok(onVictim.filter((p) => nameOf(p).startsWith('calico-node-')).every((p) => !p.terminating));
    assert.equal([...cluster.pods.values()].filter((p) => nameOf(p) === 'gateway-manager-redis-0').length, 1);
    // Deleting the Node object lets the StatefulSet make redis-0 again, on another node.
    model.deleteK8sNode(cluster, victim.name);
    await waitFor(
      () => {
        const again = [...cluster.pods.values()].find((p) => nameOf(p) === 'gateway-manager-redis-0');
        return Boolean(again && again !== redis && again.nodeName && again.nodeName !== victim.name);
      },
      { what: 'redis-0 on another node' },
    );
  });

  it('a node that comes back within the grace period never turns NotReady', async () => {
    model = new LabModel(config(dir, 3));
    model.reset('joined');
    const cluster = model.clusterOf(1);
    const gw3 = cluster.k8sNodes.get('gw-3')!;
    model.node(3).running = false;
    model.nodeHealthChanged(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    model.node(3).running = true;
    model.nodeHealthChanged(3);
    const since = gw3.readySinceMs;
    await new Promise((resolve) => setTimeout(resolve, 900));
    assert.equal(gw3.ready, true);
    assert.equal(gw3.readySinceMs, since);
  });

  it('remove-node before leave fails; leave then remove-node removes the node; its Node object stays until then', async () => {
    model = new LabModel(config(dir, 3));
    model.reset('joined');
    const cluster = model.clusterOf(1);
    const refused = await microk8s(model, 1, 'remove-node', 'gw-3');
    assert.equal(refused.code, 1);
    assert.match(
      refused.out,
      /^Removal failed\. Node gw-3 is registered with dqlite\. Please, run first 'microk8s leave' on the departing node\./,
    );
    assert.match(refused.out, /use the '--force' flag/);
    const left = await microk8s(model, 3, 'leave');
    assert.equal(left.code, 0, left.out);
    assert.equal(left.out, 'Generating new cluster certificates.\nWaiting for node to start.  \n');
    assert.ok(cluster.k8sNodes.has('gw-3'), 'the Node object stays after leave');
    assert.deepEqual([...cluster.dqlite.keys()], ['10.9.9.11', '10.9.9.12']);
    assert.notEqual(model.node(3).clusterId, cluster.id);
    await waitFor(() => !cluster.k8sNodes.get('gw-3')!.ready, { what: 'gw-3 NotReady after leave' });
    const removed = await microk8s(model, 1, 'remove-node', '10.9.9.13');
    assert.deepEqual([removed.code, removed.out, removed.err], [0, '', '']);
    assert.ok(!cluster.k8sNodes.has('gw-3'));
    const again = await microk8s(model, 1, 'remove-node', 'gw-3', '--force');
    assert.equal(again.code, 1);
    assert.equal(
      again.out,
      'Node gw-3 does not exist in Kubernetes.\nAttempting to remove gw-3 from dqlite.\n',
    );
  });

  it('in a 2-node cluster the only voter cannot leave (exit 3); --force removes a member that is gone', async () => {
    model = new LabModel(config(dir, 2));
    model.reset('joined');
    const cluster = model.clusterOf(1);
    assert.deepEqual(
      [...cluster.dqlite],
      [
        ['10.9.9.11', 'voter'],
        ['10.9.9.12', 'spare'],
      ],
    );
    const status = await microk8s(model, 1, 'status');
    assert.match(status.out, /high-availability: no\n {2}datastore master nodes: 10\.9\.9\.11:19001\n/);
    const refused = await microk8s(model, 1, 'leave');
    assert.equal(refused.code, 3);
    assert.match(
      refused.out,
      /^This node currently holds the only copy of the Kubernetes database so it cannot leave the cluster\.\n/,
    );
    model.node(2).running = false;
    model.nodeHealthChanged(2);
    const forced = await microk8s(model, 1, 'remove-node', 'gw-2', '--force');
    assert.deepEqual([forced.code, forced.out], [0, '']);
    assert.deepEqual([...cluster.dqlite.keys()], ['10.9.9.11']);
    assert.deepEqual([...cluster.k8sNodes.keys()], ['gw-1']);
  });

  it('a VM swapped at the same address runs a fresh MicroK8s under the OVA hostname; the old Node object loses its kubelet', async () => {
    model = new LabModel(config(dir, 3));
    model.reset('joined');
    const cluster = model.clusterOf(1);
    model.replaceVm(2);
    const vm = model.node(2);
    assert.equal(vm.hostname, 'gateway-node');
    assert.notEqual(vm.clusterId, cluster.id);
    assert.deepEqual([...model.clusterOf(2).k8sNodes.keys()], ['gateway-node']);
    assert.equal(cluster.k8sNodes.get('gw-2')?.labIndex, null);
    // Still a datastore member until `remove-node --force`; a join from that address would be refused.
    assert.ok(cluster.dqlite.has('10.9.9.12'));
    await waitFor(() => !cluster.k8sNodes.get('gw-2')!.ready, { what: 'gw-2 NotReady' });
  });
});
