// The pod-owning controllers: ReplicaSet (keeps `replicas` pods), StatefulSet (pods NAME-0…N-1, one at a time,
// each Ready before the next) and DaemonSet (one pod per node), each rolling out a changed template and
// writing its status and events as kube-controller-manager does.
import { createHash } from 'node:crypto';
import { recordEvent, subjectOf } from './events';
import { createPod, deletePod, isPodReady, leastLoaded, type PodOwner } from './pods';
import { writeIfChanged } from './status';
import type { Cluster, Json, PodRecord } from './types';
import { metaOf } from './types';

/** A short, stable hash of a pod template (the lab's stand-in for the controllers' FNV hashes). */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from(digest.subarray(0, 10), (b) => alphabet[b % alphabet.length]).join('');
}

export const specOf = (object: Json): Json => (object.spec ?? {}) as Json;
const statusOf = (object: Json): Json => (object.status ?? {}) as Json;
const replicasOf = (object: Json): number => Number(specOf(object).replicas ?? 1);

/** Pods a controller owns, terminating ones apart. */
export function ownedPods(cluster: Cluster, uid: string): { active: PodRecord[]; terminating: PodRecord[] } {
  const active: PodRecord[] = [];
  const terminating: PodRecord[] = [];
  for (const pod of cluster.pods.values()) {
    if (pod.ownerUid !== uid) continue;
    (pod.terminating ? terminating : active).push(pod);
  }
  return { active, terminating };
}

const controllerSource = (component: string) => ({ component });

function podCreated(cluster: Cluster, owner: PodOwner, pod: PodRecord, component: string): void {
  const meta = metaOf(pod.object);
  const message =
    owner.kindName === 'StatefulSet'
      ? `create Pod ${String(meta.name)} in StatefulSet ${String(metaOf(owner.object).name)} successful`
      : `Created pod: ${String(meta.name)}`;
  recordEvent(
    cluster,
    subjectOf(owner.object, owner.kindName, 'apps/v1'),
    'Normal',
    'SuccessfulCreate',
    message,
    controllerSource(component),
  );
}

function podDeleted(cluster: Cluster, owner: PodOwner, pod: PodRecord, component: string): void {
  const name = String(metaOf(pod.object).name);
  const message =
    owner.kindName === 'StatefulSet'
      ? `delete Pod ${name} in StatefulSet ${String(metaOf(owner.object).name)} successful`
      : `Deleted pod: ${name}`;
  recordEvent(
    cluster,
    subjectOf(owner.object, owner.kindName, 'apps/v1'),
    'Normal',
    'SuccessfulDelete',
    message,
    controllerSource(component),
  );
  deletePod(cluster, pod);
}

function counts(pods: PodRecord[]): { ready: number; scheduled: number } {
  return { ready: pods.filter(isPodReady).length, scheduled: pods.filter((p) => p.nodeName).length };
}

export function reconcileReplicaSet(cluster: Cluster, rs: Json, settled: boolean): void {
  const owner: PodOwner = { kindName: 'ReplicaSet', object: rs };
  const uid = String(metaOf(rs).uid);
  const { active } = ownedPods(cluster, uid);
  const want = replicasOf(rs);
  for (let n = active.length; n < want; n++) {
    const pod = createPod(cluster, owner, {
      nodeName: settled ? leastLoaded(cluster)?.name : undefined,
      settled,
    });
    podCreated(cluster, owner, pod, 'replicaset-controller');
    active.push(pod);
  }
  if (active.length > want) {
    // Unscheduled, then not Ready, then the newest go first (the controller's ranking, simplified).
    const rank = (p: PodRecord) => (p.nodeName ? 2 : 0) + (isPodReady(p) ? 1 : 0);
    const doomed = [...active]
      .sort(
        (a, b) =>
          rank(a) - rank(b) ||
          String(metaOf(b.object).creationTimestamp).localeCompare(
            String(metaOf(a.object).creationTimestamp),
          ),
      )
      .slice(0, active.length - want);
    for (const pod of doomed) podDeleted(cluster, owner, pod, 'replicaset-controller');
  }
  const { active: now } = ownedPods(cluster, uid);
  const { ready } = counts(now);
  writeIfChanged(cluster, 'replicasets', rs, {
    replicas: now.length,
    fullyLabeledReplicas: now.length,
    readyReplicas: ready,
    availableReplicas: ready,
  });
}

