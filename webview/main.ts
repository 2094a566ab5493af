// The wizard webview (dist/webview/main.js): draws the host's snapshots of a wizard — the plan's steps with
// per-node rows, live output, inputs, preflight fixes, the registration's progress — and sends back typed
// commands. It validates every message it receives and keeps only the (secret-free) view with setState;
// typed passwords and tokens live in memory until sent, never in the saved state.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '../media/wizard.css';
import type {
  CommandName,
  InputKey,
  InputView,
  StepState,
  StepView,
  WebviewToHost,
  WizardView,
} from '../src/wizards/protocol';
import { parseHostMessage, parsePersistedState, validateInput } from '../src/wizards/protocol';
import { formatDuration, h, icon } from './dom';

interface SavedState {
  kind: WizardView['kind'];
  specUri: string;
  view: WizardView;
  /** Steps whose output the user opened or closed by hand. */
  expanded: Record<string, boolean>;
}

declare function acquireVsCodeApi(): {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
};

const vscodeApi = acquireVsCodeApi();
const app = document.getElementById('app')!;

let view: WizardView | undefined;
let specUri = '';
/** Host clock minus ours, to show elapsed times of running steps. */
let skew = 0;
let expanded: Record<string, boolean> = {};
/** What the user typed but has not saved yet (memory only). */
const drafts = new Map<InputKey, string>();
const sectionKeys = new Map<string, string>();

const post = (message: WebviewToHost) => vscodeApi.postMessage(message);
const command = (name: CommandName) => () => post({ type: 'command', name });

const STATE_ICONS: Record<StepState, [string, string]> = {
  pending: ['circle-large-outline', 'pending'],
  running: ['loading', 'running'],
  succeeded: ['pass-filled', 'done'],
  skipped: ['debug-step-over', 'already done'],
  failed: ['error', 'failed'],
  cancelled: ['circle-slash', 'cancelled'],
};

function stateIcon(state: StepState): HTMLElement {
  const [name, label] = STATE_ICONS[state];
  const span = icon(name, `state-icon state-${state}${state === 'running' ? ' codicon-modifier-spin' : ''}`);
  span.setAttribute('title', label);
  return span;
}

function elapsed(row: {
  state: StepState;
  startedAt?: number;
  durationMs?: number;
}): HTMLElement | undefined {
  if (row.durationMs !== undefined) return h('span', { class: 'elapsed' }, formatDuration(row.durationMs));
  if (row.state === 'running' && row.startedAt !== undefined) {
    return h('span', { class: 'elapsed live', 'data-started': row.startedAt }, '');
  }
  return undefined;
}

function tickElapsed(): void {
  const now = Date.now() + skew;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.elapsed.live'))) {
    el.textContent = formatDuration(now - Number(el.dataset.started));
  }
}

// ---- sections ----

function header(v: WizardView): HTMLElement {
  const phaseText: Record<WizardView['phase'], string> = {
    idle: v.mode === 'dryRun' ? 'dry run' : 'ready',
    running: v.mode === 'fix' ? 'applying fixes' : 'running',
    cancelling: 'cancelling…',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'cancelled',
    interrupted: 'interrupted',
  };
  return h(
    'header',
    {},
    h('h1', { id: 'title' }, v.title),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `phase phase-${v.phase}`, id: 'phase' }, phaseText[v.phase]),
      ' · ',
      h('a', { href: '#', onclick: (e) => (e.preventDefault(), command('openSpec')()) }, v.specLabel),
      v.durationMs !== undefined ? ` · ${formatDuration(v.durationMs)}` : '',
    ),
  );
}

function messages(v: WizardView): HTMLElement | undefined {
  if (!v.problems.length && !v.notice) return undefined;
  return h(
    'section',
    { class: 'messages' },
    v.problems.length
      ? h(
          'div',
          { class: 'problems', role: 'alert' },
          icon('warning'),
          ' The spec cannot be used for this operation yet:',
          h('ul', {}, ...v.problems.map((p) => h('li', {}, p))),
        )
      : undefined,
    v.notice ? h('p', { class: 'notice', id: 'notice' }, icon('info'), ' ', v.notice) : undefined,
  );
}

