// ClusterApi over @kubernetes/client-node (loaded on first use): reads, writes and watches the objects the
// operations need. Each watch delivers the current state first, then re-reads on every event.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadK8s, probeServer, withServer } from '../../kube';
import { directWatch, makeDirectApiClient } from '../../kube/direct-transport';
import type {
  ClusterApi,
  ClusterConnector,
  ConfigMapInfo,
  KubeNodeInfo,
  PodInfo,
  Subscription,
} from '../ports';

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function nodeInfo(n: K8s.V1Node): KubeNodeInfo {
  return {
    name: n.metadata?.name ?? '',
    ready: Boolean(n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    addresses: (n.status?.addresses ?? []).map((a) => a.address),
  };
}

function podInfo(p: K8s.V1Pod): PodInfo {
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    nodeName: p.spec?.nodeName,
  };
}

const decode = (data: Record<string, string> | undefined) =>
  Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );

export class KubeClusterApi implements ClusterApi {
  private readonly core: K8s.CoreV1Api;
  private readonly custom: K8s.CustomObjectsApi;
  private readonly subscriptions = new Set<Subscription>();

  /** The kubeconfig's credentials go on every request itself (see direct-transport). */
  constructor(
    k8s: typeof K8s,
    private readonly kubeconfigText: string,
  ) {
    this.core = makeDirectApiClient(k8s, kubeconfigText, k8s.CoreV1Api);
    this.custom = makeDirectApiClient(k8s, kubeconfigText, k8s.CustomObjectsApi);
  }

  /** List first, then watch and re-read on each event; a closed or failed watch reports onError. */
  private watchVia<T>(
    path: string,
    query: Record<string, string>,
    read: () => Promise<T>,
    onChange: (value: T) => void,
    onError: (err: Error) => void,
  ): Subscription {
    let stopped = false;
    let controller: AbortController | undefined;
    const deliver = async () => {
      const value = await read();
      if (!stopped) onChange(value);
    };
    const fail = (err: unknown) => {
      if (!stopped) onError(err instanceof Error ? err : new Error(String(err ?? 'watch closed')));
    };
    const sub: Subscription = {
      stop: () => {
        stopped = true;
        controller?.abort();
        this.subscriptions.delete(sub);
      },
    };
    this.subscriptions.add(sub);
    void (async () => {
      try {
        await deliver();
        controller = directWatch(this.kubeconfigText, path, query, () => void deliver().catch(fail), fail);
        if (stopped) controller.abort();
        // A change between the first read and the open watch is not lost.
        else await deliver();
      } catch (err) {
        fail(err);
      }
    })();
    return sub;
  }

  async listNodes(): Promise<KubeNodeInfo[]> {
    return (await this.core.listNode()).items.map(nodeInfo);
  }

  watchNodes(onChange: (nodes: KubeNodeInfo[]) => void, onError: (err: Error) => void): Subscription {
    return this.watchVia('/api/v1/nodes', {}, () => this.listNodes(), onChange, onError);
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
    const cm = await orUndefined(this.core.readNamespacedConfigMap({ namespace, name }));
    return cm ? { data: cm.data ?? {}, resourceVersion: cm.metadata?.resourceVersion ?? '' } : undefined;
  }

  watchConfigMap(
    namespace: string,
    name: string,
    onChange: (cm: ConfigMapInfo | undefined) => void,
    onError: (err: Error) => void,
  ): Subscription {
    return this.watchVia(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`,
      { fieldSelector: `metadata.name=${name}` },
      () => this.readConfigMap(namespace, name),
      onChange,
      onError,
    );
  }

  async podsOfRelease(namespace: string, release: string): Promise<PodInfo[]> {
    const list = await this.core.listNamespacedPod({
      namespace,
      labelSelector: `app.kubernetes.io/instance=${release}`,
    });
    return list.items.map(podInfo);
  }

  watchPodsOfRelease(
    namespace: string,
    release: string,
    onChange: (pods: PodInfo[]) => void,
    onError: (err: Error) => void,
  ): Subscription {
    return this.watchVia(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      { labelSelector: `app.kubernetes.io/instance=${release}` },
      () => this.podsOfRelease(namespace, release),
      onChange,
      onError,
    );
  }

  async serviceLoadBalancerIps(namespace: string, name: string): Promise<string[] | undefined> {
    const svc = await orUndefined(this.core.readNamespacedService({ namespace, name }));
    if (!svc) return undefined;
    return (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));
  }

  watchService(
    namespace: string,
    name: string,
    onChange: (ips: string[] | undefined) => void,
    onError: (err: Error) => void,
  ): Subscription {
    return this.watchVia(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/services`,
      { fieldSelector: `metadata.name=${name}` },
      () => this.serviceLoadBalancerIps(namespace, name),
      onChange,
      onError,
    );
  }

  async metallbAddressRanges(): Promise<string[] | undefined> {
    try {
      const list = (await this.custom.listNamespacedCustomObject({
        group: 'metallb.io',
        version: 'v1beta1',
        namespace: 'metallb-system',
        plural: 'ipaddresspools',
      })) as { items?: Array<{ spec?: { addresses?: string[] } }> };
      return (list.items ?? []).flatMap((p) => p.spec?.addresses ?? []);
    } catch {
      // An API without MetalLB's resources (or the lab's) cannot tell the range.
      return undefined;
    }
  }

  close(): void {
    for (const sub of [...this.subscriptions]) sub.stop();
  }
}

/** Connects to one node's API server with the kubeconfig's credentials; rejects when it does not answer. */
export const kubeConnector: ClusterConnector = {
  async connect(kubeconfig, server) {
    const url = new URL(server);
    const text = withServer(kubeconfig, url.hostname, Number(url.port) || 16443);
    // A short probe first: a node that does not answer must not hold the operation for minutes.
    const probe = await probeServer(text, 3000);
    if (!probe.ok) throw new Error(`${server}: ${probe.reason}`);
    const api = new KubeClusterApi(await loadK8s(), text);
    await api.listNodes();
    return api;
  },
};
