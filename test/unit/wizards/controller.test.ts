import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/cluster-spec/types';
import { ClusterContext, type SecretBackend } from '../../../src/clusters';
import { OperationsEngine } from '../../../src/ops';
import type { RunEvent } from '../../../src/ops';
import { MASK } from '../../../src/remote/masker';
import { WizardController, managerUrlOf } from '../../../src/wizards/controller';
import type { WizardEngineFactory } from '../../../src/wizards/controller';
import { inputsFor } from '../../../src/wizards/inputs';
import { initialView } from '../../../src/wizards/state';
import type { WizardKind, WizardView } from '../../../src/wizards/protocol';
import { scriptedEngines } from '../../e2e/seams/scripted-engine';
import type { EngineScript } from '../../e2e/seams/scripted-engine';
import { FakeCluster, SECRETS, labModel } from '../ops/fake-cluster';

class MapSecrets implements SecretBackend {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

/** Waits until the view shows what the test needs (fails after 3 s). */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail('the condition never held');
    await new Promise((r) => setImmediate(r));
  }
}

let dir: string;
before(() => (dir = mkdtempSync(path.join(tmpdir(), 'gc-wizard-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A real cluster context over memory secrets and a spec path in a temporary folder (for its lock and runs). */
function contextOf(model = labModel(3), findings: Finding[] = [], secrets = new MapSecrets()) {
  return new ClusterContext(
    { specPath: path.join(dir, 'cluster.yaml'), documentIndex: 0, model, findings },
    {
      secrets,
      prompts: { confirmHostKey: async () => false },
      knownHosts: { ownFile: path.join(dir, 'known_hosts'), userFile: null },
      log: () => undefined,
      runner: 'the unit tests',
    },
  );
}

const SCRIPT: EngineScript = {
  secrets: ['hunter2-secret'],
  steps: [
    {
      id: 'check',
      title: 'Check the nodes',
      perNode: true,
      parallel: true,
      lines: ['ok'],
      command: 'hostname',
    },
    { id: 'work', title: 'Do the work', lines: ['one', 'password hunter2-secret', 'three'], delayMs: 30 },
    { id: 'prove', title: 'Prove it', perNode: true, lines: ['proved'] },
  ],
};

function session(kind: WizardKind, engines: WizardEngineFactory, context = contextOf()) {
  const s = new WizardController({
    kind,
    context: () => context,
    specLabel: 'cluster.yaml',
    engines: () => engines,
  });
  const views: WizardView[] = [];
  s.onDidChange((v) => views.push(v));
  return { s, views, context };
}

const states = (v: WizardView) => Object.fromEntries(v.steps.map((s) => [s.id, s.state]));

describe('wizard controller (scripted engine, real runner)', () => {
  it('runs the plan: steps and node rows go green, output is masked, no secret reaches the view', async () => {
    const scripted = scriptedEngines(SCRIPT);
    const { s, views } = session('join', scripted.factory);
    await s.start();
    assert.equal(s.view.phase, 'succeeded');
    assert.deepEqual(states(s.view), { check: 'succeeded', work: 'succeeded', prove: 'succeeded' });
    assert.deepEqual(
      s.view.steps[0]!.nodes.map((n) => [n.name, n.state]),
      [
        ['gw-1', 'succeeded'],
        ['gw-2', 'succeeded'],
        ['gw-3', 'succeeded'],
      ],
    );
    assert.ok(
      s.view.steps[1]!.output.some((l) => l.text === `password ${MASK}`),
      'masked output line',
    );
    assert.ok(
      views.some((v) => v.steps[1]?.state === 'running'),
      'the panel saw the step running',
    );
    assert.ok(!JSON.stringify(views).includes('hunter2-secret'));
    assert.ok(s.view.durationMs !== undefined && s.view.steps[1]!.durationMs! >= 20);
  });

  it('cancel stops the running step; resume skips what is done and finishes', async () => {
    const scripted = scriptedEngines({
      steps: [
        { id: 'a', title: 'A', lines: ['a'] },
        { id: 'slow', title: 'Slow', lines: ['1', '2', '3', '4'], delayMs: 600 },
        { id: 'c', title: 'C' },
      ],
    });
    const { s } = session('deploy', scripted.factory);
    await s.submitInput('managerPassword', 'Gateway#2024');
    const running = s.start();
    await waitUntil(() => s.view.steps[1]?.state === 'running');
    s.cancel();
    assert.equal(s.view.phase, 'cancelling');
    await running;
    assert.equal(s.view.phase, 'cancelled');
    assert.deepEqual(states(s.view), { a: 'succeeded', slow: 'cancelled', c: 'pending' });

    scripted.runs.clear();
    await s.resume();
    // The slow step runs again in full (it never finished), A is "already done".
    assert.equal(s.view.phase, 'succeeded');
    assert.equal(states(s.view).a, 'skipped');
    assert.equal(scripted.runs.get('a/'), undefined, 'A did not run again');
  });

  it('a failure says where and what to do; resume runs only what is left', async () => {
    const scripted = scriptedEngines({
      steps: [
        { id: 'first', title: 'First', perNode: true },
        {
          id: 'join',
          title: 'Join nodes',
          perNode: true,
          failTimes: 1,
          failure: {
            message: 'gw-2 is unreachable',
            hint: 'Start sshd on gw-2, then resume.',
            command: 'microk8s join',
          },
        },
      ],
    });
    const { s } = session('join', scripted.factory);
    await s.start();
    assert.equal(s.view.phase, 'failed');
    assert.equal(s.view.failure?.node, 'gw-2');
    assert.equal(s.view.failure?.message, 'gw-2 is unreachable');
    assert.equal(s.view.failure?.hint, 'Start sshd on gw-2, then resume.');
    assert.equal(scripted.runs.get('join/gw-1'), 1);
    await s.resume();
    assert.equal(s.view.phase, 'succeeded');
    assert.equal(scripted.runs.get('join/gw-1'), 1, 'the node that had joined is not joined again');
    assert.equal(scripted.runs.get('join/gw-2'), 2);
    assert.equal(s.view.failure, undefined);
  });

  it('dry run shows the plan with its commands and executes nothing', async () => {
    const scripted = scriptedEngines(SCRIPT);
    const { s } = session('join', scripted.factory);
    await s.dryRun();
    assert.equal(s.view.mode, 'dryRun');
    assert.equal(s.view.phase, 'idle');
    assert.equal(scripted.runs.size, 0);
    assert.deepEqual(
      s.view.steps[0]!.output.map((l) => `${l.node}: ${l.text}`),
      ['gw-1: hostname', 'gw-2: hostname', 'gw-3: hostname'],
    );
    assert.match(s.view.dryRunText!, /dry run: nothing is executed/);
  });

  it('asks for required inputs before it starts, validates them, and keeps them only in secret storage', async () => {
    const scripted = scriptedEngines({ steps: [{ id: 'x', title: 'X' }] });
    const { s, views, context } = session('deploy', scripted.factory);
    await s.refreshInputs();
    assert.deepEqual(
      s.view.inputs.map((i) => [i.key, i.secretName, i.required, i.stored, i.editing]),
      [['managerPassword', 'lab-manager-password', true, false, true]],
    );
    await s.start();
    assert.equal(s.view.phase, 'idle', 'did not start without the password');
    assert.equal(s.view.notice, 'Enter the Gateway Manager password first.');
    assert.equal(await s.submitInput('managerPassword', 'short'), false);
    assert.match(s.view.inputs[0]!.error!, /at least 8/);
    // The banner no longer asks to enter what was typed: it says that was refused, and where the field says why.
    assert.equal(
      s.view.notice,
      'The Gateway Manager password you typed was not saved: correct it in the field marked in red.',
    );
    assert.equal(await s.submitInput('managerPassword', 'Correct-Horse-9'), true);
    assert.equal(await context.secrets.get('lab-manager-password'), 'Correct-Horse-9');
    assert.deepEqual(
      [s.view.inputs[0]!.stored, s.view.inputs[0]!.editing, s.view.inputs[0]!.error],
      [true, false, undefined],
    );
    assert.equal(s.view.notice, undefined, 'the request for the input goes once it is saved');
    await s.changeInput('managerPassword');
    assert.equal(s.view.inputs[0]!.editing, true, '"Change" asks again');
    assert.equal(
      await context.secrets.get('lab-manager-password'),
      'Correct-Horse-9',
      'kept until a new value comes',
    );
    assert.equal(await s.submitInput('activationToken', 'tok-12345678'), false, 'not an input of deploy');
    await s.start();
    assert.equal(s.view.phase, 'succeeded');
    assert.ok(!JSON.stringify(views).includes('Correct-Horse-9'), 'no view carried the password');
  });

  it('names the spec problems instead of starting on an unusable spec', async () => {
    const { s } = session(
      'join',
      scriptedEngines({ steps: [] }).factory,
      contextOf({ ...labModel(3), name: '' }),
    );
    assert.deepEqual(s.view.problems, ['metadata.name is missing']);
    await s.start();
    assert.equal(s.view.phase, 'idle');
    assert.match(s.view.notice!, /metadata\.name is missing/);
  });

  it('refuses to start while the spec has errors, naming them, before any engine or connection', async () => {
    const error: Finding = {
      code: 'GC102',
      severity: 'error',
      message: 'Address of node 2 "10.250.2.x" is not a valid IPv4 address',
      range: { start: { line: 11, character: 13 }, end: { line: 11, character: 23 } },
    };
    let engines = 0;
    const scripted = scriptedEngines({ steps: [{ id: 'x', title: 'X' }] });
    const { s } = session(
      'deploy',
      (context, onEvent) => (engines++, scripted.factory(context, onEvent)),
      contextOf(labModel(3), [error]),
    );
    assert.deepEqual(s.view.problems, [`line 12: ${error.message} (GC102)`]);
    await s.start();
    await s.dryRun();
    assert.equal(s.view.phase, 'idle');
    assert.match(s.view.notice!, /Fix the spec first: line 12/);
    assert.equal(engines, 0, 'no engine was made, so nothing connected');
  });

  it('runs nothing in an untrusted workspace, even from a panel restored after a reload', async () => {
    let engines = 0;
    const scripted = scriptedEngines({ steps: [{ id: 'x', title: 'X' }] });
    const s = new WizardController({
      kind: 'join',
      context: () => contextOf(),
      specLabel: 'cluster.yaml',
      engines: () => (context, onEvent) => (engines++, scripted.factory(context, onEvent)),
      restored: initialView('join', { cluster: 'lab', specLabel: 'cluster.yaml' }),
      trusted: () => false,
    });
    await s.start();
    assert.match(s.view.notice ?? '', /Trust this workspace/);
    await s.resume();
    assert.equal(engines, 0, 'no engine was made: nothing connected');
    assert.equal(s.view.phase, 'idle');
  });

  it('refuses a second operation on the same cluster while one runs, naming it', async () => {
    const context = contextOf();
    const slow = scriptedEngines({ steps: [{ id: 'slow', title: 'Slow', lines: ['1', '2'], delayMs: 300 }] });
    const first = session('join', slow.factory, context);
    const quick = scriptedEngines({ steps: [{ id: 'quick', title: 'Quick', lines: ['1'] }] });
    const second = session('preflight', quick.factory, context);
    await second.s.start();
    const lastRun = second.s.view.runId;
    assert.equal(second.s.view.phase, 'succeeded');
    const running = first.s.start();
    await waitUntil(() => first.s.view.phase === 'running');
    await second.s.start();
    assert.match(second.s.view.failure!.message, /join is already running on cluster lab/);
    // Refused, nothing ran: the panel still shows its last run (not a failed one, not a Resume).
    assert.equal(second.s.view.phase, 'succeeded');
    assert.equal(second.s.view.runId, lastRun);
    await running;
    assert.equal(first.s.view.phase, 'succeeded');
    await second.s.start();
    assert.equal(second.s.view.phase, 'succeeded', 'the lock was released when the first run ended');
  });

  it('asks one labelled field per secret, named as the spec names it; the sudo field never fills the SSH password', async () => {
    const model = labModel(3);
    const fields = (m: typeof model, kind: WizardKind) =>
      inputsFor(kind, m).map((i) => [i.key, i.label, i.secretName, i.required]);
    assert.deepEqual(fields(model, 'join'), [
      ['sudoPassword', 'Sudo password on the nodes', 'sudo password of this cluster', false],
    ]);
    assert.deepEqual(fields(model, 'deploy'), [
      ['managerPassword', 'Gateway Manager password', 'lab-manager-password', true],
    ]);
    assert.deepEqual(fields(model, 'register'), [
      ['activationToken', 'Activation token (Setup › Management Profiles)', 'lab-activation-token', true],
    ]);
    // The drill and remove-node run no sudo; a resize may upgrade the Gateway Manager.
    assert.deepEqual(fields(model, 'drill'), []);
    assert.deepEqual(fields(model, 'remove-node'), []);
    assert.deepEqual(
      fields(model, 'add-node').map(([key, , , required]) => [key, required]),
      [
        ['sudoPassword', false],
        ['managerPassword', false],
      ],
    );
    const withLogins = {
      ...model,
      ssh: { ...model.ssh, passwordSecret: 'lab-login' },
      nodes: model.nodes.map((n, i) =>
        i === 2 ? { ...n, ssh: { ...n.ssh, passwordSecret: 'gw3-login' } } : n,
      ),
      network: {
        ...model.network,
        proxy: { http: 'http://proxy:3128', noProxy: [], credentialsSecret: 'lab-proxy' },
      },
    };
    assert.deepEqual(fields(withLogins, 'join'), [
      ['sshPassword:lab-login', 'SSH password for gw-1, gw-2', 'lab-login', true],
      ['sshPassword:gw3-login', 'SSH password for gw-3', 'gw3-login', true],
      ['sudoPassword', 'Sudo password on the nodes', 'sudo password of this cluster', false],
    ]);
    assert.deepEqual(
      fields(withLogins, 'deploy').map(([key]) => key),
      [
        'sshPassword:lab-login',
        'sshPassword:gw3-login',
        'sudoPassword',
        'managerPassword',
        'proxyCredentials',
      ],
    );

    const context = contextOf(withLogins);
    const scripted = scriptedEngines({ steps: [{ id: 'x', title: 'X' }] });
    const s = new WizardController({
      kind: 'join',
      context: () => context,
      specLabel: 'cluster.yaml',
      engines: () => scripted.factory,
    });
    assert.equal(await s.submitInput('sudoPassword', 'sudo-pw'), true);
    assert.equal(
      await context.secrets.get('lab-login'),
      undefined,
      'the sudo field is not the login password',
    );
    assert.equal(await context.secrets.getInternal('sudo-password'), 'sudo-pw');
    assert.equal(await s.submitInput('sshPassword:lab-login', 'login-pw'), true);
    assert.equal(await context.secrets.get('lab-login'), 'login-pw');
    assert.equal(await s.submitInput('sshPassword:someone-else', 'x'), false, 'only the spec’s own secrets');
    assert.ok(!JSON.stringify(s.view).includes('gatewayCluster/'), 'no internal key is shown');
    assert.equal(managerUrlOf(model), 'https://10.250.2.5:5480');
    const badIp = { ...model, network: { ...model.network, floatingIp: '10.250.0.500' } };
    assert.equal(managerUrlOf(badIp), undefined, 'no link to an address that is not one');
  });

  it('offers a secret stored for another cluster only with consent, naming both clusters and the hosts', async () => {
    const backend = new MapSecrets();
    const prodContext = contextOf({ ...labModel(3), name: 'prod' }, [], backend);
    await prodContext.secrets.store('lab-manager-password', 'prod-manager-pass');
    const context = contextOf(labModel(3), [], backend);
    const questions: string[] = [];
    let answer = false;
    const scripted = scriptedEngines({ steps: [{ id: 'x', title: 'X' }] });
    const s = new WizardController({
      kind: 'deploy',
      context: () => context,
      specLabel: 'cluster.yaml',
      engines: () => scripted.factory,
      secretsElsewhere: (c, name) =>
        c === context && name === 'lab-manager-password' ? [prodContext.identity] : [],
      confirm: async (message, detail) => (questions.push(`${message}\n${detail}`), answer),
      labelOf: (p) => path.basename(p),
    });
    await s.refreshInputs();
    assert.equal(s.view.inputs[0]!.elsewhere, 'prod (cluster.yaml)');
    assert.equal(await s.useStoredElsewhere('managerPassword'), false);
    assert.equal(await context.secrets.get('lab-manager-password'), undefined, 'declined: nothing copied');
    assert.match(questions[0]!, /stored for cluster prod in cluster lab\?/);
    assert.match(
      questions[0]!,
      /It would go to: gw-1 \(10\.250\.2\.11\), gw-2 \(10\.250\.2\.12\), gw-3 \(10\.250\.2\.13\)/,
    );
    answer = true;
    assert.equal(await s.useStoredElsewhere('managerPassword'), true);
    assert.equal(await context.secrets.get('lab-manager-password'), 'prod-manager-pass');
    assert.equal(s.view.inputs[0]!.stored, true);
    assert.ok(!JSON.stringify(s.view).includes('prod-manager-pass'));
  });

  it('Start uses what is typed and not saved: it is checked, stored and used; a bad value stops the start', async () => {
    const scripted = scriptedEngines({ steps: [{ id: 'x', title: 'X' }] });
    const { s, context } = session('deploy', scripted.factory);
    await s.refreshInputs();
    await s.startWith('start', [{ key: 'managerPassword', value: 'short' }]);
    assert.equal(s.view.phase, 'idle');
    assert.match(s.view.inputs[0]!.error!, /at least 8/);
    await s.startWith('start', [{ key: 'managerPassword', value: 'Typed-not-saved-1' }]);
    assert.equal(s.view.phase, 'succeeded');
    assert.equal(await context.secrets.get('lab-manager-password'), 'Typed-not-saved-1');
  });
});

describe('wizard controller over the real engine (fake cluster)', () => {
  function realEngines(fake: FakeCluster, events: RunEvent[] = []): WizardEngineFactory {
    return (context, onEvent) =>
      new OperationsEngine({
        nodes: fake,
        secrets: context.secrets,
        kubeconfig: fake.kubeconfigStore(context.masker),
        api: fake.apiSource(),
        masker: context.masker,
        onEvent: (e) => (events.push(e), onEvent(e)),
        timeouts: { command: 2000, long: 2000, wait: 2000, registration: 2000 },
      });
  }

  /** A context whose secret storage holds what the fake cluster's Gateway Manager expects. */
  async function seeded(model = labModel(3)) {
    const context = contextOf(model);
    await context.secrets.store(model.gatewayManager.passwordSecret, SECRETS.password);
    await context.secrets.store(model.registration!.activationTokenSecret!, SECRETS.token);
    return context;
  }

  it('register: the panel follows pending → connecting → connected, and the token stays out of it', async () => {
    const model = labModel(3);
    const fake = new FakeCluster(model, 'joined');
    fake.kubeconfig = fake.kubeconfigText();
    const { s } = session('register', realEngines(fake), await seeded(model));
    const seen: string[] = [];
    const views: WizardView[] = [];
    s.onDidChange((v) => {
      views.push(v);
      const state = v.registration?.state;
      if (state && seen.at(-1) !== state) seen.push(state);
    });
    await s.start();
    assert.equal(s.view.phase, 'succeeded', s.view.failure?.message);
    assert.deepEqual(seen, ['pending', 'connecting', 'connected']);
    assert.equal(s.view.registration?.message, 'profile Lab');
    assert.equal(s.view.managerUrl, 'https://10.250.2.5:5480');
    const all = JSON.stringify(views);
    for (const secret of Object.values(SECRETS))
      assert.ok(!all.includes(secret), 'a secret reached the panel');
  });

  it('preflight: fixable findings are offered and applying them re-checks', async () => {
    const model = labModel(3);
    const fake = new FakeCluster(model, 'fresh');
    const { s } = session('preflight', realEngines(fake), await seeded(model));
    await s.start();
    assert.ok(s.view.fixes.length > 0, 'fixes offered');
    const hostsFixes = s.view.fixes.filter((f) => f.label.startsWith('Append to /etc/hosts'));
    assert.ok(hostsFixes.length > 0, JSON.stringify(s.view.fixes));
    const before = s.view.fixes.length;
    await s.applyFixes(hostsFixes.map((f) => f.id));
    assert.equal(s.view.mode, 'run', 'the preflight ran again after the fixes');
    assert.ok(
      s.view.fixes.length < before,
      `fewer fixes after applying (${s.view.fixes.length} < ${before})`,
    );
    assert.ok(!s.view.fixes.some((f) => f.label.startsWith('Append to /etc/hosts')));
  });

  it('join: what Join repairs offers no Fix it, and a successful join leaves no stale findings', async () => {
    const model = labModel(3);
    const fake = new FakeCluster(model, 'fresh');
    fake.unreachable('gw-3');
    const { s } = session('join', realEngines(fake), await seeded(model));
    await s.start();
    assert.equal(s.view.phase, 'failed');
    assert.deepEqual(s.view.fixes, [], 'Join repairs the names and /etc/hosts itself');
    assert.ok(s.view.findings.some((f) => f.severity === 'info' && /^Fixed by step \d/.test(f.hint ?? '')));
    fake.clearFaults();
    await s.resume();
    assert.equal(s.view.phase, 'succeeded', s.view.failure?.message);
    assert.deepEqual(s.view.findings, [], 'the VMs as they were before the join are history');
  });
});
