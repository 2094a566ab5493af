// What a step sees while it runs: commands on nodes, the cluster's API, its secrets, logging and waits — each
// bound to the run (its transcript, masker and cancel).
import type { NodeModel } from '../../cluster-spec/types';
import { StepFailure } from '../errors';
import type { StepContext } from '../plan';
import type { ClusterApi } from '../ports';
import type { TranscriptStep } from '../records';
import type { EngineDeps, Timeouts } from './deps';
import { execOnNode, type NodeExecScope } from './node-exec';
import { waitFor } from './wait-for';

/** The run-wide part every step context shares. */
export interface RunScope extends NodeExecScope {
  deps: EngineDeps;
  shared: Map<string, unknown>;
  timeouts: Timeouts;
  model: StepContext['model'];
  /** The run's one API connection, made on first use. */
  cluster(): Promise<ClusterApi>;
}

export function stepContext(
  scope: RunScope,
  stepId: string,
  tstep: TranscriptStep,
  unitNode: NodeModel | undefined,
): StepContext {
  const { recorder, masker, clock, deps, signal } = scope;
  const log = (line: string, node?: NodeModel) => {
    const masked = masker.mask(line);
    tstep.log.push(node ? `[${node.hostname}] ${masked}` : masked);
    recorder.emit({
      type: 'output',
      runId: recorder.runId,
      at: clock.now(),
      step: stepId,
      node: (node ?? unitNode)?.hostname,
      stream: 'info',
      line: masked,
    });
  };
  return {
    model: scope.model,
    signal,
    shared: scope.shared,
    log,
    addSecret: (value) => masker.register(value),
    secret: async (name, what) => {
      const value = await deps.secrets.get(name);
      if (value === undefined || value === '') {
        throw new StepFailure(
          `${what} is not stored (secret "${name}").`,
          `Enter ${what} when asked (it is kept in the editor's secret storage, or the CLI's secrets file), then resume.`,
        );
      }
      masker.register(value);
      return value;
    },
    cluster: () => scope.cluster(),
    storeKubeconfig: (text) => deps.kubeconfig.store(text),
    exec: (node, command, options) => execOnNode(scope, stepId, node, command, options ?? {}),
    waitFor: (what, subscribe, done, timeoutMs) => waitFor(signal, what, subscribe, done, timeoutMs),
  };
}
