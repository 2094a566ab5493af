// Public API of the operations engine: plans for preflight, fixes, join, deploy, register and de-register,
// a runner with events, cancellation, resume and transcripts, and dry runs. Never imports vscode.
import type { ClusterModel } from '../cluster-spec/types';
import { Masker } from '../remote/masker';
import { defaultRandomBytes, dryRunPlan, registerKubeconfigSecrets, runPlan, timeoutsOf } from './runner';
import type { EngineDeps, RunOptions, RunResult } from './runner';
import { deployPlan } from './plans/deploy';
import { joinPlan } from './plans/join';
import { fixPlan, preflightPlan } from './plans/preflight';
import { deregisterPlan, registerPlan } from './plans/register';
import type { DryRun, Fix, Plan } from './types';

export * from './types';
export * from './ports';
export { OperationError, StepFailure, formatFailure } from './errors';
export {
  CHANGED_IN_RUN,
  DEFAULT_TIMEOUTS,
  dryRunPlan,
  kubeconfigSecretKey,
  runPlan,
  showCommand,
} from './runner';
export type { EngineDeps, RunOptions, RunResult, Timeouts } from './runner';
export { FileTranscriptSink, MemoryTranscriptSink, RUNS_DIR, readIndex, readTranscript } from './transcript';
export type { RunIndexEntry } from './transcript';
export { InvalidModelError, modelProblems } from './plans/validate';
export { PREFLIGHT_REPORT } from './plans/preflight';
export { MANAGER_URL } from './plans/deploy';
export { REGISTRATION_STATE } from './plans/register';

export interface JoinPlanOptions {
  /** Append missing /etc/hosts lines during preflight instead of stopping with a fixable finding. */
  applyFixes?: boolean;
}

/** The engine bound to its ports; one per editor window (or test). */
export class OperationsEngine {
  readonly masker: Masker;

  constructor(private readonly deps: EngineDeps) {
    this.masker = deps.masker ?? new Masker();
  }

  private get kubeconfigDeps() {
    return {
      store: (key: string, value: string) => this.deps.secrets.store(key, value),
      registerSecrets: (kubeconfig: string) => registerKubeconfigSecrets(this.masker, kubeconfig),
    };
  }

  preflight(model: ClusterModel): Plan {
    return preflightPlan(model);
  }

  fix(model: ClusterModel, fixes: readonly Fix[]): Plan {
    return fixPlan(model, fixes);
  }

  join(model: ClusterModel, options: JoinPlanOptions = {}): Plan {
    return joinPlan(model, {
      ...this.kubeconfigDeps,
      applyFixes: options.applyFixes,
      randomBytes: this.deps.randomBytes ?? defaultRandomBytes,
      timeouts: timeoutsOf(this.deps),
    });
  }

  deploy(model: ClusterModel): Plan {
    return deployPlan(model, { ...this.kubeconfigDeps, timeouts: timeoutsOf(this.deps) });
  }

  register(model: ClusterModel): Plan {
    return registerPlan(model, { ...this.kubeconfigDeps, timeoutMs: timeoutsOf(this.deps).registration });
  }

  deregister(model: ClusterModel): Plan {
    return deregisterPlan(model, { ...this.kubeconfigDeps, timeoutMs: timeoutsOf(this.deps).registration });
  }

  /** Runs (or, after a failure or a cancel, resumes: done steps are skipped by their checks). */
  run(plan: Plan, options: RunOptions = {}): Promise<RunResult> {
    return runPlan(plan, { ...this.deps, masker: this.masker }, options);
  }

  dryRun(plan: Plan): DryRun {
    return dryRunPlan(plan, this.masker, this.deps.randomBytes ?? defaultRandomBytes);
  }
}
