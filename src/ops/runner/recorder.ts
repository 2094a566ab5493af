// The run's record (the transcript) and its events: everything that leaves the run goes through here, masked
// value by value. The transcript is written at most every FLUSH_INTERVAL_MS while the run goes, and at its end.
import type { Plan } from '../plan';
import type { Clock, SecretMasker, TranscriptSink } from '../ports';
import type { RunEvent, StepState, TranscriptRecord } from '../records';
import { Throttle } from '../../timing';

const FLUSH_INTERVAL_MS = 250;

export function runIdFor(operation: string, at: number): string {
  return `${new Date(at).toISOString().replace(/[:.]/g, '-')}-${operation}`;
}

export class RunRecorder {
  readonly record: TranscriptRecord;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushes = new Throttle(() => void this.flush(), FLUSH_INTERVAL_MS);

  constructor(
    plan: Plan,
    private readonly clock: Clock,
    private readonly masker: SecretMasker,
    private readonly sink: TranscriptSink | undefined,
    private readonly onEvent: ((event: RunEvent) => void) | undefined,
  ) {
    const startedAt = clock.now();
    this.record = {
      version: 1,
      runId: runIdFor(plan.operation, startedAt),
      operation: plan.operation,
      cluster: plan.cluster,
      ...(plan.node ? { node: plan.node } : {}),
      dryRun: false,
      startedAt,
      changed: false,
      steps: plan.steps.map((s) => ({
        id: s.id,
        title: s.title,
        state: 'pending',
        nodes: Object.fromEntries(
          (s.nodes ?? []).map((n) => [n.hostname, { state: 'pending' as StepState }]),
        ),
        log: [],
      })),
      commands: [],
    };
  }

  get runId(): string {
    return this.record.runId;
  }

  /** Sends an event with every string in it masked (a secret in any field, not only the expected ones). */
  emit(event: RunEvent): void {
    this.onEvent?.(this.masked(event));
  }

  masked<T>(value: T): T {
    return this.masker.maskDeep(value);
  }

  /** Writes soon, at most every FLUSH_INTERVAL_MS: a long run must not rewrite its transcript per step. */
  scheduleFlush(): void {
    if (this.sink) this.flushes.schedule();
  }

  flush(): Promise<void> {
    const sink = this.sink;
    this.flushes.cancel();
    if (!sink) return this.writing;
    const snapshot = this.masked(this.record);
    this.writing = this.writing.then(() => sink.write(snapshot)).catch(() => undefined);
    return this.writing;
  }

  /** A masked copy of the record, for the run's result. */
  snapshot(): TranscriptRecord {
    return this.masked(this.record);
  }
}
