import assert from 'node:assert/strict';
import type { PreflightReport, RunEvent } from '../../../src/ops';
import type { WizardView } from '../../../src/wizards/protocol';
import { isWizardView } from '../../../src/wizards/protocol';
import {
  OUTPUT_LIMIT,
  initialView,
  progressOf,
  reduce,
  registrationFromLine,
  reportView,
} from '../../../src/wizards/state';

const base = { runId: 'r1', at: 1000 };
const started: RunEvent = {
  ...base,
  type: 'runStarted',
  operation: 'join',
  cluster: 'lab',
  steps: [
    { id: 'preflight', title: 'Preflight checks', nodes: ['gw-1', 'gw-2'] },
    { id: 'kubeconfig', title: 'Fetch the kubeconfig' },
  ],
};

function fold(view: WizardView, events: RunEvent[]): WizardView {
  return events.reduce((v, event) => reduce(v, { type: 'event', event }), view);
}

const fresh = () => initialView('join', { cluster: 'lab', specLabel: 'cluster.yaml' });

describe('wizard state reducer', () => {
  it('a successful run names the procedure’s next operation; a failed one, a fix run or a new start do not', () => {
    const end = (
      outcome: 'succeeded' | 'failed',
      mode: 'run' | 'fix' = 'run',
      kind: 'join' | 'register' = 'join',
    ) => {
      const begun = reduce(initialView(kind, { cluster: 'lab', specLabel: 'cluster.yaml' }), {
        type: 'begin',
        mode,
      });
      return fold(begun, [started, { ...base, type: 'runFinished', outcome, durationMs: 5 }]);
    };
    assert.equal(end('succeeded').nextTitle, 'Deploy Gateway Services');
    const dry = reduce(end('failed'), { type: 'dryRun', dryRun: { text: 'x', steps: [] } as never });
    assert.deepEqual(
      dry.lastRun,
      { outcome: 'failed', startedAt: 1000 },
      'a dry run keeps the last real run',
    );
    assert.equal(end('failed').nextTitle, undefined);
    assert.equal(end('succeeded', 'fix').nextTitle, undefined);
    assert.equal(end('succeeded', 'run', 'register').nextTitle, undefined);
    assert.equal(reduce(end('succeeded'), { type: 'begin', mode: 'run' }).nextTitle, undefined);
  });

  it('starts with the plan as pending steps and a title naming the cluster', () => {
    const v = reduce(fresh(), { type: 'plan', steps: started.type === 'runStarted' ? started.steps : [] });
    assert.equal(v.title, 'Join Nodes — lab');
    assert.deepEqual(
      v.steps.map((s) => [s.id, s.state, s.nodes.map((n) => n.name)]),
      [
        ['preflight', 'pending', ['gw-1', 'gw-2']],
        ['kubeconfig', 'pending', []],
      ],
    );
    assert.ok(isWizardView(v));
  });

  it('folds a run: node rows, commands, output, skips, durations and the outcome', () => {
    let v = reduce(fresh(), { type: 'begin', mode: 'run' });
    v = fold(v, [
      started,
      { ...base, type: 'stepStarted', step: 'preflight' },
      { ...base, type: 'stepStarted', step: 'preflight', node: 'gw-1', at: 1100 },
      { ...base, type: 'command', step: 'preflight', node: 'gw-1', command: 'hostname', sudo: false, seq: 1 },
      { ...base, type: 'command', step: 'preflight', node: 'gw-1', command: 'nproc', sudo: false, seq: 2 },
      { ...base, type: 'output', step: 'preflight', node: 'gw-1', stream: 'stdout', line: '4', seq: 2 },
      { ...base, type: 'output', step: 'preflight', node: 'gw-1', stream: 'stdout', line: 'gw-1', seq: 1 },
      {
        ...base,
        type: 'succeeded',
        step: 'preflight',
        node: 'gw-1',
        durationMs: 40,
        summary: 'all checks passed',
      },
      { ...base, type: 'skipped', step: 'preflight', node: 'gw-2', reason: 'already done' },
    ]);
    assert.equal(v.phase, 'running');
    const pre = v.steps[0]!;
    assert.equal(pre.state, 'running');
    assert.deepEqual(pre.nodes, [
      { name: 'gw-1', state: 'succeeded', startedAt: 1100, durationMs: 40, note: 'all checks passed' },
      { name: 'gw-2', state: 'skipped', note: 'already done' },
    ]);
    // Two commands ran at once on gw-1: each one's output stays under it.
    assert.deepEqual(pre.output, [
      { stream: 'command', text: 'hostname', node: 'gw-1', command: 1 },
      { stream: 'stdout', text: 'gw-1', node: 'gw-1', command: 1 },
      { stream: 'command', text: 'nproc', node: 'gw-1', command: 2 },
      { stream: 'stdout', text: '4', node: 'gw-1', command: 2 },
    ]);
    v = fold(v, [
      { ...base, type: 'succeeded', step: 'preflight', durationMs: 55 },
      { ...base, type: 'stepStarted', step: 'kubeconfig' },
      {
        ...base,
        type: 'failed',
        step: 'kubeconfig',
        durationMs: 9,
        failure: {
          step: 'kubeconfig',
          stepTitle: 'Fetch the kubeconfig',
          node: 'gw-1',
          command: 'microk8s config',
          exitCode: 1,
          message: 'exited with 1',
          outputTail: ['boom'],
          hint: 'fix it',
        },
      },
    ]);
    assert.equal(v.steps[1]!.state, 'failed');
    v = fold(v, [
      {
        ...base,
        type: 'runFinished',
        outcome: 'failed',
        durationMs: 70,
        failure: {
          step: 'kubeconfig',
          stepTitle: 'Fetch the kubeconfig',
          node: 'gw-1',
          message: 'exited with 1',
          outputTail: ['boom'],
          hint: 'fix it',
        },
      },
    ]);
    assert.equal(v.phase, 'failed');
    assert.equal(v.durationMs, 70);
    assert.deepEqual(v.failure, {
      stepTitle: 'Fetch the kubeconfig',
      node: 'gw-1',
      command: undefined,
      exitCode: undefined,
      message: 'exited with 1',
      outputTail: ['boom'],
      hint: 'fix it',
    });
    assert.deepEqual(progressOf(v), { done: 1, total: 2, current: undefined });
    assert.ok(isWizardView(JSON.parse(JSON.stringify(v))));
  });

  it('marks rows still running as cancelled when a cancelled run ends', () => {
    let v = fold(reduce(fresh(), { type: 'begin', mode: 'run' }), [
      started,
      { ...base, type: 'stepStarted', step: 'preflight' },
      { ...base, type: 'stepStarted', step: 'preflight', node: 'gw-1' },
    ]);
    v = reduce(v, { type: 'cancelRequested' });
    assert.equal(v.phase, 'cancelling');
    v = fold(v, [{ ...base, type: 'runFinished', outcome: 'cancelled', durationMs: 5 }]);
    assert.equal(v.phase, 'cancelled');
    assert.equal(v.steps[0]!.state, 'cancelled');
    assert.equal(v.steps[0]!.nodes[0]!.state, 'cancelled');
    assert.equal(v.steps[1]!.state, 'pending');
  });

  it('names the button the panel offers in a hint: "run again" where a read-only panel has no Resume', () => {
    const failure = {
      step: 'collect',
      stepTitle: 'Collect microk8s inspect from every node',
      node: 'gw-3',
      message: 'Cannot connect to node gw-3: connect ECONNREFUSED',
      outputTail: [],
      hint: 'Check that gw-3 (10.250.0.13) is up and reachable over SSH, then resume.',
    };
    const end = (kind: 'diagnostics' | 'deploy') => {
      const steps = [{ id: 'collect', title: failure.stepTitle, nodes: ['gw-1', 'gw-3'] }];
      const begun = reduce(initialView(kind, { cluster: 'lab', specLabel: 'cluster.yaml' }), {
        type: 'begin',
        mode: 'run',
      });
      return fold(begun, [
        { ...started, steps },
        { ...base, type: 'failed', step: 'collect', durationMs: 1, failure },
        { ...base, type: 'runFinished', outcome: 'cancelled', durationMs: 5, failure },
      ]);
    };
    const diagnostics = end('diagnostics');
    assert.equal(diagnostics.phase, 'cancelled');
    const ranAgain = 'Check that gw-3 (10.250.0.13) is up and reachable over SSH, then run again.';
    assert.equal(diagnostics.failure?.hint, ranAgain);
    assert.match(diagnostics.steps[0]!.note!, /What to do: Check that gw-3 .* then run again\.$/);
    assert.equal(end('deploy').failure?.hint, failure.hint, 'a panel with Resume says resume');
    const reloaded = reduce({ ...diagnostics, phase: 'running' }, { type: 'restored' });
    assert.match(reloaded.notice!, /Run again to continue\.$/);
  });

  it('keeps only the last output lines of a step and counts the dropped ones', () => {
    const lines: RunEvent[] = Array.from({ length: OUTPUT_LIMIT + 25 }, (_, i) => ({
      ...base,
      type: 'output',
      step: 'kubeconfig',
      stream: 'info',
      line: `line ${i}`,
    }));
    const v = fold(fresh(), [started, ...lines]);
    const step = v.steps[1]!;
    assert.equal(step.output.length, OUTPUT_LIMIT);
    assert.equal(step.outputDropped, 25);
    assert.equal(step.output[0]!.text, 'line 25');
    assert.equal(step.output.at(-1)!.text, `line ${OUTPUT_LIMIT + 24}`);
  });

  it('follows the registration: pending → connecting → connected, or failed with the message', () => {
    const reg = initialView('register', { cluster: 'lab', specLabel: 'c.yaml' });
    const regStarted: RunEvent = {
      ...base,
      type: 'runStarted',
      operation: 'register',
      cluster: 'lab',
      steps: [{ id: 'register', title: 'Register the cluster' }],
    };
    const line = (text: string): RunEvent => ({
      ...base,
      type: 'output',
      step: 'register',
      stream: 'info',
      line: text,
    });
    let v = fold(reg, [regStarted, { ...base, type: 'stepStarted', step: 'register' }]);
    assert.deepEqual(v.registration, { state: 'pending' });
    v = fold(v, [line('state: connecting')]);
    assert.deepEqual(v.registration, { state: 'connecting' });
    v = fold(v, [
      line('state: connected (profile Lab)'),
      { ...base, type: 'succeeded', step: 'register', durationMs: 3 },
    ]);
    assert.deepEqual(v.registration, { state: 'connected', message: 'profile Lab' });

    const failed = fold(reg, [
      regStarted,
      { ...base, type: 'stepStarted', step: 'register' },
      line('state: failed (activation token is not valid)'),
    ]);
    assert.deepEqual(failed.registration, { state: 'failed', message: 'activation token is not valid' });
    assert.equal(registrationFromLine('state: exploded'), undefined);
    assert.equal(registrationFromLine('Secret written'), undefined);
  });

  it('shows a dry run as the plan with its exact commands, and no run', () => {
    const v = reduce(fresh(), {
      type: 'dryRun',
      dryRun: {
        operation: 'join',
        cluster: 'lab',
        text: '# join — dry run',
        steps: [
          {
            id: 'rename',
            title: 'Rename nodes',
            nodes: ['gw-1'],
            parallel: true,
            check: 'hostname equals the spec',
            commands: [
              { node: 'gw-1', command: 'hostnamectl set-hostname gw-1', sudo: true, when: 'when it differs' },
            ],
          },
        ],
      },
    });
    assert.equal(v.phase, 'idle');
    assert.equal(v.mode, 'dryRun');
    assert.equal(v.runId, undefined);
    assert.equal(v.steps[0]!.note, 'Already done when: hostname equals the spec');
    assert.deepEqual(v.steps[0]!.output, [
      {
        stream: 'command',
        text: 'sudo hostnamectl set-hostname gw-1   # only when it differs',
        node: 'gw-1',
      },
    ]);
    assert.equal(v.dryRunText, '# join — dry run');
  });

  it('turns a run that was going at a reload into an interrupted, resumable one', () => {
    const running = fold(reduce(fresh(), { type: 'begin', mode: 'run' }), [started]);
    const restored = reduce(running, { type: 'restored' });
    assert.equal(restored.phase, 'interrupted');
    assert.match(restored.notice!, /Resume/);
    const done = { ...running, phase: 'succeeded' as const };
    assert.equal(reduce(done, { type: 'restored' }), done);
  });

  it('lists preflight findings with an id for each fix, each hint naming the panel’s button', () => {
    const report: PreflightReport = {
      ok: false,
      nodes: [],
      findings: [
        {
          node: 'gw-3',
          check: 'reachable',
          severity: 'error',
          message: 'gw-3 (10.250.0.13) cannot be reached over SSH: Host key … was not trusted',
          hint: 'The host key of gw-3 was not trusted. Compare its fingerprint …, then resume and trust it when asked.',
        },
      ],
    };
    assert.match(
      reportView(report, 'preflight').findings[0]!.hint!,
      /then run again and trust it when asked\.$/,
    );
    assert.match(reportView(report, 'join').findings[0]!.hint!, /then resume and trust it when asked\.$/);
    const { findings, fixes, fixById } = reportView(
      {
        ok: true,
        nodes: [],
        findings: [
          { node: 'gw-1', check: 'timeSync', severity: 'warning', message: 'clock not synchronised' },
          {
            node: 'gw-2',
            check: 'nameResolution',
            severity: 'warning',
            message: 'gw-3 does not resolve',
            hint: 'add gw-3 to /etc/hosts on gw-2',
            fix: { kind: 'appendHosts', node: 'gw-2', lines: ['10.0.0.13 gw-3'] },
          },
        ],
      },
      'preflight',
    );
    assert.equal(findings[0]!.fixId, undefined);
    assert.equal(findings[1]!.fixId, 'fix-1');
    assert.deepEqual(fixes, [
      { id: 'fix-1', node: 'gw-2', label: 'Append to /etc/hosts on gw-2: 10.0.0.13 gw-3' },
    ]);
    assert.deepEqual(fixById.get('fix-1'), { kind: 'appendHosts', node: 'gw-2', lines: ['10.0.0.13 gw-3'] });
  });
});
