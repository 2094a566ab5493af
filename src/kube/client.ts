// A Kubernetes API client over one cluster's kubeconfig that fails over between the nodes' API servers.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { firstAnsweringServer, probeServer } from './kubeconfig';
import type { ApiEndpoint, SecretStorage } from './kubeconfig';
import { loadK8s } from './load';
import type { K8sModule } from './load';

export interface KubeClientOptions {
  /** API endpoints in order of preference (node 1 first). */
  endpoints: ApiEndpoint[];
  secrets: SecretStorage;
  /** Secret-store key for this cluster's kubeconfig. */
  secretKey: string;
  /** Fetches a fresh kubeconfig (e.g. `microk8s config` over SSH) when none is stored or it stopped working. */
  fetchKubeconfig: () => Promise<string>;
  /** Per-server connect/answer timeout while looking for one that answers (default 2 s). */
  probeTimeoutMs?: number;
  log?: (line: string) => void;
}

export class KubeClient {
  private kubeconfigText = '';
  private current: ApiEndpoint | undefined;
  private kc: K8s.KubeConfig | undefined;
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

  get kubeConfig(): K8s.KubeConfig {
    return this.kc!;
  }

  get core(): K8s.CoreV1Api {
    return this.coreApi!;
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
    const { secrets, secretKey, endpoints, probeTimeoutMs } = this.options;
    let text = this.kubeconfigText || (await secrets.get(secretKey));
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
      // None stored, or it no longer works anywhere (e.g. the cluster was rebuilt): fetch a fresh one.
      this.log(
        text
          ? `stored kubeconfig failed (${(firstError as Error).message}); fetching a new one`
          : 'fetching kubeconfig',
      );
      text = await this.options.fetchKubeconfig();
      chosen = await firstAnsweringServer(text, endpoints, probeTimeoutMs);
    }
    this.use(chosen.kubeconfig, chosen.endpoint);
    await secrets.store(secretKey, chosen.kubeconfig);
    return chosen.endpoint;
  }

  private use(kubeconfigText: string, endpoint: ApiEndpoint): void {
    const changed = this.current?.address !== endpoint.address || this.kubeconfigText !== kubeconfigText;
    this.kubeconfigText = kubeconfigText;
    if (!changed && this.kc) return;
    const kc = new this.k8s.KubeConfig();
    kc.loadFromString(kubeconfigText);
    this.kc = kc;
    this.coreApi = kc.makeApiClient(this.k8s.CoreV1Api);
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
