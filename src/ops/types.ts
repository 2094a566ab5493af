// The plan model, the runner's events and the transcript format.
import type { ClusterModel, NodeModel } from '../cluster-spec/types';
import type { ClusterApi, NodeCommand, NodeExecResult } from './ports';

export type OperationName = 'preflight' | 'fix' | 'join' | 'deploy' | 'register' | 'deregister';

/** Why a step may be skipped, or undefined when it has work to do. */
export type CheckResult = string | undefined;

export interface ExecOptions {
  stdin?: string;
  sudo?: boolean;
  timeoutMs?: number;
  /** Exit codes that count as success (default [0]); others throw a StepFailure. */
  okCodes?: readonly number[] | 'any';
  /** The output carries credentials: it is neither streamed nor recorded. */
  secretOutput?: boolean;
  /** Shown in the transcript and the dry run instead of the stdin content. */
  stdinLabel?: string;
  /** Maps a failing exit code to a message and what to do next. */
  explain?: (result: NodeExecResult) => { message: string; hint: string } | undefined;
}

/** What a step may use while it runs (one per step and node). */
export interface StepContext {
  readonly model: ClusterModel;
  readonly signal: AbortSignal;
  /** Data shared between the steps of one run (preflight report, join URL, ...). */
  readonly shared: Map<string, unknown>;
  exec(node: NodeModel, command: NodeCommand, options?: ExecOptions): Promise<NodeExecResult>;
  /** The cluster's Kubernetes API (connected on first use from the stored kubeconfig). */
  cluster(): Promise<ClusterApi>;
  /** A secret from secret storage, registered with the masker; throws a clear error when missing. */
  secret(key: string, what: string): Promise<string>;
  /** Registers a runtime secret (a join token) so that nothing shows it. */
  addSecret(value: string): void;
  /** An informational output line of the step. */
  log(line: string, node?: NodeModel): void;
  /** Waits for a watched condition, with a timeout and cancellation. */
  waitFor<T>(
    what: string,
    subscribe: (onValue: (value: T) => void, onError: (err: Error) => void) => { stop(): void },
    done: (value: T) => boolean | Error,
    timeoutMs: number,
  ): Promise<T>;
}

/** A command as the dry run shows it: masked, exact. */
export interface PlannedCommand {
  node: string;
  command: string;
  sudo?: boolean;
  stdin?: string;
  /** When the command runs at all ("only when the hostname differs"). */
  when?: string;
}

/** What a dry run gets to build its commands with: the model and a masker for placeholders. */
export interface PreviewContext {
  readonly model: ClusterModel;
  /** Turns a command into its masked display text. */
  show(command: NodeCommand): string;
  /** A placeholder secret (registered with the masker, so it displays masked). */
  placeholderSecret(): string;
}

export interface Step {
  id: string;
  title: string;
  /** Sub-rows: the nodes the step works on; undefined for a cluster-level step. */
  nodes?: readonly NodeModel[];
  /** Per-node work runs on all nodes at once (true) or one node at a time (false, the default). */
  parallel?: boolean;
  /** The step only looks (preflight): its success does not count as a change made by the run. */
  readOnly?: boolean;
  /** How the step tells that its effect is there already (shown in the dry run). */
  checkText?: string;
  /** How the step proves success (shown in the dry run). */
  proofText?: string;
  check?(ctx: StepContext, node?: NodeModel): Promise<CheckResult>;
  run(ctx: StepContext, node?: NodeModel): Promise<string | void>;
  /** After the per-node work (even when a node failed, not when cancelled): aggregate and decide. */
  finish?(ctx: StepContext): Promise<string | void>;
  preview(ctx: PreviewContext, node?: NodeModel): PlannedCommand[];
}

export interface Plan {
  operation: OperationName;
  cluster: string;
  model: ClusterModel;
  steps: Step[];
}

