// Executes a plan: checks first ("already done" → skipped), per-node parallelism where the step allows it,
// cancellation passed down to the remote processes, masked events, a transcript, and failures that say
// where, what and what to do next.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { NodeModel } from '../cluster-spec/types';
import { Masker } from '../remote/masker';
import { joinArgv } from '../remote/quote';
import { OperationError, StepFailure, tailLines } from './errors';
import type {
  ClusterApi,
  ClusterConnector,
  Clock,
  NodeCommand,
  NodeRunner,
  SecretSource,
  TranscriptSink,
} from './ports';
import { systemClock } from './ports';
import type {
  DryRun,
  DryRunStep,
  ExecOptions,
  FailureInfo,
  Plan,
  PlannedCommand,
  PreviewContext,
  RunEvent,
  RunOutcome,
  Step,
  StepContext,
  StepState,
  TranscriptCommand,
  TranscriptRecord,
  TranscriptStep,
} from './types';

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
  secrets: SecretSource;
  /** A ready ClusterApi (tests); else one is connected from the stored kubeconfig through `connector`. */
  cluster?: ClusterApi;
  connector?: ClusterConnector;
  /** Shared with the remote layer in the editor, so both scrub the same values. */
  masker?: Masker;
  clock?: Clock;
  sink?: TranscriptSink;
  onEvent?: (event: RunEvent) => void;
  timeouts?: Partial<Timeouts>;
  randomBytes?: (n: number) => Buffer;
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

/** The key in secret storage under which a cluster's kubeconfig is kept (never in the workspace). */
export function kubeconfigSecretKey(cluster: string): string {
  return `gatewayCluster.kubeconfig.${cluster}`;
}

/**
 * Set in a run's shared map once a step that changes things succeeded: a proof step (verify, wait) then
 * runs its proof instead of reporting "already done".
 */
export const CHANGED_IN_RUN = 'run.changed';

const OUTPUT_LINES_KEPT = 400;
const FLUSH_INTERVAL_MS = 250;

class Cancelled extends Error {}

export function runIdFor(operation: string, at: number): string {
  return `${new Date(at).toISOString().replace(/[:.]/g, '-')}-${operation}`;
}

/** The masked display of a command, the same in events, transcripts, errors and dry runs. */
export function showCommand(command: NodeCommand): string {
  return 'argv' in command ? joinArgv(command.argv) : command.script;
}

