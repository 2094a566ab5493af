// The wizard's view state and the pure reducer that folds the engine's run events into it. The host owns the
// state (it outlives the panel); the webview only draws snapshots of it.
import type { DrillTimeline, DryRun, FailureInfo, RunEvent, StepSummary } from '../ops';
import { DRILL_TIMELINE, formatDuration } from '../ops/plans/drill-timeline';
import { LB_DRILL, type LbDrillReport } from '../ops/plans/lb-drill';
import { lbTimelineView } from './lb-timeline';
import { DIAGNOSTICS, type DiagnosticsResult } from '../ops/plans/diagnostics';
import type {
  ChecklistItemView,
  FailureView,
  FindingView,
  FixView,
  InputView,
  NodeRowView,
  OutputLineView,
  RegistrationState,
  RunMode,
  StepView,
  WizardKind,
  WizardView,
} from './protocol';
import { OPERATIONS, nextOperation } from '../ops/catalog';
import { REGISTRATION_STATES, WIZARD_KINDS, continueLabel, hintInPanel } from './protocol';
import { isFlow, operationOf, wizardTitle } from './kinds';

/** Output lines kept per step; older ones are counted, not kept (the transcript has them). */
export const OUTPUT_LIMIT = 300;

export const WIZARD_TITLES: Record<WizardKind, string> = Object.fromEntries(
  WIZARD_KINDS.map((kind) => [kind, wizardTitle(kind)]),
) as Record<WizardKind, string>;

export type WizardAction =
  | { type: 'plan'; steps: StepSummary[] }
  | { type: 'begin'; mode: RunMode }
  | { type: 'event'; event: RunEvent }
  | { type: 'cancelRequested' }
  | { type: 'dryRun'; dryRun: DryRun }
  | { type: 'report'; findings: FindingView[]; fixes: FixView[] }
  /** Fixes that were applied: their findings and buttons go (they are no longer true). */
  | { type: 'fixesApplied'; ids: string[] }
  | { type: 'managerUrl'; url: string | undefined }
  | { type: 'transcript'; available: boolean }
  | { type: 'inputs'; inputs: InputView[] }
  | { type: 'problems'; problems: string[] }
  | { type: 'notice'; text: string | undefined }
  /** A guided flow's items with their marks (migrate, roll back). */
  | { type: 'checklist'; items: ChecklistItemView[] }
  /** The run could not even start (no engine, spec unusable): shown like a failure. */
  | { type: 'startFailed'; message: string; hint: string }
  /** Restored after a window reload: a run that was going is gone with the old extension host. */
  | { type: 'restored' };

export { reportView, fixLabel } from './report-view';

export function initialView(
  kind: WizardKind,
  info: {
    cluster: string;
    specLabel: string;
    managerUrl?: string;
    node?: string;
    force?: boolean;
    topology?: string;
  },
): WizardView {
  const target = info.node ? ` ${info.node}${info.force ? ' by force' : ''} of` : '';
  return {
    kind,
    ...(info.node ? { node: info.node } : {}),
    ...(info.force ? { force: true } : {}),
    title: `${wizardTitle(kind, info.topology)} —${target} ${info.cluster || 'unnamed cluster'}`,
    cluster: info.cluster,
    specLabel: info.specLabel,
    phase: 'idle',
    steps: [],
    inputs: [],
    findings: [],
    fixes: [],
    registration: undefined,
    managerUrl: info.managerUrl,
    transcript: false,
    problems: [],
  };
}

/** The drill's timeline for the panel: each entry's offset from the stop, and the explanation. */
export function timelineView(timeline: DrillTimeline): NonNullable<WizardView['timeline']> {
  const stop = timeline.entries.find((e) => e.kind === 'stop')?.at ?? timeline.startedAt;
  return {
    entries: timeline.entries.map((e) => ({
      kind: e.kind,
      offset: `+${formatDuration(Math.max(0, e.at - stop))}`,
      label: e.label,
    })),
    explanation: [...(timeline.explanation ?? [])],
    ...(timeline.outcome ? { outcome: timeline.outcome } : {}),
  };
}

function pendingSteps(summaries: readonly StepSummary[]): StepView[] {
  return summaries.map((s) => ({
    id: s.id,
    title: s.title,
    state: 'pending',
    nodes: (s.nodes ?? []).map((name) => ({ name, state: 'pending' })),
    output: [],
    outputDropped: 0,
  }));
}

/** The engine's failure as the panel shows it: its hint names the panel's own button. */
export function failureView(f: FailureInfo, kind: WizardKind): FailureView {
  return {
    stepTitle: f.stepTitle,
    node: f.node,
    command: f.command,
    exitCode: f.exitCode,
    message: f.message,
    outputTail: [...f.outputTail],
    hint: hintInPanel(kind, f.hint),
  };
}

