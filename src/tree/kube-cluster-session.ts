// ClusterSession over the Kubernetes client and the SSH layer. Both load on first use (dynamic import), never
// at activation. vscode-free: secrets, host-key prompts and the log come in through KubeSessionDeps.
// When src/kube grows its own caches this adapter is where they plug in; the tree only sees ClusterSession.
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { RemoteNode, RemotePrompts, SshPool } from '../remote';
import type { ClusterModel, NodeModel } from '../spec';
import type { ClusterSession, LogFollow, PodWatch, ShellChannelLike } from './cluster-session';
import type { ApiNode, ApiPod, ConnectionState } from './model';
import { Emitter, nodeFromKube, podFromKube, podsToEvict, Retrier } from './model';

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
  /** Lines are masked by the caller's channel too; secrets are never passed here. */
  log: (line: string) => void;
  /** Home directory for `~` in identityFile. */
  homeDir?: string;
}

type K8s = typeof k8s;
const API_PORT = 16443;
const PROBE_TIMEOUT_MS = 3000;

let k8sModule: Promise<K8s> | undefined;
/** The Kubernetes client, loaded on first use. */
function loadK8s(): Promise<K8s> {
  // require() of the ESM-only client works on Node 20.19+; the bundle turns it into CommonJS anyway.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at activation
  k8sModule ??= Promise.resolve().then(() => require('@kubernetes/client-node') as K8s);
  return k8sModule;
}

export function kubeconfigSecretKey(model: ClusterModel): string {
  return `gatewayCluster.kubeconfig.${model.name}`;
}

export function remoteNodeOf(node: NodeModel): RemoteNode {
  return {
    name: node.hostname,
    address: node.address,
    port: node.ssh.port,
    user: node.ssh.user,
    identityFile: node.ssh.identityFile,
    passwordSecret: node.ssh.passwordSecret,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
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
    return code && !detail.includes(String(code)) ? `${detail} (${String(code)})` : detail;
  }
  return String(error);
}

/** A list+watch of one resource path, restarted with backoff after errors, never after stop(). */
class ListWatch {
  readonly items = new Map<string, Record<string, unknown>>();
  error: string | undefined;
  listed = false;
  private resourceVersion = '';
  private abort: AbortController | undefined;
  private stopped = false;
  private readonly retrier: Retrier;

  constructor(
    private readonly kc: () => k8s.KubeConfig,
    private readonly mod: K8s,
    private readonly path: string,
    private readonly query: Record<string, string>,
    private readonly lister: (query: Record<string, string>) => Promise<ListReply>,
    private readonly keyOf: (obj: Record<string, unknown>) => string,
    private readonly onChange: (
      change: { changed?: string[]; added?: string[]; removed?: string[] } | undefined,
    ) => void,
    private readonly onHealth: (ok: boolean, error?: string) => void,
  ) {
    this.retrier = new Retrier(() => this.run(), { baseMs: 500, maxMs: 15_000 });
  }

  start(): void {
    this.run().catch(() => this.retrier.failed());
  }

  retryNow(): void {
    this.retrier.retryNow();
  }

  private async list(): Promise<void> {
    const list = await Promise.race([
      this.lister(this.query),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('list timed out')), 15_000)),
    ]);
    this.items.clear();
    for (const item of list.items) this.items.set(this.keyOf(item), item);
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.listed = true;
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.list();
    } catch (error) {
      this.fail(error);
      throw error;
    }
    if (this.stopped) return;
    this.error = undefined;
    this.onHealth(true);
    this.onChange(undefined);
    await this.watch();
  }

  private async watch(): Promise<void> {
    const watcher = new this.mod.Watch(this.kc());
    let gone = false;
    let ended = false;
    const done = (err: unknown) => {
      if (ended) return;
      ended = true;
      if (this.stopped) return;
      if (gone) return void this.run().catch(() => this.retrier.failed());
      if (err && (err as { name?: string }).name !== 'AbortError') {
        this.fail(err);
        this.retrier.failed();
        return;
      }
      // A watch the server ended normally resumes from the last resourceVersion, without a new list.
      void this.watch().catch((e) => {
        this.fail(e);
        this.retrier.failed();
      });
    };
    this.abort = await watcher.watch(
      this.path,
      { ...this.query, resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
      (phase, obj: Record<string, unknown>) => {
        const meta = obj?.metadata as { resourceVersion?: string } | undefined;
        if (phase === 'ERROR') {
          if ((obj as { code?: number }).code === 410) gone = true;
          return;
        }
        if (meta?.resourceVersion) this.resourceVersion = meta.resourceVersion;
        if (phase === 'BOOKMARK') return;
        const key = this.keyOf(obj);
        if (phase === 'DELETED') {
          this.items.delete(key);
          this.onChange({ removed: [key] });
        } else {
          const existed = this.items.has(key);
          this.items.set(key, obj);
          this.onChange(existed ? { changed: [key] } : { added: [key] });
        }
      },
      done,
    );
    if (this.stopped) this.abort.abort();
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.error = messageOf(error);
    this.onHealth(false, this.error);
    this.onChange(undefined);
  }

  stop(): void {
    this.stopped = true;
    this.retrier.stop();
    this.abort?.abort();
  }
}

