// Public API of the operations engine: plans for preflight, fixes, join, deploy, register and de-register,
// the node lifecycle (add-node, remove-node, replace-node, the node-failure drill), the cluster lifecycle
// (validate-cluster, diagnostics, reset, delete),
// a runner with events, cancellation, resume and transcripts, and dry runs. Never imports vscode; every side
// effect enters through the ports (ports.ts).
import type { ClusterModel } from '../cluster-spec/types';
import { dryRunPlan } from './dry-run';
import type { OperationArgs, OperationPlanName } from './catalog';
import type { Plan } from './plan';
import { addNodePlan } from './plans/add-node';
import { deployPlan } from './plans/deploy';
import { drillPlan } from './plans/drill';
import { removeNodePlan } from './plans/remove-node';
import { replaceNodePlan } from './plans/replace-node';
import { joinPlan } from './plans/join';
import { fixPlan } from './plans/fixes';
import { preflightPlan } from './plans/preflight';
import type { Fix } from './plans/preflight-report';
import { deregisterPlan, registerPlan } from './plans/register';
import { deletePlan } from './plans/delete';
import { diagnosticsPlan } from './plans/diagnostics';
import { resetPlan } from './plans/reset';
import { validateClusterPlan } from './plans/validate-cluster';
import type { DryRun } from './records';
import { timeoutsOf, type EngineDeps, type RunOptions, type RunResult } from './runner/deps';
import { runPlan } from './runner/run-plan';
import { configureAgentsPlan } from './plans/configure-agents';
import { configureLbPlan } from './plans/configure-lb';
import { installPlan } from './plans/install';
import { lbDrillPlan } from './plans/lb-drill';
import { assertTopology } from './plans/topology';
import { randomBytes } from 'node:crypto';

export type * from './plan';
export type * from './records';
export type * from './ports';
export type * from './plans/preflight-report';
export { systemClock } from './ports';
export { OperationError, StepFailure, formatFailure } from './errors';
export { CHANGED_IN_RUN, runPlan } from './runner/run-plan';
export { DEFAULT_TIMEOUTS, CancelledError, timeoutsOf } from './runner/deps';
export type { EngineDeps, RunOptions, RunResult, Timeouts } from './runner/deps';
export { showCommand } from './runner/node-exec';
export { dryRunPlan } from './dry-run';
export { FileTranscriptSink, MemoryTranscriptSink, RUNS_DIR, readIndex, readTranscript } from './transcript';
export type { RunIndexEntry } from './transcript';
export { renderTranscript } from './transcript-text';
export { InvalidModelError, modelProblems } from './plans/validate';
export { PREFLIGHT_REPORT } from './plans/preflight';
export { MANAGER_URL } from './plans/deploy';
export { REGISTRATION_STATE } from './plans/register';
export { REMOVED_NODE } from './plans/remove-node';
export { NEW_NODES } from './plans/add-node';
export { REPLACEMENTS_CONFIGMAP } from './plans/replace-node';
export { DIAGNOSTICS, megabytes } from './plans/diagnostics';
export type { DiagnosticsFile, DiagnosticsResult } from './plans/diagnostics';
export { RESET_SURVEY, undoList } from './plans/reset-survey';
export type { ResetSurvey } from './plans/reset-survey';
export { foreignWorkloads } from './plans/reset-survey';
export { AdoptRefusal, NOT_BUILT_HINT, discoverCluster, nameFor, subnetOf } from './adopt';
export type { AdoptSources } from './adopt';
export {
  DRILL_TIMELINE,
  explainDrill,
  formatDuration,
  sinceStop,
  timelineLines,
} from './plans/drill-timeline';
export type { DrillEntry, DrillEntryKind, DrillTimeline } from './plans/drill-timeline';

export { OPERATIONS, OPERATION_NAMES, isOperationName, nextOperation } from './catalog';
export type {
  OperationArgs,
  OperationFlag,
  OperationInfo,
  OperationPlanName,
  SpecSecretRole,
} from './catalog';
export { requiredSecrets } from './secret-inputs';
export type { SecretInput } from './secret-inputs';