function inputRow(input: InputView, busy: boolean): HTMLElement {
  if (input.stored && !input.editing) {
    return h(
      'div',
      { class: 'input stored', 'data-key': input.key },
      h('span', { class: 'input-label' }, input.label),
      h('span', { class: 'stored-note' }, icon('lock'), ` stored in secret storage as “${input.secretName}”`),
      h(
        'vscode-button',
        { secondary: true, disabled: busy, onclick: () => post({ type: 'changeInput', key: input.key }) },
        'Change',
      ),
    );
  }
  const id = `input-${input.key}`;
  const field = h('vscode-textfield', {
    id,
    type: 'password',
    placeholder: input.required ? 'required' : 'only when sudo asks for one',
    'aria-describedby': `${id}-error`,
  }) as HTMLElement & { value: string; invalid: boolean };
  field.value = drafts.get(input.key) ?? '';
  const error = h('span', { class: 'input-error', id: `${id}-error` }, input.error ?? '');
  const save = () => {
    const value = field.value ?? '';
    const problem = validateInput(input.key, input.key === 'activationToken' ? value.trim() : value);
    error.textContent = problem ?? '';
    field.invalid = Boolean(problem);
    if (problem) return;
    drafts.delete(input.key);
    post({ type: 'input', key: input.key, value });
  };
  field.addEventListener('input', () => {
    drafts.set(input.key, field.value ?? '');
    if (error.textContent) {
      const problem = validateInput(input.key, field.value ?? '');
      error.textContent = problem ?? '';
      field.invalid = Boolean(problem);
    }
  });
  field.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') save();
  });
  return h(
    'div',
    { class: 'input', 'data-key': input.key },
    h('label', { class: 'input-label', for: id }, input.label, input.required ? ' *' : ''),
    field,
    h('vscode-button', { onclick: save, disabled: busy }, 'Save'),
    h('span', { class: 'input-hint' }, `Kept in the editor's secret storage as “${input.secretName}”.`),
    error,
  );
}

function inputs(v: WizardView): HTMLElement | undefined {
  if (!v.inputs.length) return undefined;
  const busy = v.phase === 'running' || v.phase === 'cancelling';
  return h('section', { class: 'inputs' }, h('h2', {}, 'Inputs'), ...v.inputs.map((i) => inputRow(i, busy)));
}

function toolbar(v: WizardView): HTMLElement {
  const running = v.phase === 'running' || v.phase === 'cancelling';
  const blocked = v.problems.length > 0;
  const resumable = v.phase === 'failed' || v.phase === 'cancelled' || v.phase === 'interrupted';
  const buttons: HTMLElement[] = [];
  if (!resumable || running)
    buttons.push(
      h(
        'vscode-button',
        { id: 'start', icon: 'play', disabled: running || blocked, onclick: command('start') },
        v.phase === 'succeeded' ? 'Run again' : 'Start',
      ),
    );
  if (resumable && !running)
    buttons.push(
      h(
        'vscode-button',
        { id: 'resume', icon: 'debug-continue', disabled: blocked, onclick: command('resume') },
        'Resume',
      ),
    );
  buttons.push(
    h(
      'vscode-button',
      {
        id: 'cancel',
        icon: 'debug-stop',
        secondary: true,
        disabled: !running || v.phase === 'cancelling',
        onclick: command('cancel'),
      },
      'Cancel',
    ),
    h(
      'vscode-button',
      {
        id: 'dry-run',
        icon: 'list-flat',
        secondary: true,
        disabled: running || blocked,
        onclick: command('dryRun'),
      },
      'Dry run',
    ),
    h(
      'vscode-button',
      {
        id: 'open-transcript',
        icon: 'output',
        secondary: true,
        disabled: !v.transcript,
        onclick: command('openTranscript'),
      },
      'Open transcript',
    ),
  );
  if (v.managerUrl && (v.kind === 'deploy' || v.kind === 'register'))
    buttons.push(
      h(
        'vscode-button',
        { id: 'open-manager', icon: 'link-external', secondary: true, onclick: command('openManager') },
        'Open Gateway Manager',
      ),
    );
  return h('section', { class: 'toolbar', role: 'toolbar' }, ...buttons);
}

function registration(v: WizardView): HTMLElement | undefined {
  if (v.kind !== 'register') return undefined;
  const order = ['pending', 'connecting', 'connected'] as const;
  const current = v.registration?.state;
  const reached = current ? order.indexOf(current as (typeof order)[number]) : -1;
  const failed = current === 'failed';
  return h(
    'section',
    { class: 'registration' },
    h('h2', {}, 'Registration'),
    h(
      'ol',
      { class: 'reg-states', id: 'registration-states' },
      ...order.map((state, i) =>
        h(
          'li',
          {
            class: `reg-state ${i < reached || (i === reached && state === 'connected') ? 'reached' : ''} ${i === reached && state !== 'connected' ? 'current' : ''}`,
            'data-state': state,
          },
          state,
        ),
      ),
      failed ? h('li', { class: 'reg-state failed current', 'data-state': 'failed' }, 'failed') : undefined,
    ),
    v.registration?.message
      ? h(
          'p',
          { class: failed ? 'reg-message error' : 'reg-message', id: 'registration-message' },
          v.registration.message,
        )
      : undefined,
    h(
      'details',
      { class: 'manual' },
      h('summary', {}, 'Or register by hand (the documented manual path)'),
      h(
        'ol',
        {},
        h('li', {}, 'In the management portal, open Setup › Management Profiles.'),
        h('li', {}, 'Create a management profile (or open yours) and copy its activation token.'),
        h('li', {}, 'Open the Gateway Manager UI, sign in, and paste the activation token there.'),
      ),
      v.managerUrl
        ? h(
            'p',
            {},
            h(
              'a',
              { href: '#', onclick: (e) => (e.preventDefault(), command('openManager')()) },
              v.managerUrl,
            ),
          )
        : undefined,
    ),
  );
}

