// The operations' view of the Kubernetes API (ops' ClusterApi port) over the cluster's KubeClient: reads and
// writes bound to the run's cancel (each with a timeout), and watches through WatchCache (list once, then
// events; a failed watch restarts itself with backoff and fails over to another node's API server).
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient, WatchCache, WatchedResource } from '../kube';
import type {
  ClaimInfo,
  ClusterApi,
  ConfigMapInfo,
  KubeNodeInfo,
  PodInfo,
  Subscription,
  WorkloadInfo,
} from '../ops';
import { listClaims, listWorkloads, podLog } from './cluster-api-reads';

type KubeLayer = typeof import('../kube');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the Kubernetes layer loads on first use
const kubeLayer = (): KubeLayer => require('../kube') as KubeLayer;

/** The pool `microk8s enable metallb:RANGE` creates. */
const METALLB_POOL = 'default-addresspool';

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function isReady(conditions: ReadonlyArray<{ type: string; status: string }> | undefined): boolean {
  return Boolean(conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

/** A date as RFC 3339: objects from a list come deserialised (Date), from a watch raw (string). */
function isoOf(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toISOString().replace(/\.\d+Z$/, 'Z');
}

function nodeInfo(n: K8s.V1Node): KubeNodeInfo {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const status = ready?.status;
  return {
    name: n.metadata?.name ?? '',
    ready: isReady(n.status?.conditions),
    addresses: (n.status?.addresses ?? []).map((a) => a.address),
    ...(status === 'True' || status === 'False' || status === 'Unknown' ? { readyStatus: status } : {}),
    ...(ready?.lastTransitionTime ? { readySince: isoOf(ready.lastTransitionTime) } : {}),
    unschedulable: Boolean(n.spec?.unschedulable),
    worker: n.metadata?.labels?.['node.kubernetes.io/microk8s-worker'] !== undefined,
    taints: (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`),
  };
}

function podInfo(p: K8s.V1Pod): PodInfo {
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller) ?? p.metadata?.ownerReferences?.[0];
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: isReady(p.status?.conditions),
    nodeName: p.spec?.nodeName,
    namespace: p.metadata?.namespace,
    uid: p.metadata?.uid,
    terminating: p.metadata?.deletionTimestamp !== undefined && p.metadata?.deletionTimestamp !== null,
    ...(owner ? { ownerKind: owner.kind } : {}),
  };
}

function configMapInfo(cm: K8s.V1ConfigMap | undefined): ConfigMapInfo | undefined {
  return cm ? { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '' } : undefined;
}

function loadBalancerIps(svc: K8s.V1Service | undefined): string[] | undefined {
  return svc ? (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])) : undefined;
}

const decode = (data: Record<string, string> | undefined) =>
  Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );

export class KubeClusterApi implements ClusterApi {
  private readonly caches = new Set<WatchCache<K8s.KubernetesObject>>();

  constructor(
    private readonly client: KubeClient,
    private readonly signal: AbortSignal,
    private readonly log: (line: string) => void,
  ) {}

  private get core(): K8s.CoreV1Api {
    return this.client.coreWith(this.signal);
  }

  /** A watch through a WatchCache: the current value once synced, then after every (coalesced) change. */
  private watch<T extends K8s.KubernetesObject, V>(
    resource: WatchedResource<T>,
    selectors: { fieldSelector?: string; labelSelector?: string },
    valueOf: (cache: WatchCache<T>) => V,
    onChange: (value: V) => void,
  ): Subscription {
    const cache = new (kubeLayer().WatchCache)<T>(this.client, resource, {
      ...selectors,
      coalesceMs: 100,
      log: this.log,
    });
    const generic = cache as unknown as WatchCache<K8s.KubernetesObject>;
    this.caches.add(generic);
    let stopped = false;
    const deliver = () => {
      if (!stopped && cache.isSynced) onChange(valueOf(cache));
    };
    const off = cache.onChange(deliver);
    cache.start().then(deliver, () => undefined);
    return {
      stop: () => {
        stopped = true;
        off();
        this.caches.delete(generic);
        void cache.stop();
      },
    };
  }

  async listNodes(): Promise<KubeNodeInfo[]> {
    return (await this.core.listNode()).items.map(nodeInfo);
  }

  watchNodes(onChange: (nodes: KubeNodeInfo[]) => void): Subscription {
    return this.watch(kubeLayer().resources.nodes(), {}, (c) => c.list().map(nodeInfo), onChange);
  }

  async deleteNode(name: string): Promise<void> {
    await orUndefined(this.core.deleteNode({ name }));
  }

  async readSecret(namespace: string, name: string) {
    const s = await orUndefined(this.core.readNamespacedSecret({ namespace, name }));
    return s ? decode(s.data) : undefined;
  }

  async applySecret(namespace: string, name: string, data: Record<string, string>): Promise<void> {
    const body: K8s.V1Secret = { metadata: { name, namespace }, type: 'Opaque', stringData: data };
    const existing = await orUndefined(this.core.readNamespacedSecret({ namespace, name }));
    if (existing) await this.core.replaceNamespacedSecret({ namespace, name, body });
    else await this.core.createNamespacedSecret({ namespace, body });
  }

  async deleteSecret(namespace: string, name: string): Promise<boolean> {
    return (await orUndefined(this.core.deleteNamespacedSecret({ namespace, name }))) !== undefined;
  }

  async readConfigMap(namespace: string, name: string): Promise<ConfigMapInfo | undefined> {
    return configMapInfo(await orUndefined(this.core.readNamespacedConfigMap({ namespace, name })));
  }

  async applyConfigMap(namespace: string, name: string, data: Record<string, string>): Promise<void> {
    const body: K8s.V1ConfigMap = { metadata: { name, namespace }, data };
    const existing = await orUndefined(this.core.readNamespacedConfigMap({ namespace, name }));
    if (existing) await this.core.replaceNamespacedConfigMap({ namespace, name, body });
    else await this.core.createNamespacedConfigMap({ namespace, body });
  }

  watchConfigMap(
    namespace: string,
    name: string,
    onChange: (cm: ConfigMapInfo | undefined) => void,
  ): Subscription {
    return this.watch(
      kubeLayer().resources.configMaps(namespace),
      { fieldSelector: `metadata.name=${name}` },
      (c) => configMapInfo(c.get(name, namespace)),
      onChange,
    );
  }

  async podsOfRelease(namespace: string, release: string): Promise<PodInfo[]> {
    const labelSelector = `app.kubernetes.io/instance=${release}`;
    return (await this.core.listNamespacedPod({ namespace, labelSelector })).items.map(podInfo);
  }

  watchPodsOfRelease(namespace: string, release: string, onChange: (pods: PodInfo[]) => void): Subscription {
    return this.watchPods(namespace, `app.kubernetes.io/instance=${release}`, onChange);
  }

  watchPods(namespace: string, labelSelector: string, onChange: (pods: PodInfo[]) => void): Subscription {
    return this.watch(
      kubeLayer().resources.pods(namespace),
      { labelSelector },
      (c) => c.list().map(podInfo),
      onChange,
    );
  }

  async drainNode(name: string, onProgress: (line: string) => void): Promise<{ evicted: string[] }> {
    const { evicted } = await kubeLayer().drainNode(this.client, name, { signal: this.signal, onProgress });
    return { evicted };
  }

  async uncordonNode(name: string): Promise<void> {
    await kubeLayer().uncordon(this.client, name);
  }

  async serviceLoadBalancerIps(namespace: string, name: string): Promise<string[] | undefined> {
    return loadBalancerIps(await orUndefined(this.core.readNamespacedService({ namespace, name })));
  }

  watchService(namespace: string, name: string, onChange: (ips: string[] | undefined) => void): Subscription {
    return this.watch(
      kubeLayer().resources.services(namespace),
      { fieldSelector: `metadata.name=${name}` },
      (c) => loadBalancerIps(c.get(name, namespace)),
      onChange,
    );
  }

  async metallbAddressRanges(): Promise<string[] | undefined> {
    try {
      const list = (await this.client.customWith(this.signal).listNamespacedCustomObject({
        group: 'metallb.io',
        version: 'v1beta1',
        namespace: 'metallb-system',
        plural: 'ipaddresspools',
      })) as { items?: Array<{ spec?: { addresses?: string[] } }> };
      return (list.items ?? []).flatMap((p) => p.spec?.addresses ?? []);
    } catch {
      // An API without MetalLB's resources cannot tell the range.
      return undefined;
    }
  }

  async setMetallbAddressRanges(ranges: string[]): Promise<void> {
    const where = {
      group: 'metallb.io',
      version: 'v1beta1',
      namespace: 'metallb-system',
      plural: 'ipaddresspools',
    };
    const custom = this.client.customWith(this.signal);
    const pool = (await custom.getNamespacedCustomObject({ ...where, name: METALLB_POOL })) as {
      spec?: Record<string, unknown>;
    };
    // The read object (with its resourceVersion) goes back, so a concurrent change is refused, not lost.
    const body = { ...pool, spec: { ...pool.spec, addresses: ranges } };
    await custom.replaceNamespacedCustomObject({ ...where, name: METALLB_POOL, body });
  }

  async deleteConfigMap(namespace: string, name: string): Promise<boolean> {
    return (await orUndefined(this.core.deleteNamespacedConfigMap({ namespace, name }))) !== undefined;
  }

  listWorkloads(): Promise<WorkloadInfo[]> {
    return listWorkloads(this.client);
  }

  listClaims(namespace: string): Promise<ClaimInfo[] | undefined> {
    return listClaims(this.client, namespace);
  }

  async listPods(): Promise<PodInfo[]> {
    return (await this.core.listPodForAllNamespaces()).items.map(podInfo);
  }

  getRaw(path: string): Promise<Record<string, unknown>> {
    return this.client.getRaw(path);
  }

  podLog(namespace: string, name: string, tailLines: number): Promise<string> {
    return podLog(this.core, namespace, name, tailLines);
  }

  close(): void {
    for (const cache of [...this.caches]) void cache.stop();
    this.caches.clear();
  }
}
