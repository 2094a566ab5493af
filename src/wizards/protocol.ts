/**
 * Messages between a wizard panel (extension side) and its webview, and the view state the webview draws.
 * Both sides validate what they receive: a webview is untrusted input, and a stale webview after an update
 * may speak an older protocol. Every type here is inferred from its schema in protocol-schema.ts, so the
 * shape and its check are one definition. Pure: imported by the extension and bundled into the webview.
 * Nothing secret ever travels here: output and failures arrive masked from the engine, and inputs travel
 * only from the webview to the host, which stores them in secret storage and never echoes them back.
 */
import * as v from 'valibot';
import type { FailureInfo } from '../ops';
import type {
  ChecklistItemSchema,
  DiagnosticsSchema,
  InputKey,
  InputKind,
  FailureSchema,
  FindingSchema,
  FixSchema,
  InputSchema,
  NodeRowSchema,
  OutputLineSchema,
  StepSchema,
} from './protocol-schema';
import {
  COMMAND_NAMES,
  HostToWebviewSchema,
  INPUT_KINDS,
  MAX_INPUT_LENGTH,
  OUTPUT_STREAMS,
  PersistedPanelSchema,
  PHASES,
  REGISTRATION_STATES,
  RUN_MODES,
  STEP_STATES,
  WebviewToHostSchema,
  WIZARD_KINDS,
  WizardViewSchema,
} from './protocol-schema';

export {
  COMMAND_NAMES,
  INPUT_KINDS,
  MAX_INPUT_LENGTH,
  OUTPUT_STREAMS,
  PHASES,
  REGISTRATION_STATES,
  RUN_MODES,
  STEP_STATES,
  WIZARD_KINDS,
};

export type WizardKind = (typeof WIZARD_KINDS)[number];
export type { InputKey, InputKind } from './protocol-schema';

export function inputKindOf(key: InputKey): InputKind {
  return key.startsWith('sshPassword:') ? 'sshPassword' : (key as InputKind);
}

/** Panels that only look (or collect): a failed or cancelled run is run again, not resumed. */
const READ_ONLY_KINDS: ReadonlySet<WizardKind> = new Set<WizardKind>([
  'preflight',
  'validate-cluster',
  'diagnostics',
]);

/** The button a panel offers after a failed, cancelled or interrupted run. */
export function continueLabel(kind: WizardKind): 'Resume' | 'Run again' {
  return READ_ONLY_KINDS.has(kind) ? 'Run again' : 'Resume';
}

/**
 * An operation's hint as the panel says it: the engine's word for going on is "resume" (the CLI's too), the
 * panel names the button it offers — "Run again" where it offers no Resume.
 */
export function hintInPanel(kind: WizardKind, hint: string): string {
  if (continueLabel(kind) === 'Resume') return hint;
  return hint.replace(/\bresume\b/g, 'run again').replace(/\bResume\b/g, 'Run again');
}
export type StepState = (typeof STEP_STATES)[number];
export type Phase = (typeof PHASES)[number];
export type RunMode = (typeof RUN_MODES)[number];
export type RegistrationState = (typeof REGISTRATION_STATES)[number];
export type OutputStream = (typeof OUTPUT_STREAMS)[number];
export type CommandName = (typeof COMMAND_NAMES)[number];

export type OutputLineView = v.InferOutput<typeof OutputLineSchema>;
export type NodeRowView = v.InferOutput<typeof NodeRowSchema>;
export type StepView = v.InferOutput<typeof StepSchema>;
export type FailureView = v.InferOutput<typeof FailureSchema>;
export type InputView = v.InferOutput<typeof InputSchema>;
export type FindingView = v.InferOutput<typeof FindingSchema>;
export type FixView = v.InferOutput<typeof FixSchema>;
export type ChecklistItemView = v.InferOutput<typeof ChecklistItemSchema>;
export type DiagnosticsView = v.InferOutput<typeof DiagnosticsSchema>;
export type WizardView = v.InferOutput<typeof WizardViewSchema>;
export type WebviewToHost = v.InferOutput<typeof WebviewToHostSchema>;
export type HostToWebview = v.InferOutput<typeof HostToWebviewSchema>;
/** A value typed in the panel and sent with Start or Resume. */
export type TypedInput = NonNullable<Extract<WebviewToHost, { type: 'command' }>['inputs']>[number];

