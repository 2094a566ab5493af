// The cluster's own objects and the operator's tools beyond nodes and pods: live lists (events, services,
// helm releases, the registration, claims) each on its own watch, Describe's inputs, exec, port-forwards,
// and workload actions. Over the cluster's shared KubeClient; vscode-free; the Kubernetes layer loads on
// first use.
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type {
  ApiClaim,
  ApiEvent,
  ApiRegistration,
  ApiService,
  ExecOptions,
  ExecSession,
  HelmRelease,
  KubeClient,
  PortForwardHandle,
  RolloutProgress,
  WatchCache,
  WatchedResource,
  WorkloadKind,
} from '../../kube';
import { Emitter } from './emitter';
import type { Subscribe } from './emitter';

type KubeLayer = typeof import('../../kube');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the Kubernetes layer loads on first use
const kubeLayer = (): KubeLayer => require('../../kube') as KubeLayer;

/** A live list: undefined until the first list arrived; `error` while the watch is down (it retries). */
export interface LiveList<T> {
  items(): T[] | undefined;
  readonly error: string | undefined;
  readonly onDidChange: Subscribe<void>;
  /** Lists again from scratch (the item's own Refresh). */
  refresh(): void;
  dispose(): void;
}

export interface PortForwardInfo {
  id: string;
  /** `pod default/gateway-manager-x` or `service default/gateway-manager`. */
  target: string;
  namespace: string;
  pod: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
}

export interface ViewsDeps {
  client(): Promise<KubeClient>;
  mask(text: string): string;
  log(line: string): void;
}

export class ClusterViews {
  private readonly forwards = new Map<string, { info: PortForwardInfo; handle: PortForwardHandle }>();
  private readonly forwardsEmitter = new Emitter<void>();
  readonly onDidChangeForwards = this.forwardsEmitter.event;
  private nextForward = 1;

  constructor(private readonly deps: ViewsDeps) {}

  /** A live list over one watch; `convert` turns the cache's objects into what the view shows. */
  private watchList<T extends k8s.KubernetesObject, V>(
    resource: (kube: KubeLayer) => WatchedResource<T>,
    selectors: { fieldSelector?: string; labelSelector?: string },
    convert: (objects: ReadonlyArray<T>) => V[],
  ): LiveList<V> {
    const changes = new Emitter<void>();
    let cache: WatchCache<T> | undefined;
    let disposed = false;
    let startError: string | undefined;
    const start = () => {
      this.deps.client().then(
        (client) => {
          if (disposed) return;
          const kube = kubeLayer();
          const made = new kube.WatchCache<T>(client, resource(kube), {
            ...selectors,
            coalesceMs: 100,
            backoffInitialMs: 500,
            backoffMaxMs: 15_000,
            log: (line) => this.deps.log(this.deps.mask(line)),
          });
          cache = made;
          made.onChange(() => changes.fire());
          made.onHealth(() => changes.fire());
          made.start().then(
            () => changes.fire(),
            () => undefined,
          );
        },
        (error: unknown) => {
          startError = this.deps.mask(error instanceof Error ? error.message : String(error));
          changes.fire();
        },
      );
    };
    start();
    return {
      items: () => (cache?.isSynced ? convert(cache.list()) : undefined),
      get error() {
        return startError ?? (cache?.error === undefined ? undefined : cache.error);
      },
      onDidChange: changes.event,
      refresh: () => {
        const old = cache;
        cache = undefined;
        startError = undefined;
        void old?.stop();
        changes.fire();
        start();
      },
      dispose: () => {
        disposed = true;
        void cache?.stop();
        changes.dispose();
      },
    };
  }

  /** Events, all or those a field selector picks (`involvedObject.name=gw-2`, `type=Warning`). */
  events(fieldSelector?: string): LiveList<ApiEvent> {
    return this.watchList(
      (k) => k.resources.events(),
      { fieldSelector },
      (list) => list.map((e) => kubeLayer().eventFromKube(e)),
    );
  }

  services(): LiveList<ApiService> {
    return this.watchList(
      (k) => k.resources.allServices(),
      {},
      (list) => list.map((s) => kubeLayer().serviceFromKube(s)),
    );
  }

