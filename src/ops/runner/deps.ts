// What a run needs from its host, and the timeouts it applies.
import type { Confirmation } from '../plan';
import type {
  FileTransfer,
  ArtifactStore,
  ClusterApiSource,
  HttpsProbe,
  LocalClusterState,
  Clock,
  HostKeyPort,
  KubeconfigStore,
  NodeRunner,
  SecretMasker,
  SecretSource,
  TranscriptSink,
} from '../ports';
import type { FailureInfo, RunEvent, RunOutcome, TranscriptRecord } from '../records';
import type { OperationError } from '../errors';

export interface Timeouts {
  /** Default for a command (ms). */
  command: number;
  /** Long commands: join, enable, helm, restarts. */
  long: number;
  /** Waiting for nodes/pods/services through the API. */
  wait: number;
  /** Waiting for the Gateway Manager to answer a registration (10 minutes by contract). */
  registration: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  command: 60_000,
  long: 15 * 60_000,
  wait: 15 * 60_000,
  registration: 10 * 60_000,
};

export interface EngineDeps {
  nodes: NodeRunner;
  /** The secrets the spec names, scoped to its cluster. */
  secrets: SecretSource;
  kubeconfig: KubeconfigStore;
  api: ClusterApiSource;
  /** Shared with the SSH layer, so both scrub the same values. */
  masker: SecretMasker;
  clock?: Clock;
  sink?: TranscriptSink;
  onEvent?: (event: RunEvent) => void;
  timeouts?: Partial<Timeouts>;
  randomBytes?: (n: number) => Buffer;
  /** Asks the operator during a run (a modal in the editor, the terminal in the CLI); absent: nobody to ask. */
  confirm?: (question: Confirmation) => Promise<boolean>;
  /** Reads and records SSH host keys (replace-node). */
  hostKeys?: HostKeyPort;
  /** SFTP uploads (install, configure-agents); a run without it fails the step that needs one. */
  files?: FileTransfer;
  /** HTTPS GETs from this machine (validate-cluster's Gateway Manager check). */
  https?: HttpsProbe;
  /** Where collections go on this machine (diagnostics). */
  artifacts?: ArtifactStore;
  /** What this machine keeps for the cluster (delete forgets it). */
  local?: LocalClusterState;
}

export interface RunOptions {
  signal?: AbortSignal;
}

export interface RunResult {
  runId: string;
  outcome: RunOutcome;
  failure?: FailureInfo;
  /** The failure as an Error with a readable, masked message. */
  error?: OperationError;
  transcript: TranscriptRecord;
  /** What steps left for the caller (e.g. 'preflight' → PreflightReport). */
  shared: Map<string, unknown>;
}

export function timeoutsOf(deps: { timeouts?: Partial<Timeouts> }): Timeouts {
  return { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
}

/** Thrown inside a run when its signal aborted: the unit ends as cancelled, not failed. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}
