import assert from 'node:assert/strict';
import type { WizardView } from '../../../src/wizards/protocol';
import {
  isWizardView,
  normalizeInput,
  parseHostMessage,
  parsePersistedState,
  parseWebviewMessage,
  validateInput,
} from '../../../src/wizards/protocol';
import { initialView } from '../../../src/wizards/state';

function sampleView(): WizardView {
  return {
    ...initialView('register', {
      cluster: 'lab',
      specLabel: 'cluster.yaml',
      managerUrl: 'https://10.0.0.5:5480',
    }),
    phase: 'running',
    steps: [
      {
        id: 'register',
        title: 'Register the cluster',
        state: 'running',
        startedAt: 1,
        nodes: [{ name: 'gw-1', state: 'succeeded', durationMs: 5 }],
        output: [{ stream: 'info', text: 'state: pending' }],
        outputDropped: 0,
      },
    ],
    inputs: [
      {
        key: 'activationToken',
        label: 'Activation token',
        secretName: 'lab-token',
        required: true,
        stored: true,
        editing: false,
      },
    ],
    registration: { state: 'pending' },
  };
}

describe('wizard protocol: webview → host', () => {
  it('accepts every well-formed message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    for (const name of ['start', 'cancel', 'resume', 'dryRun', 'openTranscript', 'openManager', 'openSpec']) {
      assert.deepEqual(parseWebviewMessage({ type: 'command', name }), { type: 'command', name });
    }
    assert.deepEqual(parseWebviewMessage({ type: 'input', key: 'sudoPassword', value: 'x y' }), {
      type: 'input',
      key: 'sudoPassword',
      value: 'x y',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'changeInput', key: 'activationToken' }), {
      type: 'changeInput',
      key: 'activationToken',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'applyFixes', ids: ['fix-0', 'fix-2'] }), {
      type: 'applyFixes',
      ids: ['fix-0', 'fix-2'],
    });
  });

  it('rejects malformed, unknown or oversized messages', () => {
    for (const bad of [
      null,
      42,
      'ready',
      [],
      {},
      { type: 'command', name: 'rm -rf' },
      { type: 'command', name: 'start', extra: 1 },
      { type: 'ready', extra: 1 },
      { type: 'input', key: 'kubeconfig', value: 'x' },
      { type: 'input', key: 'sudoPassword', value: 42 },
      { type: 'input', key: 'sudoPassword', value: 'x'.repeat(10_000) },
      { type: 'changeInput', key: 'nope' },
      { type: 'input', key: 'sshPassword:', value: 'x' },
      { type: 'input', key: 'sshPassword:a b', value: 'x' },
      { type: 'input', key: 'sshPassword:../../x', value: 'x' },
      { type: 'command', name: 'start', inputs: [{ key: 'nope', value: 'x' }] },
      { type: 'command', name: 'start', inputs: [{ key: 'sudoPassword', value: 'x', extra: 1 }] },
      { type: 'applyFixes', ids: 'fix-0' },
      { type: 'applyFixes', ids: [1] },
      { type: 'state', view: {} },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });
});

describe('wizard protocol: inputs named after their secrets', () => {
  it('accepts an SSH password by its secret name, and Start with typed values', () => {
    const input = { type: 'input', key: 'sshPassword:lab-login_2.x', value: 'pw' };
    assert.deepEqual(parseWebviewMessage(input), input);
    const start = { type: 'command', name: 'start', inputs: [{ key: 'managerPassword', value: 'p w' }] };
    assert.deepEqual(parseWebviewMessage(start), start);
  });
});

