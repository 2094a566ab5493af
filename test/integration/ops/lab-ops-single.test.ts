// The single-node variant against a 1-node lab: preflight (and its rename fix), join (the rename's
// MicroK8s restart, the kubeconfig, the proof), deploy without cluster values or NFS settings, register.
import assert from 'node:assert/strict';
import { PREFLIGHT_REPORT } from '../../../src/ops';
import type { PreflightReport } from '../../../src/ops';
import { commandsOf, startOpsLab, stepStates } from './support/ops-lab';
import type { OpsLab } from './support/ops-lab';

describe('ops against the lab: single node', function () {
  this.timeout(120_000);
  let t: OpsLab;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gclabop2', { nodes: 1, state: 'fresh', subnetPrefix: '10.250.6' });
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('preflight finds only the wrong hostname (no peers to resolve) and fixes it', async () => {
    assert.equal(t.model.topology, 'single-node');
    const r = await t.run(t.engine.preflight(t.model));
    // The OVA's hostname is Join's to repair: a warning with its fix, not a failure.
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    const fixes = report.findings.flatMap((f) => (f.fix ? [f.fix] : []));
    assert.deepEqual(fixes, [{ kind: 'setHostname', node: 'gw-1', hostname: 'gw-1' }]);
    assert.ok(!commandsOf(r).some((c) => c.startsWith('getent') || c.startsWith('ping')));
    const fixed = await t.run(t.engine.fix(t.model, fixes));
    assert.equal(fixed.outcome, 'succeeded', fixed.error?.message);
    const again = await t.run(t.engine.preflight(t.model));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
  });

  it("join renames MicroK8s's node and proves it Ready, with no add-node or join", async () => {
    const r = await t.run(t.engine.join(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.deepEqual(
      r.transcript.steps.map((s) => s.id),
      ['preflight', 'hosts', 'rename', 'kubeconfig', 'verify'],
    );
    assert.ok(!commandsOf(r).some((c) => /add-node|microk8s join/.test(c)));
    assert.deepEqual(
      (await t.lab.snapshot()).nodes.map((n) => [n.name, n.ready]),
      [['gw-1', true]],
    );
  });

  it('deploy installs both charts without cluster values or NFS settings and waits for them', async () => {
    const r = await t.run(t.engine.deploy(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const installs = commandsOf(r).filter((c) => c.includes('upgrade --install'));
    assert.equal(installs.length, 2);
    for (const c of installs) {
      assert.ok(!c.includes('cluster.yaml'), c);
      assert.ok(!c.includes('nfs.'), c);
    }
    const s = await t.lab.snapshot();
    assert.deepEqual(s.releases.find((x) => x.name === 'gateway-persistent-storage')?.values, {});
    assert.equal(s.releases.find((x) => x.name === 'gateway-manager')?.passwordGiven, true);
    assert.equal(s.services.find((x) => x.name === 'gateway-manager')?.loadBalancerIp, t.info.floatingIp);
    const again = await t.run(t.engine.deploy(t.model));
    assert.ok(
      again.transcript.steps.every((st) => st.state === 'skipped'),
      JSON.stringify(stepStates(again)),
    );
  });

  it('register reaches connected, and no secret shows anywhere', async () => {
    const r = await t.run(t.engine.register(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.equal((await t.lab.snapshot()).registration?.state, 'connected');
    const secrets = t.secretValues();
    for (const [name, text] of await t.artefacts()) {
      for (const [what, value] of secrets) assert.ok(!text.includes(value), `${what} found in ${name}`);
    }
    for (const line of t.sampler.seen) {
      for (const [what, value] of secrets) assert.ok(!line.includes(value), `${what} on a command line`);
    }
  });
});