function outputBlock(step: StepView, v: WizardView): HTMLElement | undefined {
  if (!step.output.length) return undefined;
  const isOpen = expanded[step.id] ?? (step.state === 'running' || step.state === 'failed');
  const pre = h(
    'pre',
    { class: 'output', 'aria-label': `Output of ${step.title}` },
    step.outputDropped
      ? h('span', { class: 'dropped' }, `… ${step.outputDropped} earlier lines in the transcript\n`)
      : undefined,
    ...step.output.map((line) =>
      h(
        'span',
        { class: `line ${line.stream}` },
        line.node ? h('span', { class: 'line-node' }, `[${line.node}] `) : undefined,
        line.stream === 'command' ? '$ ' : '',
        line.text,
        '\n',
      ),
    ),
  );
  const toggle = h(
    'button',
    {
      class: 'output-toggle',
      'aria-expanded': isOpen ? 'true' : 'false',
      onclick: () => {
        expanded[step.id] = !isOpen;
        save();
        sectionKeys.delete('steps');
        render();
      },
    },
    icon(isOpen ? 'chevron-down' : 'chevron-right'),
    v.mode === 'dryRun' && v.phase === 'idle'
      ? ` Commands (${step.output.length})`
      : ` Output (${step.output.length + step.outputDropped})`,
  );
  return h('div', { class: 'output-wrap' }, toggle, isOpen ? pre : undefined);
}

function steps(v: WizardView): HTMLElement {
  if (!v.steps.length)
    return h('section', { class: 'steps empty' }, h('p', { class: 'muted' }, 'Reading the plan…'));
  return h(
    'section',
    { class: 'steps' },
    h('h2', {}, v.mode === 'dryRun' && v.phase === 'idle' ? 'Plan (dry run — nothing executed)' : 'Steps'),
    h(
      'ol',
      { class: 'step-list', id: 'steps' },
      ...v.steps.map((step) =>
        h(
          'li',
          { class: `step state-${step.state}`, 'data-step': step.id, 'data-state': step.state },
          h(
            'div',
            { class: 'row' },
            stateIcon(step.state),
            h('span', { class: 'step-title' }, step.title),
            h('span', { class: 'state-text' }, STATE_ICONS[step.state][1]),
            elapsed(step),
          ),
          step.note ? h('div', { class: 'note' }, step.note) : undefined,
          step.nodes.length
            ? h(
                'ul',
                { class: 'nodes' },
                ...step.nodes.map((node) =>
                  h(
                    'li',
                    { class: `node state-${node.state}`, 'data-node': node.name, 'data-state': node.state },
                    stateIcon(node.state),
                    h('span', { class: 'node-name' }, node.name),
                    node.note ? h('span', { class: 'note' }, node.note) : undefined,
                    elapsed(node),
                  ),
                ),
              )
            : undefined,
          outputBlock(step, v),
        ),
      ),
    ),
  );
}

function failure(v: WizardView): HTMLElement | undefined {
  const f = v.failure;
  if (!f) return undefined;
  return h(
    'section',
    { class: 'failure', role: 'alert', id: 'failure' },
    h('h2', {}, icon('error'), ` ${f.stepTitle} failed${f.node ? ` on ${f.node}` : ''}`),
    h('p', { class: 'failure-message' }, f.message),
    f.command
      ? h('p', {}, 'Command: ', h('code', {}, f.command), f.exitCode != null ? ` (exit ${f.exitCode})` : '')
      : undefined,
    f.outputTail.length ? h('pre', { class: 'output tail' }, f.outputTail.join('\n')) : undefined,
    h('p', { class: 'hint' }, h('strong', {}, 'What to do: '), f.hint),
  );
}

