// The whole documented procedure against the lab, over real SSH and the lab's Kubernetes API: three fresh
// OVA clones (sudo asks for a password) through preflight and its fixes, join to HA, deploy and register;
// re-runs that are all "already done"; sshd killed mid-join and a resume; a cancel mid-deploy and a resume;
// an invalid activation token; and a search of every artefact (and the nodes' command lines) for secrets.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PREFLIGHT_REPORT, readIndex } from '../../../src/ops';
import type { Fix, PreflightReport, RunResult } from '../../../src/ops';
import { KubeClusterApi } from '../../../src/clusters/cluster-api';
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

  it('preflight finds the wrong hostnames and the missing /etc/hosts lines (warnings: Join repairs them), and fixes them', async () => {
    const first = await t.run(t.engine.preflight(t.model));
    assert.equal(first.outcome, 'succeeded', first.error?.message);
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
        Extract<Fix, { kind: 'appendHosts' }> | undefined;
      assert.deepEqual(
        hosts?.lines,
        others.map((o) => `${o.address} ${o.hostname}`),
      );
    }
    const onGw1 = report.findings.find((f) => f.node === 'gw-1' && f.check === 'nameResolution');
    assert.equal(onGw1?.severity, 'warning');
    assert.match(onGw1?.hint ?? '', /Join nodes does this \(step 2, “Add the nodes to \/etc\/hosts”\)/);
    assert.ok(report.findings.some((f) => f.check === 'root' && f.needsInput === 'sudoPassword'));

    const fixed = await t.run(t.engine.fix(t.model, fixes));
    assert.equal(fixed.outcome, 'succeeded', fixed.error?.message);
    // Root came from `sudo -S` with the stored password; the lines went in on stdin.
    assert.ok(fixed.transcript.commands.some((c) => c.sudo && c.command === 'cat > /etc/hosts'));
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
    assert.deepEqual(snapshot.nodes.map((n) => [n.name, n.ready]).sort(), [
      ['gw-1', true],
      ['gw-2', true],
      ['gw-3', true],
    ]);
    assert.match(r.transcript.steps.find((s) => s.id === 'verify')!.summary!, /high availability/);
    // The preflight fix set the hostnames without restarting MicroK8s: join restarted it under the new name.
    for (const n of t.model.nodes) assert.ok(commandsOf(r, n.hostname).includes('microk8s start'));
    assert.equal(commandsOf(r).filter((c) => c.startsWith('microk8s join')).length, 2);

    const again = await t.run(t.engine.join(t.model));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    assert.deepEqual(stepStates(again), {
      preflight: 'succeeded',
      hosts: 'skipped',
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
    assert.deepEqual(storage?.values, {
      'nfs.server': t.info.hostAddress,
      'nfs.path': '/srv/gateway-cluster',
    });
    assert.equal(manager?.passwordGiven, true);
    const releasePods = s.pods.filter((p) => /^gateway-/.test(p.name));
    assert.ok(releasePods.length >= 3);
    assert.ok(
      releasePods.every((p) => p.ready),
      JSON.stringify(releasePods),
    );
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

  it('deploy repairs drift and says what differed: a new password upgrades the release, a changed metallb pool is set back', async () => {
    const passwordKey = t.model.gatewayManager.passwordSecret;
    const before = await t.context.secrets.get(passwordKey);
    await t.context.secrets.store(passwordKey, `${before}-rotated`);
    const client = await t.context.kubeClient({ fetch: false });
    const api = new KubeClusterApi(client, new AbortController().signal, () => undefined);
    await api.setMetallbAddressRanges(['10.250.2.200/32']);
    assert.equal((await t.lab.snapshot()).addons.metallb, '10.250.2.200/32');
    const from = t.events.length;
    const r = await t.run(t.engine.deploy(t.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const states = stepStates(r);
    assert.deepEqual(
      [states.dns, states.metallb, states.storage, states.manager],
      ['skipped', 'succeeded', 'skipped', 'succeeded'],
    );
    const differs = t.events
      .slice(from)
      .flatMap((e) => (e.type === 'output' && e.line.startsWith('differs:') ? [e.line] : []));
    assert.deepEqual(differs, [
      `differs: metallb hands out 10.250.2.200/32, the spec asks for ${t.info.floatingIp}/32`,
      'differs: the Gateway Manager password differs from the one applied',
    ]);
    const s = await t.lab.snapshot();
    assert.equal(s.addons.metallb, `${t.info.floatingIp}/32`);
    assert.equal(s.releases.find((x) => x.name === 'gateway-manager')?.revision, 2);
    assert.equal(s.services.find((x) => x.name === 'gateway-manager')?.loadBalancerIp, t.info.floatingIp);
    const again = await t.run(t.engine.deploy(t.model));
    assert.ok(
      again.transcript.steps.every((st) => st.state === 'skipped'),
      JSON.stringify(stepStates(again)),
    );
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
    assert.equal((await t.lab.snapshot()).registration?.state, 'connected');
    const again = await t.run(t.engine.register(t.model));
    assert.deepEqual(stepStates(again), { kubeconfig: 'skipped', register: 'skipped' });
  });

  it("an invalid activation token fails register with the Gateway Manager's message", async () => {
    const key = t.model.registration!.activationTokenSecret!;
    const good = (await t.context.secrets.get(key))!;
    await t.context.secrets.store(key, `invalid-${good}`);
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
      await t.context.secrets.store(key, good);
    }
    const back = await t.run(t.engine.register(t.model));
    assert.equal(back.outcome, 'succeeded', back.error?.message);
  });

  it('sshd killed on node 3 mid-join fails clearly; a resume completes without repeating node 2', async () => {
    await t.lab.reset('fresh');
    // node 3's `microk8s join` hangs, and sshd dies once it runs there (not before, not after).
    await t.lab.inject({ kind: 'hangCommand', node: 3, command: 'join' });
    let killed: Promise<void> | undefined;
    const stop = t.onEvent((e) => {
      if (e.type === 'command' && e.node === 'gw-3' && e.command.startsWith('microk8s join')) {
        killed ??= (async () => {
          await until(() => t.sampler.running(t.info, 3, /client\.cjs microk8s join /), 20_000);
          await t.lab.inject({ kind: 'killSshd', node: 3 });
        })();
      }
    });
    let failed: RunResult;
    try {
      failed = await t.run(t.engine.join(t.model));
    } finally {
      stop();
      await killed;
      await t.lab.inject({ kind: 'clearHang', node: 3 });
      await t.lab.inject({ kind: 'startSshd', node: 3 });
    }
    assert.equal(failed.outcome, 'failed');
    const f = failed.failure!;
    assert.equal(f.node, 'gw-3');
    assert.equal(f.step, 'join');
    assert.match(f.command!, /^microk8s join 10\.250\.2\.11:25000\/••••\/[0-9a-f]+$/);
    // The hung join printed nothing: the tail is the output so far, i.e. empty.
    assert.deepEqual(f.outputTail, []);
    assert.match(f.message, /gw-3|10\.250\.2\.13/);
    assert.match(failed.error!.message, /^Step "Join nodes to the cluster" failed on gw-3: /);
    assert.match(failed.error!.message, /\nCommand: microk8s join 10\.250\.2\.11:25000\/••••\//);
    assert.match(failed.error!.message, /\nWhat to do: .*resume/i);
    const joinRow = failed.transcript.steps.find((st) => st.id === 'join')!;
    assert.equal(joinRow.nodes['gw-2']!.state, 'succeeded');
    assert.equal(joinRow.nodes['gw-3']!.state, 'failed');
    // The token the failed join never used is gone from node 1's cluster-tokens.txt: it admits no join later.
    const tokensFile = path.join(
      t.info.dir,
      'nodes',
      '1',
      'snap',
      'current',
      'credentials',
      'cluster-tokens.txt',
    );
    const stored = existsSync(tokensFile) ? readFileSync(tokensFile, 'utf8') : '';
    const issued = t.secretValues().filter(([what]) => what === 'join token');
    assert.ok(issued.length >= 2, 'the joins issued tokens');
    for (const [, token] of issued) assert.ok(!stored.includes(token), 'a join token stayed valid');

    const resumed = await t.run(t.engine.join(t.model));
    assert.equal(resumed.outcome, 'succeeded', resumed.error?.message);
    const row = resumed.transcript.steps.find((st) => st.id === 'join')!;
    assert.equal(row.nodes['gw-2']!.state, 'skipped');
    assert.equal(row.nodes['gw-3']!.state, 'succeeded');
    assert.deepEqual(
      commandsOf(resumed, 'gw-2').filter((c) => MUTATING.test(c)),
      [],
    );
    assert.equal(commandsOf(resumed).filter((c) => c.startsWith('microk8s add-node')).length, 1);
    assert.equal(stepStates(resumed).rename, 'skipped');
    const nodes = (await t.lab.snapshot()).nodes;
    assert.deepEqual(nodes.map((n) => [n.name, n.ready]).sort(), [
      ['gw-1', true],
      ['gw-2', true],
      ['gw-3', true],
    ]);
  });

  it('cancel mid-deploy kills the remote process and stops cleanly; a resume finishes', async () => {
    // After the previous test the cluster is joined but has no add-ons and no releases.
    await t.lab.inject({ kind: 'hangCommand', node: 1, command: 'enable' });
    const controller = new AbortController();
    const sawEnable = new Promise<void>((resolve) => {
      const stop = t.onEvent((e) => {
        if (e.type === 'command' && e.command === 'microk8s enable dns') {
          stop();
          resolve();
        }
      });
    });
    let cancelled: RunResult;
    let seenRunning: string[];
    try {
      const running = t.run(t.engine.deploy(t.model), { signal: controller.signal });
      await sawEnable;
      // Cancel only once the command really runs on gw-1.
      seenRunning = await until(() => t.sampler.running(t.info, 1, /microk8s enable dns/), 20_000);
      controller.abort();
      cancelled = await running;
    } finally {
      await t.lab.inject({ kind: 'clearHang', node: 1 });
    }
    assert.ok(seenRunning.length > 0, 'the enable ran on gw-1 before the cancel');
    assert.equal(cancelled.outcome, 'cancelled');
    const states = stepStates(cancelled);
    assert.equal(states.dns, 'cancelled');
    assert.equal(states.storage, 'pending');
    assert.ok(
      t.events.some((e) => e.type === 'cancelled' && e.step === 'dns' && e.runId === cancelled.runId),
    );
    const leftOver = await until(() => {
      const left = t.sampler.running(t.info, 1, /microk8s enable dns/);
      return left.length === 0 ? ['gone'] : [];
    }, 15_000);
    assert.deepEqual(leftOver, ['gone'], 'the remote enable was killed');
    assert.equal((await t.lab.snapshot()).addons.dns, false);

    const resumed = await t.run(t.engine.deploy(t.model));
    assert.equal(resumed.outcome, 'succeeded', resumed.error?.message);
    assert.equal(stepStates(resumed).dns, 'succeeded');
    const s = await t.lab.snapshot();
    assert.equal(s.addons.dns, true);
    assert.equal(s.services.find((x) => x.name === 'gateway-manager')?.loadBalancerIp, t.info.floatingIp);
    const registered = await t.run(t.engine.register(t.model));
    assert.equal(registered.outcome, 'succeeded', registered.error?.message);
  });

  it('no secret appears in any transcript, event, log, error or remote command line', async () => {
    const secrets = t.secretValues();
    const kinds = new Set(secrets.map(([what]) => what));
    for (const kind of ['sudo password', 'manager password', 'activation token', 'join token']) {
      assert.ok(kinds.has(kind), `the runs used a ${kind}`);
    }
    assert.ok(kinds.has('kubeconfig client key (base64)'));
    const dryRuns = [
      t.engine.preflight(t.model),
      t.engine.join(t.model),
      t.engine.deploy(t.model),
      t.engine.register(t.model),
    ].map((plan) => t.engine.dryRun(plan).text);
    const artefacts = [...(await t.artefacts()), ['dry runs', dryRuns.join('\n')] as [string, string]];
    const transcripts = artefacts.filter(([name]) => name.startsWith('transcript '));
    assert.ok(transcripts.length >= t.runs.length, 'one transcript file per run, plus the index');
    assert.equal((await readIndex(t.runsDir)).length, t.runs.length);
    for (const [name, text] of artefacts) {
      for (const [what, value] of secrets) {
        assert.ok(!text.includes(value), `${what} found in ${name}`);
      }
    }
    // The nodes' command lines, sampled every 20 ms all along: the processes that ran there. sudo itself is
    // matched (`sudo -k -S -p  -- …`, the empty prompt argument leaves two spaces): it lives as long as its
    // command, while the login shell that exec()s it (`… sudo -k -S -p '' …`) lasts a moment only.
    const lines = [...t.sampler.seen];
    assert.ok(
      lines.some((l) => l.includes('sudo -k -S -p ')),
      'sudo took its password on stdin',
    );
    assert.ok(
      lines.some((l) => l.includes('upgrade --install gateway-manager')),
      'the installs were seen',
    );
    for (const line of lines) {
      for (const [what, value] of secrets) {
        // MicroK8s takes the join token only as an argument (random, single-use, 10 minutes; see
        // operations.md): the one value that is on a command line by design, masked everywhere else.
        if (what === 'join token') continue;
        assert.ok(!line.includes(value), `${what} on a command line: ${line.replace(value, '<secret>')}`);
      }
    }
    const joinTokens = secrets.filter(([what]) => what === 'join token').map(([, v]) => v);
    assert.ok(
      lines.some((l) => l.includes('microk8s join') && joinTokens.some((v) => l.includes(v))),
      'the sampler sees command lines (it caught the join token where MicroK8s requires it)',
    );
  });
});

/** Polls `probe` until it returns a non-empty list or the time is up (then the last, empty, answer). */
async function until(probe: () => string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let value = probe();
  while (value.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    value = probe();
  }
  return value;
}