interface ListReply {
  metadata?: { resourceVersion?: string };
  items: Array<Record<string, unknown>>;
}

export class KubeClusterSession implements ClusterSession {
  private stateValue: ConnectionState = 'disconnected';
  private errorValue: string | undefined;
  private server: string | undefined;
  private version: string | undefined;
  private kc: k8s.KubeConfig | undefined;
  private mod: K8s | undefined;
  private nodeWatch: ListWatch | undefined;
  private pool: SshPool | undefined;
  private masker: { register(secret: string | undefined): void } | undefined;
  private readonly podWatches = new Set<ListWatch>();
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
    return this.server;
  }
  get serverVersion(): string | undefined {
    return this.version;
  }

  private setState(state: ConnectionState, error?: string): void {
    if (state === this.stateValue && error === this.errorValue) return;
    this.stateValue = state;
    this.errorValue = error;
    this.stateEmitter.fire();
  }

  nodes(): ApiNode[] | undefined {
    if (!this.nodeWatch?.listed) return undefined;
    return [...this.nodeWatch.items.values()].map(nodeFromKube);
  }

  private async sshPool(): Promise<SshPool> {
    if (this.pool) return this.pool;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at activation
    const remote = require('../remote') as typeof import('../remote');
    const masker = new remote.Masker();
    const pool = new remote.SshPool(
      {
        knownHosts: new remote.KnownHostsStore({
          ownFile: this.deps.knownHostsFile,
          userFile: this.deps.userKnownHostsFile,
        }),
        prompts: this.deps.prompts,
        secrets: this.deps.secrets,
        masker,
        // Command output stays out of the log: `microk8s config` prints the cluster's credentials.
        log: (line: string) => {
          if (!/\] (out|err): /.test(line)) this.deps.log(masker.mask(line));
        },
        homeDir: this.deps.homeDir,
      },
      { idleMs: 30_000 },
    );
    this.pool = pool;
    this.masker = masker;
    return pool;
  }

  /** `microk8s config` on node 1, then the other nodes in turn. */
  private async fetchKubeconfig(signal?: AbortSignal): Promise<string> {
    const pool = await this.sshPool();
    const errors: string[] = [];
    for (const node of this.getModel().nodes) {
      if (signal?.aborted) throw new Error('Cancelled.');
      try {
        this.deps.log(`Fetching the kubeconfig from ${node.hostname} (${node.address}) over SSH`);
        const result = await pool.exec(remoteNodeOf(node), ['microk8s', 'config'], {
          timeoutMs: 20_000,
          signal,
        });
        if (result.code === 0 && result.stdout.includes('apiVersion')) {
          this.registerSecrets(result.stdout);
          return result.stdout;
        }
        errors.push(`${node.hostname}: microk8s config exited with ${String(result.code)}`);
      } catch (error) {
        const message = messageOf(error);
        errors.push(`${node.hostname}: ${message}`);
        // A refused host key is the user's answer: do not ask again for every node.
        if (
          (error as { kind?: string }).kind === 'hostKeyRefused' ||
          (error as { kind?: string }).kind === 'hostKeyChanged'
        ) {
          throw error;
        }
      }
    }
    throw new Error(`Could not fetch the kubeconfig over SSH. ${errors.join('; ')}`);
  }

  /** Masks the kubeconfig's credentials in anything the SSH layer logs or throws from now on. */
  private registerSecrets(kubeconfig: string): void {
    for (const match of kubeconfig.matchAll(
      /(?:client-key-data|client-certificate-data|token|password):\s*(\S+)/g,
    )) {
      this.masker?.register(match[1]);
    }
  }

  /** The kubeconfig's own server first, then every spec node's API port. */
  private candidateServers(kc: k8s.KubeConfig): string[] {
    const servers: string[] = [];
    const own = kc.getCurrentCluster()?.server;
    if (own) servers.push(own);
    for (const node of this.getModel().nodes) {
      const url = `https://${node.address}:${API_PORT}`;
      if (node.address && !servers.includes(url)) servers.push(url);
    }
    return servers;
  }

  private withServer(mod: K8s, text: string, server: string): k8s.KubeConfig {
    const kc = new mod.KubeConfig();
    kc.loadFromString(text);
    const current = kc.getCurrentCluster();
    if (!current) throw new Error('The kubeconfig names no cluster.');
    const clusters = kc.clusters.map((c) => (c.name === current.name ? { ...c, server } : c));
    kc.loadFromOptions({
      clusters,
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
    return kc;
  }

  /** Finds a server that answers /version; throws with every server's reason. */
  private async probe(
    mod: K8s,
    text: string,
  ): Promise<{ kc: k8s.KubeConfig; server: string; version: string }> {
    const base = new mod.KubeConfig();
    base.loadFromString(text);
    const reasons: string[] = [];
    for (const server of this.candidateServers(base)) {
      const kc = this.withServer(mod, text, server);
      try {
        const api = kc.makeApiClient(mod.VersionApi);
        const info = await Promise.race([
          api.getCode(),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS),
          ),
        ]);
        return { kc, server, version: info.gitVersion };
      } catch (error) {
        reasons.push(`${server}: ${messageOf(error)}`);
      }
    }
    throw new Error(`No API server answers. ${reasons.join('; ')}`);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.stateValue === 'connected' || this.stateValue === 'connecting') return;
    this.setState('connecting');
    try {
      const mod = await loadK8s();
      this.mod = mod;
      const key = kubeconfigSecretKey(this.getModel());
      let text = await this.deps.secrets.get(key);
      let found: Awaited<ReturnType<KubeClusterSession['probe']>> | undefined;
      if (text) {
        found = await this.probe(mod, text).catch(() => undefined);
      }
      if (!found) {
        // No kubeconfig yet, or the stored one no longer works (cluster rebuilt): fetch a fresh one.
        text = await this.fetchKubeconfig(signal);
        await this.deps.secrets.store(key, text);
        found = await this.probe(mod, text);
      }
      if (signal?.aborted) throw new Error('Cancelled.');
      this.kc = found.kc;
      this.server = found.server;
      this.version = found.version;
      this.deps.log(`Connected to ${found.server} (Kubernetes ${found.version})`);
      await this.startNodeWatch(mod);
      this.setState('connected');
    } catch (error) {
      this.stopWatches();
      this.setState('disconnected', messageOf(error));
      throw error;
    }
  }

  private startNodeWatch(mod: K8s): Promise<void> {
    return new Promise((resolve) => {
      let first = true;
      const watch = new ListWatch(
        () => this.requireKc(),
        mod,
        '/api/v1/nodes',
        {},
        async () => (await this.core().listNode()) as unknown as ListReply,
        (obj) => String((obj.metadata as { name?: string } | undefined)?.name ?? ''),
        (change) => {
          if (first && watch.listed) {
            first = false;
            resolve();
          }
          this.nodesEmitter.fire(
            change
              ? [...(change.changed ?? []), ...(change.added ?? []), ...(change.removed ?? [])]
              : undefined,
          );
        },
        (ok, error) => {
          if (ok) {
            if (this.stateValue === 'unreachable') this.setState('connected');
          } else {
            if (this.stateValue === 'connected') this.setState('unreachable', error);
            else if (this.stateValue === 'unreachable') this.setState('unreachable', error);
            if (first) {
              first = false;
              resolve();
            }
            void this.failover();
          }
        },
      );
      this.nodeWatch = watch;
      watch.start();
    });
  }

  /** After an outage: move to another node's API server if the current one stays silent. */
  private async failover(): Promise<void> {
    const mod = this.mod;
    const text = await this.deps.secrets.get(kubeconfigSecretKey(this.getModel()));
    if (!mod || !text || this.stateValue === 'disconnected') return;
    try {
      const found = await this.probe(mod, text);
      if (found.server !== this.server && this.kc) {
        this.deps.log(`API failover: ${this.server ?? '?'} → ${found.server}`);
        this.kc = found.kc;
        this.server = found.server;
        this.stateEmitter.fire();
      }
    } catch {
      // The retrier keeps trying.
    }
  }

  private requireKc(): k8s.KubeConfig {
    if (!this.kc) throw new Error('Not connected: use Connect first.');
    return this.kc;
  }

  private requireMod(): K8s {
    if (!this.mod) throw new Error('Not connected: use Connect first.');
    return this.mod;
  }

  private core(): k8s.CoreV1Api {
    return this.requireKc().makeApiClient(this.requireMod().CoreV1Api);
  }

  retry(): void {
    this.nodeWatch?.retryNow();
    for (const w of this.podWatches) w.retryNow();
  }

  watchPods(nodeName: string): PodWatch {
    const changes = new Emitter<{ changed?: string[]; added?: string[]; removed?: string[] } | undefined>();
    const watch = new ListWatch(
      () => this.requireKc(),
      this.requireMod(),
      '/api/v1/pods',
      { fieldSelector: `spec.nodeName=${nodeName}` },
      async (query) => (await this.core().listPodForAllNamespaces(query)) as unknown as ListReply,
      (obj) => {
        const meta = obj.metadata as { namespace?: string; name?: string } | undefined;
        return `${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
      },
      (change) => changes.fire(change),
      () => undefined,
    );
    this.podWatches.add(watch);
    watch.start();
    return {
      pods: () => (watch.listed ? [...watch.items.values()].map(podFromKube) : undefined),
      get error() {
        return watch.error;
      },
      onDidChange: changes.event,
      raw: (namespace, name) => watch.items.get(`${namespace}/${name}`),
      retry: () => watch.retryNow(),
      dispose: () => {
        watch.stop();
        changes.dispose();
        this.podWatches.delete(watch);
      },
    };
  }

  async listPods(nodeName?: string): Promise<ApiPod[]> {
    const list = await this.core().listPodForAllNamespaces(
      nodeName ? { fieldSelector: `spec.nodeName=${nodeName}` } : {},
    );
    return list.items.map(podFromKube);
  }

  async readPod(namespace: string, name: string): Promise<object> {
    return JSON.parse(JSON.stringify(await this.core().readNamespacedPod({ namespace, name }))) as object;
  }

  async readNode(name: string): Promise<object> {
    return JSON.parse(JSON.stringify(await this.core().readNode({ name }))) as object;
  }

  async setCordoned(nodeName: string, cordoned: boolean): Promise<void> {
    const mod = this.requireMod();
    await this.core().patchNode(
      { name: nodeName, body: { spec: { unschedulable: cordoned } } },
      mod.setHeaderOptions('Content-Type', mod.PatchStrategy.MergePatch),
    );
    this.deps.log(`${cordoned ? 'Cordoned' : 'Uncordoned'} ${nodeName}`);
  }

  async drain(
    nodeName: string,
    options: { signal?: AbortSignal; onProgress?: (message: string) => void },
  ): Promise<void> {
    await this.setCordoned(nodeName, true);
    const pods = podsToEvict(await this.listPods(nodeName));
    const core = this.core();
    let done = 0;
    for (const pod of pods) {
      if (options.signal?.aborted)
        throw new Error(`Drain cancelled after ${done} of ${pods.length} pods; ${nodeName} stays cordoned.`);
      options.onProgress?.(`Evicting ${pod.namespace}/${pod.name} (${done + 1}/${pods.length})`);
      await core.createNamespacedPodEviction({
        namespace: pod.namespace,
        name: pod.name,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: pod.name, namespace: pod.namespace },
        },
      });
      this.deps.log(`Evicted ${pod.namespace}/${pod.name} from ${nodeName}`);
      done++;
    }
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.core().deleteNamespacedPod({ namespace, name });
    this.deps.log(`Deleted pod ${namespace}/${name}`);
  }

  async followLogs(namespace: string, name: string, onLine: (line: string) => void): Promise<LogFollow> {
    const mod = this.requireMod();
    const { Writable } = await import('node:stream');
    let buffered = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, callback) {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) onLine(line);
        callback();
      },
    });
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const pod = await this.core().readNamespacedPod({ namespace, name });
    const container = pod.spec?.containers[0]?.name ?? '';
    const abort = await new mod.Log(this.requireKc()).log(
      namespace,
      name,
      container,
      sink,
      () => {
        if (buffered) onLine(buffered);
        finish();
      },
      { follow: true, tailLines: 200 },
    );
    return {
      done,
      stop: () => {
        abort.abort();
        finish();
      },
    };
  }

  async kubeconfig(): Promise<string> {
    const text = await this.deps.secrets.get(kubeconfigSecretKey(this.getModel()));
    if (!text) throw new Error('No kubeconfig yet: connect to the cluster first.');
    return text;
  }

  async openShell(node: NodeModel, size: { cols: number; rows: number }): Promise<ShellChannelLike> {
    const pool = await this.sshPool();
    const channel = await pool.openShell(remoteNodeOf(node), { ...size, term: 'xterm-256color' });
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

  private stopWatches(): void {
    this.nodeWatch?.stop();
    this.nodeWatch = undefined;
    for (const w of this.podWatches) w.stop();
    this.podWatches.clear();
  }

  async disconnect(): Promise<void> {
    this.stopWatches();
    this.kc = undefined;
    this.server = undefined;
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
