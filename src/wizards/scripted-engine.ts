// A scripted engine for tests and demos: plans of made-up steps executed by the REAL runner (events, masking,
// cancellation, resume, transcripts), with no SSH and no Kubernetes. Each step logs its lines, waits, and
// may fail on its first attempts; a step that succeeded once reports "already done" afterwards, like the
// real plans' checks do.
import { StepFailure } from '../ops/errors';
import type { Masker } from '../remote/masker';
import { Masker as MaskerClass } from '../remote/masker';
import { dryRunPlan, runPlan } from '../ops/runner';
import { MemoryTranscriptSink } from '../ops/transcript';
import type { Fix, OperationName, Plan, Step } from '../ops/types';
import type { ClusterModel } from '../cluster-spec/types';
import type { EngineHandle, WizardEngine, WizardEngineFactory } from './session';

export interface ScriptedStep {
  id: string;
  title: string;
  /** Run once per spec node (sub-rows), in parallel or one at a time. */
  perNode?: boolean;
  parallel?: boolean;
  /** Output lines, one every `delayMs / lines.length`. */
  lines?: string[];
  delayMs?: number;
  /** Fail this many times before succeeding (a resume then completes). */
  failTimes?: number;
  failure?: { message: string; hint: string; command?: string };
  /** Shown in the dry run as the step's command. */
  command?: string;
}

export interface EngineScript {
  steps: ScriptedStep[];
  /** Secret values the scripted output contains: the masker must hide them. */
  secrets?: string[];
}

export interface ScriptedEngines {
  factory: WizardEngineFactory;
  /** Every transcript record written, per run, for assertions. */
  readonly sink: MemoryTranscriptSink;
  /** How many times each step (and node) actually ran. */
  readonly runs: Map<string, number>;
}

export function scriptedEngines(script: EngineScript): ScriptedEngines {
  const sink = new MemoryTranscriptSink();
  const runs = new Map<string, number>();
  const done = new Set<string>();
  const failuresLeft = new Map(script.steps.map((s) => [s.id, s.failTimes ?? 0]));

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(new Error('cancelled'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Error('cancelled'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });

  const stepOf = (s: ScriptedStep, model: ClusterModel): Step => ({
    id: s.id,
    title: s.title,
    nodes: s.perNode ? model.nodes : undefined,
    parallel: s.parallel,
    checkText: 'it succeeded in an earlier run',
    async check(_ctx, node) {
      return done.has(`${s.id}/${node?.hostname ?? ''}`) ? 'done in an earlier run' : undefined;
    },
    async run(ctx, node) {
      const key = `${s.id}/${node?.hostname ?? ''}`;
      runs.set(key, (runs.get(key) ?? 0) + 1);
      const lines = s.lines ?? [];
      const pause = (s.delayMs ?? 0) / Math.max(1, lines.length);
      for (const line of lines) {
        await sleep(pause, ctx.signal);
        ctx.log(line, node);
      }
      if (!lines.length && s.delayMs) await sleep(s.delayMs, ctx.signal);
      const left = failuresLeft.get(s.id) ?? 0;
      if (left > 0 && (!node || node.index === (model.nodes.length > 1 ? 1 : 0))) {
        failuresLeft.set(s.id, left - 1);
        const f = s.failure ?? { message: 'The scripted step failed.', hint: 'Resume to try again.' };
        throw new StepFailure(f.message, f.hint, { node: node?.hostname, command: f.command });
      }
      done.add(key);
      return lines.length ? `${lines.length} lines` : undefined;
    },
    preview(_p, node) {
      return s.command
        ? [{ node: node?.hostname ?? model.nodes[0]?.hostname ?? '', command: s.command }]
        : [];
    },
  });

  const planFor = (operation: OperationName, model: ClusterModel): Plan => ({
    operation,
    cluster: model.name,
    model,
    steps: script.steps.map((s) => stepOf(s, model)),
  });

  const factory: WizardEngineFactory = async (request) => {
    const masker: Masker = new MaskerClass();
    for (const secret of script.secrets ?? []) masker.register(secret);
    const engine: WizardEngine = {
      preflight: (model) => planFor('preflight', model),
      fix: (model, _fixes: readonly Fix[]) => planFor('fix', model),
      join: (model) => planFor('join', model),
      deploy: (model) => planFor('deploy', model),
      register: (model) => planFor('register', model),
      run: (plan, options) =>
        runPlan(
          plan,
          {
            nodes: {
              exec: () => Promise.reject(new Error('the scripted engine runs no commands')),
            },
            secrets: { get: async () => undefined, store: async () => undefined },
            masker,
            sink,
            onEvent: request.onEvent,
          },
          options,
        ),
      dryRun: (plan) => dryRunPlan(plan, masker),
    };
    const handle: EngineHandle = { engine };
    return handle;
  };

  return { factory, sink, runs };
}
