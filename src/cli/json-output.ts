// --format json: one JSON object per line on stdout (docs/cli.md lists every event and its fields); errors
// and notes also go to stderr as text, for the person reading the job's log.
import type { DryRun, RunEvent } from '../ops';
import { StepIndex, failureText, type Output, type OutputStreams, type RunSummary } from './output';

export class JsonOutput implements Output {
  private readonly steps = new StepIndex();

  constructor(private readonly streams: OutputStreams) {}

  private line(value: Record<string, unknown>): void {
    this.streams.stdout.write(`${JSON.stringify(value)}\n`);
  }

  event(event: RunEvent): void {
    if (event.type === 'runStarted') {
      this.steps.learn(event);
      this.line({
        event: 'run',
        operation: event.operation,
        cluster: event.cluster,
        steps: event.steps.map((s) => ({ step: s.id, title: s.title, nodes: s.nodes ?? null })),
      });
      return;
    }
    if (event.type === 'command') {
      this.line({
        event: 'command',
        step: event.step,
        node: event.node,
        command: event.command,
        sudo: event.sudo,
      });
      return;
    }
    if (event.type === 'report') {
      // Structured results a step reports (the drill's timeline), for tools to read.
      this.line({ event: 'report', step: event.step, key: event.key, value: event.value });
      return;
    }
    if (event.type === 'output') {
      this.line({
        event: 'output',
        step: event.step,
        node: event.node ?? null,
        stream: event.stream,
        line: event.line,
      });
      return;
    }
    const step = this.steps.lineOf(event);
    if (!step) return;
    this.line({
      event: 'step',
      step: step.step,
      title: step.title,
      node: step.node,
      status: step.status,
      message: step.message,
      ...(step.status === 'failed' ? { hint: step.hint } : {}),
      durationMs: step.durationMs === null ? null : Math.round(step.durationMs),
    });
  }

  finished(s: RunSummary): void {
    this.line({
      event: 'finished',
      operation: s.operation,
      cluster: s.cluster,
      outcome: s.outcome,
      durationMs: Math.round(s.durationMs),
      transcript: s.transcript,
      failure: s.failure ? { ...s.failure, hint: s.next ?? s.failure.hint } : null,
    });
    const failure = failureText(s);
    if (failure) this.streams.stderr.write(`${failure}\n`);
  }

  plan(dryRun: DryRun): void {
    this.line({ event: 'plan', operation: dryRun.operation, cluster: dryRun.cluster, steps: dryRun.steps });
  }

  error(status: number, message: string): void {
    this.line({ event: 'error', exitStatus: status, message });
    this.streams.stderr.write(`gateway-cluster: ${message}\n`);
  }

  note(line: string): void {
    this.streams.stderr.write(`gateway-cluster: ${line}\n`);
  }

  aside<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  close(): void {}
}