export function reconcileDaemonSet(cluster: Cluster, ds: Json, settled: boolean): void {
  const owner: PodOwner = { kindName: 'DaemonSet', object: ds };
  const uid = String(metaOf(ds).uid);
  const hash = templateHash(specOf(ds).template);
  const nodes = [...cluster.k8sNodes.values()].filter((n) => n.labIndex !== null);
  const { active, terminating } = ownedPods(cluster, uid);
  for (const node of nodes) {
    if (active.some((p) => p.nodeName === node.name) || terminating.some((p) => p.nodeName === node.name))
      continue;
    const pod = createPod(cluster, owner, {
      nodeName: node.name,
      labels: { 'controller-revision-hash': hash },
      settled,
    });
    podCreated(cluster, owner, pod, 'daemonset-controller');
  }
  for (const pod of active)
    if (!nodes.some((n) => n.name === pod.nodeName)) podDeleted(cluster, owner, pod, 'daemonset-controller');
  // Rolling update, maxUnavailable 1: one old pod at a time, once every pod is Ready.
  const current = ownedPods(cluster, uid);
  const old = current.active.filter(
    (p) => (metaOf(p.object).labels as Json)['controller-revision-hash'] !== hash,
  );
  if (old[0] && current.terminating.length === 0 && current.active.every(isPodReady))
    podDeleted(cluster, owner, old[0], 'daemonset-controller');
  const after = ownedPods(cluster, uid).active;
  const ready = after.filter(isPodReady).length;
  const updated = after.filter(
    (p) => (metaOf(p.object).labels as Json)['controller-revision-hash'] === hash,
  ).length;
  writeIfChanged(cluster, 'daemonsets', ds, {
    currentNumberScheduled: after.length,
    desiredNumberScheduled: nodes.length,
    numberAvailable: ready,
    numberMisscheduled: 0,
    numberReady: ready,
    ...(ready < nodes.length ? { numberUnavailable: nodes.length - ready } : {}),
    updatedNumberScheduled: updated,
  });
}

export function reconcileStatefulSet(cluster: Cluster, sts: Json, settled: boolean): void {
  const owner: PodOwner = { kindName: 'StatefulSet', object: sts };
  const meta = metaOf(sts);
  const name = String(meta.name);
  const uid = String(meta.uid);
  const revision = `${name}-${templateHash(specOf(sts).template)}`;
  const want = replicasOf(sts);
  const podAt = (i: number) => cluster.pods.get(`${String(meta.namespace)}/${name}-${i}`);
  // OrderedReady: pod i is made only when 0…i-1 run Ready; a name still held by a terminating pod waits.
  for (let i = 0; i < want; i++) {
    const existing = podAt(i);
    if (existing) {
      if (existing.terminating || !isPodReady(existing)) break;
      continue;
    }
    const pod = createPod(cluster, owner, {
      name: `${name}-${i}`,
      nodeName: settled ? leastLoaded(cluster)?.name : undefined,
      labels: {
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
        'apps.kubernetes.io/pod-index': String(i),
      },
      settled,
    });
    podCreated(cluster, owner, pod, 'statefulset-controller');
    if (!settled) break;
  }
  const { active, terminating } = ownedPods(cluster, uid);
  const ordinal = (p: PodRecord) => Number(/-(\d+)$/.exec(String(metaOf(p.object).name))?.[1] ?? 0);
  const extra = active.filter((p) => ordinal(p) >= want).sort((a, b) => ordinal(b) - ordinal(a));
  if (extra[0] && terminating.length === 0) podDeleted(cluster, owner, extra[0], 'statefulset-controller');
  // Rolling update: the highest ordinal with the old revision goes once every pod is Ready.
  const stale = active
    .filter(
      (p) => ordinal(p) < want && (metaOf(p.object).labels as Json)['controller-revision-hash'] !== revision,
    )
    .sort((a, b) => ordinal(b) - ordinal(a));
  if (stale[0] && terminating.length === 0 && active.every(isPodReady) && extra.length === 0)
    podDeleted(cluster, owner, stale[0], 'statefulset-controller');
  const now = ownedPods(cluster, uid).active;
  const ready = now.filter(isPodReady).length;
  const updated = now.filter(
    (p) => (metaOf(p.object).labels as Json)['controller-revision-hash'] === revision,
  ).length;
  const previous = String(statusOf(sts).currentRevision ?? revision);
  writeIfChanged(cluster, 'statefulsets', sts, {
    availableReplicas: ready,
    collisionCount: 0,
    currentReplicas: updated === now.length ? updated : now.length - updated,
    currentRevision: updated === now.length ? revision : previous,
    readyReplicas: ready,
    replicas: now.length,
    updateRevision: revision,
    updatedReplicas: updated,
  });
}
