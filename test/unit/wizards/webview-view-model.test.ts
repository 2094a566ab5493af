// What the wizard panel shows for a view: its buttons, words and marks, decided without a browser.
import assert from 'node:assert/strict';
import type { WizardView } from '../../../src/wizards/protocol';
import { initialView } from '../../../src/wizards/state';

// The webview is an ES module (lit is ESM only): loaded here the way ESM loads from CommonJS.
const load = async () => ({
  ...(await import('../../../webview/view-model.js')),
  ...(await import('../../../webview/format.js')),
});
let vm: Awaited<ReturnType<typeof load>>;
before(async () => {
  vm = await load();
});

const view = (over: Partial<WizardView> = {}): WizardView => ({
  ...initialView('deploy', { cluster: 'lab', specLabel: 'cluster.yaml' }),
  ...over,
});

/** id → 'enabled' | 'disabled', in toolbar order. */
const buttons = (v: WizardView) =>
  Object.fromEntries(vm.toolbarButtons(v).map((b) => [b.id, b.disabled ? 'disabled' : 'enabled']));

describe('wizard webview: what the panel shows', () => {
  it('names the phase', () => {
    assert.equal(vm.phaseText(view()), 'ready');
    assert.equal(
      vm.phaseText(view({ problems: ['line 8: …'] })),
      'cannot start',
      'not "ready" on a spec with errors',
    );
    assert.equal(vm.phaseText(view({ mode: 'dryRun' })), 'dry run');
    assert.equal(vm.phaseText(view({ phase: 'running', mode: 'fix' })), 'applying fixes');
    assert.equal(vm.phaseText(view({ phase: 'running', mode: 'run' })), 'running');
    assert.equal(vm.phaseText(view({ phase: 'cancelling' })), 'cancelling…');
    assert.equal(vm.phaseText(view({ phase: 'interrupted' })), 'interrupted');
  });

  it('offers Start when idle, Cancel while running, Resume after a failure, Run again after a success', () => {
    assert.deepEqual(buttons(view()), {
      start: 'enabled',
      cancel: 'disabled',
      'dry-run': 'enabled',
      'open-transcript': 'disabled',
    });
    assert.deepEqual(buttons(view({ phase: 'running', transcript: true })), {
      start: 'disabled',
      cancel: 'enabled',
      'dry-run': 'disabled',
      'open-transcript': 'enabled',
    });
    assert.equal(buttons(view({ phase: 'cancelling' })).cancel, 'disabled', 'one cancel is enough');
    for (const phase of ['failed', 'cancelled', 'interrupted'] as const) {
      const ids = vm.toolbarButtons(view({ phase })).map((b) => b.id);
      assert.deepEqual(ids.slice(0, 2), ['resume', 'cancel'], phase);
    }
    assert.equal(vm.toolbarButtons(view({ phase: 'succeeded' }))[0]!.label, 'Run again');
    const failedPreflight = { ...view({ phase: 'failed' }), kind: 'preflight' as const };
    assert.equal(
      vm.toolbarButtons(failedPreflight)[0]!.label,
      'Run again',
      'a read-only check is not resumed',
    );
    const fixed = view({ phase: 'succeeded', mode: 'fix' });
    assert.equal(vm.toolbarButtons(fixed)[0]!.label, 'Start', 'after fixes the operation has not run yet');
    assert.equal(vm.phaseText(fixed), 'fixes applied');
  });

  it('reads a cancelled run as cancelled, naming a failure that came before the cancel', () => {
    const failure = {
      stepTitle: 'Collect microk8s inspect from every node',
      node: 'gw-3',
      message: 'Cannot connect to node gw-3',
      outputTail: [],
      hint: 'Check that gw-3 is up, then run again.',
    };
    assert.deepEqual(vm.failureHeading(view({ phase: 'cancelled', failure })), {
      text: 'Cancelled — Collect microk8s inspect from every node failed on gw-3 before the cancel',
      icon: 'circle-slash',
      cancelled: true,
    });
    assert.deepEqual(vm.failureHeading(view({ phase: 'failed', failure })), {
      text: 'Collect microk8s inspect from every node failed on gw-3',
      icon: 'error',
      cancelled: false,
    });
    assert.equal(vm.failureHeading(view({ phase: 'cancelled' })), undefined, 'a plain cancel has no box');
  });

  it('says what comes next after a success: the next wizard, or the Gateway Manager once registered', () => {
    assert.deepEqual(vm.nextStep(view({ phase: 'succeeded', mode: 'run', nextTitle: 'Register Cluster' })), {
      text: 'Next: Register Cluster.',
      label: 'Register Cluster…',
      command: 'openNext',
    });
    const registered = { ...view({ phase: 'succeeded', mode: 'run' }), kind: 'register' as const };
    assert.equal(vm.nextStep({ ...registered, managerUrl: 'https://10.0.0.5:5480' })?.command, 'openManager');
    assert.equal(vm.nextStep(view({ phase: 'failed', mode: 'run', nextTitle: 'X' })), undefined);
  });

  it('shows a finished run as the last run, with its time (a reopened panel shows an old run)', () => {
    const at = new Date(2026, 11, 5, 9, 7).getTime();
    assert.equal(vm.lastRunText(view({ phase: 'idle' }), at), undefined);
    assert.equal(vm.lastRunText(view({ phase: 'running', startedAt: at }), at), undefined);
    assert.match(
      vm.lastRunText(view({ phase: 'failed', startedAt: at }), at + 60_000)!,
      /^last run at 0?9:07( AM)?$/,
    );
    assert.match(
      vm.lastRunText(view({ phase: 'failed', startedAt: at }), at + 3 * 86_400_000)!,
      /^last run on .+ at 0?9:07( AM)?$/,
    );
  });

  it('blocks Start, Resume and Dry run while the spec has problems', () => {
    assert.deepEqual(buttons(view({ problems: ['no floating IP'] })), {
      start: 'disabled',
      cancel: 'disabled',
      'dry-run': 'disabled',
      'open-transcript': 'disabled',
    });
    assert.equal(buttons(view({ phase: 'failed', problems: ['x'] })).resume, 'disabled');
  });

  it('links the Gateway Manager only after a successful deploy or register, and only with a link', () => {
    const url = 'https://10.0.0.5:5480';
    const done = { phase: 'succeeded', mode: 'run' } as const;
    assert.equal(buttons(view({ managerUrl: url, ...done }))['open-manager'], 'enabled');
    assert.equal(buttons(view({ kind: 'register', managerUrl: url, ...done }))['open-manager'], 'enabled');
    assert.equal(buttons(view({ kind: 'join', managerUrl: url, ...done }))['open-manager'], undefined);
    assert.equal(
      buttons(view({ managerUrl: url }))['open-manager'],
      undefined,
      'before any deploy it leads nowhere',
    );
    assert.equal(buttons(view({ managerUrl: url, phase: 'failed' }))['open-manager'], undefined);
    assert.equal(buttons(view(done))['open-manager'], undefined);
  });

  it('marks the registration’s progress: reached, current, or failed', () => {
    const marks = (state?: 'pending' | 'connecting' | 'connected' | 'failed') =>
      vm
        .registrationMarks(view({ kind: 'register', registration: state ? { state } : undefined }))
        .map((m) => `${m.state}${m.reached ? '+' : ''}${m.current ? '*' : ''}`)
        .join(' ');
    assert.equal(marks(), 'pending connecting connected');
    assert.equal(marks('connecting'), 'pending+ connecting* connected');
    assert.equal(marks('connected'), 'pending+ connecting+ connected+');
    assert.equal(marks('failed'), 'pending connecting connected failed*');
  });

  it('opens a running or failed step’s output unless the user chose otherwise, and counts its lines', () => {
    const step = (state: 'running' | 'succeeded' | 'failed') => ({
      id: 's',
      title: 'S',
      state,
      nodes: [],
      output: [{ stream: 'command' as const, text: 'ls' }],
      outputDropped: 4,
    });
    assert.equal(vm.outputOpen(step('running'), {}), true);
    assert.equal(vm.outputOpen(step('failed'), {}), true);
    assert.equal(vm.outputOpen(step('succeeded'), {}), false);
    assert.equal(vm.outputOpen(step('running'), { s: false }), false);
    assert.equal(vm.outputOpen(step('succeeded'), { s: true }), true);
    assert.equal(vm.outputLabel(step('running'), view({ phase: 'running' })), 'Output (5)');
    assert.equal(vm.outputLabel(step('running'), view({ mode: 'dryRun' })), 'Commands (1)');
  });

  it('writes durations briefly', () => {
    assert.equal(vm.formatDuration(870), '0.9 s');
    assert.equal(vm.formatDuration(12_400), '12 s');
    assert.equal(vm.formatDuration(75_000), '1 min 15 s');
    assert.equal(vm.formatDuration(-5), '0.0 s');
  });
});
