// Executes a plan: checks first ("already done" → skipped), per-node parallelism where the step allows it,
// cancellation passed down to the remote processes, masked events, a transcript, and failures that say
// where, what and what to do next.
import { setMaxListeners } from 'node:events';
import type { NodeModel } from '../../cluster-spec/types';
import { OperationError, StepFailure, tailLines } from '../errors';
import type { Plan, Step } from '../plan';
import { systemClock, type ClusterApi } from '../ports';
import type { FailureInfo, RunOutcome, StepState, TranscriptStep } from '../records';
import { CancelledError, timeoutsOf, type EngineDeps, type RunOptions, type RunResult } from './deps';
import { RunRecorder } from './recorder';
import { stepContext, type RunScope } from './step-context';

/**
 * Set in a run's shared map once a step that changes things succeeded: a proof step (verify, wait) then
 * runs its proof instead of reporting "already done".
 */
export const CHANGED_IN_RUN = 'run.changed';

/** Set in a run's shared map ('failed' or 'cancelled') before the steps that run whatever happens. */
export const INTERRUPTED = 'run.interrupted';

type UnitResult = { state: StepState; reason?: string; summary?: string };

export async function runPlan(plan: Plan, deps: EngineDeps, options: RunOptions = {}): Promise<RunResult> {
  return new PlanRun(plan, deps, options.signal ?? new AbortController().signal).execute();
}

