import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  FileTranscriptSink,
  InvalidModelError,
  MemoryTranscriptSink,
  OperationsEngine,
  PREFLIGHT_REPORT,
  readIndex,
} from '../../../src/ops';
import { Masker } from '../../../src/remote/masker';
import type { PreflightReport, RunEvent, RunResult } from '../../../src/ops';
import { FakeCluster, SECRETS, labModel } from './fake-cluster';

const FAST = { command: 2_000, long: 2_000, wait: 2_000, registration: 2_000 };

function setup(state: 'fresh' | 'joined' = 'fresh', nodes = 3) {
  const model = labModel(nodes);
  const fake = new FakeCluster(model, state);
  const events: RunEvent[] = [];
  const sink = new MemoryTranscriptSink();
  const masker = new Masker();
  const api = fake.apiSource();
  let n = 0;
  const engine = new OperationsEngine({
    nodes: fake,
    secrets: fake,
    kubeconfig: fake.kubeconfigStore(masker),
    api,
    masker,
    sink,
    onEvent: (e) => events.push(e),
    timeouts: FAST,
    randomBytes: (size) => Buffer.from(Array.from({ length: size }, () => (n++ * 7) % 62)),
  });
  return { model, fake, events, sink, engine, api, masker };
}

/** Waits (on the event loop, not a timer) until the fake cluster reached a state. */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('the condition never held');
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Every artefact a user or a log could see. */
function artefacts(s: ReturnType<typeof setup>, results: RunResult[]): string {
  return [
    JSON.stringify(s.events),
    JSON.stringify(s.sink.writes),
    ...results.map((r) => JSON.stringify(r.transcript) + (r.error?.message ?? '')),
  ].join('\n');
}

function assertNoSecrets(text: string) {
  for (const secret of [SECRETS.password, SECRETS.token, SECRETS.kubeKey]) {
    assert.ok(!text.includes(secret), `secret ${secret.slice(0, 4)}… leaked`);
  }
}

function stepStates(r: RunResult) {
  return Object.fromEntries(r.transcript.steps.map((s) => [s.id, s.state]));
}

function skipped(...ids: string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [id, 'skipped']));
}

/** A joined cluster whose kubeconfig is already stored, as deploy and register expect. */
function setupJoined(nodes = 3) {
  const s = setup('joined', nodes);
  s.fake.kubeconfig = s.fake.kubeconfigText();
  return s;
}

/** Runs the plan again: it succeeds with every step as expected, and no new command matches `changes`. */
async function assertRerunChangesNothing(
  s: ReturnType<typeof setup>,
  plan: Parameters<OperationsEngine['run']>[0],
  expectedStates: Record<string, string>,
  changes: RegExp,
) {
  const before = s.fake.execs.length;
  const again = await s.engine.run(plan);
  assert.equal(again.outcome, 'succeeded', again.error?.message);
  assert.deepEqual(stepStates(again), expectedStates);
  const newCommands = s.fake.execs.slice(before).map((e) => e.command);
  assert.ok(!newCommands.some((c) => changes.test(c)), newCommands.join('\n'));
}

