// A scripted in-memory cluster for the engine's unit tests: nodes that answer the documented commands the
// way MicroK8s and the lab do, and a Kubernetes API with a fake Gateway Manager controller.
import { joinArgv } from '../../../src/encode/shell';
import { CHECK_MARK, CLUSTER_TOKENS, CONTAINERD_ENV } from '../../../src/ops/node-commands';
import type { ClusterModel, NodeModel } from '../../../src/cluster-spec/types';
import { kubeconfigSecrets } from '../../../src/kube/kubeconfig';
import type { Masker } from '../../../src/remote/masker';
import type {
  ClusterApi,
  ClusterApiSource,
  KubeconfigStore,
  ConfigMapInfo,
  KubeNodeInfo,
  NodeCommand,
  NodeExecOptions,
  NodeExecResult,
  NodeRunner,
  PodInfo,
  SecretSource,
  Subscription,
} from '../../../src/ops/ports';

export const SECRETS = {
  password: 'Gm-p4ss w0rd$(reboot)',
  token: 'act-TOKEN-7f3c9a1e55',
  kubeKey: 'S3CRET-CLIENT-KEY-DATA==',
};

/** Splits a command line into words, undoing single quotes (all the quoting shellQuote produces). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!,
  );
}

export function labModel(nodes = 3): ClusterModel {
  const list: NodeModel[] = Array.from({ length: nodes }, (_, i) => ({
    index: i,
    hostname: `gw-${i + 1}`,
    address: `10.250.2.${11 + i}`,
    ssh: { user: 'gateway', port: 22 },
  }));
  return {
    apiVersion: 'gateway-cluster/v1',
    name: 'lab',
    topology: nodes >= 3 ? 'ha' : 'single-node',
    ssh: { user: 'gateway', port: 22 },
    nodes: list,
    network: {
      subnet: '10.250.2.0/24',
      floatingIp: '10.250.2.5',
      metallbRange: '10.250.2.5/32',
      nameservers: [],
      ntpServers: [],
      podCidr: '10.1.0.0/16',
      serviceCidr: '10.152.183.0/24',
    },
    storage: nodes >= 3 ? { nfs: { server: '10.250.2.1', path: '/shared/gateway-cluster-1' } } : {},
    charts: {
      repository: 'oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
      version: '0.9.6',
    },
    gatewayManager: { passwordSecret: 'lab-manager-password', port: 5480 },
    registration: { managementProfile: 'Lab', activationTokenSecret: 'lab-activation-token' },
  };
}

interface FakeNode {
  spec: NodeModel;
  hostname: string;
  hosts: Map<string, string>;
  /** Names of node objects in the node's own (pre-join) view. */
  ownView: Set<string>;
  /** The text of containerd-env (MicroK8s ships a few settings of its own). */
  containerdEnv: string;
}

export interface ExecRecord {
  node: string;
  command: string;
  stdin?: string;
  sudo: boolean;
}

type Fault =
  | { kind: 'exit'; node: string; prefix: string; code: number; stderr: string; times: number }
  | { kind: 'hang' | 'hangAfterEffect'; node: string; prefix: string }
  | { kind: 'unreachable'; node: string; cause?: string };

export class FakeCluster implements NodeRunner, SecretSource {
  readonly nodes = new Map<string, FakeNode>();
  readonly execs: ExecRecord[] = [];
  readonly stored = new Map<string, string>();
  readonly members = new Set<string>();
  readonly addons = new Set<string>();
  metallbRange: string | undefined;
  readonly releases = new Map<string, { chart: string; status: string; stdin?: string }>();
  readonly pods = new Map<string, PodInfo[]>();
  serviceIps: string[] | undefined;
  readonly secrets = new Map<string, Record<string, string>>();
  readonly configMaps = new Map<string, ConfigMapInfo>();
  /** Members the API lists NotReady (joined, kubelet not up yet). */
  readonly notReady = new Set<string>();
  readonly invalidTokens = new Set<string>(['invalid-token-0000']);
  private rv = 1;
  /** Join tokens add-node created that no join has used (MicroK8s's cluster-tokens.txt). */
  readonly pendingTokens = new Set<string>();
  /** Every token add-node was given, in order. */
  readonly addedTokens: string[] = [];
  private faults: Fault[] = [];
  private listeners = new Set<() => void>();
  /** Milliseconds each command takes (0: answer on the next tick). */
  latencyMs = 0;

