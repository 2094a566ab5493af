// What a command shows, in either format: the run's events, its end, the dry run, errors and notes.
// Both renderers (text-output.ts, json-output.ts) take the engine's events, which are masked already.
import { formatFailure, type DryRun, type FailureInfo, type RunEvent, type RunOutcome } from '../ops';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface OutputStreams {
  stdout: OutStream;
  stderr: OutStream;
}

export interface RunSummary {
  operation: string;
  cluster: string;
  outcome: RunOutcome;
  durationMs: number;
  /** The transcript file, or null when none was written. */
  transcript: string | null;
  failure?: FailureInfo;
  /** What to do next, when the CLI knows better than the step (a sudo password, host keys). */
  next?: string;
  /** Whether running the same command again resumes (a failed step, not refused host keys). */
  resumable: boolean;
}

export interface Output {
  event(event: RunEvent): void;
  finished(summary: RunSummary): void;
  plan(dryRun: DryRun): void;
  /** An error that ends the command with `status` (never holds a secret). */
  error(status: number, message: string): void;
  /** A line for the user beside the output (an accepted host key, "cancelling…"): stderr. */
  note(line: string): void;
  /** Takes live lines off the terminal while `work` asks a question, then draws them again. */
  aside<T>(work: () => Promise<T>): Promise<T>;
  close(): void;
}

export type StepStatus = 'started' | 'succeeded' | 'skipped' | 'failed' | 'cancelled';

/** A step event as both formats report it. */
export interface StepLine {
  step: string;
  title: string;
  /** 1-based position in the plan. */
  index: number;
  node: string | null;
  status: StepStatus;
  message: string | null;
  /** What to do, for a failed step (a check's own advice: the run went on after it). */
  hint: string | null;
  durationMs: number | null;
}

/** The plan's steps by id, learned from `runStarted`. */
export class StepIndex {
  private readonly steps = new Map<
    string,
    { index: number; title: string; nodes?: string[]; check?: boolean }
  >();
  total = 0;

  learn(event: Extract<RunEvent, { type: 'runStarted' }>): void {
    this.total = event.steps.length;
    event.steps.forEach((s, i) =>
      this.steps.set(s.id, { index: i + 1, title: s.title, nodes: s.nodes, check: s.check }),
    );
  }

  /** Whether the step works node by node (its own started event then has no live line of its own). */
  perNode(step: string): boolean {
    return Boolean(this.steps.get(step)?.nodes?.length);
  }

  /** Whether the step is a check of its own: when it fails, the run goes on and its advice is printed with it. */
  isCheck(step: string): boolean {
    return Boolean(this.steps.get(step)?.check);
  }

  /** The step event of a run event, or undefined for the others (commands, output, start, end). */
  lineOf(event: RunEvent): StepLine | undefined {
    const base = (
      status: StepStatus,
      message: string | null,
      durationMs: number | null,
      hint: string | null = null,
    ) => {
      if (!('step' in event)) return undefined;
      const step = this.steps.get(event.step);
      return {
        step: event.step,
        title: step?.title ?? event.step,
        index: step?.index ?? 0,
        node: ('node' in event ? event.node : undefined) ?? null,
        status,
        message,
        hint,
        durationMs,
      };
    };
    switch (event.type) {
      case 'stepStarted':
        return base('started', null, null);
      case 'skipped':
        return base('skipped', event.reason, null);
      case 'succeeded':
        return base('succeeded', event.summary ?? null, event.durationMs);
      case 'failed':
        return base('failed', event.failure.message, event.durationMs, event.failure.hint);
      case 'cancelled':
        return base('cancelled', null, event.durationMs);
      default:
        return undefined;
    }
  }
}

/** 0.4 s, 12 s, 3 min 05 s. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * A failed run's details for stderr, in both formats: node, step, masked command, output tail and what to
 * do (the CLI's advice where it knows better), and whether running the command again resumes.
 */
export function failureText(s: RunSummary): string | undefined {
  if (!s.failure) return undefined;
  const failure = formatFailure({ ...s.failure, hint: s.next ?? s.failure.hint });
  const resume = s.resumable ? '\nRun the same command again to resume: what is done is skipped.' : '';
  return `${failure}${resume}`;
}