function updateStep(view: WizardView, id: string, change: (step: StepView) => StepView): WizardView {
  let found = false;
  const steps = view.steps.map((s) => {
    if (s.id !== id) return s;
    found = true;
    return change(s);
  });
  return found ? { ...view, steps } : view;
}

function updateNode(step: StepView, name: string, change: Partial<NodeRowView>): StepView {
  const exists = step.nodes.some((n) => n.name === name);
  const nodes = exists
    ? step.nodes.map((n) => (n.name === name ? { ...n, ...change } : n))
    : [...step.nodes, { name, state: 'pending' as const, ...change }];
  return { ...step, nodes };
}

/** Adds a line; a command's line goes right after that command's earlier lines (concurrent commands stay apart). */
function appendOutput(step: StepView, line: OutputLineView): StepView {
  const output = [...step.output];
  let after = -1;
  if (line.command !== undefined)
    for (let i = output.length - 1; i >= 0 && after < 0; i--)
      if (output[i]!.command === line.command) after = i;
  if (after >= 0) output.splice(after + 1, 0, line);
  else output.push(line);
  const excess = output.length - OUTPUT_LIMIT;
  return excess > 0
    ? { ...step, output: output.slice(excess), outputDropped: step.outputDropped + excess }
    : { ...step, output };
}

/** `state: connecting (message)` lines of the register step carry the Gateway Manager's answer. */
export function registrationFromLine(
  line: string,
): { state: RegistrationState; message?: string } | undefined {
  const m = /^state: (\w+)(?: \((.*)\))?$/.exec(line);
  if (!m || !(REGISTRATION_STATES as readonly string[]).includes(m[1]!)) return undefined;
  return { state: m[1] as RegistrationState, ...(m[2] ? { message: m[2] } : {}) };
}

function applyEvent(view: WizardView, event: RunEvent): WizardView {
  switch (event.type) {
    case 'runStarted':
      return {
        ...view,
        timeline: undefined,
        diagnostics: undefined,
        phase: 'running',
        runId: event.runId,
        startedAt: event.at,
        durationMs: undefined,
        failure: undefined,
        steps: pendingSteps(event.steps),
        transcript: false,
        registration:
          (view.kind === 'register' || view.kind === 'migrate') && view.mode !== 'fix'
            ? undefined
            : view.registration,
      };
    case 'stepStarted': {
      const next = updateStep(view, event.step, (s) =>
        event.node
          ? updateNode(s, event.node, { state: 'running', startedAt: event.at })
          : { ...s, state: 'running', startedAt: event.at },
      );
      if (event.step === 'register' && !event.node) return { ...next, registration: { state: 'pending' } };
      return next;
    }
    case 'command':
      return updateStep(view, event.step, (s) =>
        appendOutput(s, {
          stream: 'command',
          text: `${event.sudo ? 'sudo ' : ''}${event.command}`,
          node: event.node,
          command: event.seq,
        }),
      );
    case 'output': {
      const next = updateStep(view, event.step, (s) =>
        appendOutput(s, {
          stream: event.stream,
          text: event.line,
          ...(event.node ? { node: event.node } : {}),
          ...(event.seq !== undefined ? { command: event.seq } : {}),
        }),
      );
      const registration = event.step === 'register' ? registrationFromLine(event.line) : undefined;
      return registration ? { ...next, registration } : next;
    }
    case 'skipped': {
      const next = updateStep(view, event.step, (s) =>
        event.node
          ? updateNode(s, event.node, { state: 'skipped', note: event.reason })
          : { ...s, state: 'skipped', note: event.reason },
      );
      // Skipped because the Gateway Manager already says connected for this token.
      if (event.step === 'register' && !event.node) {
        return { ...next, registration: { state: 'connected', message: event.reason } };
      }
      return next;
    }
    case 'succeeded': {
      const next = updateStep(view, event.step, (s) =>
        event.node
          ? updateNode(s, event.node, {
              state: 'succeeded',
              durationMs: event.durationMs,
              note: event.summary,
            })
          : { ...s, state: 'succeeded', durationMs: event.durationMs, note: event.summary },
      );
      if (event.step === 'register' && !event.node) {
        return { ...next, registration: { state: 'connected', message: view.registration?.message } };
      }
      return next;
    }
    case 'failed': {
      const next = updateStep(view, event.step, (s) =>
        event.node
          ? updateNode(s, event.node, { state: 'failed', durationMs: event.durationMs })
          : {
              ...s,
              state: 'failed',
              durationMs: event.durationMs,
              // A check's failure stays with its row: the run goes on, and the failure box shows the first.
              note: `${event.failure.message} What to do: ${hintInPanel(view.kind, event.failure.hint)}`,
            },
      );
      if (event.step === 'register' && !event.node) {
        return { ...next, registration: { state: 'failed', message: event.failure.message } };
      }
      return next;
    }
    case 'cancelled':
      return updateStep(view, event.step, (s) =>
        event.node
          ? updateNode(s, event.node, { state: 'cancelled', durationMs: event.durationMs })
          : { ...s, state: 'cancelled', durationMs: event.durationMs },
      );
    case 'report':
      if (event.key === LB_DRILL) return { ...view, timeline: lbTimelineView(event.value as LbDrillReport) };
      if (event.key === DIAGNOSTICS) {
        const d = event.value as DiagnosticsResult;
        return { ...view, diagnostics: { folder: d.folder, files: [...d.files], missing: [...d.missing] } };
      }
      return event.key === DRILL_TIMELINE
        ? { ...view, timeline: timelineView(event.value as DrillTimeline) }
        : view;
    case 'runFinished': {
      // Rows still running when the run ended were stopped with it.
      const stopped = view.steps.map((s) => ({
        ...s,
        state: s.state === 'running' ? ('cancelled' as const) : s.state,
        nodes: s.nodes.map((n) => (n.state === 'running' ? { ...n, state: 'cancelled' as const } : n)),
      }));
      const next =
        event.outcome === 'succeeded' && view.mode === 'run' && !isFlow(view.kind)
          ? nextOperation(operationOf(view.kind))
          : undefined;
      return {
        ...view,
        steps: stopped,
        nextTitle: next && OPERATIONS[next].title,
        lastRun: { outcome: event.outcome, startedAt: view.startedAt ?? event.at },
        phase: event.outcome,
        durationMs: event.durationMs,
        failure: event.failure ? failureView(event.failure, view.kind) : undefined,
      };
    }
  }
}