  constructor(
    readonly model: ClusterModel,
    state: 'fresh' | 'joined' = 'fresh',
  ) {
    const node1 = model.nodes[0]!;
    for (const spec of model.nodes) {
      const fresh = state === 'fresh';
      this.nodes.set(spec.hostname, {
        spec,
        hostname: fresh ? 'gateway-node' : spec.hostname,
        hosts: new Map(fresh ? [] : model.nodes.map((n) => [n.hostname, n.address])),
        ownView: new Set([fresh ? 'gateway-node' : spec.hostname]),
        containerdEnv: '# MicroK8s containerd settings\nSNAPSHOTTER=overlayfs\n',
      });
      if (!fresh || spec === node1) this.members.add(spec.hostname);
    }
    this.stored.set(model.gatewayManager.passwordSecret, SECRETS.password);
    this.stored.set(model.registration!.activationTokenSecret!, SECRETS.token);
  }

  // ---- SecretSource ----
  async get(key: string) {
    return this.stored.get(key);
  }
  async store(key: string, value: string) {
    this.stored.set(key, value);
  }

  // ---- faults ----
  failNext(node: string, prefix: string, code: number, stderr: string, times = 1) {
    this.faults.push({ kind: 'exit', node, prefix, code, stderr, times });
  }
  hang(node: string, prefix: string) {
    this.faults.push({ kind: 'hang', node, prefix });
  }
  /** The command takes effect on the node, then its answer never comes (a cancel lands after the work). */
  hangAfterEffect(node: string, prefix: string) {
    this.faults.push({ kind: 'hangAfterEffect', node, prefix });
  }
  /** Every command on the node fails before it runs; `cause` is the SSH layer's kind (e.g. hostKeyRefused). */
  unreachable(node: string, cause?: string) {
    this.faults.push({ kind: 'unreachable', node, cause });
  }
  clearFaults() {
    this.faults = [];
  }

  private changed() {
    for (const l of [...this.listeners]) l();
  }

  commandsOn(node: string): string[] {
    return this.execs.filter((e) => e.node === node).map((e) => e.command);
  }

  // ---- NodeRunner ----
  async exec(spec: NodeModel, command: NodeCommand, options: NodeExecOptions): Promise<NodeExecResult> {
    const display = 'argv' in command ? joinArgv(command.argv) : command.script;
    this.execs.push({
      node: spec.hostname,
      command: display,
      stdin: options.stdin,
      sudo: Boolean(options.sudo),
    });
    if (options.signal.aborted) throw new Error('cancelled before start');
    for (const f of this.faults) {
      if (f.node !== spec.hostname) continue;
      if (f.kind === 'unreachable')
        throw Object.assign(new Error(`Cannot connect to node ${spec.hostname}: connect ECONNREFUSED`), {
          kind: f.cause,
        });
      if (!display.startsWith(f.prefix)) continue;
      if (f.kind === 'hang' || f.kind === 'hangAfterEffect') {
        if (f.kind === 'hangAfterEffect') await this.perform(spec, command, options, display);
        await new Promise<void>((_, reject) =>
          options.signal.addEventListener('abort', () => reject(new Error('Cancelled: ' + display)), {
            once: true,
          }),
        );
      }
      if (f.kind === 'exit' && f.times > 0) {
        f.times--;
        return { code: f.code, stdout: '', stderr: f.stderr };
      }
    }
    return this.perform(spec, command, options, display);
  }

