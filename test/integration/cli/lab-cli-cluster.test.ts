// The cluster lifecycle through the packed CLI, as a pipeline runs it, against a deployed 3-node lab: adopt
// writes a spec that validates clean and matches the cluster (nodes, addresses, floating IP, metallb range,
// chart version, NFS; no drift in the tree's merge) and never overwrites; validate-cluster says one line per
// check with what to do; diagnostics collects every node; delete is refused while registered; reset asks its
// confirmations (--yes, --confirm NAME), and a second reset finds nothing to do; adopt then refuses the reset
// node (no gateway cluster) and an unreachable address, each with what to do.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { validateText } from '../../../src/cluster-spec';
import type { ClusterModel } from '../../../src/cluster-spec';
import { readIndex } from '../../../src/ops';
import { mergeNodes } from '../../../src/tree/core/merge-nodes';
import { modelOf } from '../ops/support/ops-lab';
import { startCliLab, type CliLab } from './support/cli-lab';
import { stepStatuses, type CliEvent, type CliResult } from './support/cli-run';

const finishedOf = (r: CliResult) => r.events.find((e) => e.event === 'finished') as CliEvent | undefined;

function modelIn(file: string): ClusterModel {
  const result = validateText(readFileSync(file, 'utf8'), file, {});
  assert.deepEqual(
    result.findings.map((f) => `${f.code} ${f.message}`),
    [],
    'the adopted spec validates clean',
  );
  return result.documents.find((d) => d.model)!.model!;
}