export function timeoutsOf(deps: EngineDeps): Timeouts {
  return { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
}

export async function runPlan(plan: Plan, deps: EngineDeps, options: RunOptions = {}): Promise<RunResult> {
  return new PlanRun(plan, deps, options.signal ?? new AbortController().signal).execute();
}

class PlanRun {
  private readonly masker: Masker;
  private readonly clock: Clock;
  private readonly record: TranscriptRecord;
  private readonly shared = new Map<string, unknown>();
  private readonly startedMono: number;
  private clusterApi: Promise<ClusterApi> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly deps: EngineDeps,
    private readonly signal: AbortSignal,
  ) {
    this.masker = deps.masker ?? new Masker();
    // Every concurrent command listens for the abort (preflight: ~10 per node).
    setMaxListeners(0, signal);
    this.clock = deps.clock ?? systemClock;
    const startedAt = this.clock.now();
    this.startedMono = this.clock.monotonic();
    this.record = {
      version: 1,
      runId: runIdFor(plan.operation, startedAt),
      operation: plan.operation,
      cluster: plan.cluster,
      dryRun: false,
      startedAt,
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

  private get runId(): string {
    return this.record.runId;
  }

  private emit(event: RunEvent): void {
    if (!this.deps.onEvent) return;
    // Masking the serialised event catches a secret in any field, not only the ones we thought of.
    const json = JSON.stringify(event);
    const masked = this.masker.mask(json);
    this.deps.onEvent(masked === json ? event : (JSON.parse(masked) as RunEvent));
  }

  /** Writes soon, at most every FLUSH_INTERVAL_MS: a long run must not rewrite its transcript per step. */
  private scheduleFlush(): void {
    if (!this.deps.sink || this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, FLUSH_INTERVAL_MS);
  }

  private flush(): Promise<void> {
    const sink = this.deps.sink;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!sink) return this.writing;
    const snapshot = JSON.parse(this.masker.mask(JSON.stringify(this.record))) as TranscriptRecord;
    this.writing = this.writing.then(() => sink.write(snapshot)).catch(() => undefined);
    return this.writing;
  }

  async execute(): Promise<RunResult> {
    this.emit({
      type: 'runStarted',
      runId: this.runId,
      at: this.record.startedAt,
      operation: this.plan.operation,
      cluster: this.plan.cluster,
      steps: this.plan.steps.map((s) => ({
        id: s.id,
        title: s.title,
        nodes: s.nodes?.map((n) => n.hostname),
      })),
    });
    void this.flush();
    let outcome: RunOutcome = 'succeeded';
    let failure: FailureInfo | undefined;
    for (const [index, step] of this.plan.steps.entries()) {
      const tstep = this.record.steps[index]!;
      if (this.signal.aborted) {
        outcome = 'cancelled';
        break;
      }
      const result = await this.runStep(step, tstep);
      this.scheduleFlush();
      if (result === 'failed') {
        outcome = 'failed';
        failure = tstep.failure;
        break;
      }
      if (result === 'cancelled') {
        outcome = 'cancelled';
        break;
      }
    }
    const durationMs = this.clock.monotonic() - this.startedMono;
    this.record.finishedAt = this.clock.now();
    this.record.durationMs = durationMs;
    this.record.outcome = outcome;
    this.record.failure = failure;
    this.emit({
      type: 'runFinished',
      runId: this.runId,
      at: this.record.finishedAt,
      outcome,
      durationMs,
      failure,
    });
    await this.flush();
    const api = this.clusterApi;
    if (api && !this.deps.cluster) api.then((c) => c.close()).catch(() => undefined);
    return {
      runId: this.runId,
      outcome,
      failure,
      error: failure ? new OperationError(failure) : undefined,
      transcript: JSON.parse(this.masker.mask(JSON.stringify(this.record))) as TranscriptRecord,
      shared: this.shared,
    };
  }

  private async runStep(step: Step, tstep: TranscriptStep): Promise<'done' | 'failed' | 'cancelled'> {
    const started = this.clock.monotonic();
    tstep.startedAt = this.clock.now();
    tstep.state = 'running';
    this.emit({ type: 'stepStarted', runId: this.runId, at: tstep.startedAt, step: step.id });
    let state: StepState;
    if (!step.nodes) {
      const r = await this.runUnit(step, tstep, undefined);
      state = r.state;
      if (r.reason) tstep.reason = r.reason;
      if (r.summary) tstep.summary = r.summary;
    } else {
      const states: StepState[] = [];
      if (step.parallel) {
        const results = await Promise.all(step.nodes.map((n) => this.runUnit(step, tstep, n)));
        states.push(...results.map((r) => r.state));
      } else {
        for (const node of step.nodes) {
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
        const r = await this.runUnit(
          { ...step, check: undefined, run: (ctx) => step.finish!(ctx) },
          tstep,
          undefined,
          true,
        );
        if (r.state === 'failed' || r.state === 'cancelled') states.push(r.state);
        if (r.summary) tstep.summary = r.summary;
      }
      state = states.includes('failed')
        ? 'failed'
        : states.includes('cancelled') || this.signal.aborted
          ? 'cancelled'
          : states.every((s) => s === 'skipped')
            ? 'skipped'
            : 'succeeded';
    }
    const durationMs = this.clock.monotonic() - started;
    tstep.state = state;
    tstep.durationMs = durationMs;
    const at = this.clock.now();
    const base = { runId: this.runId, at, step: step.id };
    if (state === 'skipped') {
      this.emit({ ...base, type: 'skipped', reason: tstep.reason ?? 'already done on every node' });
      return 'done';
    }
    if (state === 'succeeded') {
      if (!step.readOnly) this.shared.set(CHANGED_IN_RUN, true);
      this.emit({ ...base, type: 'succeeded', durationMs, summary: tstep.summary });
      return 'done';
    }
    if (state === 'cancelled') {
      this.emit({ ...base, type: 'cancelled', durationMs });
      return 'cancelled';
    }
    this.emit({ ...base, type: 'failed', durationMs, failure: tstep.failure! });
    return 'failed';
  }

  /** One step on one node (or the cluster): check, then run; failures become FailureInfo. */
  private async runUnit(
    step: Step,
    tstep: TranscriptStep,
    node: NodeModel | undefined,
    overrideFailure = false,
  ): Promise<{ state: StepState; reason?: string; summary?: string }> {
    const started = this.clock.monotonic();
    const nodeName = node?.hostname;
    const nodeRow = nodeName ? tstep.nodes[nodeName] : undefined;
    const ctx = this.contextFor(step, tstep, node);
    if (nodeRow) {
      nodeRow.state = 'running';
      this.emit({
        type: 'stepStarted',
        runId: this.runId,
        at: this.clock.now(),
        step: step.id,
        node: nodeName,
      });
    }
    const finish = (state: StepState, extra: { reason?: string; summary?: string } = {}) => {
      if (nodeRow) {
        const durationMs = this.clock.monotonic() - started;
        Object.assign(nodeRow, { state, durationMs }, extra);
        const base = { runId: this.runId, at: this.clock.now(), step: step.id, node: nodeName };
        if (state === 'skipped') this.emit({ ...base, type: 'skipped', reason: extra.reason ?? '' });
        else if (state === 'succeeded')
          this.emit({ ...base, type: 'succeeded', durationMs, summary: extra.summary });
        else if (state === 'cancelled') this.emit({ ...base, type: 'cancelled', durationMs });
      }
      return { state, ...extra };
    };
    try {
      const done = step.check ? await step.check(ctx, node) : undefined;
      if (done !== undefined) {
        ctx.log(`already done: ${done}`, node);
        return finish('skipped', { reason: this.masker.mask(done) });
      }
      const summary = await step.run(ctx, node);
      return finish('succeeded', summary ? { summary: this.masker.mask(summary) } : {});
    } catch (err) {
      if (this.signal.aborted || err instanceof Cancelled) return finish('cancelled');
      const failure = this.failureOf(step, node, err);
      // The first failure of a step is the one reported; parallel siblings keep their own rows.
      if (overrideFailure) tstep.failure = failure;
      else tstep.failure ??= failure;
      if (nodeRow) {
        Object.assign(nodeRow, { state: 'failed', durationMs: this.clock.monotonic() - started });
        this.emit({
          type: 'failed',
          runId: this.runId,
          at: this.clock.now(),
          step: step.id,
          node: nodeName,
          durationMs: this.clock.monotonic() - started,
          failure,
        });
      }
      return { state: 'failed' };
    }
  }

  private failureOf(step: Step, node: NodeModel | undefined, err: unknown): FailureInfo {
    const m = (s: string) => this.masker.mask(s);
    if (err instanceof StepFailure) {
      return {
        step: step.id,
        stepTitle: step.title,
        node: err.details.node ?? node?.hostname,
        command: err.details.command !== undefined ? m(err.details.command) : undefined,
        exitCode: err.details.exitCode,
        message: m(err.message),
        outputTail: tailLines(m(err.details.output ?? '')),
        hint: m(err.hint),
      };
    }
    return {
      step: step.id,
      stepTitle: step.title,
      node: node?.hostname,
      message: m(err instanceof Error ? err.message : String(err)),
      outputTail: [],
      hint: 'Fix the cause above, then run the operation again: it resumes where it stopped.',
    };
  }

  private contextFor(step: Step, tstep: TranscriptStep, unitNode: NodeModel | undefined): StepContext {
    const timeouts = timeoutsOf(this.deps);
    const log = (line: string, node?: NodeModel) => {
      const masked = this.masker.mask(line);
      tstep.log.push(node ? `[${node.hostname}] ${masked}` : masked);
      this.emit({
        type: 'output',
        runId: this.runId,
        at: this.clock.now(),
        step: step.id,
        node: (node ?? unitNode)?.hostname,
        stream: 'info',
        line: masked,
      });
    };
    return {
      model: this.plan.model,
      signal: this.signal,
      shared: this.shared,
      log,
      addSecret: (value) => this.masker.register(value),
      secret: async (key, what) => {
        const value = await this.deps.secrets.get(key);
        if (value === undefined || value === '') {
          throw new StepFailure(
            `${what} is not stored (secret "${key}").`,
            `Enter ${what} when the wizard asks for it (it is kept in the editor's secret storage), then resume.`,
          );
        }
        this.masker.register(value);
        return value;
      },
      cluster: () => this.cluster(),
      exec: (node, command, options) => this.exec(step, node, command, options ?? {}, timeouts),
      waitFor: (what, subscribe, done, timeoutMs) => this.waitFor(what, subscribe, done, timeoutMs),
    };
  }

  private async exec(
    step: Step,
    node: NodeModel,
    command: NodeCommand,
    options: ExecOptions,
    timeouts: Timeouts,
  ) {
    if (this.signal.aborted) throw new Cancelled();
    const shown = this.masker.mask(showCommand(command));
    const entry: TranscriptCommand = {
      step: step.id,
      node: node.hostname,
      command: shown,
      sudo: Boolean(options.sudo),
      stdin:
        options.stdin !== undefined ? (options.stdinLabel ?? '(input on stdin, not recorded)') : undefined,
      startedAt: this.clock.now(),
      output: [],
      outputHidden: options.secretOutput || undefined,
    };
    this.record.commands.push(entry);
    this.emit({
      type: 'command',
      runId: this.runId,
      at: entry.startedAt,
      step: step.id,
      node: node.hostname,
      command: shown,
      sudo: entry.sudo,
    });
    const started = this.clock.monotonic();
    let streamed = 0;
    const onLine = (line: string, stream: 'stdout' | 'stderr') => {
      streamed++;
      if (options.secretOutput) return;
      const masked = this.masker.mask(line);
      entry.output.push(masked);
      if (entry.output.length > OUTPUT_LINES_KEPT) entry.output.shift();
      this.emit({
        type: 'output',
        runId: this.runId,
        at: this.clock.now(),
        step: step.id,
        node: node.hostname,
        stream,
        line: masked,
      });
    };
    let result;
    try {
      result = await this.deps.nodes.exec(node, command, {
        stdin: options.stdin,
        timeoutMs: options.timeoutMs ?? timeouts.command,
        signal: this.signal,
        sudo: options.sudo,
        onLine,
      });
    } catch (err) {
      entry.durationMs = this.clock.monotonic() - started;
      if (this.signal.aborted) {
        entry.error = 'cancelled';
        throw new Cancelled();
      }
      const message = this.masker.mask(err instanceof Error ? err.message : String(err));
      entry.error = message;
      const timedOut = /timed out|timeout/i.test(message);
      throw new StepFailure(
        message,
        timedOut
          ? `The command hung on ${node.hostname} and was stopped. Look at the output above, fix the cause on the node, then resume.`
          : `Check that ${node.hostname} (${node.address}) is up and reachable over SSH, then resume.`,
        { node: node.hostname, command: shown, output: entry.output.join('\n') },
      );
    }
    entry.durationMs = this.clock.monotonic() - started;
    entry.exitCode = result.code;
    // A runner that does not stream (or streamed nothing) still leaves its output in the transcript.
    if (streamed === 0 && !options.secretOutput) {
      for (const line of result.stdout.split(/\r?\n/)) if (line) onLine(line, 'stdout');
      for (const line of result.stderr.split(/\r?\n/)) if (line) onLine(line, 'stderr');
    }
    const ok = options.okCodes === 'any' || (options.okCodes ?? [0]).includes(result.code ?? -1);
    if (!ok) {
      const explained = options.explain?.(result);
      const output = options.secretOutput ? '' : `${result.stdout}\n${result.stderr}`;
      throw new StepFailure(
        explained?.message ?? `The command exited with ${result.code ?? 'a signal'}.`,
        explained?.hint ?? `Read the output above, fix the cause on ${node.hostname}, then resume.`,
        { node: node.hostname, command: shown, exitCode: result.code, output },
      );
    }
    return result;
  }

  private cluster(): Promise<ClusterApi> {
    if (this.deps.cluster) return Promise.resolve(this.deps.cluster);
    this.clusterApi ??= connectCluster(
      this.plan.model.nodes,
      this.plan.cluster,
      this.deps,
      this.masker,
      this.signal,
    );
    // A failed connection is retried by the next caller (after the kubeconfig step stored one).
    this.clusterApi.catch(() => (this.clusterApi = undefined));
    return this.clusterApi;
  }

  private waitFor<T>(
    what: string,
    subscribe: (onValue: (value: T) => void, onError: (err: Error) => void) => { stop(): void },
    done: (value: T) => boolean | Error,
    timeoutMs: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let sub: { stop(): void } | undefined;
      let retry: NodeJS.Timeout | undefined;
      let backoff = 250;
      let settled = false;
      const end = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (retry) clearTimeout(retry);
        this.signal.removeEventListener('abort', onAbort);
        sub?.stop();
        fn();
      };
      const onAbort = () => end(() => reject(new Cancelled()));
      const timer = setTimeout(
        () =>
          end(() =>
            reject(
              new StepFailure(
                `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}.`,
                `Look at the cluster (Clusters view) to see what is stuck, then resume.`,
              ),
            ),
          ),
        timeoutMs,
      );
      const start = () => {
        if (settled) return;
        sub = subscribe(
          (value) => {
            if (settled) return;
            const verdict = done(value);
            if (verdict instanceof Error) end(() => reject(verdict));
            else if (verdict) end(() => resolve(value));
          },
          () => {
            // A watch that failed stops for good: start a new one, with backoff, until the timeout.
            if (settled) return;
            sub?.stop();
            retry = setTimeout(start, backoff);
            backoff = Math.min(backoff * 2, 5_000);
          },
        );
      };
      if (this.signal.aborted) return onAbort();
      this.signal.addEventListener('abort', onAbort, { once: true });
      start();
    });
  }
}

