// The node lifecycle through the command line, as a pipeline runs it (the packed CLI, no terminal), against a
// deployed 4-node lab at time scale 0.01: remove-node gw-4 (drained, left, removed), add-node puts it back,
// --force on a node that is gone is refused without its confirmation and taken with --confirm naming it, and
// the drill on gw-2 reports its timeline and leaves the node Ready. The engine's own tests cover each plan's
// details (test/integration/ops/lab-remove-replace.test.ts, lab-drill.test.ts); these hold the CLI to them.
import assert from 'node:assert/strict';
import { waitFor } from '../../support/wait-for';
import { jsonRunFlags, startCliLab, type CliLab } from './support/cli-lab';
import { stepStatuses, type CliEvent, type CliResult } from './support/cli-run';

const finishedOf = (r: CliResult) => r.events.find((e) => e.event === 'finished') as CliEvent | undefined;

describe('gateway-cluster run: the node lifecycle against the lab (4 deployed nodes, the packed CLI)', function () {
  this.timeout(240_000);
  let t: CliLab;
  const common = () => jsonRunFlags(t);

  before(async function () {
    this.timeout(240_000);
    t = await startCliLab('gclabclind', {
      nodes: 4,
      state: 'deployed',
      subnetPrefix: '10.250.52',
      timeScale: 0.01,
    });
  });

  after(async function () {
    this.timeout(60_000);
    await t?.close();
  });

  const nodeNames = async () => (await t.lab.snapshot()).nodes.map((n) => n.name).sort();

  it('remove-node --node gw-4 drains, leaves and removes it; add-node puts it back; each re-run is skipped', async () => {
    const removed = await t.run(['run', 'remove-node', t.spec, '--node', 'gw-4', ...common()]);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal(finishedOf(removed)?.outcome, 'succeeded');
    assert.deepEqual(await nodeNames(), ['gw-1', 'gw-2', 'gw-3']);
    const statuses = stepStatuses(removed.events);
    for (const step of ['drain', 'leave', 'remove']) assert.equal(statuses[step]?.[''], 'succeeded', step);

    const added = await t.run(['run', 'add-node', t.spec, ...common()]);
    assert.equal(added.status, 0, added.stderr);
    assert.deepEqual(await nodeNames(), ['gw-1', 'gw-2', 'gw-3', 'gw-4']);
    const again = await t.run(['run', 'add-node', t.spec, ...common()]);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(
      again.events.filter((e) => e.event === 'command' && /microk8s (join|add-node)/.test(String(e.command))),
      [],
      'no node joined twice',
    );
  });

  it('usage: --force only for remove-node, --node where the operation works on one node', async () => {
    const forceOnDeploy = await t.run(['run', 'deploy', t.spec, '--force', ...common()]);
    assert.equal(forceOnDeploy.status, 2);
    assert.match(forceOnDeploy.stderr, /deploy takes no --force/);
    const noNode = await t.run(['run', 'drill', t.spec, ...common()]);
    assert.equal(noNode.status, 2);
    assert.match(noNode.stderr, /drill works on one node: name it with --node HOSTNAME/);
  });

  it('--force on a node that is gone: refused without its confirmation, taken with --confirm naming it', async () => {
    await t.lab.inject({ kind: 'stopMicrok8s', node: 4 });
    await waitFor(async () => !(await t.lab.snapshot()).nodes.find((n) => n.name === 'gw-4')?.ready, {
      what: 'gw-4 NotReady',
      timeoutMs: 20_000,
    });
    const unconfirmed = await t.run(['run', 'remove-node', t.spec, '--node', 'gw-4', '--force', ...common()]);
    assert.equal(unconfirmed.status, 1, unconfirmed.stderr);
    assert.equal(stepStatuses(unconfirmed.events).confirm?.[''], 'failed');
    assert.deepEqual(await nodeNames(), ['gw-1', 'gw-2', 'gw-3', 'gw-4'], 'nothing removed');

    const wrong = await t.run([
      'run',
      'remove-node',
      t.spec,
      '--node',
      'gw-4',
      '--force',
      '--confirm',
      'gw-3',
      ...common(),
    ]);
    assert.equal(wrong.status, 1, 'a confirmation naming another node is no confirmation');
    assert.deepEqual(await nodeNames(), ['gw-1', 'gw-2', 'gw-3', 'gw-4']);

    const forced = await t.run([
      'run',
      'remove-node',
      t.spec,
      '--node',
      'gw-4',
      '--force',
      '--confirm',
      'gw-4',
      ...common(),
    ]);
    assert.equal(forced.status, 0, forced.stderr);
    assert.deepEqual(await nodeNames(), ['gw-1', 'gw-2', 'gw-3']);
  });

  it('drill --node gw-2: asks first (exit 2 without --yes, nothing stopped); with --yes the timeline comes out as report events, and gw-2 is Ready again at the end', async () => {
    const unasked = await t.run(['run', 'drill', t.spec, '--node', 'gw-2', ...common()]);
    assert.equal(unasked.status, 2, unasked.stderr);
    assert.match(
      unasked.stderr,
      /drill asks for a confirmation .*"Stop MicroK8s on gw-2 of [\w-]+ for the drill\? .*about 6 minutes.*Pass --yes to confirm; nothing was run/,
    );
    assert.equal((await t.lab.snapshot()).nodes.find((n) => n.name === 'gw-2')?.ready, true);
    const drill = await t.run(['run', 'drill', t.spec, '--node', 'gw-2', '--yes', ...common()]);
    assert.equal(drill.status, 0, drill.stderr);
    assert.equal(finishedOf(drill)?.outcome, 'succeeded');
    const kinds = JSON.stringify(drill.events.filter((e) => e.event === 'report' || e.event === 'output'));
    assert.match(kinds, /NotReady/);
    const gw2 = (await t.lab.snapshot()).nodes.find((n) => n.name === 'gw-2');
    assert.equal(gw2?.ready, true);
  });

  it('leaves no secret in what it printed', () => {
    const printed = t.printed.join('\n');
    for (const secret of [t.secrets.managerPassword, t.secrets.activationToken, t.secrets.sudoPassword])
      assert.ok(!printed.includes(secret));
  });
});
