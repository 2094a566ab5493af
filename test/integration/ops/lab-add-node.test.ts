// add-node against the lab, over real SSH: a single-node cluster (join and deploy of node 1 alone) resized to
// 3 control-plane nodes plus a worker — the new VMs come from the OVA (wrong hostname, no peers in
// /etc/hosts) and join one at a time, the worker with --worker; what HA needs beyond the joins (the storage
// chart's NFS values, both charts' cluster values) is applied; a re-run changes nothing; a spec asking for a
// single node now is refused.
import assert from 'node:assert/strict';
import type { ClusterModel } from '../../../src/cluster-spec';
import { NEW_NODES } from '../../../src/ops';
import { commandsOf, startOpsLab, stepStates } from './support/ops-lab';
import type { OpsLab } from './support/ops-lab';

describe('ops against the lab: add-node and resize 1 → 3', function () {
  this.timeout(180_000);
  let t: OpsLab;
  let single: ClusterModel;
  let full: ClusterModel;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gclabres', {
      nodes: 4,
      state: 'fresh',
      subnetPrefix: '10.250.16',
      timeScale: 0.01,
    });
    // The spec grows from node 1 alone to three control-plane nodes and a worker.
    const [node1, node2, node3, node4] = t.model.nodes;
    single = { ...t.model, topology: 'single-node', nodes: [node1!], storage: {} };
    full = { ...t.model, nodes: [node1!, node2!, node3!, { ...node4!, role: 'worker' }] };
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('builds the single-node cluster; add-node then has nothing to add', async () => {
    const joined = await t.run(t.engine.join(single));
    assert.equal(joined.outcome, 'succeeded', joined.error?.message);
    const deployed = await t.run(t.engine.deploy(single));
    assert.equal(deployed.outcome, 'succeeded', deployed.error?.message);
    const r = await t.run(t.engine.plan('add-node', single));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.deepEqual(r.shared.get(NEW_NODES), []);
    assert.ok(!commandsOf(r).some((c) => /add-node|microk8s join/.test(c)));
  });

  it('resizes to 3 control-plane nodes and a worker, one join at a time, and applies the HA values', async () => {
    const dry = t.engine.dryRun(t.engine.plan('add-node', full));
    assert.match(dry.text, /microk8s join 10\.250\.16\.11:25000\/\S+\/CHECK --worker/);
    assert.match(dry.text, /Install the persistent storage chart with the HA values/);
    const r = await t.run(t.engine.plan('add-node', full));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.deepEqual(r.shared.get(NEW_NODES), ['gw-2', 'gw-3', 'gw-4']);
    // One join at a time, each after the one before is Ready: add-node on node 1, join on the new node.
    const membership = r.transcript.commands
      .filter((c) => /microk8s (add-node|join)/.test(c.command))
      .map((c) => `${c.node} ${c.command.split(' ')[1]}`);
    assert.deepEqual(membership, [
      'gw-1 add-node',
      'gw-2 join',
      'gw-1 add-node',
      'gw-3 join',
      'gw-1 add-node',
      'gw-4 join',
    ]);
    assert.ok(commandsOf(r, 'gw-4').some((c) => /^microk8s join \S+ --worker$/.test(c)));
    assert.ok(!commandsOf(r, 'gw-3').some((c) => /--worker/.test(c)));
    const states = stepStates(r);
    assert.equal(states['ha-storage'], 'succeeded');
    assert.equal(states['ha-manager'], 'succeeded');
    assert.equal(states['ha-metallb'], 'skipped');
    const s = await t.lab.snapshot();
    assert.deepEqual(s.nodes.map((n) => [n.name, n.ready]).sort(), [
      ['gw-1', true],
      ['gw-2', true],
      ['gw-3', true],
      ['gw-4', true],
    ]);
    // The worker runs no datastore: three voters.
    assert.deepEqual(
      s.dqlite.map((m) => m.role),
      ['voter', 'voter', 'voter'],
    );
    const storage = s.releases.find((x) => x.name === 'gateway-persistent-storage')!;
    assert.deepEqual(storage.values, {
      'nfs.server': full.storage.nfs!.server,
      'nfs.path': full.storage.nfs!.path,
    });
    assert.equal(storage.revision, 2);
  });

  it('a re-run is all "already done"; a spec asking for one node now is refused with the reason', async () => {
    const again = await t.run(t.engine.plan('add-node', full));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    const changing = again.transcript.steps.filter((s) => !['preflight', 'scope'].includes(s.id));
    assert.ok(
      changing.every((s) => s.state === 'skipped'),
      JSON.stringify(stepStates(again)),
    );
    const refused = await t.run(t.engine.plan('add-node', single));
    assert.equal(refused.outcome, 'failed');
    assert.equal(refused.failure?.step, 'scope');
    assert.match(refused.error!.message, /The cluster runs 4 nodes .* never resized down/);
    assert.equal((await t.lab.snapshot()).nodes.length, 4);
  });
});