  private async perform(
    spec: NodeModel,
    command: NodeCommand,
    options: NodeExecOptions,
    display: string,
  ): Promise<NodeExecResult> {
    await new Promise((r) => (this.latencyMs ? setTimeout(r, this.latencyMs) : setImmediate(r)));
    const node = this.nodes.get(spec.hostname)!;
    const out = (stdout: string, code = 0, stderr = ''): NodeExecResult => {
      for (const line of stdout.split('\n')) if (line) options.onLine?.(line, 'stdout');
      for (const line of stderr.split('\n')) if (line) options.onLine?.(line, 'stderr');
      return { code, stdout, stderr };
    };
    const argv = 'argv' in command ? command.argv : [];
    const words = argv.join(' ');
    if ('script' in command && command.script.includes(CHECK_MARK)) {
      // The batched preflight facts: answer each check as its own command would, between the markers.
      let text = '';
      for (const line of command.script.split('\n')) {
        const m = /^echo '@@gc-check (\w+)'; (.*) 2>&1; echo/.exec(line);
        if (!m) continue;
        const r = await this.exec(spec, { argv: shellWords(m[2]!) }, { ...options, onLine: undefined });
        text += `${CHECK_MARK} ${m[1]}\n${r.stdout}${r.stderr}${CHECK_MARK} ${m[1]} exit ${r.code}\n`;
      }
      return out(text);
    }
    const pingAll = 'script' in command ? /^for t in (.*); do \(ping/.exec(command.script) : null;
    if (pingAll) {
      let text = '';
      for (const target of shellWords(pingAll[1]!)) {
        const r = await this.exec(
          spec,
          { argv: ['ping', '-c', '1', '-W', '2', target] },
          { ...options, onLine: undefined },
        );
        text += `${r.code === 0 ? 'reachable' : 'unreachable'} ${target}\n`;
      }
      return out(text);
    }
    if (
      'script' in command &&
      command.script.startsWith('IFS= read -r t') &&
      command.script.includes(CLUSTER_TOKENS)
    ) {
      // revokeJoinToken: the token comes on stdin.
      this.pendingTokens.delete((options.stdin ?? '').split('\n')[0]!);
      return out('');
    }
    if ('script' in command && command.script === 'cat > /etc/hosts') {
      node.hosts.clear();
      for (const line of (options.stdin ?? '').split('\n')) {
        const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
        for (const name of names) if (address && !node.hosts.has(name)) node.hosts.set(name, address);
      }
      return out('');
    }
    if ('script' in command && command.script === `cat > ${CONTAINERD_ENV}`) {
      node.containerdEnv = options.stdin ?? '';
      return out('');
    }
    if ('script' in command) return this.script(command.script, options, out);
    switch (true) {
      case words === 'hostname':
        return out(node.hostname + '\n');
      case words === 'ip -o -4 addr show':
        return out(
          `1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet ${spec.address}/24 brd 10.250.2.255 scope global eth0\n`,
        );
      case words === 'nproc':
        return out('4\n');
      case words === 'grep MemTotal /proc/meminfo':
        return out('MemTotal:        8141000 kB\n');
      case words === 'df -Pk /':
        return out(
          'Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sda1         41943040 1000000  40000000       3% /\n',
        );
      case words === 'microk8s status':
        return out(this.status());
      case words.startsWith('microk8s status --wait-ready'):
        return out(this.status());
      case argv[0] === 'getent': {
        const lines: string[] = [];
        let missing = false;
        for (const name of argv.slice(2)) {
          const a = node.hosts.get(name);
          if (a) lines.push(`${a}       ${name}`);
          else missing = true;
        }
        return out(lines.join('\n') + (lines.length ? '\n' : ''), missing ? 2 : 0);
      }
      case argv[0] === 'ping': {
        const target = argv[argv.length - 1]!;
        const ok = /^\d/.test(target) || node.hosts.has(target);
        return ok
          ? out(`1 packets transmitted, 1 received\n`)
          : out('', 2, `ping: ${target}: Name or service not known\n`);
      }
      case argv[0] === 'timedatectl':
        return out('yes\n');
      case words === 'sudo -n true':
        return out('');
      case words.startsWith('hostnamectl set-hostname'):
        node.hostname = argv[2]!;
        return out('');
      case words === 'cat /etc/hosts':
        return out(
          ['127.0.0.1 localhost', ...[...node.hosts].map(([name, address]) => `${address} ${name}`)].join(
            '\n',
          ) + '\n',
        );
      case words === 'microk8s stop':
        return out('Stopped.\n');
      case words === 'microk8s start':
        node.ownView.add(node.hostname);
        return out('Started.\n');
      case words === 'microk8s kubectl get nodes': {
        const names =
          this.members.has(spec.hostname) && this.members.size > 1 ? [...this.members] : [...node.ownView];
        return out(
          ['NAME STATUS ROLES AGE VERSION', ...names.map((n) => `${n} Ready <none> 1d v1.28.3`)].join('\n') +
            '\n',
        );
      }
      case words.startsWith('microk8s kubectl delete node'):
        node.ownView.delete(argv[4]!);
        return out(`node "${argv[4]}" deleted\n`);
      case words === 'microk8s config':
        return out(this.kubeconfigText());
      case words.startsWith('microk8s add-node'): {
        const token = argv[3]!;
        if (token.length !== 32) return out('', 1, 'Invalid token size.  It must be 32 characters long.\n');
        this.pendingTokens.add(token);
        this.addedTokens.push(token);
        const urls = [
          `${spec.address}:25000/${token}/abcdef012345`,
          `172.17.0.1:25000/${token}/abcdef012345`,
        ];
        return out(JSON.stringify({ token: `${token}/abcdef012345`, urls }) + '\n');
      }
      case argv[0] === 'microk8s' && argv[1] === 'join': {
        const token = argv[2]!.split('/')[1]!;
        if (!this.pendingTokens.delete(token)) return out('', 6, 'Connection failed. Invalid token (500).\n');
        this.members.add(spec.hostname);
        this.changed();
        return out('Contacting cluster at 10.250.2.11\nSuccessfully joined the cluster.\n');
      }
      case words === 'microk8s enable dns':
        this.addons.add('dns');
        return out('DNS is enabled\n', 0, 'Infer repository core for addon dns\n');
      case argv[0] === 'microk8s' && argv[1] === 'enable' && argv[2]!.startsWith('metallb:'):
        this.addons.add('metallb');
        this.metallbRange = argv[2]!.slice('metallb:'.length);
        return out('MetalLB is enabled\n');
      case words === 'microk8s helm3 list --namespace default --output json':
        return out(
          JSON.stringify(
            [...this.releases].map(([name, r]) => ({
              name,
              namespace: 'default',
              chart: r.chart,
              status: r.status,
            })),
          ) + '\n',
        );
      case words === 'cat /var/snap/microk8s/current/args/containerd-env':
        return out(node.containerdEnv);
    }
    return out('', 127, `sh: ${display}: not found\n`);
  }

  private script(
    script: string,
    options: NodeExecOptions,
    out: (s: string, c?: number, e?: string) => NodeExecResult,
  ) {
    const m = /upgrade --install (\S+)/.exec(script);
    const v = /--version (\S+)/.exec(script);
    if (m && v) {
      const release = m[1]!;
      this.releases.set(release, { chart: `${release}-${v[1]}`, status: 'deployed', stdin: options.stdin });
      this.pods.set(release, [{ name: `${release}-0`, phase: 'Running', ready: false }]);
      setTimeout(() => {
        this.pods.set(release, [{ name: `${release}-0`, phase: 'Running', ready: true }]);
        if (release === 'gateway-manager') this.serviceIps = [this.model.network.floatingIp];
        this.changed();
      }, 5);
      return out(`Release "${release}" has been upgraded. Happy Helming!\n`);
    }
    return out('', 127, 'unknown script\n');
  }

  private status(): string {
    const enabled = [...this.addons].map((a) => `    ${a}   # (core) addon`);
    return [
      'microk8s is running',
      `high-availability: ${this.members.size >= 3 ? 'yes' : 'no'}`,
      '  datastore master nodes: 10.250.2.11:19001',
      '  datastore standby nodes: none',
      'addons:',
      '  enabled:',
      ...enabled,
      '  disabled:',
      '    hostpath-storage   # (core) Storage class',
      '',
    ].join('\n');
  }

  // ---- ClusterApi ----
  api(): ClusterApi {
    const watch = <T>(read: () => T, onChange: (v: T) => void): Subscription => {
      let stopped = false;
      const fire = () => {
        if (!stopped) onChange(read());
      };
      this.listeners.add(fire);
      setImmediate(fire);
      return {
        stop: () => {
          stopped = true;
          this.listeners.delete(fire);
        },
      };
    };
    const nodes = (): KubeNodeInfo[] =>
      [...this.members].map((name) => ({
        name,
        ready: !this.notReady.has(name),
        addresses: [this.nodes.get(name)!.spec.address],
      }));
    return {
      listNodes: async () => nodes(),
      watchNodes: (onChange) => watch(nodes, onChange),
      deleteNode: async (name) => void this.members.delete(name),
      readSecret: async (_ns, name) => this.secrets.get(name),
      applySecret: async (_ns, name, data) => {
        this.secrets.set(name, data);
        if (name === 'gateway-registration') this.controller(data.activationToken ?? '');
      },
      deleteSecret: async (_ns, name) => {
        const had = this.secrets.delete(name);
        if (name === 'gateway-registration') setTimeout(() => this.setStatus({ state: 'disconnected' }), 2);
        return had;
      },
      readConfigMap: async (_ns, name) => this.configMaps.get(name),
      applyConfigMap: async (_ns, name, data) => {
        this.configMaps.set(name, { data: { ...data }, resourceVersion: String(++this.rv) });
        this.changed();
      },
      watchConfigMap: (_ns, name, onChange) => watch(() => this.configMaps.get(name), onChange),
      podsOfRelease: async (_ns, release) => this.pods.get(release) ?? [],
      watchPodsOfRelease: (_ns, release, onChange) => watch(() => this.pods.get(release) ?? [], onChange),
      watchPods: (_ns, _selector, onChange) => watch(() => [...this.pods.values()].flat(), onChange),
      drainNode: async () => ({ evicted: [] }),
      uncordonNode: async () => undefined,
      serviceLoadBalancerIps: async () => this.serviceIps,
      watchService: (_ns, _name, onChange) => watch(() => this.serviceIps, onChange),
      metallbAddressRanges: async () => (this.metallbRange ? [this.metallbRange] : undefined),
      setMetallbAddressRanges: async (ranges) => {
        this.metallbRange = ranges.join(',');
      },
      deleteConfigMap: async (_ns, name) => this.configMaps.delete(name),
      listWorkloads: async () => [],
      listClaims: async () => [],
      listPods: async () => [...this.pods.values()].flat(),
      getRaw: async () => ({ items: [] }),
      podLog: async (_ns, name) => `log of ${name}\n`,
      close: () => undefined,
    };
  }

  /** The cluster's kubeconfig as the editor's secret storage holds it (set by the kubeconfig step). */
  kubeconfig: string | undefined;

  /** The kubeconfig `microk8s config` prints on node 1. */
  kubeconfigText(): string {
    return `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: Q0E=\n    server: https://${this.model.nodes[0]!.address}:16443\n  name: microk8s-cluster\nusers:\n- name: admin\n  user:\n    client-certificate-data: Q0VSVA==\n    client-key-data: ${SECRETS.kubeKey}\n`;
  }

  /** The cluster context's kubeconfig store: its credentials are masked as soon as it is read or stored. */
  kubeconfigStore(masker: Masker): KubeconfigStore {
    const register = (text: string) => kubeconfigSecrets(text).forEach((s) => masker.register(s));
    return {
      read: async () => {
        if (this.kubeconfig) register(this.kubeconfig);
        return this.kubeconfig;
      },
      store: async (text) => {
        register(text);
        this.kubeconfig = text;
      },
    };
  }

  /** The API as the context connects it: with the stored kubeconfig, or not at all. */
  apiSource(): ClusterApiSource & { connects: number } {
    const source = {
      connects: 0,
      connect: async () => {
        source.connects++;
        if (!this.kubeconfig?.includes(SECRETS.kubeKey))
          throw new Error('There is no kubeconfig for lab yet.');
        return this.api();
      },
    };
    return source;
  }

  private setStatus(data: Record<string, string>) {
    this.configMaps.set('gateway-registration-status', { data, resourceVersion: String(++this.rv) });
    this.changed();
  }

  private controller(token: string) {
    const steps: Array<Record<string, string>> = this.invalidTokens.has(token)
      ? [
          { state: 'pending' },
          { state: 'connecting' },
          { state: 'failed', message: 'activation token is not valid or expired.' },
        ]
      : [{ state: 'pending' }, { state: 'connecting' }, { state: 'connected', message: 'profile Lab' }];
    steps.forEach((data, i) => setTimeout(() => this.setStatus(data), 2 * (i + 1)));
  }
}
