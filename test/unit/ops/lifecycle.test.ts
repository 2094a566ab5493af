// The node lifecycle's pure parts: the removal refusals (quorum, last datastore node), the target node,
// the dry runs of the four plans, the drill's timeline and explanation, and the runner's steps that run
// whatever happened before them.
import assert from 'node:assert/strict';
import { Masker } from '../../../src/remote/masker';
import {
  InvalidModelError,
  OperationsEngine,
  explainDrill,
  runPlan,
  timelineLines,
  type DrillTimeline,
  type KubeNodeInfo,
  type Plan,
  type Step,
} from '../../../src/ops';
import { removalRefusal } from '../../../src/ops/plans/membership';
import { labModel } from './fake-cluster';

const live = (...nodes: Array<[string, boolean, boolean?]>): KubeNodeInfo[] =>
  nodes.map(([name, ready, worker]) => ({ name, ready, addresses: [], worker: Boolean(worker) }));

const engine = () =>
  new OperationsEngine({
    nodes: { exec: () => Promise.reject(new Error('nothing runs in a dry run')) },
    secrets: { get: async () => undefined },
    kubeconfig: { read: async () => undefined, store: async () => undefined },
    api: { connect: () => Promise.reject(new Error('no API in a dry run')) },
    masker: new Masker(),
  });

