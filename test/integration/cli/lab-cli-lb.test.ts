// The load-balanced operations through the command line, as a pipeline runs them (the packed CLI, no
// terminal, sudo asking for its password), against a fresh load-balanced lab: plan shows the generated
// haproxy.cfg and masks the response files' secrets; install, configure-lb and configure-agents from fresh,
// each re-run skipped; the drill on a gateway; a MicroK8s operation refused (exit 2); a missing install key
// refused before anything connects; no secret in anything the CLI printed or left.
import assert from 'node:assert/strict';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CommandLineSampler } from '../ops/support/ops-lab';
import { allHosts } from '../../lab/lb-hosts';
import { jsonRunFlags, startCliLab, type CliLab } from './support/cli-lab';
import { commandsOf, stepStatuses, type CliEvent, type CliResult } from './support/cli-run';

const finishedOf = (r: CliResult) => r.events.find((e) => e.event === 'finished') as CliEvent | undefined;

describe('gateway-cluster plan and run: the load-balanced topology against the lab (the packed CLI)', function () {
  this.timeout(240_000);
  let t: CliLab;
  let sampler: CommandLineSampler;
  const common = () => jsonRunFlags(t);

  before(async function () {
    this.timeout(240_000);
    t = await startCliLab('gclbcli', {
      topology: 'load-balanced',
      nodes: 2,
      agents: 1,
      state: 'fresh',
      subnetPrefix: '10.250.64',
      sudoRequiresPassword: true,
    });
    await fs.writeFile(
      t.secretsFile,
      [
        `lab-install-key: ${JSON.stringify(t.info.installKey)}`,
        `lab-gateway-password: ${JSON.stringify(t.info.gatewayPassword)}`,
        `"@sudo-password": ${JSON.stringify(t.info.password)}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    sampler = new CommandLineSampler({ ...t.info, nodes: allHosts(t.info) });
    sampler.start();
  });

  after(async function () {
    this.timeout(60_000);
    sampler?.stop();
    await t?.close();
  });

  it('plan configure-lb shows the generated haproxy.cfg; plan install masks the install key and the password', async () => {
    const plan = await t.run(['plan', 'configure-lb', t.spec]);
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /lb-1 \(sudo\)\$ umask 022 && cat > \/etc\/haproxy\/haproxy\.cfg\.gc-new/);
    assert.match(plan.stdout, /server mgw-2 10\.250\.64\.12:4480 check-sni mgw-2 verifyhost mgw-2/);
    assert.match(plan.stdout, /haproxy -c -f \/etc\/haproxy\/haproxy\.cfg\.gc-new/);
    const install = await t.run(['plan', 'install', t.spec]);
    assert.equal(install.status, 0, install.stderr);
    assert.match(install.stdout, /ManagementAgentInstallKey=••••/);
    assert.match(install.stdout, /GatewayPassword=••••/);
    assert.match(install.stdout, /FreeFormTags=\[\{"GatewayGroup":"LabGatewayCluster"\}\]/);
  });

  it('refuses before anything connects: a MicroK8s operation, and a missing install key', async () => {
    const join = await t.run(['run', 'join', t.spec, ...common()]);
    assert.equal(join.status, 2);
    assert.match(
      join.stderr,
      /join is for MicroK8s clusters \(topology "ha" or "single-node"\), and this spec's topology is "load-balanced"/,
    );
    const partial = path.join(t.workspace, 'partial.secrets.yaml');
    await fs.writeFile(partial, `lab-gateway-password: ${JSON.stringify(t.info.gatewayPassword)}\n`, {
      mode: 0o600,
    });
    const missing = await t.run([
      'run',
      'install',
      t.spec,
      '--secrets-file',
      partial,
      '--known-hosts',
      t.info.knownHostsPath,
    ]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /lab-install-key/);
  });

  it('install, configure-lb and configure-agents from fresh succeed; each re-run changes nothing', async () => {
    for (const operation of ['install', 'configure-lb', 'configure-agents']) {
      const first = await t.run(['run', operation, t.spec, ...common()]);
      assert.equal(first.status, 0, `${operation}: ${first.stderr}`);
      assert.equal(finishedOf(first)?.outcome, 'succeeded');
    }
    const installAgain = await t.run(['run', 'install', t.spec, ...common()]);
    assert.equal(installAgain.status, 0, installAgain.stderr);
    assert.deepEqual(
      commandsOf(installAgain.events).filter((c) => /rpm -ivh|setupGateway|sftp put/.test(c)),
      [],
    );
    const lbAgain = await t.run(['run', 'configure-lb', t.spec, ...common()]);
    const statuses = stepStatuses(lbAgain.events);
    for (const step of ['write', 'check', 'apply']) assert.equal(statuses[step]?.[''], 'skipped', step);
    const agentsAgain = await t.run(['run', 'configure-agents', t.spec, ...common()]);
    assert.equal(stepStatuses(agentsAgain.events).setup?.[''], 'skipped');
  });

  it('drill --node mgw-1 reports DOWN and UP, and no connection through the load balancer failed', async () => {
    const drill = await t.run(['run', 'drill', t.spec, '--node', 'mgw-1', '--yes', ...common()]);
    assert.equal(drill.status, 0, drill.stderr);
    const reports = drill.events.filter((e) => e.event === 'report' && e.key === 'lb-drill');
    const last = reports[reports.length - 1]?.value as {
      entries: Array<{ kind: string }>;
      client?: { failed: number; ok: number };
    };
    assert.deepEqual(
      last.entries.map((e) => e.kind),
      ['stopped', 'failing', 'down', 'started', 'up'],
    );
    assert.equal(last.client?.failed, 0);
    assert.ok((last.client?.ok ?? 0) > 10);
  });

  it('no secret in what the CLI printed, its transcripts, or any command line on the hosts', async () => {
    const texts: Array<[string, string]> = [
      ['printed', t.printed.join('\n')],
      ['command lines', [...sampler.seen].join('\n')],
    ];
    for (const file of readdirSync(t.runsDir))
      texts.push([file, readFileSync(path.join(t.runsDir, file), 'utf8')]);
    const secrets: Array<[string, string]> = [
      ['install key', t.info.installKey!],
      ['gateway password', t.info.gatewayPassword!],
      ['sudo password', t.info.password],
    ];
    for (const [what, value] of secrets)
      for (const [where, text] of texts) assert.ok(!text.includes(value), `${what} in ${where}`);
  });
});