/** Connects with the stored kubeconfig, trying each node's API server (port 16443) in spec order. */
async function connectCluster(
  nodes: readonly NodeModel[],
  cluster: string,
  deps: EngineDeps,
  masker: Masker,
  signal: AbortSignal,
): Promise<ClusterApi> {
  const kubeconfig = await deps.secrets.get(kubeconfigSecretKey(cluster));
  if (!kubeconfig) {
    throw new StepFailure(
      `There is no kubeconfig for cluster ${cluster} yet.`,
      'Run "Join nodes" first (its kubeconfig step fetches it from node 1).',
    );
  }
  registerKubeconfigSecrets(masker, kubeconfig);
  if (!deps.connector) throw new Error('No Kubernetes connector configured');
  const errors: string[] = [];
  for (const node of nodes) {
    try {
      return await deps.connector.connect(kubeconfig, `https://${node.address}:16443`, signal);
    } catch (err) {
      errors.push(`${node.hostname}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new StepFailure(
    `No node of ${cluster} answers on the Kubernetes API (port 16443): ${errors.join('; ')}`,
    'Check that MicroK8s runs on the nodes (microk8s status), then resume.',
  );
}

/** Credentials inside a kubeconfig (keys, tokens, passwords) are masked wherever they might show. */
export function registerKubeconfigSecrets(masker: Masker, kubeconfig: string): void {
  for (const m of kubeconfig.matchAll(
    /^\s*(client-key-data|client-certificate-data|token|password):\s*(\S+)/gm,
  )) {
    masker.register(m[2]!.replace(/^["']|["']$/g, ''));
  }
}

/** The whole plan with the exact commands (secrets masked); nothing runs. */
export function dryRunPlan(plan: Plan, masker = new Masker(), randomBytes = cryptoRandomBytes): DryRun {
  const preview: PreviewContext = {
    model: plan.model,
    show: (command) => masker.mask(showCommand(command)),
    placeholderSecret: () => {
      const value = randomBytes(16).toString('hex');
      masker.register(value);
      return value;
    },
  };
  const steps: DryRunStep[] = plan.steps.map((step) => {
    const commands: PlannedCommand[] = step.nodes
      ? step.nodes.flatMap((n) => step.preview(preview, n))
      : step.preview(preview, undefined);
    return {
      id: step.id,
      title: step.title,
      nodes: step.nodes?.map((n) => n.hostname),
      parallel: Boolean(step.parallel),
      check: step.checkText,
      proof: step.proofText,
      commands: commands.map((c) => ({
        ...c,
        command: masker.mask(c.command),
        stdin: c.stdin && masker.mask(c.stdin),
      })),
    };
  });
  const lines: string[] = [`# ${plan.operation} — cluster ${plan.cluster} (dry run: nothing is executed)`];
  for (const [i, s] of steps.entries()) {
    lines.push(
      '',
      `${i + 1}. ${s.title}${s.nodes ? ` [${s.nodes.join(', ')}${s.parallel ? ', in parallel' : ', one at a time'}]` : ''}`,
    );
    if (s.check) lines.push(`   skipped when: ${s.check}`);
    for (const c of s.commands) {
      const prefix = `   ${c.node}${c.sudo ? ' (sudo)' : ''}$ `;
      lines.push(prefix + c.command.split('\n').join('\n' + ' '.repeat(prefix.length)));
      if (c.stdin) lines.push(`      stdin: ${c.stdin}`);
      if (c.when) lines.push(`      only ${c.when}`);
    }
    if (s.proof) lines.push(`   proves success by: ${s.proof}`);
  }
  return { operation: plan.operation, cluster: plan.cluster, steps, text: lines.join('\n') };
}

export { Cancelled as CancelledError };
export const defaultRandomBytes = cryptoRandomBytes;
