/**
 * Messages between a wizard panel (extension side) and its webview, and the view state the webview draws.
 * Both sides validate what they receive: a webview is untrusted input, and a stale webview after an update
 * may speak an older protocol. Pure: imported by the extension and bundled into the webview.
 * Nothing secret ever travels here: output and failures arrive masked from the engine, and inputs travel
 * only from the webview to the host, which stores them in secret storage and never echoes them back.
 */

import type { FailureInfo } from '../ops';

export const WIZARD_KINDS = ['preflight', 'join', 'deploy', 'register'] as const;
export type WizardKind = (typeof WIZARD_KINDS)[number];

export const INPUT_KEYS = ['sudoPassword', 'managerPassword', 'activationToken'] as const;
export type InputKey = (typeof INPUT_KEYS)[number];

export const STEP_STATES = ['pending', 'running', 'skipped', 'succeeded', 'failed', 'cancelled'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Where the panel's run is: `interrupted` is a run that was going when the window reloaded. */
export const PHASES = [
  'idle',
  'running',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
] as const;
export type Phase = (typeof PHASES)[number];

export const RUN_MODES = ['run', 'dryRun', 'fix'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const REGISTRATION_STATES = ['pending', 'connecting', 'connected', 'failed', 'disconnected'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

export const OUTPUT_STREAMS = ['stdout', 'stderr', 'info', 'command'] as const;
export type OutputStream = (typeof OUTPUT_STREAMS)[number];

export interface OutputLineView {
  stream: OutputStream;
  text: string;
  node?: string;
}

export interface NodeRowView {
  name: string;
  state: StepState;
  startedAt?: number;
  durationMs?: number;
  /** Why it was skipped, or what it achieved. */
  note?: string;
}

export interface StepView {
  id: string;
  title: string;
  state: StepState;
  startedAt?: number;
  durationMs?: number;
  note?: string;
  nodes: NodeRowView[];
  /** The step's latest output lines (masked by the engine), oldest first. */
  output: OutputLineView[];
  /** How many earlier lines were dropped to keep the panel light. */
  outputDropped: number;
}

/** A failure as the panel shows it: the engine's (already masked) failure, less the internal step id. */
export type FailureView = Omit<FailureInfo, 'step'>;

export interface InputView {
  key: InputKey;
  label: string;
  /** The spec's secret name the value is stored under (a name, never the value). */
  secretName: string;
  required: boolean;
  stored: boolean;
  /** The user chose "Change": ask again although a value is stored. */
  editing: boolean;
  error?: string;
}

export interface FindingView {
  node: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  hint?: string;
  /** Set when the finding has a fix the panel can apply. */
  fixId?: string;
}

export interface FixView {
  id: string;
  node: string;
  label: string;
}

export interface WizardView {
  kind: WizardKind;
  title: string;
  cluster: string;
  /** The spec file, as shown to the user (workspace-relative). */
  specLabel: string;
  phase: Phase;
  mode?: RunMode;
  runId?: string;
  startedAt?: number;
  durationMs?: number;
  steps: StepView[];
  failure?: FailureView;
  /** The whole plan as text with the exact (masked) commands, after a dry run. */
  dryRunText?: string;
  inputs: InputView[];
  findings: FindingView[];
  fixes: FixView[];
  registration?: { state: RegistrationState; message?: string };
  /** https://FLOATING_IP:PORT, for deploy and register. */
  managerUrl?: string;
  /** A transcript file exists for runId. */
  transcript: boolean;
  /** Why the operation cannot run (a spec that fails the engine's own checks). */
  problems: string[];
  notice?: string;
}

export const COMMAND_NAMES = [
  'start',
  'cancel',
  'resume',
  'dryRun',
  'openTranscript',
  'openManager',
  'openSpec',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'command'; name: CommandName }
  | { type: 'input'; key: InputKey; value: string }
  | { type: 'changeInput'; key: InputKey }
  | { type: 'applyFixes'; ids: string[] };

export type HostToWebview = {
  type: 'state';
  view: WizardView;
  /** The spec the panel is for: kept with setState so the panel restores after a reload. */
  specUri: string;
  /** The host's clock when sent: the webview measures elapsed times against it. */
  sentAt: number;
};

// ---- validation helpers ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 100_000): v is string => typeof v === 'string' && v.length <= max;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown, max?: number) => v === undefined || isStr(v, max);
const optNum = (v: unknown) => v === undefined || isNum(v);
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);
const hasOnly = (o: Obj, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));
const arrayOf = (v: unknown, check: (item: unknown) => boolean, max = 10_000) =>
  Array.isArray(v) && v.length <= max && v.every(check);

/** The longest value any input accepts (characters). */
export const MAX_INPUT_LENGTH = 8192;

/** Returns the message when it is a well-formed WebviewToHost, else undefined. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!isObj(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return hasOnly(value, ['type']) ? { type: 'ready' } : undefined;
    case 'command':
      return hasOnly(value, ['type', 'name']) && oneOf(COMMAND_NAMES, value.name)
        ? { type: 'command', name: value.name }
        : undefined;
    case 'input':
      return hasOnly(value, ['type', 'key', 'value']) &&
        oneOf(INPUT_KEYS, value.key) &&
        isStr(value.value, MAX_INPUT_LENGTH)
        ? { type: 'input', key: value.key, value: value.value }
        : undefined;
    case 'changeInput':
      return hasOnly(value, ['type', 'key']) && oneOf(INPUT_KEYS, value.key)
        ? { type: 'changeInput', key: value.key }
        : undefined;
    case 'applyFixes':
      return hasOnly(value, ['type', 'ids']) && arrayOf(value.ids, (id) => isStr(id, 200), 1000)
        ? { type: 'applyFixes', ids: [...(value.ids as string[])] }
        : undefined;
    default:
      return undefined;
  }
}

const isOutputLine = (v: unknown) =>
  isObj(v) && oneOf(OUTPUT_STREAMS, v.stream) && isStr(v.text) && optStr(v.node, 300);

const isNodeRow = (v: unknown) =>
  isObj(v) &&
  isStr(v.name, 300) &&
  oneOf(STEP_STATES, v.state) &&
  optNum(v.startedAt) &&
  optNum(v.durationMs) &&
  optStr(v.note);

const isStep = (v: unknown) =>
  isObj(v) &&
  isStr(v.id, 300) &&
  isStr(v.title, 1000) &&
  oneOf(STEP_STATES, v.state) &&
  optNum(v.startedAt) &&
  optNum(v.durationMs) &&
  optStr(v.note) &&
  arrayOf(v.nodes, isNodeRow, 1000) &&
  arrayOf(v.output, isOutputLine) &&
  isNum(v.outputDropped);

const isFailure = (v: unknown) =>
  isObj(v) &&
  isStr(v.stepTitle) &&
  optStr(v.node) &&
  optStr(v.command) &&
  (v.exitCode === undefined || v.exitCode === null || isNum(v.exitCode)) &&
  isStr(v.message) &&
  arrayOf(v.outputTail, (l) => isStr(l)) &&
  isStr(v.hint);

const isInput = (v: unknown) =>
  isObj(v) &&
  oneOf(INPUT_KEYS, v.key) &&
  isStr(v.label, 300) &&
  isStr(v.secretName, 300) &&
  typeof v.required === 'boolean' &&
  typeof v.stored === 'boolean' &&
  typeof v.editing === 'boolean' &&
  optStr(v.error, 1000) &&
  !('value' in v); // a view never carries an input's value

const isFinding = (v: unknown) =>
  isObj(v) &&
  isStr(v.node, 300) &&
  oneOf(['error', 'warning', 'info'] as const, v.severity) &&
  isStr(v.message) &&
  optStr(v.hint) &&
  optStr(v.fixId, 200);

const isFix = (v: unknown) => isObj(v) && isStr(v.id, 200) && isStr(v.node, 300) && isStr(v.label, 2000);

/** Whether a value is a well-formed WizardView (what the webview draws and keeps with setState). */
export function isWizardView(v: unknown): v is WizardView {
  return (
    isObj(v) &&
    oneOf(WIZARD_KINDS, v.kind) &&
    isStr(v.title, 1000) &&
    isStr(v.cluster, 1000) &&
    isStr(v.specLabel, 4000) &&
    oneOf(PHASES, v.phase) &&
    (v.mode === undefined || oneOf(RUN_MODES, v.mode)) &&
    optStr(v.runId, 300) &&
    optNum(v.startedAt) &&
    optNum(v.durationMs) &&
    arrayOf(v.steps, isStep, 500) &&
    (v.failure === undefined || isFailure(v.failure)) &&
    optStr(v.dryRunText, 2_000_000) &&
    arrayOf(v.inputs, isInput, 10) &&
    arrayOf(v.findings, isFinding, 2000) &&
    arrayOf(v.fixes, isFix, 2000) &&
    (v.registration === undefined ||
      (isObj(v.registration) &&
        oneOf(REGISTRATION_STATES, v.registration.state) &&
        optStr(v.registration.message))) &&
    (v.managerUrl === undefined ||
      (isStr(v.managerUrl, 300) && /^https:\/\/[^\s"'<>]+$/.test(v.managerUrl))) &&
    typeof v.transcript === 'boolean' &&
    arrayOf(v.problems, (p) => isStr(p)) &&
    optStr(v.notice)
  );
}

/** Returns the message when it is a well-formed HostToWebview, else undefined. */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  if (
    !isObj(value) ||
    value.type !== 'state' ||
    !hasOnly(value, ['type', 'view', 'specUri', 'sentAt']) ||
    !isNum(value.sentAt) ||
    !isStr(value.specUri, 4000) ||
    !isWizardView(value.view)
  ) {
    return undefined;
  }
  return { type: 'state', view: value.view, specUri: value.specUri, sentAt: value.sentAt };
}

/** What the webview keeps with setState, and the serializer hands back after a reload. */
export interface PersistedPanelState {
  kind: WizardKind;
  specUri: string;
  view?: WizardView;
}

export function parsePersistedState(value: unknown): PersistedPanelState | undefined {
  if (!isObj(value) || !oneOf(WIZARD_KINDS, value.kind) || !isStr(value.specUri, 4000)) return undefined;
  return {
    kind: value.kind,
    specUri: value.specUri,
    view: isWizardView(value.view) && value.view.kind === value.kind ? value.view : undefined,
  };
}

/** Line breaks and other control characters (C0 and DEL). */
const CONTROL = {
  test: (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
};

/**
 * Checks an input before it is stored; returns what is wrong in one sentence, or undefined when it is fine.
 * The webview runs it while the user types, the host again on receipt.
 */
export function validateInput(key: InputKey, value: string): string | undefined {
  if (value.length === 0) return 'Enter a value.';
  if (value.length > MAX_INPUT_LENGTH) return `At most ${MAX_INPUT_LENGTH} characters.`;
  switch (key) {
    case 'sudoPassword':
      // sudo -S reads one line: a line break would end the password early.
      if (CONTROL.test(value)) return 'A password cannot contain line breaks or control characters.';
      return undefined;
    case 'managerPassword':
      if (CONTROL.test(value)) return 'A password cannot contain line breaks or control characters.';
      if (value.length < 8) return 'The Gateway Manager password needs at least 8 characters.';
      if (value.trim() !== value) return 'The password starts or ends with a space; remove it.';
      return undefined;
    case 'activationToken':
      if (/\s/.test(value) || CONTROL.test(value))
        return 'A token has no spaces or line breaks: copy it again from Setup › Management Profiles.';
      if (value.length < 8) return 'That is too short for an activation token.';
      return undefined;
  }
}

/** Inputs arrive as typed or pasted: a pasted token often brings a line break along. */
export function normalizeInput(key: InputKey, value: string): string {
  return key === 'activationToken' ? value.trim() : value;
}
