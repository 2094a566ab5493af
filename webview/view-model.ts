// What the panel shows for a view, decided apart from how it is drawn: which buttons, which words, which
// registration states are reached. Pure, so the unit tier tests it without a browser.
import type {
  CommandName,
  RegistrationState,
  StepState,
  StepView,
  WizardView,
} from '../src/wizards/protocol.js';
import { continueLabel } from '../src/wizards/protocol.js';

/** The codicon and the words for each step or node state. */
export const STATE_LOOK: Record<StepState, { icon: string; label: string }> = {
  pending: { icon: 'circle-large-outline', label: 'pending' },
  running: { icon: 'loading', label: 'running' },
  succeeded: { icon: 'pass-filled', label: 'done' },
  skipped: { icon: 'debug-step-over', label: 'already done' },
  failed: { icon: 'error', label: 'failed' },
  cancelled: { icon: 'circle-slash', label: 'cancelled' },
};

export const isBusy = (v: WizardView): boolean => v.phase === 'running' || v.phase === 'cancelling';

/** A guided flow whose steps before the panel's own are not all ticked yet (the migration: seed 001's order). */
export function waitingForChecklist(v: WizardView): boolean {
  const items = v.checklist ?? [];
  const own = items.findIndex((i) => i.by === 'extension');
  return own > 0 && items.slice(0, own).some((i) => i.by === 'you' && !i.done);
}

/** A dry run's result on screen: the plan with its commands, nothing executed. */
export const showsDryRun = (v: WizardView): boolean => v.mode === 'dryRun' && v.phase === 'idle';

export function phaseText(v: WizardView): string {
  switch (v.phase) {
    case 'idle':
      if (v.problems.length) return 'cannot start';
      return v.mode === 'dryRun' ? 'dry run' : 'ready';
    case 'running':
      return v.mode === 'fix' ? 'applying fixes' : 'running';
    case 'succeeded':
      return v.mode === 'fix' ? 'fixes applied' : 'succeeded';
    case 'cancelling':
      return 'cancelling…';
    default:
      return v.phase;
  }
}

/** When the run on screen started, once it is over: a reopened panel shows an old run as the last one. */
export function lastRunText(v: WizardView, now: number): string | undefined {
  // A dry run on screen hides no real run: it names the last one.
  const dry = showsDryRun(v) && v.lastRun;
  const startedAt = dry ? v.lastRun!.startedAt : v.startedAt;
  if (startedAt === undefined || isBusy(v) || (v.phase === 'idle' && !dry)) return undefined;
  const at = new Date(startedAt);
  const sameDay = new Date(now).toDateString() === at.toDateString();
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const when = sameDay ? `at ${time}` : `on ${at.toLocaleDateString()} at ${time}`;
  return dry ? `last run ${v.lastRun!.outcome} ${when}` : `last run ${when}`;
}

/** After a successful run: the procedure's next operation (or, once registered, the Gateway Manager). */
export function nextStep(
  v: WizardView,
): { text: string; label: string; command: 'openNext' | 'openManager' } | undefined {
  if (v.phase !== 'succeeded' || v.mode !== 'run') return undefined;
  if (v.nextTitle) return { text: `Next: ${v.nextTitle}.`, label: `${v.nextTitle}…`, command: 'openNext' };
  return (v.kind === 'register' || v.kind === 'migrate') && v.managerUrl
    ? { text: 'The cluster is registered.', label: 'Open Gateway Manager', command: 'openManager' }
    : undefined;
}

/**
 * The heading of the box about how a run ended. A cancelled run reads as cancelled (not in red): a step that
 * had failed before the cancel is named as such.
 */