class PlanRun {
  private scope: RunScope;
  private readonly recorder: RunRecorder;
  private readonly startedMono: number;
  private api: Promise<ClusterApi> | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly deps: EngineDeps,
    private signal: AbortSignal,
  ) {
    // Every concurrent command listens for the abort (preflight: ~10 per node).
    setMaxListeners(0, signal);
    const clock = deps.clock ?? systemClock;
    this.recorder = new RunRecorder(plan, clock, deps.masker, deps.sink, deps.onEvent);
    this.startedMono = clock.monotonic();
    this.scope = {
      deps,
      nodes: deps.nodes,
      masker: deps.masker,
      clock,
      recorder: this.recorder,
      signal,
      timeouts: timeoutsOf(deps),
      shared: new Map(),
      model: plan.model,
      cluster: () => this.cluster(),
    };
  }

  /** The run was cancelled or failed: what runs now gets a signal (and an API connection) of its own. */
  private detachFromCancel(): void {
    if (!this.signal.aborted) return;
    this.signal = new AbortController().signal;
    this.api?.then((api) => api.close()).catch(() => undefined);
    this.api = undefined;
    this.scope = { ...this.scope, signal: this.signal };
  }

  private get runId(): string {
    return this.recorder.runId;
  }

  private get clock() {
    return this.scope.clock;
  }

  async execute(): Promise<RunResult> {
    const record = this.recorder.record;
    this.recorder.emit({
      type: 'runStarted',
      runId: this.runId,
      at: record.startedAt,
      operation: this.plan.operation,
      cluster: this.plan.cluster,
      ...(this.plan.node ? { node: this.plan.node } : {}),
      steps: this.plan.steps.map((s) => ({
        id: s.id,
        title: s.title,
        nodes: s.nodes?.map((n) => n.hostname),
        ...(s.continueOnFailure ? { check: true } : {}),
      })),
    });
    void this.recorder.flush();
    let outcome: RunOutcome = 'succeeded';
    let failure: FailureInfo | undefined;
    /** A check that failed without stopping the run (continueOnFailure): the run ends failed. */
    let checkFailed = false;
    for (const [index, step] of this.plan.steps.entries()) {
      const tstep = record.steps[index]!;
      if (outcome === 'succeeded' && this.signal.aborted) outcome = 'cancelled';
      if (outcome !== 'succeeded') {
        // After a failure or a cancel only the steps that must run whatever happens do, on a signal of
        // their own (the drill's MicroK8s start).
        if (!step.always) continue;
        this.scope.shared.set(INTERRUPTED, outcome);
        this.detachFromCancel();
        if ((await this.runStep(step, tstep)) === 'failed') failure = { ...tstep.failure! };
        if (failure && outcome === 'cancelled') outcome = 'failed';
        this.recorder.scheduleFlush();
        continue;
      }
      const result = await this.runStep(step, tstep);
      this.recorder.scheduleFlush();
      if (result === 'failed' && step.continueOnFailure) {
        checkFailed = true;
        failure ??= tstep.failure;
        continue;
      }
      if (result !== 'done') {
        outcome = result;
        failure = result === 'failed' ? tstep.failure : checkFailed ? failure : undefined;
      }
    }
    if (outcome === 'succeeded' && checkFailed) outcome = 'failed';
    const durationMs = this.clock.monotonic() - this.startedMono;
    Object.assign(record, { finishedAt: this.clock.now(), durationMs, outcome, failure });
    this.recorder.emit({
      type: 'runFinished',
      runId: this.runId,
      at: record.finishedAt!,
      outcome,
      durationMs,
      failure,
    });
    await this.recorder.flush();
    this.api?.then((api) => api.close()).catch(() => undefined);
    const masked = failure && this.recorder.masked(failure);
    return {
      runId: this.runId,
      outcome,
      failure: masked,
      error: masked ? new OperationError(masked) : undefined,
      transcript: this.recorder.snapshot(),
      shared: this.scope.shared,
    };
  }

  private async runStep(step: Step, tstep: TranscriptStep): Promise<'done' | 'failed' | 'cancelled'> {
    const started = this.clock.monotonic();
    tstep.startedAt = this.clock.now();
    tstep.state = 'running';
    this.recorder.emit({ type: 'stepStarted', runId: this.runId, at: tstep.startedAt, step: step.id });
    const state = step.nodes
      ? await this.runPerNode(step, step.nodes, tstep)
      : await this.runWhole(step, tstep);
    const durationMs = this.clock.monotonic() - started;
    tstep.state = state;
    tstep.durationMs = durationMs;
    const base = { runId: this.runId, at: this.clock.now(), step: step.id };
    switch (state) {
      case 'skipped':
        this.recorder.emit({
          ...base,
          type: 'skipped',
          reason: tstep.reason ?? 'already done on every node',
        });
        return 'done';
      case 'succeeded':
        if (!step.readOnly) this.scope.shared.set(CHANGED_IN_RUN, true);
        this.recorder.emit({ ...base, type: 'succeeded', durationMs, summary: tstep.summary });
        return 'done';
      case 'cancelled':
        this.recorder.emit({ ...base, type: 'cancelled', durationMs });
        return 'cancelled';
      default:
        this.recorder.emit({ ...base, type: 'failed', durationMs, failure: tstep.failure! });
        return 'failed';
    }
  }

  private async runWhole(step: Step, tstep: TranscriptStep): Promise<StepState> {
    const r = await this.runUnit(step, tstep, undefined);
    if (r.reason) tstep.reason = r.reason;
    if (r.summary) tstep.summary = r.summary;
    return r.state;
  }

  private async runPerNode(
    step: Step,
    nodes: readonly NodeModel[],
    tstep: TranscriptStep,
  ): Promise<StepState> {
    const states: StepState[] = [];
    if (step.parallel) {
      states.push(...(await Promise.all(nodes.map((n) => this.runUnit(step, tstep, n)))).map((r) => r.state));
    } else {
      for (const node of nodes) {
        if (this.signal.aborted) {
          states.push('cancelled');
          break;
        }
        const r = await this.runUnit(step, tstep, node);
        states.push(r.state);
        if (r.state === 'failed' || r.state === 'cancelled') break;
      }
    }
    if (step.finish && !this.signal.aborted && !states.includes('cancelled')) {
      const finishing: Step = { ...step, check: undefined, run: (ctx) => step.finish!(ctx) };
      const r = await this.runUnit(finishing, tstep, undefined, true);
      if (r.state === 'failed' || r.state === 'cancelled') states.push(r.state);
      if (r.summary) tstep.summary = r.summary;
    }
    if (states.includes('failed')) return 'failed';
    if (states.includes('cancelled') || this.signal.aborted) return 'cancelled';
    return states.every((s) => s === 'skipped') ? 'skipped' : 'succeeded';
  }

  /** One step on one node (or the cluster): check, then run; failures become FailureInfo. */
  private async runUnit(
    step: Step,
    tstep: TranscriptStep,
    node: NodeModel | undefined,
    overrideFailure = false,
  ): Promise<UnitResult> {
    const started = this.clock.monotonic();
    const nodeName = node?.hostname;
    const nodeRow = nodeName ? tstep.nodes[nodeName] : undefined;
    const ctx = stepContext(this.scope, step.id, tstep, node);
    const event = () => ({ runId: this.runId, at: this.clock.now(), step: step.id, node: nodeName });
    if (nodeRow) {
      nodeRow.state = 'running';
      this.recorder.emit({ ...event(), type: 'stepStarted' });
    }
    const finish = (state: StepState, extra: { reason?: string; summary?: string } = {}): UnitResult => {
      if (nodeRow) {
        const durationMs = this.clock.monotonic() - started;
        Object.assign(nodeRow, { state, durationMs }, extra);
        if (state === 'skipped')
          this.recorder.emit({ ...event(), type: 'skipped', reason: extra.reason ?? '' });
        else if (state === 'succeeded')
          this.recorder.emit({ ...event(), type: 'succeeded', durationMs, summary: extra.summary });
        else if (state === 'cancelled') this.recorder.emit({ ...event(), type: 'cancelled', durationMs });
      }
      return { state, ...extra };
    };
    try {
      const done = step.check ? await step.check(ctx, node) : undefined;
      if (done !== undefined) {
        ctx.log(`already done: ${done}`, node);
        return finish('skipped', { reason: done });
      }
      // From here the step may change things (a failure too may have changed some): the index says so.
      if (!step.readOnly) this.recorder.record.changed = true;
      const summary = await step.run(ctx, node);
      return finish('succeeded', summary ? { summary } : {});
    } catch (err) {
      if (this.signal.aborted || err instanceof CancelledError) return finish('cancelled');
      const failure = this.failureOf(step, node, err);
      // The first failure of a step is the one reported; parallel siblings keep their own rows.
      if (overrideFailure) tstep.failure = failure;
      else tstep.failure ??= failure;
      if (nodeRow) {
        const durationMs = this.clock.monotonic() - started;
        Object.assign(nodeRow, { state: 'failed', durationMs });
        this.recorder.emit({ ...event(), type: 'failed', durationMs, failure });
      }
      return { state: 'failed' };
    }
  }

  private failureOf(step: Step, node: NodeModel | undefined, err: unknown): FailureInfo {
    if (err instanceof StepFailure) {
      return {
        step: step.id,
        stepTitle: step.title,
        node: err.details.node ?? node?.hostname,
        command: err.details.command,
        exitCode: err.details.exitCode,
        message: err.message,
        // Masked before it is cut: a secret cut in half would no longer match its mask.
        outputTail: tailLines(this.scope.masker.mask(err.details.output ?? '')),
        hint: err.hint,
      };
    }
    return {
      step: step.id,
      stepTitle: step.title,
      node: node?.hostname,
      message: err instanceof Error ? err.message : String(err),
      outputTail: [],
      hint: 'Fix the cause above, then run the operation again: it resumes where it stopped.',
    };
  }

  private cluster(): Promise<ClusterApi> {
    const api = (this.api ??= this.deps.api.connect(this.signal));
    // A failed connection is retried by the next caller (after the kubeconfig step stored one).
    api.catch(() => {
      if (this.api === api) this.api = undefined;
    });
    return api;
  }
}
