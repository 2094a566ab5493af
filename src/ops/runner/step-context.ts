// What a step sees while it runs: commands on nodes, the cluster's API, its secrets, logging and waits — each
// bound to the run (its transcript, masker and cancel).
import type { NodeModel } from '../../cluster-spec/types';
import { StepFailure } from '../errors';
import type { StepContext } from '../plan';
import type { ClusterApi } from '../ports';
import type { TranscriptStep } from '../records';
import { CancelledError, type EngineDeps, type Timeouts } from './deps';
import { execOnNode, type NodeExecScope } from './node-exec';
import { uploadToNode } from './upload';
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
    report: (key, value) => {
      const copy = structuredClone(value);
      (recorder.record.reports ??= {})[key] = copy;
      recorder.emit({
        type: 'report',
        runId: recorder.runId,
        at: clock.now(),
        step: stepId,
        key,
        value: copy,
      });
      recorder.scheduleFlush();
    },
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
    upload: (node, localPath, remotePath, mode) =>
      uploadToNode({ ...scope, files: deps.files }, stepId, node, localPath, remotePath, mode),
    confirm: async (question) => {
      if (!deps.confirm) return false;
      log(`asking: ${question.title}`);
      const yes = await deps.confirm(question);
      log(yes ? `confirmed: ${question.title}` : `not confirmed: ${question.title}`);
      return yes;
    },
    hostKeys: () => port(deps.hostKeys, 'read SSH host keys'),
    https: () => port(deps.https, 'reach the Gateway Manager over HTTPS'),
    artifacts: () => port(deps.artifacts, 'keep files on this machine'),
    local: () => port(deps.local, 'tell what it keeps for the cluster'),
    sleep: (ms) => sleep(ms, signal),
    waitFor: (what, subscribe, done, timeoutMs) => waitFor(signal, what, subscribe, done, timeoutMs),
  };
}

/** A port the host may lack (a test engine): a clear failure instead of a crash. */
function port<T>(value: T | undefined, what: string): T {
  if (value) return value;
  throw new StepFailure(
    `This host cannot ${what}.`,
    'Run the operation from the editor or the gateway-cluster CLI.',
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