/** What the webview keeps with setState, and the serializer hands back after a reload. */
export type PersistedPanelState = v.InferOutput<typeof PersistedPanelSchema> & { view?: WizardView };

// The panel shows the engine's failure as it is, less the internal step id: a compile error if they part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type _FailureViewIsTheEngines = Same<FailureView, Omit<FailureInfo, 'step'>> extends true ? true : never;
const _failureCheck: _FailureViewIsTheEngines = true;

/** A rejected message costs no more than its first problem. */
const FIRST_ISSUE = { abortEarly: true } as const;

function parse<T extends v.GenericSchema>(schema: T, value: unknown): v.InferOutput<T> | undefined {
  const result = v.safeParse(schema, value, FIRST_ISSUE);
  return result.success ? result.output : undefined;
}

/** Returns the message when it is a well-formed WebviewToHost, else undefined. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  return parse(WebviewToHostSchema, value);
}

/** Returns the message when it is a well-formed HostToWebview, else undefined. */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  return parse(HostToWebviewSchema, value);
}

/** Whether a value is a well-formed WizardView (what the webview draws and keeps with setState). */
export function isWizardView(value: unknown): value is WizardView {
  return v.is(WizardViewSchema, value);
}

/** A saved panel state; its view only when it is well-formed and of the same wizard. */
export function parsePersistedState(value: unknown): PersistedPanelState | undefined {
  const state = parse(PersistedPanelSchema, value);
  if (!state) return undefined;
  const view = parse(WizardViewSchema, (value as { view?: unknown }).view);
  return { ...state, view: view?.kind === state.kind ? view : undefined };
}

/** Line breaks and other control characters (C0 and DEL). */
const hasControl = (text: string) =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Checks an input before it is stored; returns what is wrong in one sentence, or undefined when it is fine.
 * The webview runs it while the user types, the host again on receipt.
 */
export function validateInput(key: InputKey, value: string): string | undefined {
  if (value.length === 0) return 'Enter a value.';
  if (value.length > MAX_INPUT_LENGTH) return `At most ${MAX_INPUT_LENGTH} characters.`;
  switch (inputKindOf(key)) {
    case 'sshPassword':
    case 'sudoPassword':
      // sudo -S reads one line: a line break would end the password early.
      if (hasControl(value)) return 'A password cannot contain line breaks or control characters.';
      return undefined;
    case 'managerPassword':
      if (hasControl(value)) return 'A password cannot contain line breaks or control characters.';
      if (value.length < 8) return 'The Gateway Manager password needs at least 8 characters.';
      if (value.trim() !== value) return 'The password starts or ends with a space; remove it.';
      return undefined;
    case 'activationToken':
      if (/\s/.test(value) || hasControl(value))
        return 'A token has no spaces or line breaks: copy it again from Setup › Management Profiles.';
      if (value.length < 8) return 'That is too short for an activation token.';
      return undefined;
    case 'proxyCredentials':
      if (hasControl(value)) return 'Credentials cannot contain line breaks or control characters.';
      if (!/^[^:]+:/.test(value)) return 'Enter them as user:password.';
      return undefined;
    case 'installKey':
    case 'agentInstallKey':
      // It goes into a response file, one `Key=value` line.
      if (/\s/.test(value) || hasControl(value) || value.includes('\\'))
        return 'An install key has no spaces, line breaks or backslashes: copy it again from Downloads and Keys.';
      return undefined;
    case 'gatewayPassword':
      if (hasControl(value) || value.includes('\\'))
        return 'The response file cannot carry a line break, a control character or a backslash in the password.';
      if (value.trim() !== value) return 'The password starts or ends with a space; remove it.';
      return undefined;
  }
}

/** Inputs arrive as typed or pasted: a pasted token often brings a line break along. */
export function normalizeInput(key: InputKey, value: string): string {
  return key === 'activationToken' || key === 'installKey' || key === 'agentInstallKey'
    ? value.trim()
    : value;
}
