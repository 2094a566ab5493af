// One object per cluster: its identity, spec model and findings, the SSH pool (with the known-hosts store
// and the masker), the kubeconfig and the Kubernetes client, the live connection the tree shows, the
// operation lock and the run history. The tree, the wizards, the tree actions and the CLI are views over it;
// none of them builds its own connections. Pure (no vscode): the host passes a ClusterEnvironment.
import type { ClusterModel, Finding } from '../cluster-spec/types';
import type { KubeClient } from '../kube';
import {
  FileTranscriptSink,
  OperationsEngine,
  StepFailure,
  type Confirmation,
  type NodeRunner,
  type RunEvent,
  type Timeouts,
} from '../ops';
import { Masker } from '../remote/masker';
import { remoteNodeOf } from '../remote/node';
import type { KnownHostsOptions, RemotePrompts, SshAccess, SshPool } from '../remote';
import { ClusterActivity } from './activity';
import { ClusterArtifacts } from './artifacts';
import { ChecklistStore } from './checklists';
import { httpsProbe } from './https-probe';
import { ClusterLocalState, specSecretNames } from './local-state';
import { KubeClusterApi } from './cluster-api';
import { ClusterHostKeys } from './host-keys';
import { clusterIdentity, stateDirOf, type ClusterIdentity } from './identity';
import { ClusterKubeconfig } from './kubeconfig';
import { ClusterViews } from './live/cluster-views';
import { KubeLiveCluster, type LiveTuning } from './live/live-cluster';
import type { LiveCluster } from './live/types';
import { LockHeldError, OperationLock, type LockLease } from './lock';
import { SshFileTransfer } from './file-transfer';
import { LiveLoadBalancer } from './live-lb/live-load-balancer';
import { SshNodeRunner } from './node-runner';
import { ClusterSecrets, SUDO_PASSWORD_REF, type SecretBackend } from './secrets';
import * as path from 'node:path';

/** What the host (the editor or the CLI) provides to every cluster context. */
export interface ClusterEnvironment {
  secrets: SecretBackend;
  prompts: RemotePrompts;
  /** The product's own known_hosts (accepted keys go there) and the user's, read first (read-only; null: none). */
  knownHosts: KnownHostsOptions;
  /** Every line is masked before it gets here. */
  log(line: string): void;
  /** Who runs operations, for the lock's refusal message ("VS Code", "the gateway-cluster CLI"). */
  runner: string;
  homeDir?: string;
  /** SSH connections idle this long are closed (default 60 s). */
  sshIdleMs?: number;
  /** The API probe's timeout while looking for a node that answers (default 3 s). */
  probeTimeoutMs?: number;
  tuning?: LiveTuning;
  timeouts?: Partial<Timeouts>;
  /** Asks the operator during a run (force-removing a node, trusting a replaced VM's key); absent: refused. */
  confirm?: (question: Confirmation) => Promise<boolean>;
  /** PEM CA certificates trusted beyond the system's for HTTPS checks (the lab's CA in its tests). */
  trustedCaCerts?: readonly string[];
}

/** A spec document as the cluster context sees it. */
export interface ClusterSpec {
  /** The spec file, absolute. */
  specPath: string;
  documentIndex: number;
  model: ClusterModel;
  findings: readonly Finding[];
}

type RemoteLayer = typeof import('../remote');
type KubeLayer = typeof import('../kube');
/* eslint-disable @typescript-eslint/no-require-imports -- ssh2 and the Kubernetes client load on first use */
const remoteLayer = (): RemoteLayer => require('../remote') as RemoteLayer;
const kubeLayer = (): KubeLayer => require('../kube') as KubeLayer;
/* eslint-enable @typescript-eslint/no-require-imports */

export class ClusterContext {
  readonly identity: ClusterIdentity;
  readonly secrets: ClusterSecrets;
  readonly kubeconfig: ClusterKubeconfig;
  readonly live: LiveCluster;
  /** Events, services, releases, registration, storage, Describe, exec, port-forwards, workload actions. */
  readonly views: ClusterViews;
  readonly lock: OperationLock;
  /** What runs on the cluster's nodes now (the tree shows a node's operation and its step). */
  readonly activity = new ClusterActivity();
  private spec: ClusterSpec;
  private maskerValue: Masker | undefined;
  private pool: SshPool | undefined;
  private client: Promise<KubeClient> | undefined;
  private loadBalancerValue: LiveLoadBalancer | undefined;
  private checklistsValue: ChecklistStore | undefined;

