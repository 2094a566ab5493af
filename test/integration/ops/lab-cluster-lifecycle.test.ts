// The cluster lifecycle through the engine against a deployed 3-node lab (time scale 0.01): validate-cluster
// on a broken cluster (a node stopped) names each failing check with what to do; diagnostics with one node's
// SSH down collects the others (tarballs of MicroK8s' layout, sizes and SHA-256 that match the files, events,
// logs) and names the node; the migration from a classic gateway (the profile held by it refuses the cluster
// until the user de-registers the classic one) and the roll-back; delete refused while registered and while
// other workloads run; reset to fresh VMs, and a second reset that finds nothing to do.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DIAGNOSTICS, type DiagnosticsResult } from '../../../src/ops';
import { waitFor } from '../../support/wait-for';
import { startOpsLab, stepStates, type OpsLab } from './support/ops-lab';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('ops against the lab: the cluster lifecycle', function () {
  this.timeout(240_000);
  let t: OpsLab;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gccleng', {
      nodes: 3,
      state: 'deployed',
      subnetPrefix: '10.250.71',
      timeScale: 0.01,
    });
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  const snapshot = () => t.lab.snapshot();
  const ready = async (name: string, want: boolean) =>
    waitFor(async () => (await snapshot()).nodes.find((n) => n.name === name)?.ready === want, {
      what: `${name} ${want ? 'Ready' : 'NotReady'}`,
      timeoutMs: 20_000,
    });

  it('validate-cluster names each failing check with what to do, and runs them all', async () => {
    await t.lab.inject({ kind: 'stopMicrok8s', node: 3 });
    await ready('gw-3', false);
    try {
      const r = await t.run(t.engine.plan('validate-cluster', t.model));
      assert.equal(r.outcome, 'failed');
      const states = stepStates(r);
      assert.equal(states.nodes, 'failed');
      assert.equal(states.registration, 'failed');
      assert.equal(states.releases, 'succeeded');
      const failure = (id: string) => r.transcript.steps.find((s) => s.id === id)!.failure!;
      assert.equal(failure('nodes').message, 'gw-3 is NotReady.');
      assert.match(failure('nodes').hint, /Start MicroK8s there \(microk8s start\)/);
      assert.equal(failure('registration').message, 'The cluster is not registered.');
      assert.equal(r.failure?.step, 'nodes', 'the first failing check is the run’s failure');
    } finally {
      await t.lab.inject({ kind: 'startMicrok8s', node: 3 });
      await ready('gw-3', true);
    }
  });

  it("diagnostics with gw-3's SSH down collects gw-1 and gw-2, the events and logs, and names gw-3", async () => {
    await t.lab.inject({ kind: 'killSshd', node: 3 });
    let r;
    try {
      r = await t.run(t.engine.plan('diagnostics', t.model));
    } finally {
      await t.lab.inject({ kind: 'startSshd', node: 3 });
    }
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failure?.node, 'gw-3');
    const result = r.shared.get(DIAGNOSTICS) as DiagnosticsResult;
    assert.ok(
      result.folder.startsWith(path.join(t.workspace, '.gateway-cluster', 'diagnostics')),
      result.folder,
    );
    assert.deepEqual(
      result.missing.map((m) => m.node),
      ['gw-3'],
    );
    const tarballs = result.files.filter((f) => f.node);
    assert.deepEqual(tarballs.map((f) => f.node).sort(), ['gw-1', 'gw-2']);
    for (const f of tarballs) {
      const file = path.join(result.folder, f.file);
      assert.match(f.file, new RegExp(`^${f.node}/inspection-report-\\d{8}_\\d{6}\\.tar\\.gz$`));
      assert.equal(readFileSync(file).length, f.bytes);
      assert.equal(sha256(file), f.sha256);
      const listing = execFileSync('tar', ['tzf', file], { encoding: 'utf8' });
      for (const entry of [
        'snap.microk8s.daemon-kubelite/journal.log',
        'k8s/cluster-info-dump',
        'dqlite/cluster.yaml',
        'bom.json',
      ])
        assert.ok(listing.includes(`inspection-report/${entry}`), entry);
    }
    for (const file of ['events.json', 'events.txt', 'summary.json'])
      assert.ok(existsSync(path.join(result.folder, file)), file);
    assert.ok(result.files.some((f) => /^logs\/gateway-manager-.*\.log$/.test(f.file)));
    const summary = JSON.parse(
      readFileSync(path.join(result.folder, 'summary.json'), 'utf8'),
    ) as DiagnosticsResult;
    assert.equal(summary.missing[0]?.node, 'gw-3');
    assert.equal(stepStates(r).events, 'succeeded');
  });

  it('migrates from a classic gateway: refused while the classic one holds the profile, then connected', async () => {
    await t.lab.inject({ kind: 'classicGateway', registered: true });
    const refused = await t.run(t.engine.plan('register', t.model));
    assert.equal(refused.outcome, 'failed');
    assert.match(refused.failure!.message, /already has a registered gateway \(a classic gateway\)/);
    // The user's step in the management platform: de-register the classic gateway.
    await t.lab.inject({ kind: 'classicGateway', registered: false });
    const registered = await t.run(t.engine.plan('register', t.model));
    assert.equal(registered.outcome, 'succeeded', registered.error?.message);
    assert.equal((await snapshot()).registration?.state, 'connected');
  });

  it('validate-cluster passes the healthy, registered cluster', async () => {
    await waitFor(async () => (await snapshot()).pods.every((p) => p.ready && !p.terminating), {
      what: 'every pod Ready',
      timeoutMs: 20_000,
    });
    const r = await t.run(t.engine.plan('validate-cluster', t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.match(
      r.transcript.steps.find((s) => s.id === 'manager')!.summary!,
      /^HTTP 200 from https:\/\/10\.250\.71\.5:5480$/,
    );
    assert.match(r.transcript.steps.find((s) => s.id === 'storage')!.summary!, /Bound/);
  });

  it('refuses to delete a registered cluster, and undoes nothing', async () => {
    const r = await t.run(t.engine.plan('delete', t.model));
    assert.equal(r.outcome, 'failed');
    assert.match(r.failure!.message, /is registered \(gateway-registration-status says connected\)/);
    assert.equal((await snapshot()).releases.length, 2);
  });

  it('rolls back to classic: de-registered, then the classic gateway takes the profile', async () => {
    const r = await t.run(t.engine.plan('deregister', t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.equal((await snapshot()).registration?.state, 'disconnected');
    await t.lab.inject({ kind: 'classicGateway', registered: true });
    assert.equal((await snapshot()).classicGateway, true);
  });

  it('refuses to delete while workloads other than the gateway run, naming them', async () => {
    const r = await t.run(t.engine.plan('delete', t.model));
    assert.equal(r.outcome, 'failed');
    assert.match(
      r.failure!.message,
      /Workloads other than the gateway's run on the cluster: .*default\/sample-web \(Deployment\)/,
    );
  });

  it('resets to fresh VMs after confirming what it undoes; a second reset finds nothing to do', async () => {
    t.answerWith((q) => q.kind === 'reset' && q.answer === t.model.name);
    const asked = t.confirmations.length;
    const r = await t.run(t.engine.plan('reset', t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const question = t.confirmations[asked]!;
    assert.equal(question.title, 'Reset lab-gateways? It undoes 6 things:');
    assert.match(question.detail, /uninstall the release gateway-manager \(gateway-manager-0\.9\.6\)/);
    assert.match(question.detail, /make gw-2, gw-3 leave the cluster/);
    const s = await snapshot();
    assert.deepEqual(s.releases, []);
    assert.equal(s.addons.dns, false);
    assert.equal(s.addons.metallb, null);
    assert.deepEqual(
      s.nodes.map((n) => n.name),
      ['gw-1'],
    );
    assert.ok(!s.configMaps.some((c) => c.name === 'gateway-cluster-applied'));

    const again = await t.run(t.engine.plan('reset', t.model));
    assert.equal(again.outcome, 'succeeded');
    assert.equal(t.confirmations.length, asked + 1, 'nothing to undo: nothing asked');
    const changed = again.transcript.steps.filter((s) => s.state !== 'skipped').map((s) => s.id);
    assert.deepEqual(
      changed.filter((id) => id !== 'kubeconfig'),
      ['survey'],
    );
  });
});
