// Drain as kubectl does it, through the API: cordon, evict every evictable pod (retrying, with backoff, while
// a PodDisruptionBudget refuses with 429 and saying which budget blocks which pod), then wait through a watch
// until the evicted pods are gone. Cancel stops it at any point; the node stays cordoned.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { Backoff } from '../timing';
import { cordon, listPods, podKey } from './actions';
import type { KubeClient } from './client';
import { WatchCache, resources } from './watch-cache';

export interface DrainOptions {
  /** The whole drain, budgets' waits included (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface DrainResult {
  evicted: string[];
  skipped: string[];
}

/** Pods a drain evicts: not DaemonSet-owned (they would come straight back) and not mirror (static) pods. */
export function isEvictable(pod: K8s.V1Pod): boolean {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
  if (pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet')) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** Why an eviction was refused with 429: the budget's own words (`The disruption budget X needs …`). */
export function budgetRefusal(error: unknown): string | undefined {
  const e = error as { code?: number; body?: unknown };
  if (e.code !== 429) return undefined;
  let status: { message?: string; details?: { causes?: Array<{ message?: string }> } } = {};
  try {
    status = (typeof e.body === 'string' ? JSON.parse(e.body) : e.body) as typeof status;
  } catch {
    // Not a Status object: the generic words below.
  }
  const causes = (status?.details?.causes ?? []).flatMap((c) => (c.message ? [c.message] : []));
  return causes.join('; ') || status?.message || 'a disruption budget does not allow it now';
}

class DrainStopped extends Error {}

export async function drainNode(
  client: KubeClient,
  nodeName: string,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  const progress = options.onProgress ?? (() => undefined);
  const stopIfNeeded = (what: string) => {
    if (options.signal?.aborted) throw new DrainStopped(`Drain of ${nodeName} cancelled while ${what}.`);
    if (Date.now() > deadline) throw new DrainStopped(`Drain of ${nodeName} timed out while ${what}.`);
  };
  await cordon(client, nodeName);
  progress(`cordoned ${nodeName}`);
  const initial = await listPods(client, nodeName);
  const targets = initial.filter(isEvictable);
  const skipped = initial.filter((p) => !isEvictable(p)).map(podKey);
  try {
    await Promise.all(targets.map((pod) => evict(client, pod, stopIfNeeded, progress, options.signal)));
    await waitUntilGone(client, nodeName, targets, stopIfNeeded, options.signal);
  } catch (error) {
    if (options.signal?.aborted)
      throw new Error(`Drain of ${nodeName} cancelled; it stays cordoned.`, { cause: error });
    throw error instanceof DrainStopped ? new Error(error.message, { cause: error }) : error;
  }
  progress(`drained ${nodeName}`);
  return { evicted: targets.map(podKey), skipped };
}

async function evict(
  client: KubeClient,
  pod: K8s.V1Pod,
  stopIfNeeded: (what: string) => void,
  progress: (message: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { name, namespace } = pod.metadata ?? {};
  if (!name || !namespace) return;
  const backoff = new Backoff({ initialMs: 1000, maxMs: 10_000 });
  const core = signal ? client.coreWith(signal) : client.core;
  for (;;) {
    stopIfNeeded(`evicting ${namespace}/${name}`);
    try {
      await core.createNamespacedPodEviction({
        name,
        namespace,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
      });
      progress(`evicted ${namespace}/${name}`);
      return;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return; // already gone
      const refusal = budgetRefusal(error);
      if (refusal === undefined) throw error;
      const delay = backoff.next();
      progress(`${namespace}/${name} waits: ${refusal}; retrying in ${Math.round(delay / 1000)} s`);
      await pause(delay, signal);
    }
  }
}

/** Waits through a watch of the node's pods until none of `targets` is left on it. */
async function waitUntilGone(
  client: KubeClient,
  nodeName: string,
  targets: K8s.V1Pod[],
  stopIfNeeded: (what: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const uids = new Set(targets.map((p) => p.metadata?.uid));
  if (uids.size === 0) return;
  const cache = new WatchCache<K8s.V1Pod>(client, resources.pods(), {
    fieldSelector: `spec.nodeName=${nodeName}`,
    coalesceMs: 50,
  });
  const remaining = () => cache.list().filter((p) => uids.has(p.metadata?.uid));
  try {
    await cache.start();
    while (remaining().length > 0) {
      stopIfNeeded(`waiting for ${remaining().map(podKey).join(', ')} to leave`);
      await new Promise<void>((resolve) => {
        const off = cache.onChange(() => done());
        const timer = setTimeout(done, 1000);
        signal?.addEventListener('abort', done, { once: true });
        function done(): void {
          off();
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
      });
    }
  } finally {
    await cache.stop();
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
