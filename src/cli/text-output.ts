// --format text: one line per step event on stdout. On a terminal the running steps and nodes are live
// lines with their elapsed time instead of "started" lines; without one, plain lines only, nothing redrawn.
// A failure's details (node, step, masked command, output tail, what to do) and errors go to stderr.
import { DRILL_TIMELINE, timelineLines, type DrillTimeline, type DryRun, type RunEvent } from '../ops';
import { LiveLines, type LiveClock } from './live-lines';
import {
  StepIndex,
  failureText,
  formatDuration,
  type Output,
  type OutputStreams,
  type RunSummary,
  type StepLine,
} from './output';

export class TextOutput implements Output {
  /** Lines of the drill's timeline already printed. */
  private timelineShown = 0;
  private readonly steps = new StepIndex();
  private readonly live: LiveLines | undefined;

  constructor(
    private readonly streams: OutputStreams,
    clock?: LiveClock,
  ) {
    if (streams.stdout.isTTY) this.live = new LiveLines(streams.stdout, clock);
  }

  private print(line: string): void {
    if (this.live) this.live.print(line);
    else this.streams.stdout.write(`${line}\n`);
  }

  event(event: RunEvent): void {
    if (event.type === 'runStarted') {
      this.steps.learn(event);
      const n = event.steps.length;
      this.print(`${event.operation} on cluster ${event.cluster}: ${n} step${n === 1 ? '' : 's'}`);
      return;
    }
    if (event.type === 'report' && event.key === DRILL_TIMELINE) {
      // The drill's timeline as it grows: each entry once, as the panel shows it.
      const lines = timelineLines(event.value as DrillTimeline);
      for (const line of lines.slice(this.timelineShown)) this.print(`  ${line}`);
      this.timelineShown = Math.max(this.timelineShown, lines.length);
      return;
    }
    const step = this.steps.lineOf(event);
    if (!step) return;
    const key = `${step.step}\u0000${step.node ?? ''}`;
    if (step.status === 'started') {
      if (!this.live) this.print(stepText(step, this.steps.total));
      // A step that works node by node shows its nodes live, not itself.
      else if (step.node !== null || !this.steps.perNode(step.step))
        this.live.start(key, labelOf(step, this.steps.total));
      return;
    }
    this.live?.stop(key);
    this.print(stepText(step, this.steps.total));
    // A failed check does not end the run: its advice goes with it (the run's own failure has it at the end).
    if (step.status === 'failed' && step.hint && this.steps.isCheck(step.step))
      this.print(`${' '.repeat(10)}what to do: ${step.hint}`);
  }

  finished(s: RunSummary): void {
    this.live?.close();
    const transcript = s.transcript ? `transcript: ${s.transcript}` : 'no transcript was written';
    this.print(`${s.operation} ${s.outcome} in ${formatDuration(s.durationMs)}; ${transcript}`);
    const failure = failureText(s);
    if (failure) this.streams.stderr.write(`\n${failure}\n`);
  }

  plan(dryRun: DryRun): void {
    this.streams.stdout.write(`${dryRun.text}\n\nNothing was executed and no node was contacted.\n`);
  }

  error(_status: number, message: string): void {
    this.live?.close();
    this.streams.stderr.write(`gateway-cluster: ${message}\n`);
  }

  note(line: string): void {
    const write = () => this.streams.stderr.write(`gateway-cluster: ${line}\n`);
    if (this.live) void this.live.aside(async () => write());
    else write();
  }

  aside<T>(work: () => Promise<T>): Promise<T> {
    return this.live ? this.live.aside(work) : work();
  }

  close(): void {
    this.live?.close();
  }
}

function labelOf(step: StepLine, total: number): string {
  return `${step.index}/${total} ${step.title}${step.node ? ` · ${step.node}` : ''}`;
}

function stepText(step: StepLine, total: number): string {
  const duration = step.durationMs === null ? '' : ` (${formatDuration(step.durationMs)})`;
  const message = step.message ? ` — ${step.message.replace(/\s*\n\s*/g, '; ')}` : '';
  return `${step.status.padEnd(9)} ${labelOf(step, total)}${duration}${message}`;
}
