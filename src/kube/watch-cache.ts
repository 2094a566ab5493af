// List+watch caches (informers) for nodes and pods: restart with backoff after errors, relist on 410 (the
// client does that), no restart after our own stop(), and coalesced change events for consumers.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient } from './client';
import { Backoff, Coalescer, realClock } from '../timing';

/** A collection the cache lists and watches: its API path and how the client lists it. */
export interface WatchedResource<T extends K8s.KubernetesObject> {
  /** For messages: `nodes`, `pods on gw-2`, `configmaps in default`. */
  label: string;
  /** The collection's path, e.g. `/api/v1/nodes` or `/api/v1/namespaces/default/configmaps`. */
  path: string;
  list(
    core: K8s.CoreV1Api,
    query: { fieldSelector?: string; labelSelector?: string },
    client: KubeClient,
  ): Promise<K8s.KubernetesListObject<T>>;
}

const ns = (namespace: string) => encodeURIComponent(namespace);

/** The collections the product watches. */
export const resources = {
  nodes: (): WatchedResource<K8s.V1Node> => ({
    label: 'nodes',
    path: '/api/v1/nodes',
    list: (core, query) => core.listNode(query),
  }),
  pods: (namespace?: string): WatchedResource<K8s.V1Pod> => ({
    label: namespace ? `pods in ${namespace}` : 'pods',
    path: namespace ? `/api/v1/namespaces/${ns(namespace)}/pods` : '/api/v1/pods',
    list: (core, query) =>
      namespace ? core.listNamespacedPod({ namespace, ...query }) : core.listPodForAllNamespaces(query),
  }),
  configMaps: (namespace: string): WatchedResource<K8s.V1ConfigMap> => ({
    label: `configmaps in ${namespace}`,
    path: `/api/v1/namespaces/${ns(namespace)}/configmaps`,
    list: (core, query) => core.listNamespacedConfigMap({ namespace, ...query }),
  }),
  services: (namespace: string): WatchedResource<K8s.V1Service> => ({
    label: `services in ${namespace}`,
    path: `/api/v1/namespaces/${ns(namespace)}/services`,
    list: (core, query) => core.listNamespacedService({ namespace, ...query }),
  }),
  allServices: (): WatchedResource<K8s.V1Service> => ({
    label: 'services',
    path: '/api/v1/services',
    list: (core, query) => core.listServiceForAllNamespaces(query),
  }),
  /** Every namespace's events (narrow with a field selector such as `involvedObject.name=gw-2`). */
  events: (): WatchedResource<K8s.CoreV1Event> => ({
    label: 'events',
    path: '/api/v1/events',
    list: (core, query) => core.listEventForAllNamespaces(query),
  }),
  claims: (): WatchedResource<K8s.V1PersistentVolumeClaim> => ({
    label: 'persistentvolumeclaims',
    path: '/api/v1/persistentvolumeclaims',
    list: (core, query) => core.listPersistentVolumeClaimForAllNamespaces(query),
  }),
  /** Every namespace's Secrets (helm's releases: labelSelector owner=helm). */
  secrets: (): WatchedResource<K8s.V1Secret> => ({
    label: 'secrets',
    path: '/api/v1/secrets',
    list: (core, query) => core.listSecretForAllNamespaces(query),
  }),
  deployments: (namespace: string): WatchedResource<K8s.V1Deployment> => ({
    label: `deployments in ${namespace}`,
    path: `/apis/apps/v1/namespaces/${ns(namespace)}/deployments`,
    list: (_core, query, client) => client.apps.listNamespacedDeployment({ namespace, ...query }),
  }),
  statefulSets: (namespace: string): WatchedResource<K8s.V1StatefulSet> => ({
    label: `statefulsets in ${namespace}`,
    path: `/apis/apps/v1/namespaces/${ns(namespace)}/statefulsets`,
    list: (_core, query, client) => client.apps.listNamespacedStatefulSet({ namespace, ...query }),
  }),
};

export interface WatchCacheOptions {
  /** Server-side selection, e.g. `spec.nodeName=gw-2` or `metadata.name=gateway-manager`. */
  fieldSelector?: string;
  labelSelector?: string;
  /** Coalescing window for onChange (default 300 ms). */
  coalesceMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  log?: (line: string) => void;
}

export interface CacheChange<T> {
  type: 'add' | 'update' | 'delete';
  object: T;
}

type Informer<T extends K8s.KubernetesObject> = K8s.Informer<T> & K8s.ObjectCache<T>;

export class WatchCache<T extends K8s.KubernetesObject> {
  private informer: Informer<T> | undefined;
  private informerGeneration = -1;
  private stopped = true;
  private synced = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private readonly coalescer: Coalescer<CacheChange<T>>;
  private readonly changeListeners = new Set<(batch: CacheChange<T>[]) => void>();
  private readonly eventListeners = new Set<(change: CacheChange<T>) => void>();
  private readonly syncWaiters = new Set<{ resolve(): void; reject(err: Error): void }>();
  private readonly healthListeners = new Set<(error: string | undefined) => void>();
  private errorText: string | undefined;
  /** Errors seen and restarts done, for tests and diagnostics. */
  errors = 0;
  restarts = 0;
  lastError: unknown;

