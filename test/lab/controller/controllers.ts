// The controller manager of a lab cluster: one pass runs the Deployment, ReplicaSet, StatefulSet and
// DaemonSet controllers, the garbage collector (what lost its owner goes), the scheduler and the disruption
// controller, until nothing changes. Changes (a pod started, an object written) ask for a pass, and
// passes asked for together run once, right after the current work.
import { reconcileDeployment } from './deployments';
import { reconcileBudgets } from './disruption';
import { counter } from './hub';
import { deletePod, schedulePending } from './pods';
import { removeObject } from './store';
import type { Cluster, Json } from './types';
import { metaOf } from './types';
import { reconcileDaemonSet, reconcileReplicaSet, reconcileStatefulSet } from './workloads';

const pending = new WeakSet<Cluster>();

/** Runs the controllers until the cluster is stable (at most a few passes). */
export function reconcile(cluster: Cluster, settled = false): void {
  if (cluster.reconciling) {
    requestReconcile(cluster);
    return;
  }
  cluster.reconciling = true;
  try {
    for (let pass = 0; pass < 8; pass++) {
      const before = counter.rv;
      onePass(cluster, settled);
      if (counter.rv === before) break;
    }
  } finally {
    cluster.reconciling = false;
  }
}

/** A pass soon (coalesced): what a change to a pod or a workload asks for. */
export function requestReconcile(cluster: Cluster, alive: () => boolean = () => true): void {
  if (pending.has(cluster)) return;
  pending.add(cluster);
  setImmediate(() => {
    pending.delete(cluster);
    if (!alive()) return;
    try {
      reconcile(cluster);
    } catch (error) {
      process.emitWarning(String(error));
    }
  });
}

function onePass(cluster: Cluster, settled: boolean): void {
  for (const deployment of [...cluster.objects.deployments.values()])
    reconcileDeployment(cluster, deployment);
  collectGarbage(cluster);
  for (const rs of [...cluster.objects.replicasets.values()]) reconcileReplicaSet(cluster, rs, settled);
  for (const sts of [...cluster.objects.statefulsets.values()]) reconcileStatefulSet(cluster, sts, settled);
  for (const ds of [...cluster.objects.daemonsets.values()]) reconcileDaemonSet(cluster, ds, settled);
  schedulePending(cluster);
  reconcileBudgets(cluster);
}

/** Background cascading deletion: ReplicaSets without their Deployment, pods without their controller. */
function collectGarbage(cluster: Cluster): void {
  const uids = new Set<string>();
  for (const kind of ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] as const)
    for (const object of cluster.objects[kind].values()) uids.add(String(metaOf(object).uid));
  for (const rs of [...cluster.objects.replicasets.values()]) {
    const owner = ((metaOf(rs).ownerReferences ?? []) as Json[])[0];
    if (owner && !uids.has(String(owner.uid))) {
      removeObject(cluster, 'replicasets', String(metaOf(rs).namespace), String(metaOf(rs).name));
      uids.delete(String(metaOf(rs).uid));
    }
  }
  for (const pod of [...cluster.pods.values()]) {
    if (!pod.terminating && pod.ownerUid && !uids.has(pod.ownerUid)) deletePod(cluster, pod);
  }
}
