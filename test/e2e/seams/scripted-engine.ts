// A scripted engine for tests and demos: plans of made-up steps executed by the REAL runner (events, masking,
// cancellation, resume, transcripts), with no SSH and no Kubernetes. Each step logs its lines, waits, and
// may fail on its first attempts; a step that succeeded once reports "already done" afterwards, like the
// real plans' checks do.
import type { ClusterModel } from '../../../src/cluster-spec/types';
import {
  MemoryTranscriptSink,
  StepFailure,
  dryRunPlan,
  runPlan,
  type Fix,
  type OperationName,
  type Plan,
  type Step,
} from '../../../src/ops';
import { Masker } from '../../../src/remote/masker';
import type { WizardEngine, WizardEngineFactory } from '../../../src/wizards/controller';

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

  const factory: WizardEngineFactory = (_context, onEvent) => {
    const masker = new Masker();
    for (const secret of script.secrets ?? []) masker.register(secret);
    const engine: WizardEngine = {
      plan: (kind, model) => planFor(kind, model),
      fix: (model, _fixes: readonly Fix[]) => planFor('fix', model),
      run: (plan, options) =>
        runPlan(
          plan,
          {
            nodes: { exec: () => Promise.reject(new Error('the scripted engine runs no commands')) },
            secrets: { get: async () => undefined },
            kubeconfig: { read: async () => undefined, store: async () => undefined },
            api: { connect: () => Promise.reject(new Error('the scripted engine has no cluster')) },
            masker,
            sink,
            onEvent,
          },
          options,
        ),
      dryRun: (plan) => dryRunPlan(plan, masker),
    };
    return engine;
  };

  return { factory, sink, runs };
}
