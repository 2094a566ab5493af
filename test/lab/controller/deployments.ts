// The Deployment controller: one ReplicaSet per pod template (named DEPLOYMENT-HASH, labelled
// pod-template-hash), a rolling update with maxSurge 25 % (rounded up) and maxUnavailable 25 % (rounded
// down) when the template changes (`kubectl rollout restart`), old ReplicaSets kept at 0 replicas, and the
// status, revision annotations and ScalingReplicaSet events of kube-controller-manager.
import { randomUUID } from 'node:crypto';
import { recordEvent, subjectOf } from './events';
import { putObject } from './store';
import type { Cluster, Json } from './types';
import { metaOf, nowIso } from './types';
import { ownedPods, specOf, templateHash } from './workloads';
import { writeIfChanged } from './status';
import { isPodReady } from './pods';

const REVISION = 'deployment.kubernetes.io/revision';

function ownedReplicaSets(cluster: Cluster, uid: string): Json[] {
  return [...cluster.objects.replicasets.values()].filter((rs) =>
    ((metaOf(rs).ownerReferences ?? []) as Json[]).some((o) => o.uid === uid),
  );
}

const replicas = (object: Json): number => Number(specOf(object).replicas ?? 1);
const readyOf = (cluster: Cluster, rs: Json): number =>
  ownedPods(cluster, String(metaOf(rs).uid)).active.filter(isPodReady).length;

function scale(cluster: Cluster, deployment: Json, rs: Json, to: number): void {
  const from = replicas(rs);
  if (from === to) return;
  const updated = structuredClone(rs);
  (updated.spec as Json).replicas = to;
  const meta = metaOf(updated);
  meta.annotations = {
    ...((meta.annotations ?? {}) as Json),
    'deployment.kubernetes.io/desired-replicas': String(replicas(deployment)),
    'deployment.kubernetes.io/max-replicas': String(replicas(deployment) + maxSurge(deployment)),
  };
  putObject(cluster, 'replicasets', updated);
  recordEvent(
    cluster,
    subjectOf(deployment, 'Deployment', 'apps/v1'),
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${to > from ? 'up' : 'down'} replica set ${String(meta.name)} from ${from} to ${to}`,
    { component: 'deployment-controller' },
  );
}

const maxSurge = (d: Json): number => Math.ceil(replicas(d) * 0.25);
const maxUnavailable = (d: Json): number => Math.floor(replicas(d) * 0.25);

/** The ReplicaSet for the Deployment's current template, made (at 0 replicas, or all on a first rollout). */
function newReplicaSet(cluster: Cluster, deployment: Json, owned: Json[]): Json {
  const meta = metaOf(deployment);
  const template = structuredClone(specOf(deployment).template ?? {}) as Json;
  const hash = templateHash(template);
  const found = owned.find((rs) => (metaOf(rs).labels as Json | undefined)?.['pod-template-hash'] === hash);
  if (found) return found;
  const revision =
    Math.max(0, ...owned.map((rs) => Number((metaOf(rs).annotations as Json | undefined)?.[REVISION] ?? 0))) +
    1;
  const templateMeta = (template.metadata ?? {}) as Json;
  template.metadata = templateMeta;
  templateMeta.labels = { ...((templateMeta.labels ?? {}) as Json), 'pod-template-hash': hash };
  const selector = structuredClone(specOf(deployment).selector ?? {}) as Json;
  selector.matchLabels = { ...((selector.matchLabels ?? {}) as Json), 'pod-template-hash': hash };
  const first = owned.length === 0;
  const rs = putObject(cluster, 'replicasets', {
    metadata: {
      name: `${String(meta.name)}-${hash}`,
      namespace: meta.namespace,
      uid: randomUUID(),
      generation: 1,
      labels: templateMeta.labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas(deployment)),
        'deployment.kubernetes.io/max-replicas': String(replicas(deployment) + maxSurge(deployment)),
        [REVISION]: String(revision),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: meta.name,
          uid: meta.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas: 0, selector, template },
    status: { replicas: 0 },
  });
  const info = cluster.labWorkloads.get(String(meta.uid));
  if (info) cluster.labWorkloads.set(String(metaOf(rs).uid), info);
  if (first) scale(cluster, deployment, rs, replicas(deployment));
  // The Deployment shows the revision it rolls to.
  const updated = structuredClone(deployment);
  const dMeta = metaOf(updated);
  dMeta.annotations = { ...((dMeta.annotations ?? {}) as Json), [REVISION]: String(revision) };
  putObject(cluster, 'deployments', updated);
  return cluster.objects.replicasets.get(`${String(meta.namespace)}/${String(metaOf(rs).name)}`) ?? rs;
}

export function reconcileDeployment(cluster: Cluster, deployment: Json): void {
  const uid = String(metaOf(deployment).uid);
  let owned = ownedReplicaSets(cluster, uid);
  const current = newReplicaSet(cluster, deployment, owned);
  const fresh = (): Json =>
    cluster.objects.deployments.get(
      `${String(metaOf(deployment).namespace)}/${String(metaOf(deployment).name)}`,
    ) ?? deployment;
  deployment = fresh();
  owned = ownedReplicaSets(cluster, uid);
  const want = replicas(deployment);
  const newName = String(metaOf(current).name);
  const olds = owned.filter((rs) => String(metaOf(rs).name) !== newName && replicas(rs) > 0);
  if (olds.length === 0) {
    scale(cluster, deployment, current, want);
  } else {
    // Scale up the new ReplicaSet within the surge.
    const total = owned.reduce((sum, rs) => sum + replicas(rs), 0);
    const room = Math.min(want + maxSurge(deployment) - total, want - replicas(current));
    if (room > 0) scale(cluster, deployment, current, replicas(current) + room);
    // Scale down old ones while enough pods stay available.
    const available = owned.reduce((sum, rs) => sum + readyOf(cluster, rs), 0);
    let spare = available - (want - maxUnavailable(deployment));
    for (const rs of olds) {
      if (spare <= 0) break;
      const down = Math.min(spare, replicas(rs));
      scale(cluster, deployment, rs, replicas(rs) - down);
      spare -= down;
    }
  }
  owned = ownedReplicaSets(cluster, uid);
  const newRs = owned.find((rs) => String(metaOf(rs).name) === newName) ?? current;
  const podsOf = (rs: Json) => ownedPods(cluster, String(metaOf(rs).uid)).active;
  const all = owned.flatMap(podsOf);
  const ready = all.filter(isPodReady).length;
  const updated = podsOf(newRs).length;
  const complete = updated === want && all.length === want && ready >= want;
  const before = ((deployment.status as Json | undefined)?.conditions ?? []) as Json[];
  const condition = (type: string, status: string, reason: string, message: string): Json => {
    const prior = before.find((c) => c.type === type);
    const same = prior?.status === status && prior.reason === reason;
    const now = nowIso();
    return {
      type,
      status,
      lastUpdateTime: same ? prior.lastUpdateTime : now,
      lastTransitionTime: prior?.status === status ? prior.lastTransitionTime : now,
      reason,
      message,
    };
  };
  writeIfChanged(cluster, 'deployments', deployment, {
    replicas: all.length,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(want - ready > 0 ? { unavailableReplicas: want - ready } : {}),
    conditions: [
      ready >= want - maxUnavailable(deployment)
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          ),
      complete
        ? condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${newName}" has successfully progressed.`,
          )
        : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${newName}" is progressing.`),
    ],
  });
}