describe('ops engine: preflight', () => {
  it('runs the documented checks on every node and reports wrong hostnames and missing /etc/hosts lines', async () => {
    const s = setup('fresh');
    const r = await s.engine.run(s.engine.preflight(s.model));
    // Fresh VMs from the OVA are not a failure: what Join repairs is a warning, with its fix for now.
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    assert.equal(report.ok, true);
    const hostnameFixes = report.findings.filter((f) => f.fix?.kind === 'setHostname').map((f) => f.node);
    assert.deepEqual(hostnameFixes.sort(), ['gw-1', 'gw-2', 'gw-3']);
    const hosts = report.findings.find((f) => f.node === 'gw-1' && f.check === 'nameResolution');
    assert.deepEqual(hosts?.fix, {
      kind: 'appendHosts',
      node: 'gw-1',
      lines: ['10.250.2.12 gw-2', '10.250.2.13 gw-3'],
    });
    assert.equal(hosts?.severity, 'warning');
    assert.equal(hosts?.hint, 'Join nodes does this (step 2, “Add the nodes to /etc/hosts”); or Fix it now.');
    // Exact commands on gw-1, in any order (they run concurrently).
    // Three SSH commands per node: the batched facts, `microk8s status` and the pings.
    const scripts = s.fake
      .commandsOn('gw-1')
      .filter((c) => c.startsWith('echo ') || c.startsWith('for t in'));
    assert.equal(scripts.length, 2);
    assert.deepEqual(
      s.fake
        .commandsOn('gw-1')
        .filter((c) => !scripts.includes(c))
        .sort(),
      [
        'df -Pk /',
        'getent hosts gw-2 gw-3',
        'grep MemTotal /proc/meminfo',
        'hostname',
        'ip -o -4 addr show',
        'microk8s status',
        'nproc',
        'ping -c 1 -W 2 10.250.2.12',
        'ping -c 1 -W 2 10.250.2.13',
        'sudo -n true',
        'timedatectl show -p NTPSynchronized --value',
      ],
    );
    // All nodes at once: every node's first command starts before any node finishes.
    const firstFinish = s.events.findIndex((e) => e.type === 'failed' || e.type === 'succeeded');
    const started = s.events.slice(0, firstFinish).filter((e) => e.type === 'stepStarted' && e.node).length;
    assert.equal(started, 3);
  });

  it('applies the fixes, after which only the renames remain', async () => {
    const s = setup('fresh');
    const first = await s.engine.run(s.engine.preflight(s.model));
    const report = first.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    const fixes = report.findings.flatMap((f) => (f.fix ? [f.fix] : []));
    const fixed = await s.engine.run(s.engine.fix(s.model, fixes));
    assert.equal(fixed.outcome, 'succeeded');
    const sudoCommands = s.fake.execs.filter((e) => e.sudo).map((e) => `${e.node}: ${e.command}`);
    assert.ok(sudoCommands.includes('gw-2: cat > /etc/hosts'), sudoCommands.join('\n'));
    assert.ok(sudoCommands.includes('gw-3: hostnamectl set-hostname gw-3'));
    assert.equal(s.fake.nodes.get('gw-2')!.hosts.get('gw-1'), '10.250.2.11');
    const again = await s.engine.run(s.engine.preflight(s.model));
    assert.equal(again.outcome, 'succeeded');
    // Re-running the fixes: every one is already done.
    const rerun = await s.engine.run(s.engine.fix(s.model, fixes));
    assert.ok(rerun.transcript.steps.every((st) => st.state === 'skipped'));
  });

  it('says to compare and trust a host key the user did not trust, not to check that the VM runs', async () => {
    const s = setup('joined');
    s.fake.unreachable('gw-3', 'hostKeyRefused');
    const r = await s.engine.run(s.engine.preflight(s.model));
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    const finding = report.findings.find((f) => f.node === 'gw-3' && f.check === 'reachable');
    assert.match(finding!.hint!, /The host key of gw-3 was not trusted\. Compare its fingerprint/);
    assert.doesNotMatch(finding!.hint!, /Check that the VM runs/);
  });

  it('reports an unreachable node with what to do', async () => {
    const s = setup('joined');
    s.fake.unreachable('gw-2');
    const r = await s.engine.run(s.engine.preflight(s.model));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.failure?.node, 'gw-2');
    assert.match(r.failure!.message, /cannot be reached over SSH/);
    assert.equal(r.transcript.steps[0]!.nodes['gw-1']!.state, 'succeeded');
    assert.equal(r.transcript.steps[0]!.nodes['gw-2']!.state, 'failed');
  });
});