describe('ops: the node lifecycle', () => {
  it('refuses removals that endanger the datastore, with the reason', () => {
    const four = { ...labModel(3), nodes: [...labModel(4).nodes] };
    const model = labModel(3);
    const gw3 = model.nodes[2]!;
    assert.match(
      removalRefusal(model, gw3, live(['gw-1', true], ['gw-2', true], ['gw-3', true]))!.message,
      /would leave this ha cluster 2 control-plane nodes; it needs 3/,
    );
    assert.equal(
      removalRefusal(
        four,
        four.nodes[3]!,
        live(['gw-1', true], ['gw-2', true], ['gw-3', true], ['gw-4', true]),
      ),
      undefined,
    );
    // A worker runs no datastore: removing one never touches the quorum.
    assert.equal(
      removalRefusal(model, gw3, live(['gw-1', true], ['gw-2', true], ['gw-3', true, true])),
      undefined,
    );
    assert.match(
      removalRefusal(labModel(1), labModel(1).nodes[0]!, live(['gw-1', true]))!.message,
      /only node/,
    );
    const single = { ...labModel(2), topology: 'single-node' as const };
    assert.match(
      removalRefusal(single, single.nodes[0]!, live(['gw-1', true], ['gw-2', true, true]))!.message,
      /only control-plane node: it holds the only copy of the datastore/,
    );
    assert.match(
      removalRefusal(
        four,
        four.nodes[3]!,
        live(['gw-1', true], ['gw-2', false], ['gw-3', true], ['gw-4', true]),
      )!.message,
      /gw-2 is NotReady: without it, removing gw-4 could leave the datastore without a quorum/,
    );
  });

  it('names the node a node-level operation needs, before anything runs', () => {
    assert.throws(() => engine().plan('drill', labModel(3)), InvalidModelError);
    assert.throws(
      () => engine().plan('remove-node', labModel(3), { node: 'gw-9' }),
      /"gw-9" is not a node of the spec \(gw-1, gw-2, gw-3\)/,
    );
  });

  it('dry runs show each plan with its exact commands and runs nothing', () => {
    const e = engine();
    const model = labModel(3);
    const remove = e.dryRun(e.plan('remove-node', model, { node: 'gw-3' }));
    assert.deepEqual(
      remove.steps.map((s) => s.id),
      ['kubeconfig', 'check', 'drain', 'leave', 'remove', 'spec'],
    );
    assert.match(remove.text, /gw-3\$ microk8s leave/);
    assert.match(remove.text, /gw-1\$ microk8s remove-node gw-3/);
    const forced = e.dryRun(e.plan('remove-node', model, { node: 'gw-3', force: true }));
    assert.deepEqual(
      forced.steps.map((s) => s.id),
      ['kubeconfig', 'check', 'confirm', 'remove', 'spec'],
    );
    const replace = e.dryRun(e.plan('replace-node', model, { node: 'gw-1' }));
    assert.match(replace.text, /you, in the hypervisor\$ power off the VM of gw-1, deploy the new OVA/);
    // Replacing node 1: the join token comes from another control-plane node.
    assert.match(replace.text, /gw-2\$ microk8s add-node --token •+ --format json/);
    assert.match(replace.text, /gw-1\$ microk8s join 10\.250\.2\.12:25000\/•+\/CHECK/);
    const drill = e.dryRun(e.plan('drill', model, { node: 'gw-2' }));
    assert.equal(drill.node, 'gw-2');
    assert.match(drill.text, /gw-2\$ microk8s stop/);
    assert.match(drill.text, /Start MicroK8s on gw-2 again[^\n]*\n\s+runs whatever happens/);
    const add = e.dryRun(
      e.plan('add-node', {
        ...model,
        nodes: [...model.nodes.slice(0, 2), { ...model.nodes[2]!, role: 'worker' }],
        topology: undefined,
      }),
    );
    assert.match(add.text, /gw-3\$ microk8s join 10\.250\.2\.11:25000\/•+\/CHECK --worker/);
  });

  it('the drill timeline reads as offsets from the stop and says what governs each delay', () => {
    const t0 = 1_700_000_000_000;
    const timeline: DrillTimeline = {
      node: 'gw-2',
      startedAt: t0 - 500,
      moved: ['gateway-manager-abc-12345'],
      stateful: ['gateway-manager-redis-0'],
      entries: [
        { kind: 'stop', at: t0, label: 'MicroK8s stopped on gw-2' },
        { kind: 'notReady', at: t0 + 52_100, label: 'gw-2 Unknown, tainted unreachable' },
        { kind: 'evicted', at: t0 + 352_300, label: 'pods on gw-2 evicted (Terminating)' },
        { kind: 'recovered', at: t0 + 346_000 + 10_000, label: 'the Gateway Manager answers again' },
      ],
    };
    assert.deepEqual(timelineLines(timeline).slice(0, 2), [
      '+0 ms        MicroK8s stopped on gw-2',
      '+52.1 s      gw-2 Unknown, tainted unreachable',
    ]);
    const text = explainDrill(timeline).join('\n');
    assert.match(text, /Detection took 52\.1 s: .*node monitor grace period — 50 s since Kubernetes 1\.32/);
    assert.match(text, /evicted 5 min 0 s after NotReady: .*300 s/);
    assert.match(text, /answered again 5 min 56 s after the stop/);
    assert.match(text, /gateway-manager-redis-0 \(StatefulSet\) stayed on gw-2, Terminating/);
  });

  it('steps marked `always` run after a failure and after a cancel; the others do not', async () => {
    const ran: string[] = [];
    const step = (id: string, extra: Partial<Step> = {}): Step => ({
      id,
      title: id,
      run: async () => void ran.push(id),
      preview: () => [],
      ...extra,
    });
    const plan = (middle: Step): Plan => ({
      operation: 'drill',
      cluster: 'c',
      model: labModel(3),
      steps: [step('a'), middle, step('b'), step('start', { always: true }), step('c')],
    });
    const deps = {
      nodes: { exec: () => Promise.reject(new Error('no node')) },
      secrets: { get: async () => undefined },
      kubeconfig: { read: async () => undefined, store: async () => undefined },
      api: { connect: () => Promise.reject(new Error('no API')) },
      masker: new Masker(),
    };
    const failed = await runPlan(
      plan(step('boom', { run: async () => Promise.reject(new Error('boom')) })),
      deps,
    );
    assert.equal(failed.outcome, 'failed');
    assert.deepEqual(ran, ['a', 'start']);
    assert.equal(failed.failure?.step, 'boom');
    ran.length = 0;
    const abort = new AbortController();
    const cancelled = await runPlan(
      plan(step('cancel', { run: async (ctx) => (abort.abort(), ctx.sleep(10_000)) })),
      deps,
      { signal: abort.signal },
    );
    assert.equal(cancelled.outcome, 'cancelled');
    assert.deepEqual(ran, ['a', 'start']);
    assert.deepEqual(
      cancelled.transcript.steps.map((s) => s.state),
      ['succeeded', 'cancelled', 'pending', 'succeeded', 'pending'],
    );
  });
});