export function reduce(view: WizardView, action: WizardAction): WizardView {
  switch (action.type) {
    case 'plan':
      // A new plan replaces the list only while nothing has run in this panel.
      return view.phase === 'idle' && !view.runId ? { ...view, steps: pendingSteps(action.steps) } : view;
    case 'begin':
      return {
        ...view,
        phase: 'running',
        mode: action.mode,
        failure: undefined,
        nextTitle: undefined,
        notice: undefined,
        dryRunText: action.mode === 'dryRun' ? view.dryRunText : undefined,
        findings: action.mode === 'fix' ? view.findings : [],
        fixes: action.mode === 'fix' ? view.fixes : [],
      };
    case 'event':
      return applyEvent(view, action.event);
    case 'cancelRequested':
      return view.phase === 'running' ? { ...view, phase: 'cancelling' } : view;
    case 'dryRun':
      return {
        ...view,
        phase: 'idle',
        mode: 'dryRun',
        runId: undefined,
        startedAt: undefined,
        durationMs: undefined,
        failure: undefined,
        transcript: false,
        dryRunText: action.dryRun.text,
        steps: action.dryRun.steps.map((s) => ({
          id: s.id,
          title: s.title,
          state: 'pending',
          note: s.check ? `Already done when: ${s.check}` : undefined,
          nodes: (s.nodes ?? []).map((name) => ({ name, state: 'pending' })),
          output: s.commands.map((c) => ({
            stream: 'command' as const,
            text: `${c.sudo ? 'sudo ' : ''}${c.command}${c.when ? `   # only ${c.when}` : ''}`,
            node: c.node,
          })),
          outputDropped: 0,
        })),
      };
    case 'report':
      return { ...view, findings: action.findings, fixes: action.fixes };
    case 'fixesApplied': {
      const applied = new Set(action.ids);
      return {
        ...view,
        findings: view.findings.filter((f) => !f.fixId || !applied.has(f.fixId)),
        fixes: view.fixes.filter((f) => !applied.has(f.id)),
      };
    }
    case 'managerUrl':
      return action.url ? { ...view, managerUrl: action.url } : view;
    case 'transcript':
      return { ...view, transcript: action.available };
    case 'inputs':
      return { ...view, inputs: action.inputs };
    case 'problems':
      return { ...view, problems: action.problems };
    case 'notice':
      return { ...view, notice: action.text };
    case 'checklist':
      return { ...view, checklist: action.items };
    case 'startFailed':
      return {
        ...view,
        // Refused before it began (the lock, the spec): the last run's phase stays; a run that began failed.
        phase: view.phase === 'running' || view.phase === 'cancelling' ? 'failed' : view.phase,
        failure: {
          stepTitle: 'Start',
          message: action.message,
          outputTail: [],
          hint: hintInPanel(view.kind, action.hint),
        },
      };
    case 'restored':
      return view.phase === 'running' || view.phase === 'cancelling'
        ? {
            ...view,
            phase: 'interrupted',
            notice: `The window reloaded while this ran: its remote work may have stopped. ${continueLabel(view.kind)} to continue.`,
          }
        : view;
  }
}

/** Steps and nodes that finished, for the progress notification's message. */
export function progressOf(view: WizardView): { done: number; total: number; current?: string } {
  const total = view.steps.length;
  const done = view.steps.filter((s) => s.state === 'succeeded' || s.state === 'skipped').length;
  const current = view.steps.find((s) => s.state === 'running')?.title;
  return { done, total, current };
}
