/**
 * The one definition of the wizard webview protocol: each message and the view state as a valibot schema,
 * with its limits (string lengths, array sizes, the Gateway Manager link's pattern). The TypeScript types in
 * protocol.ts are inferred from these, and both sides validate what they receive with them.
 * Views from the host are plain objects (unknown keys are dropped); messages from the webview are strict
 * objects (an unknown key rejects the message): a webview is untrusted input.
 */
import * as v from 'valibot';

export const WIZARD_KINDS = [
  'preflight',
  'join',
  'deploy',
  'register',
  'add-node',
  'remove-node',
  'replace-node',
  'drill',
  'install',
  'configure-lb',
  'configure-agents',
  'deregister',
  'validate-cluster',
  'diagnostics',
  'reset',
  'delete',
  'migrate',
  'rollback',
] as const;
/** What an input is; one field per secret, so an SSH password's key also names its secret (`sshPassword:NAME`). */
export const INPUT_KINDS = [
  'sshPassword',
  'sudoPassword',
  'managerPassword',
  'activationToken',
  'proxyCredentials',
  'installKey',
  'gatewayPassword',
  'agentInstallKey',
] as const;
/** `sshPassword:NAME` (NAME as the spec's secret names go) or one of the other kinds. */
export const INPUT_KEY_PATTERN =
  /^(?:sshPassword:[A-Za-z0-9._-]{1,128}|sudoPassword|managerPassword|activationToken|proxyCredentials|installKey|gatewayPassword|agentInstallKey)$/;
export const STEP_STATES = ['pending', 'running', 'skipped', 'succeeded', 'failed', 'cancelled'] as const;
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
export const RUN_MODES = ['run', 'dryRun', 'fix'] as const;
export const REGISTRATION_STATES = ['pending', 'connecting', 'connected', 'failed', 'disconnected'] as const;
export const OUTPUT_STREAMS = ['stdout', 'stderr', 'info', 'command'] as const;
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export const COMMAND_NAMES = [
  'start',
  'cancel',
  'resume',
  'dryRun',
  'openTranscript',
  'openManager',
  'openSpec',
  'openNext',
  'revealDiagnostics',
] as const;

/** The longest value any input accepts (characters). */
export const MAX_INPUT_LENGTH = 8192;

// Limits: names and ids are short, prose and output lines may be long, nothing is unbounded.
const text = (max = 100_000) => v.pipe(v.string(), v.maxLength(max));
const list = <T extends v.GenericSchema>(item: T, max = 10_000) => v.pipe(v.array(item), v.maxLength(max));
const time = v.pipe(v.number(), v.finite());
const NAME = 300;
const ID = 200;
const URI = 4000;

export type InputKind = (typeof INPUT_KINDS)[number];
/** An input's key: its kind, and for an SSH password also the secret it fills (`sshPassword:NAME`). */
export type InputKey = Exclude<InputKind, 'sshPassword'> | `sshPassword:${string}`;
const inputKey = v.custom<InputKey>(
  (x) => typeof x === 'string' && x.length <= 200 && INPUT_KEY_PATTERN.test(x),
  'not an input key',
);

export const OutputLineSchema = v.object({
  stream: v.picklist(OUTPUT_STREAMS),
  text: text(),
  node: v.optional(text(NAME)),
  /** The command the line belongs to (its number in the run), so concurrent commands' lines stay apart. */
  command: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});

export const NodeRowSchema = v.object({
  name: text(NAME),
  state: v.picklist(STEP_STATES),
  startedAt: v.optional(time),
  durationMs: v.optional(time),
  /** Why it was skipped, or what it achieved. */
  note: v.optional(text()),
});

export const StepSchema = v.object({
  id: text(NAME),
  title: text(1000),
  state: v.picklist(STEP_STATES),
  startedAt: v.optional(time),
  durationMs: v.optional(time),
  note: v.optional(text()),
  nodes: list(NodeRowSchema, 1000),
  /** The step's latest output lines (masked by the engine), oldest first. */
  output: list(OutputLineSchema),
  /** How many earlier lines were dropped to keep the panel light. */
  outputDropped: time,
});

/** A failure as the panel shows it: the engine's (already masked) failure, less the internal step id. */
export const FailureSchema = v.object({
  stepTitle: text(),
  node: v.optional(text()),
  command: v.optional(text()),
  exitCode: v.optional(v.nullable(time)),
  message: text(),
  outputTail: list(text()),
  hint: text(),
});

export const InputSchema = v.object({
  key: inputKey,
  label: text(NAME),
  /** The spec's secret name the value is stored under (a name, never the value). */
  secretName: text(NAME),
  required: v.boolean(),
  /** When the field is optional: when it is needed (shown as its placeholder). */
  optionalNote: v.optional(text(NAME)),
  stored: v.boolean(),
  /** The user chose "Change": ask again although a value is stored. */
  editing: v.boolean(),
  /** Not stored for this cluster, but for another one (named here): the panel offers it, with consent. */
  elsewhere: v.optional(text(URI)),
  error: v.optional(text(1000)),
  /** A view never carries an input's value: a view that does is rejected, not just stripped. */
  value: v.exactOptional(v.never()),
});