  releases(): LiveList<HelmRelease> {
    return this.watchList(
      (k) => k.resources.secrets(),
      { labelSelector: 'owner=helm' },
      (list) => kubeLayer().currentReleases(list),
    );
  }

  registration(): LiveList<ApiRegistration> {
    return this.watchList(
      (k) => k.resources.configMaps('default'),
      { fieldSelector: `metadata.name=${'gateway-registration-status'}` },
      (list) => list.flatMap((cm) => kubeLayer().registrationFromKube(cm) ?? []),
    );
  }

  claims(): LiveList<ApiClaim> {
    return this.watchList(
      (k) => k.resources.claims(),
      {},
      (list) => list.map((c) => kubeLayer().claimFromKube(c)),
    );
  }

  // ---- Describe --------------------------------------------------------------------------------------

  /** `kubectl describe pod`, from the pod and its events. */
  async describePod(namespace: string, name: string, now = Date.now()): Promise<string> {
    const client = await this.deps.client();
    const kube = kubeLayer();
    const pod = await client.getRaw(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
    );
    const uid = String((pod.metadata as { uid?: string } | undefined)?.uid ?? '');
    const events = await client.getRaw(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/events?fieldSelector=${encodeURIComponent(
        `involvedObject.name=${name},involvedObject.namespace=${namespace}${uid ? `,involvedObject.uid=${uid}` : ''}`,
      )}`,
    );
    return kube.describePod(pod, (events.items as unknown[]) ?? [], { now });
  }

  /** `kubectl describe node`, from the node, its running pods, its lease and its events. */
  async describeNode(name: string, now = Date.now()): Promise<string> {
    const client = await this.deps.client();
    const kube = kubeLayer();
    const q = (selector: string) => encodeURIComponent(selector);
    const [node, pods, events, lease] = await Promise.all([
      client.getRaw(`/api/v1/nodes/${encodeURIComponent(name)}`),
      client.getRaw(
        `/api/v1/pods?fieldSelector=${q(`spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`)}`,
      ),
      client.getRaw(
        `/api/v1/events?fieldSelector=${q(`involvedObject.kind=Node,involvedObject.name=${name}`)}`,
      ),
      client
        .getRaw(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`)
        .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) })),
    ]);
    return kube.describeNode(
      { node, pods: (pods.items as unknown[]) ?? [], lease, events: (events.items as unknown[]) ?? [] },
      { now },
    );
  }

  // ---- exec and port-forward --------------------------------------------------------------------------

  async exec(options: ExecOptions): Promise<ExecSession> {
    return kubeLayer().execInContainer(await this.deps.client(), options);
  }

  /** A shell in a container: bash, or sh when the image has no bash (the runtime's 126/127). */
  async openShell(
    target: { namespace: string; pod: string; container: string },
    size: { cols: number; rows: number },
    onOutput: (data: string) => void,
    onExit: (result: { code: number; message?: string; shell: string }) => void,
  ): Promise<ExecSession & { shell(): string }> {
    let shell = 'bash';
    let session: ExecSession | undefined;
    let current = size;
    const open = async (command: string): Promise<ExecSession> =>
      this.exec({
        ...target,
        command: [command],
        size: current,
        onOutput,
        onExit: (result) => {
          if (command === 'bash' && (result.code === 126 || result.code === 127) && result.message) {
            shell = 'sh';
            this.deps.log(`${target.pod}/${target.container} has no bash; opening sh`);
            void open('sh').then(
              (s) => (session = s),
              (error: unknown) => onExit({ code: 1, message: String(error), shell }),
            );
            return;
          }
          onExit({ ...result, shell });
        },
      });
    session = await open('bash');
    return {
      write: (data) => session?.write(data),
      resize: (cols, rows) => {
        current = { cols, rows };
        session?.resize(cols, rows);
      },
      close: () => session?.close(),
      shell: () => shell,
    };
  }

  /** Pods a Service's selector picks that are Running, and the pod port its `port` targets. */
  async serviceTarget(
    namespace: string,
    name: string,
    port: number,
  ): Promise<{ pod: string; port: number } | undefined> {
    const client = await this.deps.client();
    const service = await client.core.readNamespacedService({ namespace, name });
    const selector = Object.entries(service.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (!selector) return undefined;
    const pods = (await client.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(
      (p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp,
    );
    const pod = pods[0];
    if (!pod) return undefined;
    const servicePort = service.spec?.ports?.find((p) => p.port === port) ?? service.spec?.ports?.[0];
    const target = servicePort?.targetPort ?? port;
    if (typeof target === 'number') return { pod: pod.metadata!.name!, port: target };
    const named = pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
    return { pod: pod.metadata!.name!, port: named?.containerPort ?? (Number(target) || port) };
  }

  async forward(
    target: { label: string; namespace: string; pod: string; port: number },
    localPort = 0,
  ): Promise<PortForwardInfo> {
    const handle = await kubeLayer().forwardPort(await this.deps.client(), {
      namespace: target.namespace,
      pod: target.pod,
      port: target.port,
      localPort,
      onError: (message) => this.deps.log(this.deps.mask(`port-forward ${target.label}: ${message.trim()}`)),
    });
    const info: PortForwardInfo = {
      id: String(this.nextForward++),
      target: target.label,
      namespace: target.namespace,
      pod: target.pod,
      remotePort: target.port,
      localAddress: handle.localAddress,
      localPort: handle.localPort,
    };
    this.forwards.set(info.id, { info, handle });
    this.deps.log(`Forwarding ${info.localAddress}:${info.localPort} → ${target.label}:${target.port}`);
    this.forwardsEmitter.fire();
    return info;
  }

  portForwards(): PortForwardInfo[] {
    return [...this.forwards.values()].map((f) => f.info);
  }

  async stopForward(id: string): Promise<void> {
    const forward = this.forwards.get(id);
    if (!forward) return;
    this.forwards.delete(id);
    await forward.handle.close();
    this.deps.log(`Stopped forwarding ${forward.info.localAddress}:${forward.info.localPort}`);
    this.forwardsEmitter.fire();
  }

  // ---- workloads ----------------------------------------------------------------------------------------

  /** The Deployment or StatefulSet that owns a pod (through its ReplicaSet), if any. */
  async workloadOf(
    namespace: string,
    pod: string,
  ): Promise<{ kind: WorkloadKind; name: string } | undefined> {
    const client = await this.deps.client();
    const object = await client.core.readNamespacedPod({ namespace, name: pod });
    const owner = object.metadata?.ownerReferences?.find((o) => o.controller);
    if (owner?.kind === 'StatefulSet') return { kind: 'StatefulSet', name: owner.name };
    if (owner?.kind !== 'ReplicaSet') return undefined;
    const rs = await client.apps.readNamespacedReplicaSet({ namespace, name: owner.name });
    const deployment = rs.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
    return deployment ? { kind: 'Deployment', name: deployment.name } : undefined;
  }

  async replicasOf(namespace: string, name: string): Promise<number> {
    const client = await this.deps.client();
    return (await client.apps.readNamespacedDeployment({ namespace, name })).spec?.replicas ?? 1;
  }

  async restart(kind: WorkloadKind, namespace: string, name: string, signal?: AbortSignal): Promise<void> {
    await kubeLayer().restartWorkload(await this.deps.client(), kind, namespace, name, signal);
    this.deps.log(`Restarted ${kind} ${namespace}/${name}`);
  }

  async scale(namespace: string, name: string, replicas: number, signal?: AbortSignal): Promise<void> {
    await kubeLayer().scaleDeployment(await this.deps.client(), namespace, name, replicas, signal);
    this.deps.log(`Scaled Deployment ${namespace}/${name} to ${replicas}`);
  }

  async rollout(
    kind: WorkloadKind,
    namespace: string,
    name: string,
    options: { signal?: AbortSignal; onProgress?: (message: string) => void },
  ): Promise<RolloutProgress> {
    return kubeLayer().waitForRollout(await this.deps.client(), kind, namespace, name, options);
  }

  async dispose(): Promise<void> {
    for (const id of [...this.forwards.keys()]) await this.stopForward(id);
    this.forwardsEmitter.dispose();
  }
}
