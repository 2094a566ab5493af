// The node lifecycle as Kubernetes runs it: the kubelet renews its heartbeat every 10 s; when they stop
// (MicroK8s stopped, the link down, the VM gone or left), the node lifecycle controller, looking every 5 s,
// turns the node Unknown once the last heartbeat is older than the grace period (50 s) and taints it
// `node.kubernetes.io/unreachable` (NoSchedule, NoExecute); the taint manager then evicts each pod when its
// toleration for that taint runs out (300 s unless the pod says otherwise; DaemonSet pods tolerate it for
// ever). An evicted pod on an unreachable node stays Terminating (no kubelet confirms it) until the node
// comes back or its Node object is deleted; ReplicaSets replace such pods at once, a StatefulSet waits for
// the name. Every duration is `timing`'s, so the lab's time scale applies.
import { recordEvent, subjectOf } from './events';
import { deletePod } from './pods';
import { timing } from './timing';
import type { Cluster, Json, K8sNode, PodRecord } from './types';
import { metaOf } from './types';

/** What the lifecycle needs from the model. */
export interface LifecycleHost {
  setNodeReady(cluster: Cluster, k8sNode: K8sNode, ready: boolean): void;
  reconcile(cluster: Cluster): void;
  clusterTimer(cluster: Cluster, ms: number, fn: () => void): NodeJS.Timeout;
}

const UNREACHABLE = 'node.kubernetes.io/unreachable';

function later(host: LifecycleHost, cluster: Cluster, k8sNode: K8sNode, ms: number, fn: () => void): void {
  const timer = host.clusterTimer(cluster, ms, () => {
    k8sNode.timers = k8sNode.timers.filter((t) => t !== timer);
    if (cluster.k8sNodes.get(k8sNode.name) === k8sNode) fn();
  });
  k8sNode.timers.push(timer);
}

function clearTimers(cluster: Cluster, k8sNode: K8sNode): void {
  for (const timer of k8sNode.timers) {
    clearTimeout(timer);
    cluster.timers.delete(timer);
  }
  k8sNode.timers = [];
}

/**
 * How long a pod stays once the node is tainted unreachable (the taint manager's getMinTolerationTime): 0
 * without a matching toleration, the smallest tolerationSeconds among those that match, undefined (for
 * ever) when none of them limits it.
 */
export function evictionDelayMs(pod: PodRecord): number | undefined {
  const tolerations = (((pod.object.spec as Json).tolerations ?? []) as Json[]).filter(
    (t) =>
      (t.key === UNREACHABLE || (t.key === undefined && t.operator === 'Exists')) &&
      (t.effect === undefined || t.effect === 'NoExecute'),
  );
  if (tolerations.length === 0) return 0;
  const limited = tolerations.flatMap((t) =>
    typeof t.tolerationSeconds === 'number' ? [t.tolerationSeconds] : [],
  );
  if (limited.length === 0) return undefined;
  const seconds = Math.max(0, Math.min(...limited));
  return timing.fixedEvictionMs ?? seconds * 1000 * timing.timeScale;
}

/** The kubelet stopped posting heartbeats at `at`: Unknown after the grace period, then evictions. */
export function heartbeatsStopped(
  host: LifecycleHost,
  cluster: Cluster,
  k8sNode: K8sNode,
  at = Date.now(),
): void {
  if (k8sNode.lastHeartbeat !== undefined) return;
  clearTimers(cluster, k8sNode);
  let delay: number;
  if (timing.fixedNotReadyMs !== undefined) {
    k8sNode.lastHeartbeat = at;
    delay = timing.fixedNotReadyMs;
  } else {
    // The last renewal before `at`, then the first monitor pass that finds it older than the grace period.
    const since = k8sNode.heartbeatSince;
    const last = since + Math.floor((at - since) / timing.heartbeatMs) * timing.heartbeatMs;
    k8sNode.lastHeartbeat = last;
    const due = last + timing.nodeMonitorGraceMs;
    const pass = Math.ceil(due / timing.nodeMonitorPeriodMs) * timing.nodeMonitorPeriodMs;
    delay = Math.max(0, pass - at);
  }
  later(host, cluster, k8sNode, delay, () => {
    host.setNodeReady(cluster, k8sNode, false);
    scheduleEvictions(host, cluster, k8sNode);
  });
}

/** Heartbeats again (MicroK8s or the link came back): Ready soon, pending evictions called off. */
export function heartbeatsResumed(host: LifecycleHost, cluster: Cluster, k8sNode: K8sNode): void {
  clearTimers(cluster, k8sNode);
  k8sNode.lastHeartbeat = undefined;
  k8sNode.heartbeatSince = Date.now();
  if (!k8sNode.ready)
    later(host, cluster, k8sNode, timing.nodeReadyMs, () => host.setNodeReady(cluster, k8sNode, true));
}

/** The taint manager: each pod of the tainted node goes when its toleration runs out. */
function scheduleEvictions(host: LifecycleHost, cluster: Cluster, k8sNode: K8sNode): void {
  const byDelay = new Map<number, PodRecord[]>();
  for (const pod of cluster.pods.values()) {
    if (pod.nodeName !== k8sNode.name || pod.terminating) continue;
    const delay = evictionDelayMs(pod);
    if (delay === undefined) continue;
    byDelay.set(delay, [...(byDelay.get(delay) ?? []), pod]);
  }
  for (const [delay, pods] of byDelay) {
    later(host, cluster, k8sNode, delay, () => {
      if (k8sNode.ready) return;
      for (const pod of pods) evict(cluster, k8sNode, pod);
      host.reconcile(cluster);
    });
  }
}

function evict(cluster: Cluster, k8sNode: K8sNode, pod: PodRecord): void {
  const meta = metaOf(pod.object);
  if (pod.terminating || pod.nodeName !== k8sNode.name) return;
  if (cluster.pods.get(`${String(meta.namespace)}/${String(meta.name)}`) !== pod) return;
  recordEvent(
    cluster,
    subjectOf(pod.object, 'Pod', 'v1'),
    'Normal',
    'TaintManagerEviction',
    `Marking for deletion Pod ${String(meta.namespace)}/${String(meta.name)}`,
    { component: 'taint-eviction-controller' },
  );
  // Graceful: on an unreachable node no kubelet confirms it, so the pod stays Terminating.
  deletePod(cluster, pod);
}