describe('gateway-cluster: the cluster lifecycle against the lab (3 deployed nodes, the packed CLI)', function () {
  this.timeout(240_000);
  let t: CliLab;
  let adopted: string;
  const hostKeys = () => ['--known-hosts', t.info.knownHostsPath];
  const common = () => ['--format', 'json', '--secrets-file', t.secretsFile, ...hostKeys()];

  before(async function () {
    this.timeout(240_000);
    t = await startCliLab('gcclcli', {
      nodes: 3,
      state: 'deployed',
      subnetPrefix: '10.250.72',
      timeScale: 0.01,
    });
    adopted = path.join(t.workspace, 'adopted', 'site.cluster.yaml');
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  it('adopt writes a spec that validates clean and matches the cluster, and never overwrites it', async () => {
    const args = [
      'adopt',
      '--address',
      t.info.nodes[1]!.address,
      '--user',
      t.info.user,
      '--identity',
      t.info.clientKeyPath,
      ...hostKeys(),
      '--out',
      adopted,
    ];
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(adopted), { recursive: true }));
    const r = await t.run(args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^adopted site: 3 nodes \(gw-1 10\.250\.72\.11, gw-2 10\.250\.72\.12, gw-3 10\.250\.72\.13\)$/m,
    );
    assert.match(r.stdout, /validates clean/);
    const validated = await t.run(['validate', adopted]);
    assert.equal(validated.status, 0, validated.stdout + validated.stderr);
    const model = modelIn(adopted);
    const lab = modelOf(t.info);
    assert.equal(model.name, 'site');
    assert.equal(model.topology, 'ha');
    assert.deepEqual(
      model.nodes.map((n) => [n.hostname, n.address, n.role ?? 'control-plane']),
      lab.nodes.map((n) => [n.hostname, n.address, 'control-plane']),
    );
    assert.equal(model.network.subnet, lab.network.subnet);
    assert.equal(model.network.floatingIp, lab.network.floatingIp);
    assert.equal(model.network.metallbRange, lab.network.metallbRange);
    assert.equal(model.charts.version, lab.charts.version);
    assert.deepEqual(model.storage.nfs, lab.storage.nfs);
    assert.equal(model.gatewayManager.passwordSecret, 'site-manager-password');
    assert.equal(model.registration?.activationTokenSecret, 'site-activation-token');
    const text = readFileSync(adopted, 'utf8');
    assert.match(text, /# host: \(not discoverable: the physical host the VM runs on/);
    assert.match(text, /# resources: .*\(not discoverable/);
    assert.ok(!text.includes(t.secrets.managerPassword), 'no secret value in the file');
    // The tree merges the spec's nodes with the API's: none differs.
    const s = await t.lab.snapshot();
    const merged = mergeNodes(
      model.nodes,
      s.nodes.map((n) => ({ name: n.name, ready: n.ready, addresses: [n.address] })) as never,
    );
    assert.deepEqual(
      merged.flatMap((n) => n.mismatches),
      [],
    );
    const again = await t.run(args);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists: choose another --out/);
  });

  it('validate-cluster reports one line per check; a failing one says what to do', async () => {
    const r = await t.run(['run', 'validate-cluster', adopted, ...hostKeys()]);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    for (const check of [
      'Every node is Ready',
      'Every node reaches the others by hostname',
      'The gateway releases are deployed at 0.9.6',
      'The gateway pods are Ready',
      'The storage claim is bound',
      'The Gateway Manager answers at https://10.250.72.5:5480',
    ])
      assert.ok(
        lines.some((l) => l.startsWith('succeeded') && l.includes(check)),
        check,
      );
    const failed = lines.findIndex(
      (l) => l.startsWith('failed') && l.includes('The cluster is registered and connected'),
    );
    assert.ok(failed > 0, r.stdout);
    assert.match(lines[failed]!, /— The cluster is not registered\.$/);
    assert.match(lines[failed + 1]!, /^ {10}what to do: Register it with its activation token/);
  });

  it('diagnostics collects every node into .gateway-cluster/diagnostics beside the spec', async () => {
    const r = await t.run(['run', 'diagnostics', t.spec, ...common()]);
    assert.equal(r.status, 0, r.stderr);
    const folder = path.join(t.workspace, '.gateway-cluster', 'diagnostics');
    const [run] = readdirSync(folder);
    for (const node of ['gw-1', 'gw-2', 'gw-3'])
      assert.match(
        readdirSync(path.join(folder, run!, node)).join(),
        /^inspection-report-\d{8}_\d{6}\.tar\.gz$/,
      );
    assert.ok(existsSync(path.join(folder, run!, 'summary.json')));
    assert.equal(stepStatuses(r.events).inspect?.['gw-2'], 'succeeded');
  });

  it('delete is refused while the cluster is registered', async () => {
    const registered = await t.run(['run', 'register', t.spec, ...common()]);
    assert.equal(registered.status, 0, registered.stderr);
    const r = await t.run(['run', 'delete', t.spec, ...common(), '--yes', '--confirm', 'lab-gateways']);
    assert.equal(r.status, 1);
    assert.match(String((finishedOf(r)?.failure as { message?: string }).message), /is registered/);
    assert.equal((await t.lab.snapshot()).releases.length, 2, 'nothing was undone');
    // Refused by its survey, it changed nothing: its index entry says so (the tree does not call it Failed).
    const entry = (await readIndex(t.runsDir)).find((e) => e.operation === 'delete');
    assert.deepEqual([entry?.outcome, entry?.changed], ['failed', false]);
  });

  it('reset asks first, resets to fresh VMs with --yes --confirm, and a second reset finds nothing', async () => {
    const unasked = await t.run(['run', 'reset', t.spec, ...common()]);
    assert.equal(unasked.status, 2);
    assert.match(unasked.stderr, /reset asks for a confirmation and there is no terminal.*Pass --yes/);
    const unconfirmed = await t.run(['run', 'reset', t.spec, ...common(), '--yes']);
    assert.equal(unconfirmed.status, 1);
    assert.match(
      String((finishedOf(unconfirmed)?.failure as { hint?: string }).hint),
      /--confirm lab-gateways/,
    );
    assert.equal((await t.lab.snapshot()).releases.length, 2, 'nothing was undone');
    const reset = await t.run(['run', 'reset', t.spec, ...common(), '--yes', '--confirm', 'lab-gateways']);
    assert.equal(reset.status, 0, reset.stderr);
    const s = await t.lab.snapshot();
    assert.deepEqual(
      [s.releases.length, s.addons.dns, s.addons.metallb, s.registration],
      [0, false, null, null],
    );
    assert.deepEqual(
      s.nodes.map((n) => n.name),
      ['gw-1'],
    );
    const again = await t.run(['run', 'reset', t.spec, ...common(), '--yes']);
    assert.equal(again.status, 0, again.stderr);
    const statuses = stepStatuses(again.events);
    assert.equal(statuses.survey?.[''], 'succeeded');
    for (const step of [
      'confirm',
      'deregister',
      'uninstall-gateway-manager',
      'disable-dns',
      'leave',
      'verify',
    ])
      assert.equal(statuses[step]?.[''], 'skipped', step);
  });

  it('adopt refuses a node that runs no gateway cluster (the reset one) and an unreachable address, each saying what to do; nothing is written', async () => {
    const out = path.join(t.workspace, 'adopted', 'not-built.cluster.yaml');
    const adopt = (address: string) =>
      t.run([
        'adopt',
        '--address',
        address,
        '--user',
        t.info.user,
        '--identity',
        t.info.clientKeyPath,
        ...hostKeys(),
        '--out',
        out,
      ]);
    const notBuilt = await adopt(t.info.nodes[0]!.address);
    assert.equal(notBuilt.status, 1, notBuilt.stderr);
    assert.match(
      notBuilt.stderr,
      /runs no gateway cluster: neither gateway-persistent-storage nor gateway-manager/,
    );
    assert.match(
      notBuilt.stderr,
      /what to do: .*create a cluster\.yaml \(Create cluster\.yaml.*\) and build it/,
    );
    assert.match(notBuilt.stderr, /Nothing was written\./);
    assert.ok(!existsSync(out), 'no spec was written');
    // A VM of the lab's subnet that does not exist: the SSH connection fails, and the error says what to check.
    const gone = await adopt('10.250.72.99');
    assert.equal(gone.status, 1, gone.stderr);
    assert.match(gone.stderr, /could not adopt the cluster at 10\.250\.72\.99: Cannot connect to /);
    assert.match(
      gone.stderr,
      /what to do: Check the address: it must be a node of the cluster .*\(port 22; try ssh /,
    );
    assert.ok(!existsSync(out));
  });
});
