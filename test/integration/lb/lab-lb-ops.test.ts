// The load-balanced operations against the lab (3 fresh gateways, a load balancer running Debian's haproxy
// with its default configuration, one agent; sudo asks for its password): install, configure-lb and
// configure-agents from fresh, each re-run "already done"; a configuration haproxy -c rejects is never
// installed; one that fails after install is rolled back with the old one still serving (the tree's load
// balancer says "runs another configuration" before configure-lb, "3/3 UP" after); the drill (and a
// cancelled one starts the gateway again); no secret in any artefact or command line.
import assert from 'node:assert/strict';
import { DEBIAN_HAPROXY_CFG } from '../../lab/haproxy-default';
import { waitForServing } from '../../lab/lb-hosts';
import { LB_DRILL, haproxyConfig, type LbDrillReport } from '../../../src/ops';
import { lbSummary, runsSpecConfig, serverView } from '../../../src/tree/core';
import { serving, sha256, startLbLab, stepStates, type LbLab } from './support/lb-lab';

describe('load-balanced operations against the lab (engine)', function () {
  this.timeout(180_000);
  let t: LbLab;

  before(async function () {
    this.timeout(120_000);
    t = await startLbLab('gclbops', {
      nodes: 3,
      agents: 1,
      state: 'fresh',
      subnetPrefix: '10.250.61',
      sudoRequiresPassword: true,
    });
  });
  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('install sets every gateway up from fresh: package, response file 0600 then deleted, group, health check', async () => {
    const r = await t.run('install');
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    for (const node of t.info.nodes) {
      const gateway = JSON.parse(t.hostFile(node.index, '/var/lib/gc-lab/gateway.json') ?? '{}') as Record<
        string,
        unknown
      >;
      assert.equal(gateway.group, 'LabGatewayCluster');
      assert.equal(gateway.responseFileMode, '600', 'the stand-in saw the response file with mode 0600');
      assert.equal(
        gateway.passwordSha256,
        sha256(t.info.gatewayPassword!),
        'the password from secret storage arrived',
      );
      assert.equal(
        t.hostFile(node.index, '/var/lib/gateway-cluster/gateway-setup.rsp'),
        undefined,
        'deleted afterwards',
      );
      assert.match(
        t.hostFile(node.index, '/var/lib/gateway-cluster/gateway.applied') ?? '',
        /^group=LabGatewayCluster$/m,
      );
      assert.equal((await t.inHost(node.index, ['systemctl', 'is-active', 'mgmt_gateway'])).code, 0);
    }
    const output = t.events.filter((e) => e.type === 'output').map((e) => (e as { line: string }).line);
    assert.ok(output.includes('Gateway install successfully'), "the seed's rpm output streams");
    assert.ok(output.includes('The Gateway setup is completed and the gateway is running.'));
    assert.ok(
      r.transcript.commands.some((c) =>
        /^sftp put \S+oracle\.mgmt_gateway\.\S+\.rpm mgw-1:\/tmp\/gateway-cluster\.\w+\//.test(c.command),
      ),
    );

    const again = await t.run('install');
    assert.equal(again.outcome, 'succeeded');
    assert.deepEqual(stepStates(again), {
      facts: 'succeeded',
      package: 'skipped',
      setup: 'skipped',
      health: 'succeeded',
    });
    assert.ok(!again.transcript.commands.some((c) => /rpm -ivh|setupGateway|sftp put/.test(c.command)));
  });

  it("configure-lb replaces Debian's default with the spec's file, keeps the old one, and every gateway serves", async () => {
    assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg'), DEBIAN_HAPROXY_CFG);
    // What the tree reads before: haproxy runs another file, which names none of the spec's gateways.
    const live = t.context.loadBalancer;
    const treeSays = async () => {
      await live.refresh();
      const snapshot = live.snapshot()!;
      const views = snapshot.rows
        .filter((r) => r.proxy === t.model.loadBalancer!.backend.name && r.name !== 'BACKEND')
        .map((r) => serverView(r, snapshot.at, snapshot.at));
      return lbSummary(views, runsSpecConfig(snapshot.description, live.specFingerprint()));
    };
    assert.equal(live.error, undefined);
    assert.equal(await treeSays(), 'runs another configuration — Configure Load Balancer');
    const r = await t.run('configure-lb');
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const generated = haproxyConfig(t.model);
    assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg'), generated.text);
    assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg.gc-previous'), DEBIAN_HAPROXY_CFG);
    assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg.gc-new'), undefined);
    assert.ok((await t.description()).endsWith(generated.fingerprint));
    assert.deepEqual(serving(await t.servers()), ['mgw-1', 'mgw-2', 'mgw-3']);
    assert.equal(await treeSays(), '3/3 UP');
    assert.ok(
      r.transcript.commands.some(
        (c) => c.command === 'haproxy -c -f /etc/haproxy/haproxy.cfg.gc-new' && c.sudo,
      ),
    );

    const again = await t.run('configure-lb');
    assert.deepEqual(stepStates(again), {
      'lb-facts': 'succeeded',
      write: 'skipped',
      check: 'skipped',
      apply: 'skipped',
      backends: 'succeeded',
    });
  });

  it('a configuration haproxy -c rejects is never installed: the running file and haproxy stay as they were', async () => {
    const before = t.hostFile(0, '/etc/haproxy/haproxy.cfg');
    const running = await t.description();
    const bad = t.modelWith('caFile: /etc/haproxy/gateway-ca.pem', 'caFile: /etc/haproxy/no-such-ca.pem');
    const r = await t.run('configure-lb', { model: bad });
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failure?.step, 'check');
    assert.match(
      r.failure?.message ?? '',
      /haproxy -c rejects the generated configuration at line \d+ \("default-server .*ca-file \/etc\/haproxy\/no-such-ca\.pem"\)/,
    );
    assert.match(r.failure?.message ?? '', /The running configuration was not touched\./);
    assert.match(
      r.failure?.hint ?? '',
      /Put the gateways' CA certificate at \/etc\/haproxy\/no-such-ca\.pem on lb-1/,
    );
    assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg'), before);
    assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg.gc-new'), undefined);
    assert.equal(await t.description(), running);
    assert.equal(stepStates(r).apply, 'pending');
  });

  for (const [what, from, to, reason] of [
    [
      'a CA that does not sign the gateways (every check fails once it runs)',
      'caFile: /etc/haproxy/gateway-ca.pem',
      'caFile: /etc/ssl/certs/ca-certificates.crt',
      /served before and (is|are) DOWN now|served before the change and not after it/,
    ],
    [
      'a frontend on an address the host lacks (the new workers cannot bind it)',
      '      - port: 9091',
      '      - port: 9091\n      - { port: 8443, bind: 10.250.61.99 }',
      /haproxy did not load the new file/,
    ],
  ] as const) {
    it(`a configuration that fails after install is rolled back, the old one serving: ${what}`, async () => {
      const before = t.hostFile(0, '/etc/haproxy/haproxy.cfg');
      const running = await t.description();
      const r = await t.run('configure-lb', { model: t.modelWith(from, to) });
      assert.equal(r.outcome, 'failed');
      assert.equal(r.failure?.step, 'apply');
      assert.match(r.failure?.message ?? '', /^The new configuration was rolled back: /);
      assert.match(r.failure?.message ?? '', reason);
      assert.match(r.failure?.message ?? '', /haproxy runs the previous configuration again\.$/);
      assert.equal(t.hostFile(0, '/etc/haproxy/haproxy.cfg'), before);
      assert.equal(await t.description(), running);
      await waitForServing(t.info, 'gateways', 3);
      const rolled = r.transcript.commands.filter((c) =>
        /cp -p \/etc\/haproxy\/haproxy\.cfg\.gc-previous \/etc\/haproxy\/haproxy\.cfg/.test(c.command),
      );
      assert.equal(rolled.length, 1, 'the previous file went back once');
    });
  }

  it('configure-agents installs the agent and points it at the load balancer, which sends it to a gateway', async () => {
    const r = await t.run('configure-agents');
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const agent = t.info.agents![0]!;
    const state = JSON.parse(t.hostFile(agent.index, '/var/lib/gc-lab/agent.json') ?? '{}') as Record<
      string,
      unknown
    >;
    assert.equal(state.gatewayHost, t.info.loadBalancer!.address);
    assert.equal(state.gatewayPort, 9091);
    assert.equal(state.user, 'gatewayuser');
    assert.match(
      String(state.reachedGateway),
      /^mgw-[123]$/,
      'its setup reached a gateway through the load balancer',
    );
    assert.equal(state.responseFileMode, '600');
    assert.equal(t.hostFile(agent.index, '/var/lib/gateway-cluster/agent-setup.rsp'), undefined);
    const again = await t.run('configure-agents');
    assert.deepEqual(stepStates(again), {
      facts: 'succeeded',
      package: 'skipped',
      setup: 'skipped',
      running: 'succeeded',
    });
  });

  it('drill --node mgw-2: DOWN about inter × fall after the stop, UP after the start, no connection lost', async () => {
    const r = await t.run('drill', { args: { node: 'mgw-2' } });
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const report = r.transcript.reports?.[LB_DRILL] as LbDrillReport;
    const at = (kind: string) => report.entries.find((e) => e.kind === kind)?.at ?? NaN;
    const { interMs, fall, rise } = report;
    const down = at('down') - at('stopped');
    const up = at('up') - at('started');
    // DOWN after `fall` failed checks: the first within one inter of the stop.
    assert.ok(
      down >= (fall - 1) * interMs - 200 && down <= (fall + 1) * interMs + 1500,
      `down after ${down} ms`,
    );
    assert.ok(up >= (rise - 1) * interMs - 200 && up <= (rise + 1) * interMs + 1500, `up after ${up} ms`);
    assert.ok(report.client && report.client.ok > 20, JSON.stringify(report.client));
    assert.equal(report.client.failed, 0);
    assert.equal((await t.inHost(2, ['systemctl', 'is-active', 'mgmt_gateway'])).code, 0);
  });

  it('a drill cancelled after the stop starts the gateway again', async () => {
    const controller = new AbortController();
    const seen = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (
          t.events.some(
            (e) => e.type === 'output' && (e as { line: string }).line.includes('mgw-3: gateway stopped'),
          )
        ) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const running = t.run('drill', { args: { node: 'mgw-3' }, signal: controller.signal });
    await seen;
    controller.abort();
    const r = await running;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(stepStates(r).start, 'succeeded');
    assert.equal((await t.inHost(3, ['systemctl', 'is-active', 'mgmt_gateway'])).code, 0);
    await waitForServing(t.info, 'gateways', 3);
  });

  it('no secret in events, transcripts, logs, run results or any command line on the hosts', async () => {
    const texts = await t.artefacts();
    for (const [what, value] of t.secretValues()) {
      for (const [where, text] of texts) assert.ok(!text.includes(value), `${what} found in ${where}`);
    }
    assert.ok(t.sampler.seen.size > 10, 'command lines were sampled');
  });
});
