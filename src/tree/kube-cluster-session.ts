// ClusterSession over the Kubernetes layer (src/kube: KubeClient, WatchCache, NodePodCaches, actions) and
// the SSH layer (src/remote). Both load on first use (lazy require inside functions), never at activation.
// vscode-free: secrets, host-key prompts and the log come in through KubeSessionDeps.
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { CacheChange, KubeClient, NodePodCaches, WatchCache } from '../kube';
import type { Masker, RemotePrompts, SshPool } from '../remote';
import type { ClusterModel, NodeModel } from '../cluster-spec';
import type { ClusterSession, LogFollow, PodWatch, ShellChannelLike } from './cluster-session';
import type { ApiNode, ApiPod, ConnectionState } from './core';
import { Emitter, nodeFromKube, podFromKube } from './core';

export interface KubeSessionSecrets {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface KubeSessionDeps {
  secrets: KubeSessionSecrets;
  prompts: RemotePrompts;
  /** The extension's own known_hosts file (accepted keys go there). */
  knownHostsFile: string;
  /** The user's known_hosts (read-only); null to ignore. */
  userKnownHostsFile?: string | null;
  /** Every line is masked before it gets here. */
  log: (line: string) => void;
  /** Home directory for `~` in identityFile. */
  homeDir?: string;
  /** Timings (tests shorten them). */
  tuning?: {
    probeTimeoutMs?: number;
    coalesceMs?: number;
    backoffInitialMs?: number;
    backoffMaxMs?: number;
  };
}

type KubeLayer = typeof import('../kube');
type RemoteLayer = typeof import('../remote');
type PodChange = { changed?: string[]; added?: string[]; removed?: string[] } | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, not at activation */
const kubeLayer = (): KubeLayer => require('../kube') as KubeLayer;
const remoteLayer = (): RemoteLayer => require('../remote') as RemoteLayer;
/* eslint-enable @typescript-eslint/no-require-imports */

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const body = (error as { body?: unknown }).body;
  let detail = error.message.split('\n')[0] ?? '';
  if (typeof body === 'string' && body.includes('"message"')) {
    try {
      detail = String((JSON.parse(body) as { message?: string }).message ?? detail);
    } catch {
      // keep the first line
    }
  }
  return code !== undefined && !detail.includes(String(code)) ? `${detail} (${String(code)})` : detail;
}

const podKeyOf = (pod: k8s.V1Pod) => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

/** A batch of cache changes as the tree wants it: keys added, changed and removed. */
export function podChangeOf(batch: ReadonlyArray<CacheChange<k8s.V1Pod>>): PodChange {
  const added = new Set<string>();
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const { type, object } of batch) {
    const key = podKeyOf(object);
    if (type === 'delete') {
      added.delete(key);
      changed.delete(key);
      removed.add(key);
    } else if (type === 'add' || removed.has(key)) {
      removed.delete(key);
      added.add(key);
    } else if (!added.has(key)) changed.add(key);
  }
  return { added: [...added], changed: [...changed], removed: [...removed] };
}

export class KubeClusterSession implements ClusterSession {
  private stateValue: ConnectionState = 'disconnected';
  private errorValue: string | undefined;
  private version: string | undefined;
  private client: KubeClient | undefined;
  private nodeCache: WatchCache<k8s.V1Node> | undefined;
  private podCaches: NodePodCaches | undefined;
  private pool: SshPool | undefined;
  private masker: Masker | undefined;
  /** Bumped by every connect and disconnect: a connect that was overtaken gives up quietly. */
  private attempt = 0;
  private readonly stateEmitter = new Emitter<void>();
  private readonly nodesEmitter = new Emitter<string[] | undefined>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeNodes = this.nodesEmitter.event;

  constructor(
    private readonly getModel: () => ClusterModel,
    private readonly deps: KubeSessionDeps,
  ) {}

  get state(): ConnectionState {
    return this.stateValue;
  }
  get error(): string | undefined {
    return this.errorValue;
  }
  get apiServer(): string | undefined {
    return this.client?.server;
  }
  get serverVersion(): string | undefined {
    return this.version;
  }

  /** The watches running now (node list and per-node pods), for tests and diagnostics. */
  get watches(): ReadonlyArray<WatchCache<k8s.KubernetesObject>> {
    const all = [this.nodeCache, ...(this.podCaches?.caches ?? [])];
    return all.filter((c) => c?.isRunning) as unknown as Array<WatchCache<k8s.KubernetesObject>>;
  }

  /** Nodes whose pods are watched now. */
  get watchedNodes(): string[] {
    return this.podCaches?.watchedNodes ?? [];
  }

  private mask(text: string): string {
    return this.masker ? this.masker.mask(text) : text;
  }

  private log(line: string): void {
    this.deps.log(this.mask(line));
  }

  private setState(state: ConnectionState, error?: string): void {
    const masked = error === undefined ? undefined : this.mask(error);
    if (state === this.stateValue && masked === this.errorValue) return;
    this.stateValue = state;
    this.errorValue = masked;
    this.stateEmitter.fire();
  }