export function failureHeading(
  v: WizardView,
): { text: string; icon: string; cancelled: boolean } | undefined {
  const f = v.failure;
  if (!f) return undefined;
  const failed = `${f.stepTitle} failed${f.node ? ` on ${f.node}` : ''}`;
  return v.phase === 'cancelled'
    ? { text: `Cancelled — ${failed} before the cancel`, icon: STATE_LOOK.cancelled.icon, cancelled: true }
    : { text: failed, icon: 'error', cancelled: false };
}

export interface ToolbarButton {
  /** The element id (the UI tests and screen readers find buttons by it). */
  id: string;
  command: CommandName;
  label: string;
  icon: string;
  secondary: boolean;
  disabled: boolean;
}

/** Start or Resume (a failed, cancelled or interrupted run resumes), Cancel, Dry run, the transcript, the Manager. */
export function toolbarButtons(v: WizardView): ToolbarButton[] {
  const running = isBusy(v);
  const blocked = v.problems.length > 0;
  const waiting = waitingForChecklist(v);
  const resumable =
    !running && (v.phase === 'failed' || v.phase === 'cancelled' || v.phase === 'interrupted');
  const button = (b: Omit<ToolbarButton, 'secondary'> & { secondary?: boolean }): ToolbarButton => ({
    secondary: false,
    ...b,
  });
  return [
    resumable
      ? button({
          id: 'resume',
          command: 'resume',
          // A read-only check is not continued, it is run again.
          label: continueLabel(v.kind),
          icon: 'debug-continue',
          disabled: blocked || waiting,
        })
      : button({
          id: 'start',
          command: 'start',
          // After applying fixes the operation itself has not run yet: Start, not "Run again".
          label: v.phase === 'succeeded' && v.mode !== 'fix' ? 'Run again' : 'Start',
          icon: 'play',
          disabled: running || blocked || waiting,
        }),
    button({
      id: 'cancel',
      command: 'cancel',
      label: 'Cancel',
      icon: 'debug-stop',
      secondary: true,
      disabled: !running || v.phase === 'cancelling',
    }),
    button({
      id: 'dry-run',
      command: 'dryRun',
      label: 'Dry run',
      icon: 'list-flat',
      secondary: true,
      disabled: running || blocked,
    }),
    button({
      id: 'open-transcript',
      command: 'openTranscript',
      label: 'Open transcript',
      icon: 'output',
      secondary: true,
      disabled: !v.transcript,
    }),
    // Only once a run proved it answers (deploy waits for it; register needs it): before, it leads nowhere.
    ...(v.managerUrl &&
    (v.kind === 'deploy' || v.kind === 'register' || v.kind === 'migrate') &&
    v.phase === 'succeeded' &&
    v.mode === 'run'
      ? [
          button({
            id: 'open-manager',
            command: 'openManager',
            label: 'Open Gateway Manager',
            icon: 'link-external',
            secondary: true,
            disabled: false,
          }),
        ]
      : []),
  ];
}

export interface RegistrationMark {
  state: RegistrationState;
  reached: boolean;
  current: boolean;
}

/** pending → connecting → connected, each reached or current; a failure adds itself as the current mark. */
export function registrationMarks(v: WizardView): RegistrationMark[] {
  const order = ['pending', 'connecting', 'connected'] as const;
  const current = v.registration?.state;
  const at = order.findIndex((s) => s === current);
  const marks: RegistrationMark[] = order.map((state, i) => ({
    state,
    reached: i < at || (i === at && state === 'connected'),
    current: i === at && state !== 'connected',
  }));
  if (current === 'failed') marks.push({ state: 'failed', reached: false, current: true });
  return marks;
}

/** A step's output shows open when the user opened it, or (by default) while it runs or after it failed. */
export const outputOpen = (step: StepView, expanded: Readonly<Record<string, boolean>>): boolean =>
  expanded[step.id] ?? (step.state === 'running' || step.state === 'failed');

export function outputLabel(step: StepView, v: WizardView): string {
  return showsDryRun(v)
    ? `Commands (${step.output.length})`
    : `Output (${step.output.length + step.outputDropped})`;
}