function findings(v: WizardView): HTMLElement | undefined {
  if (!v.findings.length) return undefined;
  const busy = v.phase === 'running' || v.phase === 'cancelling';
  const sevIcon = { error: 'error', warning: 'warning', info: 'info' } as const;
  return h(
    'section',
    { class: 'findings' },
    h('h2', {}, 'Preflight findings'),
    h(
      'ul',
      { id: 'findings' },
      ...v.findings.map((f) =>
        h(
          'li',
          { class: `finding ${f.severity}` },
          icon(sevIcon[f.severity], `sev-${f.severity}`),
          h('strong', {}, ` ${f.node}: `),
          f.message,
          f.hint ? h('div', { class: 'note' }, f.hint) : undefined,
          f.fixId
            ? h(
                'vscode-button',
                {
                  secondary: true,
                  disabled: busy,
                  onclick: () => post({ type: 'applyFixes', ids: [f.fixId!] }),
                },
                'Fix it',
              )
            : undefined,
        ),
      ),
    ),
    v.fixes.length > 1
      ? h(
          'vscode-button',
          {
            id: 'apply-all-fixes',
            disabled: busy,
            onclick: () => post({ type: 'applyFixes', ids: v.fixes.map((x) => x.id) }),
          },
          `Apply all ${v.fixes.length} fixes`,
        )
      : undefined,
  );
}

function dryRunText(v: WizardView): HTMLElement | undefined {
  if (!v.dryRunText || v.mode !== 'dryRun') return undefined;
  return h(
    'details',
    { class: 'dry-run-text' },
    h('summary', {}, 'The whole plan as text'),
    h('pre', { class: 'output' }, v.dryRunText),
  );
}

// ---- rendering: each section is rebuilt only when its part of the view changed ----

const SECTIONS: Array<[string, (v: WizardView) => HTMLElement | undefined, (v: WizardView) => unknown]> = [
  ['header', header, (v) => [v.title, v.phase, v.mode, v.specLabel, v.durationMs]],
  ['messages', messages, (v) => [v.problems, v.notice]],
  ['inputs', inputs, (v) => [v.inputs, v.phase]],
  ['toolbar', toolbar, (v) => [v.phase, v.problems.length, v.transcript, v.managerUrl, v.kind]],
  ['registration', registration, (v) => [v.kind, v.registration, v.managerUrl]],
  ['failure', failure, (v) => v.failure],
  ['findings', findings, (v) => [v.findings, v.fixes, v.phase]],
  ['steps', steps, (v) => [v.steps, v.mode, v.phase]],
  ['dryRun', dryRunText, (v) => [v.dryRunText, v.mode]],
];

function render(): void {
  const v = view;
  if (!v) return;
  if (!sectionKeys.size) app.replaceChildren();
  for (const [name, build, keyOf] of SECTIONS) {
    const key = JSON.stringify(keyOf(v));
    if (sectionKeys.get(name) === key) continue;
    sectionKeys.set(name, key);
    // Keep the reader's place: an output that was scrolled to its end follows new lines.
    const followed = new Set<string>();
    if (name === 'steps') {
      for (const pre of Array.from(app.querySelectorAll<HTMLElement>('.step pre.output'))) {
        const id = (pre.closest('.step') as HTMLElement | null)?.dataset.step;
        if (id && pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4) followed.add(id);
      }
    }
    const old = app.querySelector(`[data-section="${name}"]`);
    const built = build(v) ?? h('div', { hidden: true });
    built.setAttribute('data-section', name);
    if (old) old.replaceWith(built);
    else app.appendChild(built);
    if (name === 'steps') {
      for (const pre of Array.from(built.querySelectorAll<HTMLElement>('.step pre.output'))) {
        const step = pre.closest('.step') as HTMLElement | null;
        const id = step?.dataset.step;
        if (id && (followed.has(id) || step?.dataset.state === 'running')) pre.scrollTop = pre.scrollHeight;
      }
    }
  }
  tickElapsed();
}

function save(): void {
  if (view) vscodeApi.setState({ kind: view.kind, specUri, view, expanded });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (!message) return; // ignore anything malformed
  if (!view) sectionKeys.clear();
  view = message.view;
  specUri = message.specUri;
  skew = message.sentAt - Date.now();
  render();
  save();
});

// After a reload the last view shows at once; the host's snapshot replaces it when it arrives.
const saved = vscodeApi.getState() as Partial<SavedState> | undefined;
const persisted = parsePersistedState(saved);
if (persisted?.view) {
  view = persisted.view;
  specUri = persisted.specUri;
  if (saved?.expanded && typeof saved.expanded === 'object') expanded = { ...saved.expanded };
  render();
}
setInterval(tickElapsed, 1000);
post({ type: 'ready' });
