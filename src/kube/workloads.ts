// Workload actions through the API, as kubectl does them: rollout restart (a patch of the pod template's
// `kubectl.kubernetes.io/restartedAt` annotation), scale (the Deployment's /scale subresource) and the
// rollout's progress read from the object's status with kubectl rollout status's words.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient } from './client';
import { WatchCache, resources } from './watch-cache';

export type WorkloadKind = 'Deployment' | 'StatefulSet';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The strategic merge patch `kubectl rollout restart` sends. */
export function restartPatch(now: Date): object {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } };
}

export async function restartWorkload(
  client: KubeClient,
  kind: WorkloadKind,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<void> {
  const { k8s } = client;
  const apps = signal ? client.appsWith(signal) : client.apps;
  const options = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
  const body = restartPatch(new Date());
  if (kind === 'Deployment') await apps.patchNamespacedDeployment({ namespace, name, body }, options);
  else await apps.patchNamespacedStatefulSet({ namespace, name, body }, options);
}

export async function scaleDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  replicas: number,
  signal?: AbortSignal,
): Promise<void> {
  const { k8s } = client;
  const apps = signal ? client.appsWith(signal) : client.apps;
  await apps.patchNamespacedDeploymentScale(
    { namespace, name, body: { spec: { replicas } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

export interface RolloutProgress {
  done: boolean;
  message: string;
}

/** kubectl rollout status's words for a Deployment or StatefulSet (polymorphichelpers/rollout_status.go). */
export function rolloutProgress(kind: WorkloadKind, object: Loose): RolloutProgress {
  const name = object?.metadata?.name ?? '';
  const spec = object?.spec ?? {};
  const status = object?.status ?? {};
  const wanted = Number(spec.replicas ?? 1);
  if (Number(object?.metadata?.generation ?? 0) > Number(status.observedGeneration ?? 0))
    return { done: false, message: `Waiting for ${kind.toLowerCase()} spec update to be observed...` };
  if (kind === 'Deployment') {
    const progressing = (status.conditions ?? []).find((c: Loose) => c?.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      return { done: true, message: `deployment "${name}" exceeded its progress deadline` };
    const updated = Number(status.updatedReplicas ?? 0);
    const replicas = Number(status.replicas ?? 0);
    const available = Number(status.availableReplicas ?? 0);
    if (updated < wanted)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`,
      };
    if (replicas > updated)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`,
      };
    if (available < updated)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`,
      };
    return { done: true, message: `deployment "${name}" successfully rolled out` };
  }
  const ready = Number(status.readyReplicas ?? 0);
  if (ready < wanted) return { done: false, message: `Waiting for ${wanted - ready} pods to be ready...` };
  if (status.updateRevision && status.currentRevision !== status.updateRevision) {
    const updated = Number(status.updatedReplicas ?? 0);
    return {
      done: false,
      message: `Waiting for partitioned roll out to finish: ${updated} out of ${wanted} new pods have been updated...`,
    };
  }
  return {
    done: true,
    message: `statefulset rolling update complete ${ready} pods at revision ${status.currentRevision ?? ''}...`,
  };
}

/** Follows a rollout through a watch of the one object until it is done (or the signal aborts). */
export async function waitForRollout(
  client: KubeClient,
  kind: WorkloadKind,
  namespace: string,
  name: string,
  options: { signal?: AbortSignal; onProgress?: (message: string) => void; timeoutMs?: number } = {},
): Promise<RolloutProgress> {
  const resource: ReturnType<typeof resources.deployments> | ReturnType<typeof resources.statefulSets> =
    kind === 'Deployment' ? resources.deployments(namespace) : resources.statefulSets(namespace);
  const cache = new WatchCache<K8s.V1Deployment | K8s.V1StatefulSet>(
    client,
    resource as ReturnType<typeof resources.deployments>,
    { fieldSelector: `metadata.name=${name}`, coalesceMs: 50 },
  );
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let last = '';
  try {
    await cache.start();
    for (;;) {
      const object = cache.get(name, namespace);
      if (!object) throw new Error(`${kind} ${namespace}/${name} not found`);
      const progress = rolloutProgress(kind, object);
      if (progress.message !== last) options.onProgress?.(progress.message);
      last = progress.message;
      if (progress.done) return progress;
      if (options.signal?.aborted) throw new Error(`Stopped waiting for the rollout of ${name}.`);
      if (Date.now() > deadline)
        throw new Error(`The rollout of ${name} did not finish in time: ${progress.message}`);
      await new Promise<void>((resolve) => {
        const off = cache.onChange(() => done());
        const timer = setTimeout(done, 1000);
        options.signal?.addEventListener('abort', done, { once: true });
        function done(): void {
          off();
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  } finally {
    await cache.stop();
  }
}
