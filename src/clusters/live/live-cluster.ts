// The live connection of one cluster (LiveCluster) over the Kubernetes layer: the node watch, per-node pod
// watches, logs and the operator's actions, plus SSH shells. The cluster context owns the KubeClient, the SSH
// pool and the masker it uses; the Kubernetes and SSH modules load on first use, never at activation.
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { NodeModel } from '../../cluster-spec/types';
import type { CacheChange, KubeClient, NodePodCaches, WatchCache } from '../../kube';
import type { SshPool } from '../../remote';
import { Emitter } from './emitter';
import { nodeFromKube, podFromKube } from './from-kube';
import type {
  ApiNode,
  ApiPod,
  ConnectionState,
  LiveCluster,
  LogFollow,
  LogOptions,
  PodWatch,
  ShellChannelLike,
} from './types';

export interface LiveTuning {
  coalesceMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

/** What the live connection gets from its cluster context. */
export interface LiveClusterDeps {
  model(): { nodes: readonly NodeModel[] };
  ssh(): SshPool;
  mask(text: string): string;
  /** The cluster's API client; may fetch a kubeconfig over SSH when none is stored or it stopped working. */
  kubeClient(signal?: AbortSignal): Promise<KubeClient>;
  kubeconfig(): Promise<string | undefined>;
  /** Every line is masked before it gets here. */
  log(line: string): void;
  tuning?: LiveTuning;
}

type KubeLayer = typeof import('../../kube');
type RemoteLayer = typeof import('../../remote');
type PodChange = { changed?: string[]; added?: string[]; removed?: string[] } | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, not at activation */
const kubeLayer = (): KubeLayer => require('../../kube') as KubeLayer;
const remoteLayer = (): RemoteLayer => require('../../remote') as RemoteLayer;
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

export class KubeLiveCluster implements LiveCluster {
  private stateValue: ConnectionState = 'disconnected';
  private errorValue: string | undefined;
  private version: string | undefined;
  private client: KubeClient | undefined;
  private nodeCache: WatchCache<k8s.V1Node> | undefined;
  private podCaches: NodePodCaches | undefined;
  /** Bumped by every connect and disconnect: a connect that was overtaken gives up quietly. */
  private attempt = 0;
  private readonly stateEmitter = new Emitter<void>();
  private readonly nodesEmitter = new Emitter<string[] | undefined>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidChangeNodes = this.nodesEmitter.event;

  constructor(private readonly deps: LiveClusterDeps) {}

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
    return this.deps.mask(text);
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

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.stateValue === 'connected' || this.stateValue === 'connecting') return;
    if (this.stateValue === 'unreachable') return this.retry();
    const attempt = ++this.attempt;
    const overtaken = () => signal?.aborted === true || attempt !== this.attempt;
    this.setState('connecting');
    try {
      const kube = kubeLayer();
      const tuning = this.deps.tuning ?? {};
      const client = await this.deps.kubeClient(signal);
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
      const nodes = new kube.WatchCache<k8s.V1Node>(client, kube.resources.nodes(), cacheOptions);
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

  async followLogs(
    namespace: string,
    name: string,
    onLine: (line: string) => void,
    options: LogOptions = {},
  ): Promise<LogFollow> {
    // No options: follow the last 200 lines of the first container (as before the options existed).
    const o: LogOptions = Object.keys(options).length > 0 ? options : { follow: true, tailLines: 200 };
    const stream = await kubeLayer().openPodLog(this.requireClient(), namespace, name, {
      follow: o.follow ?? !o.previous,
      tailLines: o.tailLines,
      sinceSeconds: o.sinceSeconds,
      previous: o.previous,
      timestamps: o.timestamps,
      container: o.container,
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
    const text = await this.deps.kubeconfig();
    if (!text) throw new Error('No kubeconfig yet: connect to the cluster first.');
    return text;
  }

  async openShell(node: NodeModel, size: { cols: number; rows: number }): Promise<ShellChannelLike> {
    const channel = await this.deps.ssh().openShell(remoteLayer().remoteNodeOf(node), {
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
    this.stateEmitter.dispose();
    this.nodesEmitter.dispose();
  }
}
