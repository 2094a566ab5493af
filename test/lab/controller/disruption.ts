// PodDisruptionBudgets (policy/v1): their status as the disruption controller computes it, and the eviction
// check the API server makes — an eviction that would take a budget below its healthy minimum is refused.
import { isPodReady } from './pods';
import { writeIfChanged } from './status';
import type { Cluster, Json, PodRecord } from './types';
import { metaOf } from './types';

/** A LabelSelector ({matchLabels, matchExpressions}) against labels; an empty selector matches everything. */
export function matchesSelector(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>))
    if (labels[key] !== value) return false;
  for (const expression of (selector.matchExpressions ?? []) as Json[]) {
    const key = String(expression.key);
    const values = (expression.values ?? []) as string[];
    const has = key in labels;
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const labelsOf = (pod: PodRecord): Record<string, string> =>
  (metaOf(pod.object).labels ?? {}) as Record<string, string>;

function scaled(value: unknown, of: number, roundUp: boolean): number {
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * of) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number(value ?? 0);
}

export interface BudgetState {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptionsAllowed: number;
}

/** The budget's numbers now: healthy = Ready and not terminating pods that its selector matches. */
export function budgetState(cluster: Cluster, pdb: Json): BudgetState {
  const namespace = String(metaOf(pdb).namespace);
  const spec = (pdb.spec ?? {}) as Json;
  const pods = [...cluster.pods.values()].filter(
    (p) =>
      metaOf(p.object).namespace === namespace &&
      !p.terminating &&
      matchesSelector(spec.selector as Json | undefined, labelsOf(p)),
  );
  const currentHealthy = pods.filter(isPodReady).length;
  // The expected count is the owning controllers' scale (one per controller), else the pods themselves.
  const owners = new Map<string, number>();
  for (const pod of pods) {
    const kinds = ['replicasets', 'statefulsets', 'daemonsets'] as const;
    for (const kind of kinds) {
      for (const owner of cluster.objects[kind].values()) {
        if (metaOf(owner).uid !== pod.ownerUid) continue;
        const status = (owner.status ?? {}) as Json;
        owners.set(
          pod.ownerUid,
          kind === 'daemonsets'
            ? Number(status.desiredNumberScheduled ?? 0)
            : Number((owner.spec as Json).replicas ?? 1),
        );
      }
    }
  }
  const expectedPods = owners.size > 0 ? [...owners.values()].reduce((a, b) => a + b, 0) : pods.length;
  const desiredHealthy =
    spec.maxUnavailable !== undefined
      ? Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods, true))
      : scaled(spec.minAvailable ?? 1, expectedPods, true);
  return {
    currentHealthy,
    desiredHealthy,
    expectedPods,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

export function reconcileBudgets(cluster: Cluster): void {
  for (const pdb of [...cluster.objects.poddisruptionbudgets.values()]) {
    const state = budgetState(cluster, pdb);
    const allowed = state.disruptionsAllowed > 0;
    writeIfChanged(cluster, 'poddisruptionbudgets', pdb, {
      ...state,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: allowed ? 'True' : 'False',
          reason: allowed ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: metaOf(pdb).generation ?? 1,
        },
      ],
    });
  }
}

export type EvictionVerdict =
  { allowed: true } | { allowed: false; code: 429 | 500; reason: string; message: string; causes?: Json[] };

/** Whether the API server lets `pod` be evicted now (policy/v1 Eviction). */
export function evictionVerdict(cluster: Cluster, pod: PodRecord): EvictionVerdict {
  if (pod.terminating || !isPodReady(pod)) return { allowed: true };
  const namespace = String(metaOf(pod.object).namespace);
  const budgets = [...cluster.objects.poddisruptionbudgets.values()].filter(
    (pdb) =>
      metaOf(pdb).namespace === namespace &&
      matchesSelector((pdb.spec as Json | undefined)?.selector as Json | undefined, labelsOf(pod)),
  );
  if (budgets.length === 0) return { allowed: true };
  if (budgets.length > 1)
    return {
      allowed: false,
      code: 500,
      reason: 'InternalError',
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    };
  const pdb = budgets[0] as Json;
  const state = budgetState(cluster, pdb);
  if (state.disruptionsAllowed > 0) return { allowed: true };
  return {
    allowed: false,
    code: 429,
    reason: 'TooManyRequests',
    message: "Cannot evict pod as it would violate the pod's disruption budget.",
    causes: [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${String(metaOf(pdb).name)} needs ${state.desiredHealthy} healthy pods and has ${state.currentHealthy} currently`,
      },
    ],
  };
}