  constructor(
    private readonly client: KubeClient,
    readonly resource: WatchedResource<T>,
    private readonly options: WatchCacheOptions = {},
  ) {
    this.backoff = new Backoff({
      initialMs: options.backoffInitialMs ?? 250,
      maxMs: options.backoffMaxMs ?? 10_000,
    });
    // Each change is its own object, so none is merged away: a batch is every change, in order.
    this.coalescer = new Coalescer<CacheChange<T>>(
      options.coalesceMs ?? 300,
      (batch) => {
        for (const listener of this.changeListeners) listener(batch ?? []);
      },
      realClock,
      15,
    );
  }

  get fieldSelector(): string | undefined {
    return this.options.fieldSelector;
  }

  private log(line: string): void {
    const selector = this.options.fieldSelector ? ` ${this.options.fieldSelector}` : '';
    this.options.log?.(`[watch ${this.resource.label}${selector}] ${line}`);
  }

  /** Starts watching; resolves once the first list has arrived and the watch is open. */
  async start(): Promise<void> {
    if (!this.stopped) return this.waitSynced();
    this.stopped = false;
    const synced = this.waitSynced();
    void this.run();
    return synced;
  }

  waitSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => this.syncWaiters.add({ resolve, reject }));
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Whether start() was called and stop() was not. */
  get isRunning(): boolean {
    return !this.stopped;
  }

  /** Why the watch is down (it retries with backoff), or undefined while it works. */
  get error(): string | undefined {
    return this.errorText;
  }

  /** Fires with the reason when the watch fails, and with undefined when it works again. */
  onHealth(listener: (error: string | undefined) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  private setHealth(error: string | undefined): void {
    if (error === this.errorText) return;
    this.errorText = error;
    for (const listener of this.healthListeners) listener(error);
  }

  /** Retries now instead of waiting for the backoff (the user's "Retry"). No-op unless a retry is pending. */
  retryNow(): void {
    if (this.stopped || !this.restartTimer) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.restarts++;
    void this.run();
  }

  /** Stops for good: aborts the watch; the error the client reports for that abort is ignored. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    // Not dispose(): a stopped cache can be started again.
    this.coalescer.cancel();
    const informer = this.informer;
    this.informer = undefined;
    this.synced = false;
    this.errorText = undefined;
    await informer?.stop();
    for (const waiter of this.syncWaiters)
      waiter.reject(new Error(`The watch of ${this.resource.label} was stopped.`));
    this.syncWaiters.clear();
  }

  list(namespace?: string): ReadonlyArray<T> {
    return this.informer?.list(namespace) ?? [];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer?.get(name, namespace);
  }

  /** Coalesced changes (a burst arrives as one batch). Returns an unsubscribe function. */
  onChange(listener: (batch: CacheChange<T>[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Every single change, as it arrives (for measurements and waits). */
  onEvent(listener: (change: CacheChange<T>) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  private emit(type: CacheChange<T>['type'], object: T): void {
    if (this.stopped) return;
    const change = { type, object };
    for (const listener of this.eventListeners) listener(change);
    this.coalescer.add(change);
  }

  private createInformer(): Informer<T> {
    const { k8s, core, transport } = this.client;
    const { fieldSelector, labelSelector } = this.options;
    // A list that arrived counts as synced (the watch opens right after).
    const listFn = () => this.resource.list(core, { fieldSelector, labelSelector }, this.client);
    const informer = new k8s.ListWatch<T>(
      this.resource.path,
      // Not k8s.Watch: it sends the client certificate only on an https.Agent (see direct-transport).
      transport.asWatch(),
      listFn,
      false,
      labelSelector,
      fieldSelector,
    );
    informer.on('add', (obj) => this.emit('add', obj));
    informer.on('update', (obj) => this.emit('update', obj));
    informer.on('delete', (obj) => this.emit('delete', obj));
    informer.on('error', (err) => this.onInformerError(informer, err));
    return informer;
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.restarts > 0) await this.client.ensureServer();
      if (this.stopped) return;
      if (!this.informer || this.informerGeneration !== this.client.generation) {
        // A new server (or the first start): a fresh informer lists from scratch.
        const old = this.informer;
        this.informer = this.createInformer();
        this.informerGeneration = this.client.generation;
        if (old) {
          // Its objects vanish from list(); the fresh list re-adds what still exists.
          for (const obj of old.list()) this.emit('delete', obj);
          await old.stop();
        }
      }
      const informer = this.informer;
      const errorsBefore = this.errors;
      // Resumes from the last resourceVersion; the client relists when the server answers 410.
      await informer.start();
      if (this.stopped || informer !== this.informer || this.errors !== errorsBefore) return;
      this.backoff.reset();
      this.setHealth(undefined);
      if (!this.synced) {
        this.synced = true;
        for (const waiter of this.syncWaiters) waiter.resolve();
        this.syncWaiters.clear();
      }
      this.log(this.restarts > 0 ? 'resumed' : 'synced');
    } catch (err) {
      if (this.informer) this.onInformerError(this.informer, err);
    }
  }

  private onInformerError(informer: Informer<T>, err: unknown): void {
    // The client reports our own stop() (the aborted request) as an error: never restart after it.
    if (this.stopped || informer !== this.informer) return;
    this.errors++;
    this.lastError = err;
    this.setHealth(describe(err));
    if (this.restartTimer) return;
    const delay = this.backoff.next();
    this.log(`error (${describe(err)}); restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarts++;
      void this.run();
    }, delay);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return `${code !== undefined ? `${String(code)} ` : ''}${err.message.split('\n')[0]}`;
  }
  return String(err);
}
