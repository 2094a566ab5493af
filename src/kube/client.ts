// A Kubernetes API client over one cluster's kubeconfig that fails over between the nodes' API servers.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { DirectTransport } from './direct-transport';
import { apiGet, firstAnsweringServer, probeServer, registerKubeconfigSecrets, serverOf } from './kubeconfig';
import type { ApiEndpoint, SecretRegistry } from './kubeconfig';
import { loadK8s } from './load';
import type { K8sModule } from './load';

/** Where the cluster's kubeconfig is kept, and how a fresh one is fetched. */
export interface KubeconfigSource {
  read(): Promise<string | undefined>;
  store(text: string): Promise<void>;
  /** A fresh kubeconfig (`microk8s config` over SSH); absent when the caller must not fetch one itself. */
  fetch?(): Promise<string>;
}

export interface KubeClientOptions {
  /** API endpoints in order of preference (node 1 first). */
  endpoints: ApiEndpoint[];
  kubeconfig: KubeconfigSource;
  /** Per-server connect/answer timeout while looking for one that answers (default 2 s). */
  probeTimeoutMs?: number;
  /** Learns the kubeconfig's credentials as soon as the client holds one (stored or fetched). */
  masker?: SecretRegistry;
  log?: (line: string) => void;
}

/** An API error with the server's status code and its own message (`pods "x" not found`). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class KubeClient {
  private kubeconfigText = '';
  private current: ApiEndpoint | undefined;
  private transportInUse: DirectTransport | undefined;
  private coreApi: K8s.CoreV1Api | undefined;
  private readonly serverListeners = new Set<(endpoint: ApiEndpoint) => void>();
  /** Increments on every switch of server, so watchers know to rebuild. */
  generation = 0;

  private constructor(
    readonly k8s: K8sModule,
    private readonly options: KubeClientOptions,
  ) {}

  /** Loads the client, finds a server that answers (fetching a kubeconfig if needed) and returns the client. */
  static async connect(options: KubeClientOptions): Promise<KubeClient> {
    const client = new KubeClient(await loadK8s(), options);
    await client.selectServer();
    return client;
  }

  get endpoint(): ApiEndpoint {
    return this.current!;
  }

  /** Requests, watches and logs to the current server, with the credentials on each request itself. */
  get transport(): DirectTransport {
    return this.transportInUse!;
  }

  get core(): K8s.CoreV1Api {
    return this.coreApi!;
  }

  /** The core API for one operation: its requests stop when `signal` aborts (and time out on their own). */
  coreWith(signal: AbortSignal): K8s.CoreV1Api {
    return this.transport.api(this.k8s.CoreV1Api, { signal });
  }

  /** Deployments, StatefulSets (restart, scale, rollout). */
  get apps(): K8s.AppsV1Api {
    return this.transport.api(this.k8s.AppsV1Api);
  }

  /** The apps API for one operation, like coreWith. */
  appsWith(signal: AbortSignal): K8s.AppsV1Api {
    return this.transport.api(this.k8s.AppsV1Api, { signal });
  }

  /** Custom resources (MetalLB's pools) for one operation, like coreWith. */
  customWith(signal: AbortSignal): K8s.CustomObjectsApi {
    return this.transport.api(this.k8s.CustomObjectsApi, { signal });
  }

  /** The URL of the API server in use. */
  get server(): string | undefined {
    return this.kubeconfigText ? serverOf(this.kubeconfigText) : undefined;
  }

  /** The kubeconfig in use (pointed at the current server); it holds credentials. */
  get kubeconfig(): string {
    return this.kubeconfigText;
  }

  /** A GET of an API path, as the server's own JSON (no client models: dates stay strings, kind is kept). */
  async getRaw(path: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const reply = await apiGet(this.kubeconfigText, path, timeoutMs);
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(reply.body) as Record<string, unknown>;
    } catch {
      // A proxy's HTML or an empty body: reported by status below.
    }
    if (reply.status < 200 || reply.status >= 300) {
      const message = typeof body?.message === 'string' ? body.message : `HTTP ${reply.status} for ${path}`;
      throw new KubeApiError(reply.status, message);
    }
    if (!body) throw new KubeApiError(reply.status, `The API server's answer to ${path} is not JSON.`);
    return body;
  }

  /** The server's Kubernetes version (gitVersion of /version). */
  async serverVersion(): Promise<string | undefined> {
    const info = await this.getRaw('/version', this.options.probeTimeoutMs ?? 2000);
    return typeof info.gitVersion === 'string' ? info.gitVersion : undefined;
  }

  onServerChange(listener: (endpoint: ApiEndpoint) => void): () => void {
    this.serverListeners.add(listener);
    return () => this.serverListeners.delete(listener);
  }

  private log(line: string): void {
    this.options.log?.(`[kube] ${line}`);
  }

  /** Picks the first endpoint that answers, with the stored kubeconfig first, then a freshly fetched one. */
  async selectServer(): Promise<ApiEndpoint> {
    const { kubeconfig, endpoints, probeTimeoutMs } = this.options;
    let text = this.kubeconfigText || (await kubeconfig.read());
    if (text) registerKubeconfigSecrets(this.options.masker, text);
    let chosen: { kubeconfig: string; endpoint: ApiEndpoint } | undefined;
    let firstError: unknown;
    if (text) {
      try {
        chosen = await firstAnsweringServer(text, endpoints, probeTimeoutMs);
      } catch (err) {
        firstError = err;
      }
    }
    if (!chosen) {
      if (!kubeconfig.fetch) throw firstError ?? new Error('There is no kubeconfig for this cluster yet.');
      // None stored, or it no longer works anywhere (e.g. the cluster was rebuilt): fetch a fresh one.
      this.log(
        text
          ? `stored kubeconfig failed (${(firstError as Error).message}); fetching a new one`
          : 'fetching kubeconfig',
      );
      text = await kubeconfig.fetch();
      registerKubeconfigSecrets(this.options.masker, text);
      chosen = await firstAnsweringServer(text, endpoints, probeTimeoutMs);
    }
    this.use(chosen.kubeconfig, chosen.endpoint);
    await kubeconfig.store(chosen.kubeconfig);
    return chosen.endpoint;
  }

  private use(kubeconfigText: string, endpoint: ApiEndpoint): void {
    const changed = this.current?.address !== endpoint.address || this.kubeconfigText !== kubeconfigText;
    this.kubeconfigText = kubeconfigText;
    if (!changed && this.transportInUse) return;
    // Not kc.makeApiClient: its credentials live on an https.Agent that the editor's proxy support replaces.
    const transport = new DirectTransport(this.k8s, kubeconfigText);
    this.transportInUse = transport;
    this.coreApi = transport.api(this.k8s.CoreV1Api);
    const previous = this.current;
    this.current = endpoint;
    this.generation++;
    this.log(`using API server ${endpoint.name} (${endpoint.address})`);
    if (previous) for (const listener of this.serverListeners) listener(endpoint);
  }

  /** Keeps the current server if it still answers, otherwise fails over. */
  async ensureServer(): Promise<ApiEndpoint> {
    if (this.current && this.kubeconfigText) {
      const probe = await probeServer(this.kubeconfigText, this.options.probeTimeoutMs ?? 2000);
      if (probe.ok) return this.current;
      this.log(`API server ${this.current.name} does not answer (${probe.reason}); failing over`);
    }
    return this.selectServer();
  }
}
