// remove-node and replace-node against a deployed 4-node lab, over real SSH: a removal drains (the gateway
// pods move), leaves and removes, and leaves the spec entry for the user; the quorum refusal at 3; --force
// refused on a Ready node and, for a node that is gone, taken only after the confirmation naming it; then
// the firmware upgrade: gw-2 swapped for a new VM at the same address, whose new host key is trusted only
// once the operator confirmed it (a refusal first, then a resume), renamed, joined and proven.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ClusterModel } from '../../../src/cluster-spec';
import { REMOVED_NODE } from '../../../src/ops';
import { waitFor } from '../../support/wait-for';
import { commandsOf, startOpsLab, stepStates } from './support/ops-lab';
import type { OpsLab } from './support/ops-lab';

describe('ops against the lab: remove-node and replace-node', function () {
  this.timeout(180_000);
  let t: OpsLab;
  let three: ClusterModel;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gclabrem', {
      nodes: 4,
      state: 'deployed',
      subnetPrefix: '10.250.17',
      timeScale: 0.01,
    });
    three = { ...t.model, nodes: t.model.nodes.slice(0, 3) };
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('removes gw-4: drain, leave, remove-node on a node that stays; the spec entry is left to the user', async () => {
    const r = await t.run(t.engine.plan('remove-node', t.model, { node: 'gw-4' }));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.deepEqual(
      r.transcript.steps.map((s) => s.id),
      ['kubeconfig', 'check', 'drain', 'leave', 'remove', 'spec'],
    );
    assert.deepEqual(
      commandsOf(r, 'gw-4').filter((c) => c.startsWith('microk8s leave')),
      ['microk8s leave'],
    );
    assert.deepEqual(
      commandsOf(r, 'gw-1').filter((c) => c.startsWith('microk8s remove-node')),
      ['microk8s remove-node gw-4'],
    );
    assert.equal(r.shared.get(REMOVED_NODE), 'gw-4');
    const s = await t.lab.snapshot();
    assert.deepEqual(s.nodes.map((n) => n.name).sort(), ['gw-1', 'gw-2', 'gw-3']);
    assert.ok(s.pods.every((p) => p.nodeName !== 'gw-4'));
    assert.ok(s.pods.filter((p) => p.namespace === 'default').every((p) => p.ready && !p.terminating));
    const again = await t.run(t.engine.plan('remove-node', t.model, { node: 'gw-4' }));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    assert.deepEqual(stepStates(again), {
      kubeconfig: 'skipped',
      check: 'succeeded',
      drain: 'skipped',
      leave: 'skipped',
      remove: 'skipped',
      spec: 'succeeded',
    });
  });

  it('refuses to leave an ha cluster below 3 control-plane nodes, and changes nothing', async () => {
    const r = await t.run(t.engine.plan('remove-node', three, { node: 'gw-3' }));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failure?.step, 'check');
    assert.match(r.error!.message, /would leave this ha cluster 2 control-plane nodes; it needs 3/);
    assert.match(r.error!.message, /add-node|replace-node/);
    assert.equal((await t.lab.snapshot()).nodes.length, 3);
  });

  it('--force: refused on a Ready node; for a node that is gone, only after the confirmation naming it', async () => {
    // gw-4 back (add-node), then gone for good: its MicroK8s stops and it turns NotReady.
    const added = await t.run(t.engine.plan('add-node', t.model));
    assert.equal(added.outcome, 'succeeded', added.error?.message);
    const ready = await t.run(t.engine.plan('remove-node', t.model, { node: 'gw-4', force: true }));
    assert.equal(ready.outcome, 'failed');
    assert.match(ready.error!.message, /gw-4 is Ready: --force is only for a node that is gone for good/);
    await t.lab.inject({ kind: 'stopMicrok8s', node: 4 });
    await waitFor(async () => !(await t.lab.snapshot()).nodes.find((n) => n.name === 'gw-4')?.ready, {
      what: 'gw-4 NotReady',
      timeoutMs: 10_000,
    });
    t.answerWith(() => false);
    const refused = await t.run(t.engine.plan('remove-node', t.model, { node: 'gw-4', force: true }));
    assert.equal(refused.outcome, 'failed');
    assert.equal(refused.failure?.step, 'confirm');
    const question = t.confirmations.at(-1)!;
    assert.deepEqual([question.kind, question.answer], ['forceRemove', 'gw-4']);
    assert.match(question.detail, /without microk8s leave/);
    t.answerWith((q) => q.kind === 'forceRemove' && q.answer === 'gw-4');
    const forced = await t.run(t.engine.plan('remove-node', t.model, { node: 'gw-4', force: true }));
    assert.equal(forced.outcome, 'succeeded', forced.error?.message);
    assert.ok(commandsOf(forced).includes('microk8s remove-node gw-4 --force'));
    assert.ok(!commandsOf(forced, 'gw-4').length, 'nothing runs on the node that is gone');
    const s = await t.lab.snapshot();
    assert.deepEqual(s.nodes.map((n) => n.name).sort(), ['gw-1', 'gw-2', 'gw-3']);
    assert.ok(!s.dqlite.some((m) => m.address === t.model.nodes[3]!.address));
  });

  it('replace-node: the new VM at the same address is trusted only when confirmed, then joins', async () => {
    const oldKey = t.info.nodes[1]!.hostKeyFingerprint;
    const events = t.onEvent((e) => {
      if (e.type === 'stepStarted' && e.step === 'swap' && !e.node)
        void t.lab.inject({ kind: 'replaceVm', node: 2 });
    });
    t.answerWith(() => false);
    const first = await t.run(t.engine.plan('replace-node', three, { node: 'gw-2' }));
    events();
    assert.equal(first.outcome, 'failed');
    assert.equal(first.failure?.step, 'trust');
    const newKey = (await t.lab.info())!.nodes[1]!.hostKeyFingerprint;
    assert.notEqual(newKey, oldKey);
    const question = t.confirmations.at(-1)!;
    assert.deepEqual([question.kind, question.answer], ['replacedHostKey', newKey]);
    assert.ok(question.detail.includes(oldKey) && question.detail.includes(newKey), question.detail);
    assert.deepEqual(
      commandsOf(first, 'gw-2').filter((c) => c.startsWith('microk8s leave')),
      ['microk8s leave'],
    );
    // Resume: the removal and the wait are done; this time the operator confirms.
    t.answerWith((q) => q.kind === 'replacedHostKey' && q.answer === newKey);
    const resumed = await t.run(t.engine.plan('replace-node', three, { node: 'gw-2' }));
    assert.equal(resumed.outcome, 'succeeded', resumed.error?.message);
    const states = stepStates(resumed);
    for (const id of ['drain', 'leave', 'remove', 'swap']) assert.equal(states[id], 'skipped', id);
    for (const id of ['trust', 'rename', 'join']) assert.equal(states[id], 'succeeded', id);
    assert.ok(commandsOf(resumed, 'gw-2').includes('hostnamectl set-hostname gw-2'));
    const own = readFileSync(t.knownHosts.own, 'utf8');
    const address = t.model.nodes[1]!.address;
    assert.match(own, new RegExp(`^@revoked ${address.replace(/\./g, '\\.')} ssh-ed25519 `, 'm'));
    const s = await t.lab.snapshot();
    assert.deepEqual(s.nodes.map((n) => [n.name, n.ready]).sort(), [
      ['gw-1', true],
      ['gw-2', true],
      ['gw-3', true],
    ]);
    assert.deepEqual(
      s.dqlite.map((m) => m.role),
      ['voter', 'voter', 'voter'],
    );
  });
});
