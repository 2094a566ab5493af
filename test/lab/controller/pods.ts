// Pods: made from their controller's template, bound by the scheduler to the least loaded schedulable node,
// started by the "kubelet" (Pending → Running, Ready after the workload's delay), deleted gracefully
// (deletionTimestamp, then gone) or at once. Each step writes the events a real cluster writes.
import { randomBytes, randomUUID } from 'node:crypto';
import { recordEvent, subjectOf, type EventSubject } from './events';
import { emit } from './hub';
import { timing } from './timing';
import type { Cluster, Json, K8sNode, PodRecord } from './types';
import { metaOf, nowIso } from './types';

const rand = (n: number, alphabet = 'bcdfghjklmnpqrstvwxz2456789'): string =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
export const randomSuffix = rand;

export const podKey = (pod: PodRecord): string => {
  const meta = metaOf(pod.object);
  return `${String(meta.namespace)}/${String(meta.name)}`;
};

const podSubject = (pod: PodRecord, fieldPath?: string): EventSubject => ({
  ...subjectOf(pod.object, 'Pod', 'v1'),
  ...(fieldPath ? { fieldPath } : {}),
});

const kubelet = (nodeName: string) => ({ component: 'kubelet', host: nodeName });

export function emitPod(cluster: Cluster, type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: PodRecord): void {
  emit(cluster, 'pods', type, pod.object);
}

export interface PodOwner {
  kindName: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  object: Json;
}

/** A new pod of `owner` (its template), named `name` (or generated), Pending, maybe already bound. */
export function createPod(
  cluster: Cluster,
  owner: PodOwner,
  options: { name?: string; nodeName?: string; labels?: Record<string, string>; settled: boolean },
): PodRecord {
  const ownerMeta = metaOf(owner.object);
  const template = ((owner.object.spec as Json).template ?? {}) as Json;
  const templateMeta = (template.metadata ?? {}) as Json;
  const templateSpec = (template.spec ?? {}) as Json;
  const namespace = String(ownerMeta.namespace);
  const name = options.name ?? `${String(ownerMeta.name)}-${rand(5)}`;
  const now = nowIso();
  const containers = ((templateSpec.containers ?? []) as Json[]).map((c) => ({
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...structuredClone(c),
  }));
  const daemon = owner.kindName === 'DaemonSet';
  const object: Json = {
    metadata: {
      name,
      ...(options.name ? {} : { generateName: `${String(ownerMeta.name)}-` }),
      namespace,
      uid: randomUUID(),
      creationTimestamp: now,
      labels: { ...((templateMeta.labels ?? {}) as Record<string, string>), ...options.labels },
      ...(templateMeta.annotations ? { annotations: structuredClone(templateMeta.annotations) } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: owner.kindName,
          name: ownerMeta.name,
          uid: ownerMeta.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...(daemon && options.nodeName
        ? {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    {
                      matchFields: [{ key: 'metadata.name', operator: 'In', values: [options.nodeName] }],
                    },
                  ],
                },
              },
            },
          }
        : {}),
      containers,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: tolerationsFor(daemon, (templateSpec.tolerations ?? []) as Json[]),
    },
    status: {
      phase: 'Pending',
      qosClass: 'BestEffort',
      conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now }],
    },
  };
  const pod: PodRecord = {
    object,
    ownerUid: String(ownerMeta.uid),
    nodeName: '',
    terminating: false,
    timers: [],
  };
  cluster.pods.set(`${namespace}/${name}`, pod);
  const node = options.nodeName ? cluster.k8sNodes.get(options.nodeName) : undefined;
  if (node && options.settled) {
    // A settled lab: the pod was bound and started long ago (one ADDED event, no fresh events).
    bindPod(cluster, pod, node, true, false);
    emitPod(cluster, 'ADDED', pod);
  } else {
    emitPod(cluster, 'ADDED', pod);
    if (node) bindPod(cluster, pod, node, false);
  }
  return pod;
}

/**
 * A pod's tolerations as admission leaves them: the template's own, plus what DefaultTolerationSeconds adds
 * for the not-ready and unreachable taints when the template has none for them (300 s); DaemonSet pods
 * tolerate those (and the pressure taints) for ever.
 */
function tolerationsFor(daemon: boolean, own: Json[]): Json[] {
  const taint = (t: string) => `node.kubernetes.io/${t}`;
  if (daemon)
    return [
      'not-ready',
      'unreachable',
      'disk-pressure',
      'memory-pressure',
      'pid-pressure',
      'unschedulable',
    ].map((t) => ({
      key: taint(t),
      operator: 'Exists',
      effect: t === 'not-ready' || t === 'unreachable' ? 'NoExecute' : 'NoSchedule',
    }));
  const added = ['not-ready', 'unreachable']
    .filter((t) => !own.some((o) => o.key === taint(t)))
    .map((t) => ({
      key: taint(t),
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: timing.defaultTolerationSeconds,
    }));
  return [...structuredClone(own), ...added];
}

