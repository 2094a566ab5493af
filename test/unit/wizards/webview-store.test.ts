// The webview's store, driven without a browser through a fake webview API: what it keeps, what it saves
// with setState (never a typed secret), what it sends, and how it restores after a reload.
import assert from 'node:assert/strict';
import type { WebviewToHost, WizardView } from '../../../src/wizards/protocol';
import { initialView } from '../../../src/wizards/state';

// The webview is an ES module (lit is ESM only): loaded here the way ESM loads from CommonJS.
const load = () => import('../../../webview/store.js');
let Store: Awaited<ReturnType<typeof load>>['WizardStore'];
before(async () => {
  ({ WizardStore: Store } = await load());
});

const SECRET = 'hunter2-very-secret';

function deployView(over: Partial<WizardView> = {}): WizardView {
  return {
    ...initialView('deploy', { cluster: 'lab', specLabel: 'cluster.yaml' }),
    inputs: [
      {
        key: 'managerPassword',
        label: 'Gateway Manager password',
        secretName: 'lab-manager',
        required: true,
        stored: false,
        editing: false,
      },
    ],
    ...over,
  };
}

const stateMessage = (view: WizardView, sentAt = 5000) => ({
  type: 'state',
  view,
  specUri: 'file:///w/cluster.yaml',
  sentAt,
});

function harness(saved?: unknown, now = () => 1000) {
  const posted: WebviewToHost[] = [];
  const states: unknown[] = [];
  const api = {
    postMessage: (m: WebviewToHost) => posted.push(m),
    getState: () => saved,
    setState: (s: unknown) => states.push(structuredClone(s)),
  };
  const store = new Store(api, now);
  let changes = 0;
  store.subscribe(() => changes++);
  return { store, posted, states, changes: () => changes };
}