  constructor(
    spec: ClusterSpec,
    private readonly env: ClusterEnvironment,
  ) {
    this.spec = spec;
    this.identity = clusterIdentity(spec.specPath, spec.model.name);
    this.secrets = new ClusterSecrets(env.secrets, this.identity, this.masker);
    this.kubeconfig = new ClusterKubeconfig(
      this.secrets,
      this.masker,
      () => this.fetchKubeconfig(),
      (text) => kubeLayer().kubeconfigSecrets(text),
    );
    this.lock = new OperationLock(
      path.join(stateDirOf(spec.specPath), 'locks', `${this.identity.id}.json`),
      spec.model.name,
      env.runner,
    );
    this.live = new KubeLiveCluster({
      model: () => this.model,
      ssh: () => this.ssh(),
      mask: (text) => this.masker.mask(text),
      kubeClient: (signal) => this.kubeClient({ fetch: true, signal }),
      kubeconfig: () => this.kubeconfig.read(),
      log: (line) => this.log(line),
      tuning: env.tuning,
    });
    this.views = new ClusterViews({
      client: () => this.kubeClient({ fetch: false }),
      mask: (text) => this.masker.mask(text),
      log: (line) => this.log(line),
    });
  }

  get model(): ClusterModel {
    return this.spec.model;
  }

  get specPath(): string {
    return this.spec.specPath;
  }

  get documentIndex(): number {
    return this.spec.documentIndex;
  }

  /** The load balancer's live state (topology load-balanced), polled only while a view watches it. */
  get loadBalancer(): LiveLoadBalancer {
    return (this.loadBalancerValue ??= new LiveLoadBalancer({
      model: () => this.model,
      ssh: () => this.ssh(),
      mask: (text) => this.masker.mask(text),
      log: (line) => this.log(line),
      refreshMs: this.env.tuning?.loadBalancerRefreshMs,
    }));
  }

  /** Errors in the spec: while there are any, no operation starts. */
  get errors(): Finding[] {
    return this.spec.findings.filter((f) => f.severity === 'error');
  }

  /** The spec changed (same file and cluster name): later runs and connections use the new model. */
  update(spec: ClusterSpec): void {
    this.spec = spec;
  }

  /** One masker for the SSH layer, the Kubernetes layer and every run of this cluster. */
  get masker(): Masker {
    return (this.maskerValue ??= new Masker());
  }

  log(line: string): void {
    this.env.log(this.masker.mask(line));
  }