describe('ops engine: join', () => {
  it('takes fresh nodes to an HA cluster with the documented commands', async () => {
    const s = setup('fresh');
    const r = await s.engine.run(s.engine.join(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.deepEqual([...s.fake.members].sort(), ['gw-1', 'gw-2', 'gw-3']);
    assert.equal(s.fake.nodes.get('gw-2')!.hostname, 'gw-2');
    assert.deepEqual([...s.fake.nodes.get('gw-2')!.ownView], ['gw-2']);
    const gw1 = s.fake.commandsOn('gw-1');
    const addNodes = gw1.filter((c) => c.startsWith('microk8s add-node'));
    assert.equal(addNodes.length, 2);
    const tokens = addNodes.map((c) => /--token (\S+) --format json$/.exec(c)?.[1]);
    assert.ok(tokens.every((t) => t && /^[A-Za-z0-9]{32}$/.test(t)));
    assert.notEqual(tokens[0], tokens[1]);
    const joins = [...s.fake.commandsOn('gw-2'), ...s.fake.commandsOn('gw-3')].filter((c) =>
      c.startsWith('microk8s join'),
    );
    assert.deepEqual(joins, [
      `microk8s join 10.250.2.11:25000/${tokens[0]}/abcdef012345`,
      `microk8s join 10.250.2.11:25000/${tokens[1]}/abcdef012345`,
    ]);
    assert.ok(s.fake.execs.every((e) => !e.command.includes('--skip-verify')));
    // Rename sequence, as in the seed: hostnamectl (sudo), stop, start, delete the old node object, wait.
    const gw2 = s.fake.commandsOn('gw-2');
    const at = (c: string) => gw2.indexOf(c);
    assert.ok(at('hostnamectl set-hostname gw-2') < at('microk8s stop'));
    assert.ok(at('microk8s stop') < at('microk8s start'));
    assert.ok(at('microk8s start') < at('microk8s kubectl delete node gateway-node'));
    assert.ok(s.fake.kubeconfig?.includes(SECRETS.kubeKey));
    // The join tokens and the kubeconfig's key show nowhere, masked in events and transcripts.
    const text = artefacts(s, [r]);
    assertNoSecrets(text);
    for (const t of tokens) assert.ok(!text.includes(t!), 'join token leaked');
    assert.ok(text.includes('microk8s add-node --token •••• --format json'));
    assert.ok(r.transcript.commands.find((c) => c.command === 'microk8s config')?.outputHidden);
  });

  it('re-run after success is all "already done" and never repeats a join', async () => {
    const s = setup('fresh');
    await s.engine.run(s.engine.join(s.model));
    await assertRerunChangesNothing(
      s,
      s.engine.join(s.model),
      { preflight: 'succeeded', ...skipped('hosts', 'rename', 'kubeconfig', 'join', 'verify') },
      /add-node|microk8s join|hostnamectl|microk8s stop/,
    );
  });

  it("restarts MicroK8s when preflight's fix set the hostname but MicroK8s still runs under the old name", async () => {
    const s = setup('fresh');
    const first = await s.engine.run(s.engine.preflight(s.model));
    const fixes = (first.shared.get(PREFLIGHT_REPORT) as PreflightReport).findings.flatMap((f) =>
      f.fix ? [f.fix] : [],
    );
    assert.equal((await s.engine.run(s.engine.fix(s.model, fixes))).outcome, 'succeeded');
    const r = await s.engine.run(s.engine.join(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.equal(stepStates(r).rename, 'succeeded');
    for (const n of ['gw-1', 'gw-2', 'gw-3']) {
      const on = s.fake.commandsOn(n);
      assert.equal(on.filter((c) => c.startsWith('hostnamectl')).length, 1, 'renamed once, by the fix');
      assert.ok(on.includes('microk8s start'), `MicroK8s restarted on ${n}`);
      assert.ok(on.indexOf('microk8s start') < on.indexOf('microk8s kubectl delete node gateway-node'));
    }
    assert.equal(stepStates(r).verify, 'succeeded', 'proved, not skipped, after a run that changed things');
  });

  it('fails clearly mid-join and resumes without repeating node 2', async () => {
    const s = setup('fresh');
    s.fake.failNext('gw-3', 'microk8s join', 6, 'Connection failed. Invalid token (500).\n');
    const failed = await s.engine.run(s.engine.join(s.model));
    assert.equal(failed.outcome, 'failed');
    assert.equal(failed.failure?.node, 'gw-3');
    assert.equal(failed.failure?.step, 'join');
    assert.equal(failed.failure?.exitCode, 6);
    assert.match(failed.failure!.command!, /^microk8s join 10\.250\.2\.11:25000\/••••\/abcdef012345$/);
    assert.deepEqual(failed.failure?.outputTail, ['Connection failed. Invalid token (500).']);
    assert.match(failed.error!.message, /gw-1 refused the join/);
    assert.match(failed.error!.message, /fresh single-use token/);
    assert.equal(failed.transcript.steps.find((st) => st.id === 'join')!.nodes['gw-2']!.state, 'succeeded');
    assert.equal(s.fake.pendingTokens.size, 0, 'the token no join used was revoked');
    const revoke = s.fake.execs.find((e) => e.command.includes('cluster-tokens.txt'));
    assert.ok(revoke?.sudo && revoke.node === 'gw-1', 'revoked on node 1 as root');
    assert.ok(!revoke.command.includes(s.fake.addedTokens.at(-1)!), 'the token travels on stdin only');
    const joinsOn2 = () => s.fake.commandsOn('gw-2').filter((c) => c.startsWith('microk8s join')).length;
    assert.equal(joinsOn2(), 1);
    const resumed = await s.engine.run(s.engine.join(s.model));
    assert.equal(resumed.outcome, 'succeeded', resumed.error?.message);
    assert.equal(joinsOn2(), 1);
    const joinRow = resumed.transcript.steps.find((st) => st.id === 'join')!;
    assert.equal(joinRow.nodes['gw-2']!.state, 'skipped');
    assert.equal(joinRow.nodes['gw-3']!.state, 'succeeded');
    assertNoSecrets(artefacts(s, [failed, resumed]));
  });

  it('a cancel mid-join takes back the token it created', async () => {
    const s = setup('joined');
    s.fake.members.delete('gw-3');
    s.fake.latencyMs = 20;
    const controller = new AbortController();
    const run = s.engine.run(s.engine.join(s.model), { signal: controller.signal });
    await waitUntil(() => s.fake.pendingTokens.size > 0);
    controller.abort();
    const r = await run;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(s.fake.pendingTokens.size, 0, 'no join token stays valid after the cancel');
  });

  it('a cancel while a joined node is not Ready yet says it joined, not that it was cancelled', async () => {
    const s = setup('joined');
    s.fake.members.delete('gw-3');
    s.fake.notReady.add('gw-3');
    const controller = new AbortController();
    const run = s.engine.run(s.engine.join(s.model), { signal: controller.signal });
    await waitUntil(() => s.fake.members.has('gw-3'));
    controller.abort();
    const r = await run;
    assert.equal(r.outcome, 'cancelled');
    const row = r.transcript.steps.find((st) => st.id === 'join')!.nodes['gw-3']!;
    assert.equal(row.state, 'succeeded');
    assert.match(row.summary ?? '', /^gw-3 joined; the run was cancelled before it was seen Ready$/);
    assert.ok(s.events.some((e) => e.type === 'succeeded' && e.node === 'gw-3'));
  });

  it('a cancel that lands after MicroK8s finished the join says the node joined', async () => {
    const s = setup('joined');
    s.fake.members.delete('gw-3');
    s.fake.hangAfterEffect('gw-3', 'microk8s join');
    const controller = new AbortController();
    const run = s.engine.run(s.engine.join(s.model), { signal: controller.signal });
    await waitUntil(() => s.fake.members.has('gw-3'));
    controller.abort();
    const r = await run;
    assert.equal(r.outcome, 'cancelled');
    const row = r.transcript.steps.find((st) => st.id === 'join')!.nodes['gw-3']!;
    assert.equal(row.state, 'succeeded');
    assert.match(row.summary ?? '', /^gw-3 joined; the run was cancelled/);
  });

  it('maps join exit codes 1 and 4 to clear messages', async () => {
    for (const [code, pattern] of [
      [1, /could not reach gw-1 at 10\.250\.2\.11:25000/],
      [4, /could not verify the identity of gw-1/],
    ] as const) {
      const s = setup('joined');
      s.fake.members.delete('gw-2');
      s.fake.failNext('gw-2', 'microk8s join', code, 'error\n');
      const r = await s.engine.run(s.engine.join(s.model));
      assert.equal(r.outcome, 'failed');
      assert.match(r.failure!.message, pattern);
    }
  });

  it('fresh VMs join with one Start: what its own steps repair blocks nothing and says which step fixes it', async () => {
    const s = setup('fresh');
    const r = await s.engine.run(s.engine.join(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    const rename = report.findings.find((f) => f.node === 'gw-2' && f.check === 'hostname');
    const hosts = report.findings.find((f) => f.node === 'gw-1' && f.check === 'nameResolution');
    assert.equal(rename?.hint, 'Fixed by step 3, “Rename nodes to their spec hostnames”.');
    assert.equal(hosts?.hint, 'Fixed by step 2, “Add the nodes to /etc/hosts”.');
    assert.equal(stepStates(r).hosts, 'succeeded');
    for (const node of s.fake.nodes.values())
      assert.deepEqual([...node.hosts].filter(([name]) => name.startsWith('gw-')).sort(), [
        ['gw-1', '10.250.2.11'],
        ['gw-2', '10.250.2.12'],
        ['gw-3', '10.250.2.13'],
      ]);
    const dry = s.engine.dryRun(s.engine.join(s.model));
    assert.match(dry.text, /2\. Add the nodes to \/etc\/hosts/);
    assert.match(
      dry.text,
      /\(sudo\)\$ cat > \/etc\/hosts\n\s+stdin: the file with 10\.250\.2\.11 gw-1, 10\.250\.2\.12 gw-2, 10\.250\.2\.13 gw-3/,
    );
  });

  it('never offers an /etc/hosts line for an address no node answered at', async () => {
    const s = setup('fresh');
    s.fake.unreachable('gw-3');
    const r = await s.engine.run(s.engine.preflight(s.model));
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    const onGw1 = report.findings.find((f) => f.node === 'gw-1' && f.check === 'nameResolution');
    assert.deepEqual(onGw1?.fix, { kind: 'appendHosts', node: 'gw-1', lines: ['10.250.2.12 gw-2'] });
    assert.match(onGw1!.hint!, /Not offered for gw-3: not reached over SSH at its spec address/);
  });
});

describe('ops engine: deploy', () => {
  it('enables the add-ons, installs both charts with the password on stdin only, and waits', async () => {
    const s = setupJoined();
    const r = await s.engine.run(s.engine.deploy(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.equal(r.shared.get('deploy.managerUrl'), 'https://10.250.2.5:5480');
    const gw1 = s.fake.commandsOn('gw-1');
    assert.ok(gw1.includes('microk8s enable dns'));
    assert.ok(gw1.includes('microk8s enable metallb:10.250.2.5/32'));
    const storage = gw1.find((c) => c.includes('upgrade --install gateway-persistent-storage'))!;
    assert.equal(
      storage,
      [
        'set -e',
        'd=$(mktemp -d)',
        `trap 'rm -rf "$d"' EXIT`,
        'microk8s helm3 pull oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts/gateway-persistent-storage --version 0.9.6 --untar --untardir "$d"',
        `microk8s helm3 upgrade --install gateway-persistent-storage "$d"/gateway-persistent-storage --namespace default -f "$d"/gateway-persistent-storage/cluster.yaml --set 'nfs.server=10.250.2.1' --set 'nfs.path=/shared/gateway-cluster-1'`,
      ].join('\n'),
    );
    const manager = s.fake.execs.find((e) => e.command.includes('upgrade --install gateway-manager'))!;
    assert.match(manager.command, /-f "\$d"\/gateway-manager\/cluster\.yaml -f -$/);
    assert.ok(!manager.command.includes('--set secrets'));
    assert.equal(manager.stdin, `secrets:\n  defaultPassword: ${JSON.stringify(SECRETS.password)}\n`);
    assert.ok(s.fake.execs.every((e) => !e.command.includes(SECRETS.password)));
    assertNoSecrets(artefacts(s, [r]));
    // Re-run: nothing installed twice.
    await assertRerunChangesNothing(
      s,
      s.engine.deploy(s.model),
      skipped('kubeconfig', 'dns', 'metallb', 'storage', 'manager', 'wait'),
      /enable|upgrade/,
    );
  });

  it('repairs drift instead of calling it done: a changed password, chart version, NFS path or metallb range is applied and said', async () => {
    const s = setupJoined();
    assert.equal((await s.engine.run(s.engine.deploy(s.model))).outcome, 'succeeded');
    const record = s.fake.configMaps.get('gateway-cluster-applied')!.data['gateway-manager']!;
    assert.ok(!record.includes(SECRETS.password), 'the record keeps a digest, not the password');
    const rerun = async (model = s.model) => {
      const from = s.events.length;
      const r = await s.engine.run(s.engine.deploy(model));
      assert.equal(r.outcome, 'succeeded', r.error?.message);
      const lines = s.events
        .slice(from)
        .flatMap((e) => (e.type === 'output' ? [e.line] : []))
        .filter((l) => l.startsWith('differs:'));
      return { states: stepStates(r), lines };
    };

    (s.fake as unknown as { stored: Map<string, string> }).stored.set(
      s.model.gatewayManager.passwordSecret,
      'new-pass',
    );
    let r = await rerun();
    assert.deepEqual([r.states.storage, r.states.manager], ['skipped', 'succeeded']);
    assert.deepEqual(r.lines, ['differs: the Gateway Manager password differs from the one applied']);
    assert.equal(s.fake.releases.get('gateway-manager')!.stdin, 'secrets:\n  defaultPassword: "new-pass"\n');
    assert.ok(!JSON.stringify(s.events).includes('new-pass'));
    r = await rerun();
    assert.equal(r.states.manager, 'skipped', 'applied once, then done');

    const upgraded = { ...s.model, charts: { ...s.model.charts, version: '0.9.7' } };
    r = await rerun(upgraded);
    assert.deepEqual([r.states.storage, r.states.manager], ['succeeded', 'succeeded']);
    assert.ok(
      r.lines.includes('differs: chart version 0.9.6 was applied, the spec asks for 0.9.7'),
      r.lines.join('\n'),
    );
    assert.equal(
      s.fake.releases.get('gateway-persistent-storage')!.chart,
      'gateway-persistent-storage-0.9.7',
    );

    const moved = { ...upgraded, storage: { nfs: { server: '10.250.2.1', path: '/shared/elsewhere' } } };
    r = await rerun(moved);
    assert.deepEqual([r.states.storage, r.states.manager], ['succeeded', 'skipped']);
    assert.deepEqual(r.lines, [
      'differs: nfs.path was /shared/gateway-cluster-1, the spec asks for /shared/elsewhere',
    ]);

    s.fake.metallbRange = '10.250.2.200/32';
    r = await rerun(moved);
    assert.equal(r.states.metallb, 'succeeded');
    assert.deepEqual(r.lines, [
      'differs: metallb hands out 10.250.2.200/32, the spec asks for 10.250.2.5/32',
    ]);
    assert.equal(s.fake.metallbRange, '10.250.2.5/32');
    assert.ok(
      !s.fake
        .commandsOn('gw-1')
        .filter((c) => c.startsWith('microk8s enable metallb'))
        .slice(1).length,
    );
  });

  it('a release installed without a record (an older version, by hand) is upgraded once, then recorded', async () => {
    const s = setupJoined();
    assert.equal((await s.engine.run(s.engine.deploy(s.model))).outcome, 'succeeded');
    s.fake.configMaps.delete('gateway-cluster-applied');
    const r = await s.engine.run(s.engine.deploy(s.model));
    assert.deepEqual([stepStates(r).storage, stepStates(r).manager], ['succeeded', 'succeeded']);
    await assertRerunChangesNothing(
      s,
      s.engine.deploy(s.model),
      skipped('kubeconfig', 'dns', 'metallb', 'storage', 'manager', 'wait'),
      /enable|upgrade/,
    );
  });

  it('cancel mid-deploy stops the remote command, and a resume finishes without redoing dns', async () => {
    const s = setupJoined();
    s.fake.hang('gw-1', 'microk8s enable metallb');
    const controller = new AbortController();
    const running = s.engine.run(s.engine.deploy(s.model), { signal: controller.signal });
    while (!s.fake.execs.some((e) => e.command.startsWith('microk8s enable metallb'))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort();
    const r = await running;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(stepStates(r).metallb, 'cancelled');
    assert.equal(stepStates(r).storage, 'pending');
    assert.ok(s.events.some((e) => e.type === 'cancelled' && e.step === 'metallb'));
    s.fake.clearFaults();
    const resumed = await s.engine.run(s.engine.deploy(s.model));
    assert.equal(resumed.outcome, 'succeeded', resumed.error?.message);
    assert.equal(stepStates(resumed).dns, 'skipped');
    assert.equal(s.fake.commandsOn('gw-1').filter((c) => c === 'microk8s enable dns').length, 1);
  });

  it('single-node: no cluster values, no NFS settings', async () => {
    const s = setupJoined(1);
    const r = await s.engine.run(s.engine.deploy(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const installs = s.fake.execs.filter((e) => e.command.includes('upgrade --install'));
    assert.equal(installs.length, 2);
    assert.ok(installs.every((e) => !e.command.includes('cluster.yaml') && !e.command.includes('nfs.')));
  });
});

describe('ops engine: proxy for containerd', () => {
  /** What `set -a; . containerd-env` (as MicroK8s sources it) leaves in the environment, by the real sh. */
  function sourced(text: string, dir: string): { env: Record<string, string>; sideEffect: boolean } {
    const file = path.join(dir, 'containerd-env');
    writeFileSync(file, text);
    const out = execFileSync('/bin/sh', ['-c', `cd ${dir} && set -a && . ./containerd-env && env -0`], {
      env: { PATH: '/usr/bin:/bin' },
    }).toString('utf8');
    const env = Object.fromEntries(
      out
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    return { env, sideEffect: existsSync(path.join(dir, 'pwned')) };
  }

  it('writes hostile values so that the shell reads them back exactly, runs nothing, and is idempotent', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gc-proxy-'));
    try {
      const s = setupJoined(3);
      const proxy = {
        http: 'http://proxy.example.com:3128/$(touch${IFS}pwned)',
        https: "https://proxy.example.com:3129/'`touch pwned`'",
        noProxy: ['$(touch pwned)', 'a;b', '10.0.0.0/8', '.example.com'],
        credentialsSecret: 'lab-proxy-credentials',
      };
      s.fake.stored.set('lab-proxy-credentials', "user:p@ss'word$(touch pwned)");
      const model = { ...s.model, network: { ...s.model.network, proxy } };
      const r = await s.engine.run(s.engine.deploy(model));
      assert.equal(r.outcome, 'succeeded', r.error?.message);
      for (const node of s.fake.nodes.values()) {
        const { env, sideEffect } = sourced(node.containerdEnv, dir);
        assert.equal(sideEffect, false, 'sourcing the file ran a command');
        const http = new URL(env.HTTP_PROXY!);
        assert.equal(decodeURIComponent(http.username), 'user');
        assert.equal(decodeURIComponent(http.password), "p@ss'word$(touch pwned)");
        assert.equal(http.host, 'proxy.example.com:3128');
        assert.equal(env.NO_PROXY, '$(touch pwned),a;b,10.0.0.0/8,.example.com');
        assert.equal(env.SNAPSHOTTER, 'overlayfs', 'the snap’s own lines stay');
      }
      assertNoSecrets(artefacts(s, [r]));
      assert.ok(!artefacts(s, [r]).includes("p@ss'word"), 'the proxy credentials stay masked');
      const again = await s.engine.run(s.engine.deploy(model));
      assert.equal(stepStates(again).proxy, 'skipped', 'nothing is appended a second time');
      const writes = s.fake.execs.filter((e) => e.command.includes('cat > /var/snap/microk8s'));
      assert.equal(writes.length, 3, 'one write per node, none on the re-run');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ops engine: register and de-register', () => {
  it('writes the Secret and follows pending → connecting → connected', async () => {
    const s = setupJoined();
    const r = await s.engine.run(s.engine.register(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.deepEqual(s.fake.secrets.get('gateway-registration'), { activationToken: SECRETS.token });
    const states = s.events.flatMap((e) =>
      e.type === 'output' && e.line.startsWith('state:') ? [e.line] : [],
    );
    assert.deepEqual(states, ['state: pending', 'state: connecting', 'state: connected (profile Lab)']);
    assertNoSecrets(artefacts(s, [r]));
    const again = await s.engine.run(s.engine.register(s.model));
    assert.equal(stepStates(again).register, 'skipped');
    const off = await s.engine.run(s.engine.deregister(s.model));
    assert.equal(off.outcome, 'succeeded', off.error?.message);
    assert.equal(s.fake.secrets.has('gateway-registration'), false);
    assert.equal(s.fake.configMaps.get('gateway-registration-status')?.data.state, 'disconnected');
  });

  it("fails with the Gateway Manager's message for an invalid token", async () => {
    const s = setupJoined();
    s.fake.stored.set('lab-activation-token', 'invalid-token-0000');
    const r = await s.engine.run(s.engine.register(s.model));
    assert.equal(r.outcome, 'failed');
    assert.equal(
      r.failure!.message,
      'The Gateway Manager refused the registration: activation token is not valid or expired.',
      'one full stop, although its message brings one',
    );
    assert.ok(!JSON.stringify(r.transcript).includes('invalid-token-0000'));
  });

  it('asks for a missing secret by name', async () => {
    const s = setupJoined();
    s.fake.stored.delete('lab-activation-token');
    const r = await s.engine.run(s.engine.register(s.model));
    assert.match(r.error!.message, /the activation token is not stored \(secret "lab-activation-token"\)/);
  });
});

describe('ops engine: dry run, transcripts, validation', () => {
  it('dry run shows the exact commands with secrets masked and executes nothing', async () => {
    const s = setup('fresh');
    const join = s.engine.dryRun(s.engine.join(s.model));
    const deploy = s.engine.dryRun(s.engine.deploy(s.model));
    assert.equal(s.fake.execs.length, 0);
    assert.match(join.text, /gw-1\$ microk8s add-node --token •••• --format json/);
    assert.match(join.text, /gw-2\$ microk8s join 10\.250\.2\.11:25000\/••••\/CHECK/);
    assert.match(join.text, /gw-3 \(sudo\)\$ hostnamectl set-hostname gw-3/);
    assert.match(deploy.text, /gw-1\$ microk8s enable metallb:10\.250\.2\.5\/32/);
    assert.match(deploy.text, /defaultPassword: ••••/);
    const manager = deploy.steps.find((st) => st.id === 'manager')!;
    assert.match(manager.commands[0]!.command, /upgrade --install gateway-manager .* -f -$/m);
    assertNoSecrets(join.text + deploy.text);
  });

  it('masks values, never structure: secrets shaped like JSON keys or numbers corrupt nothing', async () => {
    const s = setupJoined();
    for (const secret of ['1000', 'type', 'runId']) s.masker.register(secret);
    const r = await s.engine.run(s.engine.deploy(s.model));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    assert.ok(s.events.length > 10);
    assert.ok(
      s.events.every(
        (e) => typeof e.type === 'string' && typeof e.runId === 'string' && typeof e.at === 'number',
      ),
    );
    assert.ok(
      s.sink.writes.every(
        (w) => w.version === 1 && typeof w.startedAt === 'number' && Array.isArray(w.steps),
      ),
    );
  });

  it('keeps every run in the index when several runs write it at once (two sinks, one folder)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gc-index-'));
    try {
      const sinks = [new FileTranscriptSink(dir), new FileTranscriptSink(dir)];
      const record = (i: number) => ({
        version: 1 as const,
        runId: `run-${String(i).padStart(2, '0')}`,
        operation: 'preflight' as const,
        cluster: 'lab',
        dryRun: false,
        startedAt: 1_700_000_000_000 + i,
        steps: [],
        commands: [],
      });
      await Promise.all(Array.from({ length: 30 }, (_, i) => sinks[i % 2]!.write(record(i))));
      const index = await readIndex(dir);
      assert.equal(index.length, 30, 'no entry was lost');
      assert.deepEqual(
        readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
        [],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes each run and an index under .gateway-cluster/runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gc-ops-'));
    try {
      const model = labModel(3);
      const fake = new FakeCluster(model, 'joined');
      const masker = new Masker();
      const runs = path.join(dir, '.gateway-cluster', 'runs');
      const engine = new OperationsEngine({
        nodes: fake,
        secrets: fake,
        kubeconfig: fake.kubeconfigStore(masker),
        api: fake.apiSource(),
        masker,
        sink: new FileTranscriptSink(runs),
        timeouts: FAST,
      });
      const r = await engine.run(engine.preflight(model));
      const files = readdirSync(runs).sort();
      assert.deepEqual(files, [`${r.runId}.json`, 'index.json']);
      assert.match(r.runId, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-preflight$/);
      const index = JSON.parse(readFileSync(path.join(runs, 'index.json'), 'utf8')) as Array<{
        runId: string;
        outcome: string;
        changed: boolean;
      }>;
      // A preflight only looks: its entry says that no step that changes things ran.
      assert.deepEqual(
        index.map((e) => [e.runId, e.outcome, e.changed]),
        [[r.runId, 'succeeded', false]],
      );
      const record = JSON.parse(readFileSync(path.join(runs, `${r.runId}.json`), 'utf8')) as {
        commands: unknown[];
        outcome: string;
      };
      assert.equal(record.outcome, 'succeeded');
      assert.equal(record.commands.length, 9); // 3 nodes × (facts, microk8s status, pings)
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a model with a hostname or address that is not valid before anything runs', () => {
    const s = setup('fresh');
    const bad = labModel(3);
    bad.nodes[1]!.hostname = 'gw-2; reboot';
    bad.nodes[2]!.address = '10.250.2.300';
    assert.throws(
      () => s.engine.join(bad),
      (err: unknown) => {
        assert.ok(err instanceof InvalidModelError);
        assert.equal(err.problems.length, 2);
        return true;
      },
    );
  });
});