describe('wizard protocol: host → webview', () => {
  it('accepts a well-formed state snapshot', () => {
    const message = { type: 'state', view: sampleView(), specUri: 'file:///w/cluster.yaml', sentAt: 5 };
    assert.deepEqual(parseHostMessage(message), message);
  });

  it('rejects snapshots with a wrong shape, a non-https manager link, or an input value', () => {
    const base = { type: 'state', specUri: 'file:///w/cluster.yaml', sentAt: 5 };
    const broken: Array<[string, unknown]> = [
      ['no view', { ...base }],
      ['unknown phase', { ...base, view: { ...sampleView(), phase: 'exploding' } }],
      [
        'unknown step state',
        { ...base, view: { ...sampleView(), steps: [{ ...sampleView().steps[0], state: 'ok' }] } },
      ],
      ['javascript link', { ...base, view: { ...sampleView(), managerUrl: 'javascript:alert(1)' } }],
      [
        'an input carrying a value',
        { ...base, view: { ...sampleView(), inputs: [{ ...sampleView().inputs[0], value: 'hunter2' }] } },
      ],
      [
        'unknown registration state',
        { ...base, view: { ...sampleView(), registration: { state: 'weird' } } },
      ],
      ['no sentAt', { type: 'state', view: sampleView(), specUri: 'x' }],
      ['extra field', { ...base, view: sampleView(), html: '<b>' }],
    ];
    for (const [what, message] of broken) assert.equal(parseHostMessage(message), undefined, what);
  });

  it('holds the limits: string lengths, list sizes, finite numbers', () => {
    const base = { type: 'state', specUri: 'file:///w/cluster.yaml', sentAt: 5 };
    const step = sampleView().steps[0]!;
    const broken: Array<[string, unknown]> = [
      ['a title over 1000 characters', { ...base, view: { ...sampleView(), title: 'x'.repeat(1001) } }],
      ['more than 500 steps', { ...base, view: { ...sampleView(), steps: Array(501).fill(step) } }],
      [
        'more than 10 inputs',
        { ...base, view: { ...sampleView(), inputs: Array(11).fill(sampleView().inputs[0]) } },
      ],
      ['an endless start time', { ...base, view: { ...sampleView(), startedAt: Infinity } }],
      ['a NaN sentAt', { ...base, view: sampleView(), sentAt: NaN }],
      ['a manager link with a quote', { ...base, view: { ...sampleView(), managerUrl: 'https://a"b' } }],
      ['a specUri over 4000 characters', { ...base, view: sampleView(), specUri: 'x'.repeat(4001) }],
    ];
    for (const [what, message] of broken) assert.equal(parseHostMessage(message), undefined, what);
    const failed = { stepTitle: 'Join', message: 'm', outputTail: [], hint: 'h', exitCode: null };
    assert.ok(parseHostMessage({ ...base, view: { ...sampleView(), failure: failed } }), 'exit code null');
  });

  it('hands back a clean copy: unknown keys in a view are dropped, the sender’s object is not shared', () => {
    const view = { ...sampleView(), extra: '<b>', steps: [{ ...sampleView().steps[0]!, extra: 1 }] };
    const parsed = parseHostMessage({ type: 'state', view, specUri: 'file:///a', sentAt: 1 });
    assert.ok(parsed);
    assert.ok(!('extra' in parsed.view) && !('extra' in parsed.view.steps[0]!));
    assert.notEqual(parsed.view, view);
    assert.ok(isWizardView(view), 'a view with unknown keys is still a view');
  });

  it('restores only a persisted state whose view matches its kind', () => {
    const view = sampleView();
    assert.deepEqual(parsePersistedState({ kind: 'register', specUri: 'file:///a', view }), {
      kind: 'register',
      specUri: 'file:///a',
      view,
    });
    assert.equal(parsePersistedState({ kind: 'join', specUri: 'file:///a', view })?.view, undefined);
    assert.equal(parsePersistedState({ kind: 'nope', specUri: 'file:///a' }), undefined);
    assert.equal(parsePersistedState(undefined), undefined);
  });
});

describe('wizard inputs: validation', () => {
  it('accepts reasonable values', () => {
    assert.equal(validateInput('sudoPassword', 'p'), undefined);
    assert.equal(validateInput('managerPassword', 'Gateway#2024'), undefined);
    assert.equal(validateInput('activationToken', 'eyJhbGciOi.J9abc-DEF_123'), undefined);
  });

  it('says what is wrong with bad values', () => {
    assert.match(validateInput('sudoPassword', '')!, /Enter a value/);
    assert.match(validateInput('sudoPassword', 'a\nb')!, /line breaks/);
    assert.match(validateInput('managerPassword', 'short')!, /at least 8/);
    assert.match(validateInput('managerPassword', ' padded-password')!, /space/);
    assert.match(validateInput('activationToken', 'abc def ghi')!, /no spaces/);
    assert.match(validateInput('activationToken', 'abc')!, /too short/);
    assert.match(validateInput('sudoPassword', 'x'.repeat(9000))!, /At most/);
  });

  it('trims a pasted token but never a password', () => {
    assert.equal(normalizeInput('activationToken', '  tok-123456\n'), 'tok-123456');
    assert.equal(normalizeInput('sudoPassword', ' pw '), ' pw ');
  });
});