  /** The cluster's SSH pool (host keys verified through the environment's prompts). */
  ssh(): SshPool {
    if (this.pool) return this.pool;
    const remote = remoteLayer();
    this.pool = new remote.SshPool(
      {
        knownHosts: new remote.KnownHostsStore(this.env.knownHosts),
        prompts: this.env.prompts,
        secrets: { get: (name) => this.sshSecret(name) },
        masker: this.masker,
        // Command output stays out of the log (runs show it masked; `microk8s config` prints keys).
        log: (line) => {
          if (!/\] (out|err): /.test(line)) this.env.log(line);
        },
        homeDir: this.env.homeDir,
      },
      { idleMs: this.env.sshIdleMs ?? 60_000 },
    );
    return this.pool;
  }

  /** The SSH layer's secrets: the spec's names, and the sudo password (its own entry, else the login one). */
  private async sshSecret(name: string): Promise<string | undefined> {
    if (name !== SUDO_PASSWORD_REF) return this.secrets.get(name);
    const own = await this.secrets.get(SUDO_PASSWORD_REF);
    if (own) return own;
    const login = this.model.ssh.passwordSecret;
    return login ? this.secrets.get(login) : undefined;
  }

  /** Reads every secret stored for the cluster once: reading registers it with the masker. */
  private async learnSecrets(): Promise<void> {
    // In memory only (the CLI), each value was registered as it was stored; asking again could prompt on the
    // terminal for one the run does not need (the sudo password).
    if (this.env.secrets.persistent === false) return;
    for (const name of specSecretNames(this.model)) await this.secrets.get(name);
    await this.secrets.getInternal('sudo-password');
  }

  /** `microk8s config` on node 1, then the others, over the pool. */
  private async fetchKubeconfig(signal?: AbortSignal): Promise<string> {
    const nodes = this.model.nodes.map((node) => remoteNodeOf(node));
    this.log(`Fetching the kubeconfig over SSH (${nodes.map((n) => n.name).join(', ')})`);
    const { kubeconfig, from } = await kubeLayer().fetchKubeconfig(this.ssh(), nodes, {
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

  /**
   * The cluster's API client, shared by the tree and the runs. With `fetch`, a missing or broken kubeconfig
   * is fetched over SSH (the tree's Connect); without, only the stored one is used (a run's own kubeconfig
   * step fetches it, with a transcript).
   */
  kubeClient(options: { fetch: boolean; signal?: AbortSignal }): Promise<KubeClient> {
    if (this.client) return this.client;
    const kube = kubeLayer();
    const connecting = kube.KubeClient.connect({
      endpoints: this.model.nodes.map((n) => ({ name: n.hostname, address: n.address })),
      kubeconfig: {
        read: () => this.kubeconfig.read(),
        store: (text) => this.kubeconfig.store(text),
        fetch: options.fetch ? () => this.fetchKubeconfig(options.signal) : undefined,
      },
      probeTimeoutMs: this.env.probeTimeoutMs ?? 3000,
      masker: this.masker,
      log: (line) => this.log(line),
    });
    this.client = connecting;
    connecting.catch(() => {
      if (this.client === connecting) this.client = undefined;
    });
    return connecting;
  }

  /** The guided flows' checkboxes: `.gateway-cluster/checklists/` beside the spec (one store: one write chain). */
  get checklists(): ChecklistStore {
    const file = path.join(stateDirOf(this.specPath), 'checklists', `${this.identity.id}.json`);
    if (this.checklistsValue?.file !== file) this.checklistsValue = new ChecklistStore(file);
    return this.checklistsValue;
  }

  /** Where this cluster's runs are recorded: `.gateway-cluster/runs/` beside the spec. */
  get runsDir(): string {
    return path.join(stateDirOf(this.specPath), 'runs');
  }

  /**
   * An engine for one run (or dry run): SSH through the pool, the API through the shared client.
   * `observe` sees every command as it really goes out (benches time them; the lab tests find join tokens).
   */
  engine(
    options: {
      onEvent?: (event: RunEvent) => void;
      record?: boolean;
      observe?: (runner: NodeRunner) => NodeRunner;
      /** Overrides the environment's confirmations for this engine (the CLI's answers, a test's). */
      confirm?: (question: Confirmation) => Promise<boolean>;
    } = {},
  ): OperationsEngine {
    // Each run's connections ask about an unknown host key once for the whole run (SshPool.forRun); the
    // engine's next run asks again.
    let run: SshAccess | undefined;
    const ssh = (): SshAccess => (run ??= this.ssh().forRun());
    const nodes = new SshNodeRunner(ssh);
    return new OperationsEngine({
      nodes: options.observe ? options.observe(nodes) : nodes,
      secrets: this.secrets,
      kubeconfig: {
        read: () => this.kubeconfig.read(),
        store: async (text) => {
          await this.kubeconfig.store(text);
          // A new kubeconfig (e.g. the cluster was rebuilt): the next use connects with it.
          this.client = undefined;
        },
      },
      api: {
        connect: async (signal) => {
          let client: KubeClient;
          try {
            client = await this.kubeClient({ fetch: false, signal });
          } catch (err) {
            throw new StepFailure(
              `No node of ${this.model.name} answers on the Kubernetes API with the stored kubeconfig: ${err instanceof Error ? err.message : String(err)}`,
              'Run "Join nodes" if the cluster is not built yet (its kubeconfig step fetches the kubeconfig); otherwise check that MicroK8s runs (microk8s status), then resume.',
            );
          }
          return new KubeClusterApi(client, signal, (line) => this.log(line));
        },
      },
      masker: this.masker,
      sink: options.record === false ? undefined : new FileTranscriptSink(this.runsDir, (m) => this.log(m)),
      onEvent: (event) => {
        if (event.type === 'runStarted') run = undefined;
        this.activity.observe(event);
        options.onEvent?.(event);
      },
      timeouts: this.env.timeouts,
      confirm: options.confirm ?? this.env.confirm,
      hostKeys: new ClusterHostKeys(ssh),
      files: new SshFileTransfer(ssh, () => this.specPath, this.env.homeDir),
      https: httpsProbe(this.env.trustedCaCerts),
      artifacts: new ClusterArtifacts(stateDirOf(this.specPath), ssh, this.masker, () => this.learnSecrets()),
      local: new ClusterLocalState(
        () => this.model,
        this.secrets,
        () => this.ssh().deps.knownHosts,
        this.env.secrets.persistent !== false,
        this.live,
      ),
    });
  }

  /** Runs `work` holding the cluster's operation lock; refuses (LockHeldError) while another holds it. */
  async withLock<T>(operation: string, work: (lease: LockLease) => Promise<T>): Promise<T> {
    const lease = await this.lock.acquire(operation);
    try {
      return await work(lease);
    } finally {
      await lease.release();
    }
  }

  async dispose(): Promise<void> {
    this.loadBalancerValue?.dispose();
    await this.views.dispose();
    await this.live.dispose();
    await this.pool?.dispose();
    this.pool = undefined;
  }
}

export { LockHeldError };