export type StepState = 'pending' | 'running' | 'skipped' | 'succeeded' | 'failed' | 'cancelled';
export type RunOutcome = 'succeeded' | 'failed' | 'cancelled';

/** A failure as events, errors and transcripts carry it: already masked. */
export interface FailureInfo {
  step: string;
  stepTitle: string;
  node?: string;
  command?: string;
  exitCode?: number | null;
  message: string;
  outputTail: string[];
  hint: string;
}

interface EventBase {
  runId: string;
  /** ms since the epoch. */
  at: number;
}

export type RunEvent = EventBase &
  (
    | { type: 'runStarted'; operation: OperationName; cluster: string; steps: StepSummary[] }
    | { type: 'stepStarted'; step: string; node?: string }
    | { type: 'command'; step: string; node: string; command: string; sudo: boolean }
    | { type: 'output'; step: string; node?: string; stream: 'stdout' | 'stderr' | 'info'; line: string }
    | { type: 'skipped'; step: string; node?: string; reason: string }
    | { type: 'succeeded'; step: string; node?: string; durationMs: number; summary?: string }
    | { type: 'failed'; step: string; node?: string; durationMs: number; failure: FailureInfo }
    | { type: 'cancelled'; step: string; node?: string; durationMs: number }
    | { type: 'runFinished'; outcome: RunOutcome; durationMs: number; failure?: FailureInfo }
  );

export interface StepSummary {
  id: string;
  title: string;
  nodes?: string[];
}

export interface TranscriptCommand {
  step: string;
  node: string;
  command: string;
  sudo: boolean;
  stdin?: string;
  startedAt: number;
  durationMs?: number;
  exitCode?: number | null;
  /** Masked output lines (the last ones, when a command printed very much). */
  output: string[];
  outputHidden?: boolean;
  error?: string;
}

export interface TranscriptStep {
  id: string;
  title: string;
  state: StepState;
  startedAt?: number;
  durationMs?: number;
  nodes: Record<string, { state: StepState; durationMs?: number; reason?: string; summary?: string }>;
  reason?: string;
  summary?: string;
  log: string[];
  failure?: FailureInfo;
}

export interface TranscriptRecord {
  version: 1;
  runId: string;
  operation: OperationName;
  cluster: string;
  dryRun: boolean;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  outcome?: RunOutcome;
  steps: TranscriptStep[];
  commands: TranscriptCommand[];
  failure?: FailureInfo;
}

export interface DryRunStep {
  id: string;
  title: string;
  nodes?: string[];
  parallel: boolean;
  check?: string;
  proof?: string;
  commands: PlannedCommand[];
}

export interface DryRun {
  operation: OperationName;
  cluster: string;
  steps: DryRunStep[];
  /** The same as text, one command per line, for the wizard and the transcript. */
  text: string;
}

// ---- preflight ----

export type PreflightCheck =
  | 'reachable'
  | 'hostname'
  | 'uniqueHostnames'
  | 'address'
  | 'size'
  | 'microk8s'
  | 'nameResolution'
  | 'reachability'
  | 'timeSync'
  | 'root';

export type Fix =
  | { kind: 'appendHosts'; node: string; lines: string[] }
  | { kind: 'setHostname'; node: string; hostname: string };

export interface PreflightFinding {
  node: string;
  check: PreflightCheck;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** What to do next, in one sentence. */
  hint?: string;
  fix?: Fix;
  /** The operator must give an input (the sudo password) before steps that need root. */
  needsInput?: 'sudoPassword';
}

export interface PreflightNodeReport {
  node: string;
  address: string;
  reachable: boolean;
  hostname?: string;
  /** Spec hostnames of other nodes that this node resolves to the wrong address or not at all. */
  unresolved: string[];
  sudoWithoutPassword?: boolean;
  durationMs: number;
}

export interface PreflightReport {
  nodes: PreflightNodeReport[];
  findings: PreflightFinding[];
  /** No findings of severity error. */
  ok: boolean;
}
