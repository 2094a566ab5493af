import assert from 'node:assert/strict';
import { OperationsEngine, kubeconfigSecretKey } from '../../../src/ops';
import { MASK } from '../../../src/remote/masker';
import type { RunEvent } from '../../../src/ops';
import type { WizardView } from '../../../src/wizards/protocol';
import { scriptedEngines } from '../../../src/wizards/scripted-engine';
import type { EngineScript } from '../../../src/wizards/scripted-engine';
import { WizardSession, managerUrlOf, secretNames } from '../../../src/wizards/session';
import type { WizardEngineFactory } from '../../../src/wizards/session';
import type { WizardKind } from '../../../src/wizards/protocol';
import { FakeCluster, SECRETS, labModel } from '../ops/fake-cluster';

class MapSecrets {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
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

function session(kind: WizardKind, engines: WizardEngineFactory, secrets = new MapSecrets()) {
  const s = new WizardSession({
    kind,
    model: labModel(3),
    specLabel: 'cluster.yaml',
    workspaceRoot: undefined,
    secrets,
    engines,
  });
  const views: WizardView[] = [];
  s.onDidChange((v) => views.push(v));
  return { s, views, secrets };
}

const states = (v: WizardView) => Object.fromEntries(v.steps.map((s) => [s.id, s.state]));

describe('wizard session (scripted engine, real runner)', () => {
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
    const deadline = Date.now() + 3000;
    while (s.view.steps[1]?.state !== 'running' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
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
    const { s, views, secrets } = session('deploy', scripted.factory);
    await s.refreshInputs();
    assert.deepEqual(
      s.view.inputs.map((i) => [i.key, i.secretName, i.required, i.stored, i.editing]),
      [['managerPassword', 'lab-manager-password', true, false, true]],
    );
    await s.start();
    assert.equal(s.view.phase, 'idle', 'did not start without the password');
    assert.match(s.view.notice!, /Enter gateway manager default password first/);
    assert.equal(await s.submitInput('managerPassword', 'short'), false);
    assert.match(s.view.inputs[0]!.error!, /at least 8/);
    assert.equal(await s.submitInput('managerPassword', 'Correct-Horse-9'), true);
    assert.equal(secrets.values.get('lab-manager-password'), 'Correct-Horse-9');
    assert.deepEqual(
      [s.view.inputs[0]!.stored, s.view.inputs[0]!.editing, s.view.inputs[0]!.error],
      [true, false, undefined],
    );
    await s.changeInput('managerPassword');
    assert.equal(s.view.inputs[0]!.editing, true, '"Change" asks again');
    assert.equal(
      secrets.values.get('lab-manager-password'),
      'Correct-Horse-9',
      'kept until a new value comes',
    );
    assert.equal(await s.submitInput('activationToken', 'tok-12345678'), false, 'not an input of deploy');
    await s.start();
    assert.equal(s.view.phase, 'succeeded');
    assert.ok(!JSON.stringify(views).includes('Correct-Horse-9'), 'no view carried the password');
  });

  it('names the spec problems instead of starting on an unusable spec', async () => {
    const model = { ...labModel(3), name: '' };
    const s = new WizardSession({
      kind: 'join',
      model,
      specLabel: 'c.yaml',
      workspaceRoot: undefined,
      secrets: new MapSecrets(),
      engines: scriptedEngines({ steps: [] }).factory,
    });
    assert.deepEqual(s.view.problems, ['metadata.name is missing']);
    await s.start();
    assert.equal(s.view.phase, 'idle');
    assert.match(s.view.notice!, /metadata\.name is missing/);
  });

  it('uses the spec’s secret names and its Gateway Manager URL', () => {
    const model = labModel(3);
    assert.deepEqual(secretNames(model), {
      sudoPassword: 'gatewayCluster.sudoPassword.lab',
      managerPassword: 'lab-manager-password',
      activationToken: 'lab-activation-token',
    });
    assert.equal(
      secretNames({ ...model, ssh: { ...model.ssh, passwordSecret: 'lab-login' } }).sudoPassword,
      'lab-login',
    );
    assert.equal(managerUrlOf(model), 'https://10.250.2.5:5480');
  });
});

describe('wizard session over the real engine (fake cluster)', () => {
  function realEngines(fake: FakeCluster): WizardEngineFactory {
    return async (request) => ({
      engine: new OperationsEngine({
        nodes: fake,
        secrets: fake,
        connector: fake.connector(),
        onEvent: request.onEvent,
        timeouts: { command: 2000, long: 2000, wait: 2000, registration: 2000 },
      }),
    });
  }

  it('register: the panel follows pending → connecting → connected, and the token stays out of it', async () => {
    const model = labModel(3);
    const fake = new FakeCluster(model, 'joined');
    fake.stored.set(kubeconfigSecretKey('lab'), `client-key-data: ${SECRETS.kubeKey}\n`);
    const s = new WizardSession({
      kind: 'register',
      model,
      specLabel: 'cluster.yaml',
      workspaceRoot: undefined,
      secrets: fake,
      engines: realEngines(fake),
    });
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
    const events: RunEvent[] = [];
    const engines: WizardEngineFactory = async (request) => ({
      engine: new OperationsEngine({
        nodes: fake,
        secrets: fake,
        connector: fake.connector(),
        onEvent: (e) => (events.push(e), request.onEvent(e)),
        timeouts: { command: 2000, long: 2000, wait: 2000, registration: 2000 },
      }),
    });
    const s = new WizardSession({
      kind: 'preflight',
      model,
      specLabel: 'cluster.yaml',
      workspaceRoot: undefined,
      secrets: fake,
      engines,
    });
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
});