/** The engine bound to its ports: one per cluster context (editor) or per CLI run. */
export class OperationsEngine {
  constructor(private readonly deps: EngineDeps) {}

  private get randomBytes(): (n: number) => Buffer {
    return this.deps.randomBytes ?? randomBytes;
  }

  /** The plan of a named operation for this model (throws InvalidModelError on an unusable model). */
  plan(operation: OperationPlanName, model: ClusterModel, args: OperationArgs = {}): Plan {
    const timeouts = timeoutsOf(this.deps);
    assertTopology(operation, model);
    switch (operation) {
      case 'add-node':
        return addNodePlan(model, { randomBytes: this.randomBytes, timeouts });
      case 'remove-node':
        return removeNodePlan(model, args, { timeouts });
      case 'replace-node':
        return replaceNodePlan(model, args, { randomBytes: this.randomBytes, timeouts });
      case 'drill':
        return model.topology === 'load-balanced'
          ? lbDrillPlan(model, args, { timeouts })
          : drillPlan(model, args, { timeouts });
      case 'install':
        return installPlan(model, { timeouts });
      case 'configure-lb':
        return configureLbPlan(model, { timeouts });
      case 'configure-agents':
        return configureAgentsPlan(model);
      case 'preflight':
        return this.preflight(model);
      case 'join':
        return this.join(model);
      case 'deploy':
        return this.deploy(model);
      case 'register':
        return this.register(model, args);
      case 'deregister':
        return this.deregister(model);
      case 'validate-cluster':
        return validateClusterPlan(model);
      case 'diagnostics':
        return diagnosticsPlan(model, { timeouts });
      case 'reset':
        return resetPlan(model, args, { timeouts });
      case 'delete':
        return deletePlan(model, args, { timeouts });
    }
  }

  preflight(model: ClusterModel): Plan {
    return preflightPlan(model);
  }

  join(model: ClusterModel): Plan {
    return joinPlan(model, { randomBytes: this.randomBytes, timeouts: timeoutsOf(this.deps) });
  }

  deploy(model: ClusterModel): Plan {
    return deployPlan(model, { timeouts: timeoutsOf(this.deps) });
  }

  register(model: ClusterModel, args: OperationArgs = {}): Plan {
    return registerPlan(model, { timeoutMs: timeoutsOf(this.deps).registration, migration: args.migration });
  }

  deregister(model: ClusterModel): Plan {
    return deregisterPlan(model, { timeoutMs: timeoutsOf(this.deps).registration });
  }

  fix(model: ClusterModel, fixes: readonly Fix[]): Plan {
    return fixPlan(model, fixes);
  }

  /** Runs (or, after a failure or a cancel, resumes: done steps are skipped by their checks). */
  run(plan: Plan, options: RunOptions = {}): Promise<RunResult> {
    return runPlan(plan, this.deps, options);
  }

  dryRun(plan: Plan): DryRun {
    return dryRunPlan(plan, this.deps.masker, this.randomBytes);
  }
}

// The load-balanced topology (seed 003): haproxy.cfg, the runtime API, the drill's report.
export { haproxyConfig, DESCRIPTION_PREFIX } from './haproxy/config';
export type { GeneratedConfig } from './haproxy/config';
export {
  parseShowStat,
  parseShowInfo,
  parseCheckOutput,
  serversOf,
  isServing,
  stateWord,
  runtimeApiCommand,
} from './haproxy/runtime-api';
export type { StatRow, ConfigProblem } from './haproxy/runtime-api';
export { LB_DRILL } from './plans/lb-drill';
export type { LbDrillReport, LbDrillEntryKind } from './plans/lb-drill';
export { appliesTo, topologyOf } from './plans/topology';
export { lbCmd, configFiles } from './lb-commands';
