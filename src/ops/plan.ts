// The plan model: a plan is named steps; each step checks, runs and previews itself through a StepContext.
import type { ClusterModel, NodeModel } from '../cluster-spec/types';
import type {
  ArtifactStore,
  ClusterApi,
  HostKeyPort,
  HttpsProbe,
  LocalClusterState,
  NodeCommand,
  NodeExecResult,
} from './ports';
import type { OperationName, PlannedCommand } from './records';

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
  /** The output is for the step to read (a batch of checks): recorded in the transcript, not streamed. */
  quiet?: boolean;
  /** Shown in the transcript and the dry run instead of the stdin content. */
  stdinLabel?: string;
  /**
   * Cleanup that must run even when the run was cancelled (e.g. revoking an unused join token): it gets its
   * own short timeout instead of the run's cancel.
   */
  cleanup?: boolean;
  /** Maps a failing exit code to a message and what to do next. */
  explain?: (result: NodeExecResult) => { message: string; hint: string } | undefined;
}

/** A decision the operator must take during a run (the engine's `confirm` port asks it). */
export interface Confirmation {
  kind: 'forceRemove' | 'replacedHostKey' | 'reset' | 'delete';
  node: string;
  /** One line: what is confirmed. */
  title: string;
  /** What to read before answering (the fingerprints, the consequences). */
  detail: string;
  /** What the operator types (or passes as `confirm`) to say yes: the node's name, the new fingerprint. */
  answer: string;
  /** How many things a reset or delete undoes (the detail lists them): a prompt without the list names it. */
  undoes?: number;
}

/** What a step may use while it runs (one per step and node). */
export interface StepContext {
  readonly model: ClusterModel;
  readonly signal: AbortSignal;
  /** Data shared between the steps of one run (preflight report, join URL, ...). */
  readonly shared: Map<string, unknown>;
  exec(node: NodeModel, command: NodeCommand, options?: ExecOptions): Promise<NodeExecResult>;
  /** Copies a local file to the node over SFTP (recorded like a command: `sftp put LOCAL HOST:REMOTE`). */
  upload(node: NodeModel, localPath: string, remotePath: string, mode: number): Promise<void>;
  /** The cluster's Kubernetes API (connected on first use from the stored kubeconfig). */
  cluster(): Promise<ClusterApi>;
  /** Keeps a kubeconfig fetched from a node as the cluster's one (secret storage, its credentials masked). */
  storeKubeconfig(text: string): Promise<void>;
  /** A secret from secret storage, registered with the masker; throws a clear error when missing. */
  secret(key: string, what: string): Promise<string>;
  /** Registers a runtime secret (a join token) so that nothing shows it. */
  addSecret(value: string): void;
  /** An informational output line of the step. */
  log(line: string, node?: NodeModel): void;
  /** Structured progress (an event now, the transcript's `reports[key]`): the drill's live timeline. */
  report(key: string, value: unknown): void;
  /** Asks the operator (false when refused, or when nothing can ask: the step then says how to confirm). */
  confirm(question: Confirmation): Promise<boolean>;
  /** Reads and records SSH host keys (replace-node); throws a StepFailure when the host provides none. */
  hostKeys(): HostKeyPort;
  /** HTTPS GETs from this machine; throws a StepFailure when the host provides none. */
  https(): HttpsProbe;
  /** Folders for collections on this machine; throws a StepFailure when the host provides none. */
  artifacts(): ArtifactStore;
  /** What this machine keeps for the cluster; throws a StepFailure when the host provides none. */
  local(): LocalClusterState;
  /** Resolves after `ms`, or rejects (CancelledError) at once when the run is cancelled. */
  sleep(ms: number): Promise<void>;
  /** Waits for a watched condition, with a timeout and cancellation. */
  waitFor<T>(
    what: string,
    subscribe: (onValue: (value: T) => void, onError: (err: Error) => void) => { stop(): void },
    done: (value: T) => boolean | Error,
    timeoutMs: number,
  ): Promise<T>;
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
  /**
   * Runs even after an earlier step failed or the run was cancelled (the drill starts MicroK8s again), with
   * a signal of its own; the run's outcome stays the earlier one.
   */
  always?: boolean;
  /**
   * A check of its own (validate-cluster's checks, diagnostics' collections): when it fails, the steps after
   * it still run; the run ends failed, with the first failure. A cancel still stops the run.
   */
  continueOnFailure?: boolean;
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
  /** The node a node-level operation works on (shown with the run, in the tree and the transcript). */
  node?: string;
  model: ClusterModel;
  steps: Step[];
}
