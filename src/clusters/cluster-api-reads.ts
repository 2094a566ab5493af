// The reads the cluster lifecycle's operations add to the ClusterApi port (validate-cluster, diagnostics,
// reset, delete): workloads and claims as the API server's own JSON (no generated client models: the apps
// group stays out of the vendor bundle), every pod, pod logs, and a ConfigMap's removal.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient } from '../kube';
import type { ClaimInfo, WorkloadInfo } from '../ops';

type Loose = Record<string, unknown>;

const WORKLOAD_KINDS = [
  ['deployments', 'Deployment'],
  ['statefulsets', 'StatefulSet'],
  ['daemonsets', 'DaemonSet'],
] as const;

const itemsOf = (list: Loose): Loose[] => (Array.isArray(list.items) ? (list.items as Loose[]) : []);
const metaOf = (item: Loose): Loose => (item.metadata ?? {}) as Loose;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The Helm release an object belongs to: its instance label, else helm's own annotation. */
function releaseOf(meta: Loose): string | undefined {
  const labels = (meta.labels ?? {}) as Loose;
  const annotations = (meta.annotations ?? {}) as Loose;
  return text(labels['app.kubernetes.io/instance']) ?? text(annotations['meta.helm.sh/release-name']);
}

export async function listWorkloads(client: KubeClient): Promise<WorkloadInfo[]> {
  const lists = await Promise.all(
    WORKLOAD_KINDS.map(async ([plural, kind]) =>
      itemsOf(await client.getRaw(`/apis/apps/v1/${plural}`)).map((item): WorkloadInfo => {
        const meta = metaOf(item);
        const release = releaseOf(meta);
        return {
          kind,
          namespace: text(meta.namespace) ?? '',
          name: text(meta.name) ?? '',
          ...(release ? { release } : {}),
        };
      }),
    ),
  );
  return lists.flat();
}

export async function listClaims(client: KubeClient, namespace: string): Promise<ClaimInfo[] | undefined> {
  let list: Loose;
  try {
    list = await client.getRaw(`/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims`);
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
  return itemsOf(list).map((item): ClaimInfo => {
    const meta = metaOf(item);
    const spec = (item.spec ?? {}) as Loose;
    const status = (item.status ?? {}) as Loose;
    const release = text(((meta.labels ?? {}) as Loose)['app.kubernetes.io/instance']);
    const storageClass = text(spec.storageClassName);
    return {
      name: text(meta.name) ?? '',
      phase: text(status.phase) ?? 'Pending',
      ...(storageClass ? { storageClass } : {}),
      ...(release ? { release } : {}),
    };
  });
}

export async function podLog(
  core: K8s.CoreV1Api,
  namespace: string,
  name: string,
  tailLines: number,
): Promise<string> {
  return core.readNamespacedPodLog({ namespace, name, tailLines, timestamps: true });
}