export const FindingSchema = v.object({
  node: text(NAME),
  severity: v.picklist(SEVERITIES),
  message: text(),
  hint: v.optional(text()),
  /** Set when the finding has a fix the panel can apply. */
  fixId: v.optional(text(ID)),
});

export const FixSchema = v.object({ id: text(ID), node: text(NAME), label: text(2000) });

export const RegistrationSchema = v.object({
  state: v.picklist(REGISTRATION_STATES),
  message: v.optional(text()),
});

/** The drill's timeline as the panel shows it: offsets from the stop, labels, and what governs them. */
export const TimelineSchema = v.object({
  entries: list(v.object({ offset: text(NAME), label: text(1000), kind: text(NAME) }), 500),
  explanation: list(text(), 20),
  outcome: v.optional(text(NAME)),
});

/** A guided flow's item (migrate, roll back): the user's checkbox, or the extension's run. */
export const ChecklistItemSchema = v.object({
  id: text(ID),
  text: text(2000),
  by: v.picklist(['you', 'extension']),
  done: v.boolean(),
  hint: v.optional(text(2000)),
  /** What stands in the item's way now (migrate: the cluster is registered already). */
  warning: v.optional(text(2000)),
});

/** What a diagnostics run kept on this machine. */
export const DiagnosticsSchema = v.object({
  folder: text(URI),
  files: list(
    v.object({ node: v.optional(text(NAME)), file: text(URI), bytes: time, sha256: text(64) }),
    2000,
  ),
  missing: list(v.object({ node: v.optional(text(NAME)), what: text(NAME), reason: text(2000) }), 1000),
});

export const WizardViewSchema = v.object({
  kind: v.picklist(WIZARD_KINDS),
  /** The node a node-level operation works on. */
  node: v.optional(text(NAME)),
  /** remove-node by force (the node is gone for good). */
  force: v.optional(v.boolean()),
  timeline: v.optional(TimelineSchema),
  checklist: v.optional(list(ChecklistItemSchema, 50)),
  diagnostics: v.optional(DiagnosticsSchema),
  title: text(1000),
  cluster: text(1000),
  /** The spec file, as shown to the user (workspace-relative). */
  specLabel: text(URI),
  phase: v.picklist(PHASES),
  mode: v.optional(v.picklist(RUN_MODES)),
  runId: v.optional(text(NAME)),
  startedAt: v.optional(time),
  durationMs: v.optional(time),
  steps: list(StepSchema, 500),
  failure: v.optional(FailureSchema),
  /** The whole plan as text with the exact (masked) commands, after a dry run. */
  dryRunText: v.optional(text(2_000_000)),
  inputs: list(InputSchema, 10),
  findings: list(FindingSchema, 2000),
  fixes: list(FixSchema, 2000),
  registration: v.optional(RegistrationSchema),
  /** https://FLOATING_IP:PORT, for deploy and register: the link opens in the browser, so https only. */
  managerUrl: v.optional(v.pipe(text(NAME), v.regex(/^https:\/\/[^\s"'<>]+$/))),
  /** The last real run (kept when a dry run replaces the steps on screen). */
  lastRun: v.optional(
    v.object({ outcome: v.picklist(['succeeded', 'failed', 'cancelled']), startedAt: time }),
  ),
  /** After a successful run: the title of the procedure's next operation (its wizard opens with openNext). */
  nextTitle: v.optional(text(NAME)),
  /** A transcript file exists for runId. */
  transcript: v.boolean(),
  /** Why the operation cannot run (a spec that fails the engine's own checks). */
  problems: list(text()),
  notice: v.optional(text()),
});

export const WebviewToHostSchema = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.strictObject({
    type: v.literal('command'),
    name: v.picklist(COMMAND_NAMES),
    /** Start and Resume carry what is typed and not saved yet: it is stored and used (nothing is ignored). */
    inputs: v.optional(list(v.strictObject({ key: inputKey, value: text(MAX_INPUT_LENGTH) }), 10)),
  }),
  v.strictObject({
    type: v.literal('input'),
    key: inputKey,
    value: text(MAX_INPUT_LENGTH),
  }),
  v.strictObject({ type: v.literal('changeInput'), key: inputKey }),
  v.strictObject({ type: v.literal('useStoredElsewhere'), key: inputKey }),
  v.strictObject({ type: v.literal('applyFixes'), ids: list(text(ID), 1000) }),
  /** A guided flow's checkbox ticked or cleared by the user. */
  v.strictObject({ type: v.literal('check'), id: text(ID), done: v.boolean() }),
]);

export const HostToWebviewSchema = v.strictObject({
  type: v.literal('state'),
  view: WizardViewSchema,
  /** The spec the panel is for: kept with setState so the panel restores after a reload. */
  specUri: text(URI),
  /** The host's clock when sent: the webview measures elapsed times against it. */
  sentAt: time,
});

/** What the webview keeps with setState, less the view (checked on its own, see parsePersistedState). */
export const PersistedPanelSchema = v.object({
  kind: v.picklist(WIZARD_KINDS),
  specUri: text(URI),
  /** Steps whose output the user opened or closed by hand (the webview's own; a bad one is forgotten). */
  expanded: v.fallback(v.optional(v.record(text(NAME), v.boolean())), undefined),
});