/** The scheduler's binding, then the kubelet's start (at once when `settled`). */
export function bindPod(
  cluster: Cluster,
  pod: PodRecord,
  node: K8sNode,
  settled: boolean,
  send = true,
): void {
  const now = nowIso();
  pod.nodeName = node.name;
  (pod.object.spec as Json).nodeName = node.name;
  const status = pod.object.status as Json;
  status.conditions = [
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
  ];
  const meta = metaOf(pod.object);
  recordEvent(
    cluster,
    podSubject(pod),
    'Normal',
    'Scheduled',
    `Successfully assigned ${String(meta.namespace)}/${String(meta.name)} to ${node.name}`,
    { component: 'default-scheduler' },
  );
  pod.warming = readyDelay(cluster, pod) > 0;
  if (settled) {
    status.hostIP = node.address;
    status.hostIPs = [{ ip: node.address }];
    status.startTime = now;
    pod.warming = false;
    setRunning(pod, node.ready);
    if (send) emitPod(cluster, 'MODIFIED', pod);
    return;
  }
  // The kubelet has the pod: its containers are being created.
  status.hostIP = node.address;
  status.hostIPs = [{ ip: node.address }];
  status.startTime = now;
  status.containerStatuses = ((pod.object.spec as Json).containers as Json[]).map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: { reason: 'ContainerCreating' } },
  }));
  emitPod(cluster, 'MODIFIED', pod);
  pod.timers.push(setTimeout(() => startPod(cluster, pod), timing.podStartMs));
}

function readyDelay(cluster: Cluster, pod: PodRecord): number {
  return cluster.labWorkloads.get(pod.ownerUid)?.readyDelayMs ?? 0;
}

/** The kubelet runs the containers: Running, Ready unless the workload's readiness delay is still due. */
function startPod(cluster: Cluster, pod: PodRecord): void {
  if (cluster.pods.get(podKey(pod)) !== pod || pod.terminating) return;
  const node = cluster.k8sNodes.get(pod.nodeName);
  if (!node?.ready) return;
  const status = pod.object.status as Json;
  status.hostIP = node.address;
  status.hostIPs = [{ ip: node.address }];
  status.startTime = status.startTime ?? nowIso();
  const delay = readyDelay(cluster, pod);
  pod.warming = delay > 0;
  setRunning(pod, !pod.warming);
  emitPod(cluster, 'MODIFIED', pod);
  for (const c of (pod.object.spec as Json).containers as Json[]) {
    const path = `spec.containers{${String(c.name)}}`;
    const subject = podSubject(pod, path);
    recordEvent(
      cluster,
      subject,
      'Normal',
      'Pulled',
      `Container image "${String(c.image)}" already present on machine`,
      kubelet(node.name),
    );
    recordEvent(
      cluster,
      subject,
      'Normal',
      'Created',
      `Created container: ${String(c.name)}`,
      kubelet(node.name),
    );
    recordEvent(
      cluster,
      subject,
      'Normal',
      'Started',
      `Started container ${String(c.name)}`,
      kubelet(node.name),
    );
  }
  if (pod.warming) pod.timers.push(setTimeout(() => podReady(cluster, pod), delay));
  onPodChanged(cluster);
}

/** A pod passes its readiness probe. */
function podReady(cluster: Cluster, pod: PodRecord): void {
  if (cluster.pods.get(podKey(pod)) !== pod || pod.terminating || !pod.warming) return;
  pod.warming = false;
  if (!cluster.k8sNodes.get(pod.nodeName)?.ready) return;
  setRunning(pod, true);
  emitPod(cluster, 'MODIFIED', pod);
  onPodChanged(cluster);
}