  nodes(): ApiNode[] | undefined {
    const cache = this.nodeCache;
    if (!cache?.isSynced) return undefined;
    return cache.list().map(nodeFromKube);
  }

  private sshPool(): SshPool {
    if (this.pool) return this.pool;
    const remote = remoteLayer();
    const masker = new remote.Masker();
    this.masker = masker;
    this.pool = new remote.SshPool(
      {
        knownHosts: new remote.KnownHostsStore({
          ownFile: this.deps.knownHostsFile,
          userFile: this.deps.userKnownHostsFile,
        }),
        prompts: this.deps.prompts,
        secrets: this.deps.secrets,
        masker,
        // The SSH layer masks each line; `microk8s config` runs with secretOutput, so its output never comes.
        log: (line: string) => this.deps.log(line),
        homeDir: this.deps.homeDir,
      },
      { idleMs: 30_000 },
    );
    return this.pool;
  }

  /** `microk8s config` over SSH on node 1, then the other nodes in turn. */
  private async fetchKubeconfig(signal?: AbortSignal): Promise<string> {
    const pool = this.sshPool();
    const remote = remoteLayer();
    const nodes = this.getModel().nodes.map((node) => remote.remoteNodeOf(node));
    this.log(`Fetching the kubeconfig over SSH (${nodes.map((n) => n.name).join(', ')})`);
    const { kubeconfig, from } = await kubeLayer().fetchKubeconfig(pool, nodes, {
      signal,
      masker: this.masker,
      // A refused host key is the user's answer: do not ask again for every node.
      isFatal: (error) => {
        const kind = (error as { kind?: string }).kind;
        return kind === 'hostKeyRefused' || kind === 'hostKeyChanged';
      },
    });
    this.log(`Fetched the kubeconfig from ${from.name}`);
    return kubeconfig;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.stateValue === 'connected' || this.stateValue === 'connecting') return;
    if (this.stateValue === 'unreachable') return this.retry();
    const attempt = ++this.attempt;
    const overtaken = () => signal?.aborted === true || attempt !== this.attempt;
    this.setState('connecting');
    try {
      const kube = kubeLayer();
      const model = this.getModel();
      const tuning = this.deps.tuning ?? {};
      this.sshPool();
      const client = await kube.KubeClient.connect({
        endpoints: model.nodes.map((n) => ({ name: n.hostname, address: n.address })),
        secrets: this.deps.secrets,
        secretKey: kube.kubeconfigSecretKey(model.name),
        fetchKubeconfig: () => this.fetchKubeconfig(signal),
        probeTimeoutMs: tuning.probeTimeoutMs ?? 3000,
        masker: this.masker,
        log: (line) => this.log(line),
      });
      if (overtaken()) throw new Error('Cancelled.');
      this.version = await client.serverVersion().catch(() => undefined);
      if (overtaken()) throw new Error('Cancelled.');
      this.client = client;
      client.onServerChange((endpoint) => {
        if (this.client !== client) return;
        this.log(`API failover: now ${endpoint.name} (${client.server ?? endpoint.address})`);
        this.stateEmitter.fire();
      });
      const cacheOptions = {
        coalesceMs: tuning.coalesceMs,
        backoffInitialMs: tuning.backoffInitialMs ?? 500,
        backoffMaxMs: tuning.backoffMaxMs ?? 15_000,
        log: (line: string) => this.log(line),
      };
      const nodes = new kube.WatchCache<k8s.V1Node>(client, 'nodes', cacheOptions);
      this.nodeCache = nodes;
      this.podCaches = new kube.NodePodCaches(client, cacheOptions);
      nodes.onChange((batch) => {
        if (this.nodeCache !== nodes) return;
        this.nodesEmitter.fire([...new Set(batch.map((c) => c.object.metadata?.name ?? ''))]);
      });
      nodes.onHealth((error) => {
        if (this.nodeCache !== nodes || this.stateValue === 'connecting') return;
        this.setState(error ? 'unreachable' : 'connected', error);
        this.nodesEmitter.fire(undefined);
      });
      // The first list, or its first failure: then the cache keeps retrying and the tree says unreachable.
      let offFirstError: () => void = () => undefined;
      const firstError = new Promise<void>((resolve) => {
        offFirstError = nodes.onHealth((error) => error && resolve());
      });
      const synced = nodes.start();
      synced.catch(() => undefined);
      try {
        await Promise.race([synced, firstError]);
      } finally {
        offFirstError();
      }
      if (overtaken()) throw new Error('Cancelled.');
      this.setState(nodes.error ? 'unreachable' : 'connected', nodes.error);
      this.nodesEmitter.fire(undefined);
      this.log(`Connected to ${client.server ?? '?'} (Kubernetes ${this.version ?? 'version unknown'})`);
    } catch (error) {
      if (attempt === this.attempt) {
        await this.stopWatches();
        this.setState('disconnected', messageOf(error));
      }
      throw error;
    }
  }

  private requireClient(): KubeClient {
    if (!this.client) throw new Error('Not connected: use Connect first.');
    return this.client;
  }

  retry(): void {
    this.nodeCache?.retryNow();
  }

  watchPods(nodeName: string): PodWatch {
    const caches = this.podCaches;
    if (!caches) throw new Error('Not connected: use Connect first.');
    const lease = caches.acquire(nodeName);
    const cache = lease.cache;
    const changes = new Emitter<PodChange>();
    let disposed = false;
    const fire = (change: PodChange) => {
      if (!disposed) changes.fire(change);
    };
    const offChange = cache.onChange((batch) => fire(podChangeOf(batch)));
    const offHealth = cache.onHealth(() => fire(undefined));
    // A node without pods sends no events: the end of the first list still has to leave "Loading".
    cache.waitSynced().then(
      () => fire(undefined),
      () => undefined,
    );
    const mask = (text: string | undefined) => (text === undefined ? undefined : this.mask(text));
    return {
      pods: () => (cache.isSynced ? cache.list().map(podFromKube) : undefined),
      get error() {
        return mask(cache.error);
      },
      onDidChange: changes.event,
      raw: (namespace, name) => cache.get(name, namespace),
      retry: () => cache.retryNow(),
      dispose: () => {
        if (disposed) return;
        disposed = true;
        offChange();
        offHealth();
        changes.dispose();
        void lease.release();
      },
    };
  }

  async listPods(nodeName?: string): Promise<ApiPod[]> {
    return (await kubeLayer().listPods(this.requireClient(), nodeName)).map(podFromKube);
  }

  async readPod(namespace: string, name: string): Promise<object> {
    return kubeLayer().readPodRaw(this.requireClient(), namespace, name);
  }

  async readNode(name: string): Promise<object> {
    return kubeLayer().readNodeRaw(this.requireClient(), name);
  }

  async setCordoned(nodeName: string, cordoned: boolean): Promise<void> {
    const kube = kubeLayer();
    await (cordoned ? kube.cordon : kube.uncordon)(this.requireClient(), nodeName);
    this.log(`${cordoned ? 'Cordoned' : 'Uncordoned'} ${nodeName}`);
  }

  async drain(
    nodeName: string,
    options: { signal?: AbortSignal; onProgress?: (message: string) => void },
  ): Promise<void> {
    const result = await kubeLayer().drainNode(this.requireClient(), nodeName, {
      signal: options.signal,
      onProgress: (message) => {
        this.log(message);
        options.onProgress?.(message);
      },
    });
    this.log(`Drained ${nodeName}: ${result.evicted.length} evicted, ${result.skipped.length} stay`);
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await kubeLayer().deletePod(this.requireClient(), namespace, name);
    this.log(`Deleted pod ${namespace}/${name}`);
  }

  async followLogs(namespace: string, name: string, onLine: (line: string) => void): Promise<LogFollow> {
    const stream = await kubeLayer().openPodLog(this.requireClient(), namespace, name, {
      follow: true,
      tailLines: 200,
      onLine,
    });
    return {
      // The tree only waits for the end; a broken stream is logged, not thrown at it.
      done: stream.done.catch((error: unknown) =>
        this.log(`Log stream of ${namespace}/${name} ended: ${messageOf(error)}`),
      ),
      stop: () => stream.stop(),
    };
  }

  async kubeconfig(): Promise<string> {
    const text = await this.deps.secrets.get(kubeLayer().kubeconfigSecretKey(this.getModel().name));
    if (!text) throw new Error('No kubeconfig yet: connect to the cluster first.');
    return text;
  }

  async openShell(node: NodeModel, size: { cols: number; rows: number }): Promise<ShellChannelLike> {
    const channel = await this.sshPool().openShell(remoteLayer().remoteNodeOf(node), {
      ...size,
      term: 'xterm-256color',
    });
    return {
      write: (data) => channel.stream.write(data),
      onData: (listener) => {
        channel.stream.on('data', (chunk: Buffer) => listener(chunk.toString('utf8')));
        channel.stream.stderr.on('data', (chunk: Buffer) => listener(chunk.toString('utf8')));
      },
      onClose: (listener) => channel.stream.on('close', listener),
      resize: (cols, rows) => channel.resize(cols, rows),
      close: () => channel.close(),
    };
  }

  /** Stops every watch for good: stopped caches never restart, even when their last request fails late. */
  private async stopWatches(): Promise<void> {
    const nodes = this.nodeCache;
    const pods = this.podCaches;
    this.nodeCache = undefined;
    this.podCaches = undefined;
    this.client = undefined;
    await Promise.all([nodes?.stop(), pods?.stopAll()]);
  }

  async disconnect(): Promise<void> {
    this.attempt++;
    await this.stopWatches();
    this.version = undefined;
    this.setState('disconnected');
    this.nodesEmitter.fire(undefined);
  }

  async dispose(): Promise<void> {
    await this.disconnect();
    await this.pool?.dispose();
    this.pool = undefined;
    this.stateEmitter.dispose();
    this.nodesEmitter.dispose();
  }
}
