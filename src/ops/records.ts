// What a run reports and keeps: its events, failures, transcript records and dry runs. Plain data (no ports),
// so the webview protocol and the transcript reader can use them.

export type OperationName =
  | 'preflight'
  | 'fix'
  | 'join'
  | 'deploy'
  | 'register'
  | 'deregister'
  | 'add-node'
  | 'remove-node'
  | 'replace-node'
  | 'drill'
  | 'install'
  | 'configure-lb'
  | 'configure-agents'
  | 'validate-cluster'
  | 'diagnostics'
  | 'reset'
  | 'delete';

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
    | {
        type: 'runStarted';
        operation: OperationName;
        cluster: string;
        /** The node a node-level operation works on. */
        node?: string;
        steps: StepSummary[];
      }
    | { type: 'stepStarted'; step: string; node?: string }
    | { type: 'command'; step: string; node: string; command: string; sudo: boolean; seq: number }
    | {
        type: 'output';
        step: string;
        node?: string;
        stream: 'stdout' | 'stderr' | 'info';
        line: string;
        /** The command (its `seq`) whose output this is; absent for a step's own lines. */
        seq?: number;
      }
    | { type: 'skipped'; step: string; node?: string; reason: string }
    | { type: 'succeeded'; step: string; node?: string; durationMs: number; summary?: string }
    | { type: 'failed'; step: string; node?: string; durationMs: number; failure: FailureInfo }
    | { type: 'cancelled'; step: string; node?: string; durationMs: number }
    | { type: 'runFinished'; outcome: RunOutcome; durationMs: number; failure?: FailureInfo }
    /** Structured progress a step reports (the drill's timeline), kept in the transcript under `key`. */
    | { type: 'report'; step: string; key: string; value: unknown }
  );

export interface StepSummary {
  id: string;
  title: string;
  nodes?: string[];
  /** A check of its own (continueOnFailure): when it fails the run goes on, and its failure says what to do. */
  check?: boolean;
}

export interface TranscriptCommand {
  /** The command's number in the run (events of its output carry it too). */
  seq: number;
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
  /** The node a node-level operation works on. */
  node?: string;
  dryRun: boolean;
  startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  outcome?: RunOutcome;
  /**
   * Whether a step that changes things ran (was started past its check): false while only read-only steps
   * ran (a survey, a check, a declined confirmation). A failed run that changed nothing leaves the cluster's
   * state as the live cluster says. Absent in transcripts written before it existed.
   */
  changed?: boolean;
  steps: TranscriptStep[];
  commands: TranscriptCommand[];
  failure?: FailureInfo;
  /** The steps' structured reports by key, as last reported (the drill's timeline). */
  reports?: Record<string, unknown>;
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

export interface DryRunStep {
  id: string;
  title: string;
  nodes?: string[];
  parallel: boolean;
  /** Runs after a failed step or a cancel too. */
  always?: boolean;
  /** A check: the steps after it run even when it fails. */
  continueOnFailure?: boolean;
  check?: string;
  proof?: string;
  commands: PlannedCommand[];
}

export interface DryRun {
  operation: OperationName;
  cluster: string;
  node?: string;
  steps: DryRunStep[];
  /** The same as text, one command per line, for the wizard and the transcript. */
  text: string;
}

// ---- preflight ----