/** Sets Running with every container `ready` (or not), keeping start times and restart counts. */
export function setRunning(pod: PodRecord, ready: boolean): void {
  const status = pod.object.status as Json;
  const now = nowIso();
  const prior = (status.containerStatuses as Json[] | undefined) ?? [];
  const wasReady = prior.length > 0 && prior.every((c) => c.ready === true);
  if (ready && !wasReady) pod.readySinceMs = Date.now();
  status.phase = 'Running';
  status.podIP = status.podIP ?? `10.1.${randomBytes(1)[0]}.${((randomBytes(1)[0] ?? 1) % 250) + 2}`;
  status.podIPs = [{ ip: status.podIP }];
  const was = (type: string): Json | undefined =>
    ((status.conditions as Json[] | undefined) ?? []).find((c) => c.type === type);
  const condition = (type: string, value: boolean): Json => {
    const text = value ? 'True' : 'False';
    const before = was(type);
    return {
      type,
      status: text,
      lastProbeTime: null,
      lastTransitionTime: before?.status === text ? before.lastTransitionTime : now,
    };
  };
  status.conditions = [
    condition('PodReadyToStartContainers', true),
    condition('Initialized', true),
    condition('Ready', ready),
    condition('ContainersReady', ready),
    condition('PodScheduled', true),
  ];
  status.containerStatuses = ((pod.object.spec as Json).containers as Json[]).map((c, i) => ({
    name: c.name,
    image: c.image,
    imageID: `${String(c.image)}@sha256:${'0'.repeat(64)}`,
    containerID: `containerd://${randomBytes(32).toString('hex')}`,
    ready,
    started: true,
    restartCount: (prior[i]?.restartCount as number | undefined) ?? 0,
    state: {
      running: {
        startedAt: ((prior[i]?.state as Json | undefined)?.running as Json | undefined)?.startedAt ?? now,
      },
    },
  }));
}

/** Gone from the API (its containers stopped, or forced). */
export function removePod(cluster: Cluster, pod: PodRecord): void {
  pod.timers.forEach(clearTimeout);
  if (cluster.pods.get(podKey(pod)) !== pod) return;
  cluster.pods.delete(podKey(pod));
  emitPod(cluster, 'DELETED', pod);
  onPodChanged(cluster);
}

/** `DELETE pods/NAME`: graceful (deletionTimestamp, the kubelet stops it, then gone) or at once (grace 0). */
export function deletePod(cluster: Cluster, pod: PodRecord, gracePeriodSeconds?: number): void {
  if (gracePeriodSeconds === 0) {
    removePod(cluster, pod);
    return;
  }
  if (pod.terminating) return;
  pod.terminating = true;
  const grace = gracePeriodSeconds ?? 30;
  const meta = metaOf(pod.object);
  meta.deletionTimestamp = nowIso(Date.now() + grace * 1000);
  meta.deletionGracePeriodSeconds = grace;
  emitPod(cluster, 'MODIFIED', pod);
  const node = cluster.k8sNodes.get(pod.nodeName);
  if (node?.ready) {
    for (const c of (pod.object.spec as Json).containers as Json[])
      recordEvent(
        cluster,
        podSubject(pod, `spec.containers{${String(c.name)}}`),
        'Normal',
        'Killing',
        `Stopping container ${String(c.name)}`,
        kubelet(node.name),
      );
  }
  // The lab's containers stop at once; a pod on a node that is down waits for that node (as a kubelet would).
  const finish = (): void => {
    const current = cluster.k8sNodes.get(pod.nodeName);
    if (!pod.nodeName || current?.ready || !current) removePod(cluster, pod);
  };
  pod.timers.push(setTimeout(finish, Math.min(timing.podStopMs, grace * 1000)));
  onPodChanged(cluster);
}

export function isPodReady(pod: PodRecord): boolean {
  const conditions = ((pod.object.status as Json).conditions as Json[] | undefined) ?? [];
  return !pod.terminating && conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Set by the model: a pod's change makes the workload controllers look again. */
export const podHooks = { changed: (cluster: Cluster): void => void cluster };
function onPodChanged(cluster: Cluster): void {
  podHooks.changed(cluster);
}

/** Pods that have no node yet get the least loaded schedulable one. */
export function schedulePending(cluster: Cluster): void {
  for (const pod of cluster.pods.values()) {
    if (pod.nodeName || pod.terminating) continue;
    const target = leastLoaded(cluster);
    if (!target) return;
    bindPod(cluster, pod, target, false);
  }
}

export function schedulable(cluster: Cluster): K8sNode[] {
  return [...cluster.k8sNodes.values()].filter((n) => n.ready && !n.unschedulable && n.labIndex !== null);
}

export function leastLoaded(cluster: Cluster): K8sNode | undefined {
  const counts = new Map<string, number>();
  for (const pod of cluster.pods.values()) counts.set(pod.nodeName, (counts.get(pod.nodeName) ?? 0) + 1);
  let best: K8sNode | undefined;
  let bestCount = Infinity;
  for (const candidate of schedulable(cluster)) {
    const count = counts.get(candidate.name) ?? 0;
    if (count < bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