describe('wizard webview: the store', () => {
  it('takes a well-formed snapshot, saves it, and measures time on the host clock', () => {
    const h = harness();
    assert.equal(h.store.receive(stateMessage(deployView())), true);
    assert.equal(h.store.view?.kind, 'deploy');
    assert.equal(h.changes(), 1);
    assert.deepEqual(h.states.at(-1), {
      kind: 'deploy',
      specUri: 'file:///w/cluster.yaml',
      view: h.store.view,
      expanded: {},
    });
    assert.equal(h.store.hostNow(), 5000, 'host clock 5000 sent at our 1000: 4 s ahead');
  });

  it('ignores anything malformed: no redraw, nothing saved', () => {
    const h = harness();
    for (const bad of [
      undefined,
      'state',
      { type: 'state' },
      stateMessage({ ...deployView(), phase: 'x' as never }),
    ])
      assert.equal(h.store.receive(bad), false);
    assert.equal(h.store.view, undefined);
    assert.equal(h.changes(), 0);
    assert.equal(h.states.length, 0);
  });

  it('keeps a typed secret in memory only: never in setState, sent once on save, then forgotten', () => {
    const h = harness();
    h.store.receive(stateMessage(deployView({ steps: [step('charts', 'pending')] })));
    h.store.type('managerPassword', SECRET);
    h.store.toggleOutput('charts', true); // saves the state while the secret is typed
    h.store.receive(stateMessage(deployView()));
    assert.equal(h.store.draft('managerPassword'), SECRET);
    assert.ok(h.states.length >= 3);
    for (const s of h.states)
      assert.ok(!JSON.stringify(s).includes(SECRET), 'a saved state holds the secret');
    h.store.submitInput('managerPassword');
    assert.deepEqual(h.posted, [{ type: 'input', key: 'managerPassword', value: SECRET }]);
    assert.equal(h.store.draft('managerPassword'), '');
  });

  it('Start takes what is typed and not saved along (checked first); a bad value stops it', () => {
    const h = harness();
    h.store.receive(stateMessage(deployView()));
    h.store.type('managerPassword', 'short');
    h.store.command('start');
    assert.deepEqual(h.posted, [], 'nothing sent with a value that fails its check');
    assert.match(h.store.inputError('managerPassword')!, /at least 8/);
    h.store.type('managerPassword', SECRET);
    h.store.command('start');
    assert.deepEqual(h.posted, [
      { type: 'command', name: 'start', inputs: [{ key: 'managerPassword', value: SECRET }] },
    ]);
    assert.equal(h.store.draft('managerPassword'), '', 'forgotten once sent');
    h.store.command('dryRun');
    assert.deepEqual(h.posted.at(-1), { type: 'command', name: 'dryRun' });
  });

  it('checks an input as it is typed and on save, and sends only a good one', () => {
    const h = harness();
    h.store.receive(stateMessage(deployView()));
    h.store.type('managerPassword', 'short');
    assert.match(h.store.inputError('managerPassword')!, /at least 8/, 'said while typing');
    h.store.type('managerPassword', '');
    assert.equal(h.store.inputError('managerPassword'), undefined, 'an empty field is not an error yet');
    h.store.type('managerPassword', 'short');
    h.store.submitInput('managerPassword');
    assert.match(h.store.inputError('managerPassword')!, /at least 8/);
    assert.deepEqual(h.posted, []);
    h.store.type('managerPassword', 'short\nline');
    assert.match(h.store.inputError('managerPassword')!, /line breaks/, 're-checked while typing');
    h.store.type('managerPassword', 'long-enough-pw');
    assert.equal(h.store.inputError('managerPassword'), undefined, 'the problem goes once fixed');
    h.store.submitInput('managerPassword');
    assert.deepEqual(h.posted, [{ type: 'input', key: 'managerPassword', value: 'long-enough-pw' }]);
  });

  it('shows the host’s word on an input until the user’s own check has one', () => {
    const h = harness();
    const view = deployView();
    view.inputs[0]!.error = 'The host refused it.';
    h.store.receive(stateMessage(view));
    assert.equal(h.store.inputError('managerPassword'), 'The host refused it.');
    h.store.submitInput('managerPassword');
    assert.equal(h.store.inputError('managerPassword'), 'Enter a value.');
  });

  it('forgets a draft once the host reports the input stored', () => {
    const h = harness();
    h.store.receive(stateMessage(deployView()));
    h.store.type('managerPassword', 'typed-but-not-saved');
    const stored = deployView();
    stored.inputs[0]!.stored = true;
    h.store.receive(stateMessage(stored));
    assert.equal(h.store.draft('managerPassword'), '');
  });

  it('sends commands, changes and fixes as typed messages, and ready', () => {
    const h = harness();
    h.store.ready();
    h.store.command('dryRun');
    h.store.changeInput('activationToken');
    h.store.applyFixes(['fix-1', 'fix-2']);
    assert.deepEqual(h.posted, [
      { type: 'ready' },
      { type: 'command', name: 'dryRun' },
      { type: 'changeInput', key: 'activationToken' },
      { type: 'applyFixes', ids: ['fix-1', 'fix-2'] },
    ]);
  });

  it('restores the last view and the user’s open/closed outputs after a reload', () => {
    const first = harness();
    first.store.receive(stateMessage(deployView({ steps: [step('charts', 'succeeded')] })));
    first.store.toggleOutput('charts', true);
    const reloaded = harness(first.states.at(-1));
    reloaded.store.restore();
    assert.equal(reloaded.store.view?.kind, 'deploy');
    assert.deepEqual(reloaded.store.expanded, { charts: true });
    assert.equal(reloaded.changes(), 1);
  });

  it('restores nothing from a saved state that is not one, or whose view is of another wizard', () => {
    const view = deployView();
    for (const saved of [undefined, 42, { kind: 'deploy' }, { kind: 'join', specUri: 'file:///a', view }]) {
      const h = harness(saved);
      h.store.restore();
      assert.equal(h.store.view, undefined, JSON.stringify(saved)?.slice(0, 60));
    }
    const h = harness({ kind: 'deploy', specUri: 'file:///a', view, expanded: { a: 'yes' } });
    h.store.restore();
    assert.deepEqual(h.store.expanded, {}, 'a malformed open/closed map is forgotten, the view kept');
    assert.equal(h.store.view?.kind, 'deploy');
  });
});

function step(id: string, state: 'pending' | 'succeeded'): WizardView['steps'][number] {
  return { id, title: id, state, nodes: [], output: [{ stream: 'stdout', text: 'x' }], outputDropped: 0 };
}
