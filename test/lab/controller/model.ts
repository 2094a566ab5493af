// The lab's cluster model: lab nodes (the "VMs"), the MicroK8s clusters they form, and the Kubernetes
// objects (nodes, pods) those clusters hold, with tiny controllers (ReplicaSet, DaemonSet, node lifecycle).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LabSnapshot } from '../api';
import type { ControllerConfig } from './config';
import { gatewayManagerReact, registrationSnapshot } from './gateway-manager';
import { reconcileLoadBalancers, serviceIp } from './metallb';

export type Json = Record<string, unknown>;
/** Namespaced objects the fake API stores as plain JSON (no controller of their own beyond the lab's). */
export type StoredKind = 'secrets' | 'configmaps' | 'services';
export type ResourceKind = 'nodes' | 'pods' | StoredKind;
export const STORED_KINDS: readonly StoredKind[] = ['secrets', 'configmaps', 'services'];
export const KIND_NAMES: Record<ResourceKind, string> = {
  nodes: 'Node',
  pods: 'Pod',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  services: 'Service',
};

export interface WatchEvent {
  rv: number;
  kind: ResourceKind;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Json;
}

export interface Watcher {
  kind: ResourceKind;
  matches(object: Json): boolean;
  send(event: { type: string; object: Json }): void;
  close(): void;
}

export interface LabNodeRuntime {
  index: number;
  address: string;
  hostname: string;
  running: boolean;
  linkUp: boolean;
  hang: string | null;
  clusterId: string;
  worker: boolean;
  /** The name its kubelet registered with (changes only on a restart after a hostname change). */
  k8sName: string;
}

export interface K8sNode {
  name: string;
  uid: string;
  labIndex: number | null;
  ready: boolean;
  unschedulable: boolean;
  worker: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  created: string;
  rv: number;
  address: string;
}

export interface Workload {
  kind: 'DaemonSet' | 'ReplicaSet';
  namespace: string;
  /** Owner object name (the ReplicaSet's name carries the Deployment's hash). */
  name: string;
  uid: string;
  replicas: number;
  app: string;
  containers: Array<{ name: string; image: string }>;
  source: string;
  /** Extra pod labels (a helm release's `app.kubernetes.io/instance`, …). */
  labels?: Record<string, string>;
  /** Time between Running and Ready for new pods (helm releases), so "wait until Ready" is observable. */
  readyDelayMs?: number;
}

export interface PodRecord {
  object: Json;
  workload: Workload;
  nodeName: string;
  terminating: boolean;
  timers: NodeJS.Timeout[];
  /** Running but not Ready yet (its readiness delay has not passed). */
  warming?: boolean;
}

export interface Release {
  name: string;
  namespace: string;
  chart: string;
  version: string;
  revision: number;
  updated: string;
  /** `--set` pairs of the last install/upgrade (never secrets: those come on stdin). */
  values: Record<string, string>;
  /** Whether the last install/upgrade received a values file with a password on stdin (never the value). */
  passwordGiven: boolean;
}

export interface Cluster {
  id: string;
  k8sNodes: Map<string, K8sNode>;
  pods: Map<string, PodRecord>;
  workloads: Workload[];
  addons: Set<string>;
  metallbRange: string | null;
  releases: Release[];
  tokens: Map<string, { expiresAt: number | null; singleUse: boolean }>;
  history: WatchEvent[];
  watchers: Set<Watcher>;
  created: string;
  /** Secrets, ConfigMaps and Services by `namespace/name`. */
  objects: Record<StoredKind, Map<string, Json>>;
  /** Timers of the cluster's small controllers (metallb, the Gateway Manager), cleared with the cluster. */
  timers: Set<NodeJS.Timeout>;
}

const HISTORY_LIMIT = 5000;
export const KUBELET_VERSION = 'v1.32.3';

const rand = (n: number, alphabet = 'bcdfghjklmnpqrstvwxz2456789'): string =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');

export class LabModel {
  rv = 1000;
  nodes: LabNodeRuntime[] = [];
  clusters = new Map<string, Cluster>();
  private nodeTimers = new Map<number, NodeJS.Timeout[]>();
  onChange: () => void = () => undefined;
  /** Called when `microk8s stop` stops a node (the API server's connections drop, as kubelite's would). */
  onMicrok8sStopped: (index: number) => void = () => undefined;
  /** Tokens the fake Gateway Manager refuses (besides those starting with `invalidTokenPrefix`). */
  invalidTokens: Set<string>;
  /** While true the fake Gateway Manager does not answer registrations (a timeout can be tested). */
  registrationStalled = false;
  private readonly caPem: string;

  constructor(readonly config: ControllerConfig) {
    this.invalidTokens = new Set(config.invalidTokens ?? []);
    let ca = '';
    try {
      ca = readFileSync(config.caCertPath, 'utf8');
    } catch {
      // a model without the lab's files (unit use): the ConfigMap kube-root-ca.crt stays empty
    }
    this.caPem = ca;
  }

  /** Rebuilds everything for a state; keeps nothing from before. */
  reset(state: ControllerConfig['state']): void {
    for (const cluster of [...this.clusters.values()]) this.dropCluster(cluster);
    this.clusters.clear();
    this.registrationStalled = false;
    this.invalidTokens = new Set(this.config.invalidTokens ?? []);
    for (const timers of this.nodeTimers.values()) timers.forEach(clearTimeout);
    this.nodeTimers.clear();
    const joined = state !== 'fresh';
    this.nodes = this.config.nodes.map((n) => ({
      index: n.index,
      address: n.address,
      hostname: joined ? n.specHostname : this.config.freshHostname,
      running: true,
      linkUp: this.nodes.find((old) => old.index === n.index)?.linkUp ?? true,
      hang: null,
      clusterId: '',
      worker: false,
      k8sName: joined ? n.specHostname : this.config.freshHostname,
    }));
    if (!joined) {
      for (const node of this.nodes) this.newSingleNodeCluster(node);
    } else {
      const cluster = this.newCluster();
      for (const node of this.nodes) {
        node.clusterId = cluster.id;
        this.registerK8sNode(cluster, node);
      }
      this.addSystemWorkloads(cluster);
      this.enableAddon(cluster, 'dns');
      this.enableAddon(cluster, 'hostpath-storage');
      cluster.metallbRange = `${this.config.floatingIp}/32`;
      this.enableAddon(cluster, 'metallb');
      const samples = this.config.podsPerNode * this.nodes.length;
      this.addWorkload(
        cluster,
        'ReplicaSet',
        'default',
        'sample-web',
        Math.ceil(samples / 2),
        'nginx:1.27',
        'samples',
      );
      this.addWorkload(
        cluster,
        'ReplicaSet',
        'default',
        'sample-worker',
        Math.floor(samples / 2),
        'busybox:1.36',
        'samples',
      );
      if (state === 'deployed') {
        const ha = this.nodes.length >= 3;
        this.installRelease(
          cluster,
          'gateway-persistent-storage',
          'default',
          'gateway-persistent-storage',
          this.config.chartsVersion,
          {
            values: ha ? { 'nfs.server': `${this.config.prefix}.1`, 'nfs.path': '/srv/gateway-cluster' } : {},
            passwordGiven: false,
            settled: true,
          },
        );
        this.installRelease(
          cluster,
          'gateway-manager',
          'default',
          'gateway-manager',
          this.config.chartsVersion,
          { values: {}, passwordGiven: true, settled: true },
        );
      }
    }
    // Pods of a fresh reset start Running at once: the lab comes up already settled.
    for (const cluster of this.clusters.values()) {
      this.reconcile(cluster, true);
      reconcileLoadBalancers(this, cluster, true);
    }
    this.onChange();
  }

  nextRv(): number {
    return ++this.rv;
  }

  node(index: number): LabNodeRuntime {
    const node = this.nodes.find((n) => n.index === index);
    if (!node) throw new Error(`no lab node ${index}`);
    return node;
  }

  clusterOf(index: number): Cluster {
    const cluster = this.clusters.get(this.node(index).clusterId);
    if (!cluster) throw new Error(`lab node ${index} has no cluster`);
    return cluster;
  }

  newCluster(): Cluster {
    const cluster: Cluster = {
      id: randomUUID(),
      k8sNodes: new Map(),
      pods: new Map(),
      workloads: [],
      addons: new Set(['ha-cluster', 'helm', 'helm3']),
      metallbRange: null,
      releases: [],
      tokens: new Map(),
      history: [],
      watchers: new Set(),
      created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      objects: { secrets: new Map(), configmaps: new Map(), services: new Map() },
      timers: new Set(),
    };
    this.clusters.set(cluster.id, cluster);
    // What every fresh API server holds: the root CA in each namespace, the `kubernetes` Service.
    for (const namespace of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.putObject(cluster, 'configmaps', {
        metadata: { name: 'kube-root-ca.crt', namespace },
        data: { 'ca.crt': this.caPem },
      });
    }
    this.putObject(cluster, 'services', {
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.152.183.1',
        clusterIPs: ['10.152.183.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 16443 }],
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
    return cluster;
  }

  // ---- stored objects (secrets, configmaps, services) ----

  getObject(cluster: Cluster, kind: StoredKind, namespace: string, name: string): Json | undefined {
    return cluster.objects[kind].get(`${namespace}/${name}`);
  }

  /**
   * Stores an object (ADDED or MODIFIED), giving it a uid, creationTimestamp and a new resourceVersion.
   * `fromApi` runs the lab's controllers that react to user writes (metallb, the Gateway Manager).
   */
  putObject(cluster: Cluster, kind: StoredKind, object: Json, fromApi = false): Json {
    const meta = (object.metadata ?? {}) as Json;
    object.metadata = meta;
    const key = `${String(meta.namespace)}/${String(meta.name)}`;
    const existing = cluster.objects[kind].get(key);
    const existingMeta = existing?.metadata as Json | undefined;
    meta.uid = existingMeta?.uid ?? meta.uid ?? randomUUID();
    meta.creationTimestamp =
      existingMeta?.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    cluster.objects[kind].set(key, object);
    this.emit(cluster, kind, existing ? 'MODIFIED' : 'ADDED', object);
    if (fromApi) this.objectChanged(cluster, kind, existing ? 'MODIFIED' : 'ADDED', object);
    return object;
  }

  removeObject(
    cluster: Cluster,
    kind: StoredKind,
    namespace: string,
    name: string,
    fromApi = false,
  ): Json | undefined {
    const key = `${namespace}/${name}`;
    const existing = cluster.objects[kind].get(key);
    if (!existing) return undefined;
    cluster.objects[kind].delete(key);
    this.emit(cluster, kind, 'DELETED', existing);
    if (fromApi) this.objectChanged(cluster, kind, 'DELETED', existing);
    return existing;
  }

  private objectChanged(cluster: Cluster, kind: StoredKind, type: WatchEvent['type'], object: Json): void {
    if (kind === 'services' && type !== 'DELETED') reconcileLoadBalancers(this, cluster, false);
    if (kind === 'secrets') {
      const meta = object.metadata as Json;
      gatewayManagerReact(this, cluster, {
        kind: 'secret',
        namespace: String(meta.namespace),
        name: String(meta.name),
        deleted: type === 'DELETED',
      });
    }
  }

  /** Runs `fn` later unless the cluster is dropped first. */
  clusterTimer(cluster: Cluster, ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      cluster.timers.delete(timer);
      if (!this.clusters.has(cluster.id)) return;
      try {
        fn();
      } catch (error) {
        // a controller's slip must not take the lab down
        process.emitWarning(String(error));
      }
    }, ms);
    cluster.timers.add(timer);
    return timer;
  }

  /** Namespaces that exist: the built-in ones and those the add-ons and releases create. */
  namespaces(cluster: Cluster): Set<string> {
    const names = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    if (cluster.addons.has('metallb')) names.add('metallb-system');
    for (const release of cluster.releases) names.add(release.namespace);
    for (const workload of cluster.workloads) names.add(workload.namespace);
    return names;
  }

  /** A node on its own, as a VM from the OVA arrives: MicroK8s installed, only the system pods. */
  newSingleNodeCluster(node: LabNodeRuntime): Cluster {
    const cluster = this.newCluster();
    node.clusterId = cluster.id;
    node.worker = false;
    node.k8sName = node.hostname;
    this.registerK8sNode(cluster, node);
    this.addSystemWorkloads(cluster);
    return cluster;
  }

  dropCluster(cluster: Cluster): void {
    for (const pod of cluster.pods.values()) pod.timers.forEach(clearTimeout);
    for (const timer of cluster.timers) clearTimeout(timer);
    cluster.timers.clear();
    for (const watcher of cluster.watchers) watcher.close();
    cluster.watchers.clear();
    this.clusters.delete(cluster.id);
  }

  private addSystemWorkloads(cluster: Cluster): void {
    this.addWorkload(
      cluster,
      'DaemonSet',
      'kube-system',
      'calico-node',
      0,
      'docker.io/calico/node:v3.28.1',
      'system',
    );
    this.addWorkload(
      cluster,
      'ReplicaSet',
      'kube-system',
      'calico-kube-controllers',
      1,
      'docker.io/calico/kube-controllers:v3.28.1',
      'system',
    );
  }

  addWorkload(
    cluster: Cluster,
    kind: Workload['kind'],
    namespace: string,
    app: string,
    replicas: number,
    image: string,
    source: string,
  ): Workload {
    const workload: Workload = {
      kind,
      namespace,
      name: kind === 'ReplicaSet' ? `${app}-${rand(9, '0123456789bcdf')}` : app,
      uid: randomUUID(),
      replicas,
      app,
      containers: [{ name: app.replace(/^sample-/, ''), image }],
      source,
    };
    cluster.workloads.push(workload);
    return workload;
  }

  removeWorkloads(cluster: Cluster, source: string): void {
    const gone = cluster.workloads.filter((w) => w.source === source);
    cluster.workloads = cluster.workloads.filter((w) => w.source !== source);
    for (const pod of [...cluster.pods.values()]) {
      if (gone.includes(pod.workload)) this.removePod(cluster, pod);
    }
  }

  enableAddon(cluster: Cluster, addon: string): void {
    cluster.addons.add(addon);
    if (addon === 'dns') {
      this.addWorkload(
        cluster,
        'ReplicaSet',
        'kube-system',
        'coredns',
        1,
        'coredns/coredns:1.10.1',
        'addon:dns',
      );
    } else if (addon === 'metallb') {
      this.addWorkload(
        cluster,
        'ReplicaSet',
        'metallb-system',
        'controller',
        1,
        'quay.io/metallb/controller:v0.14.8',
        'addon:metallb',
      );
      this.addWorkload(
        cluster,
        'DaemonSet',
        'metallb-system',
        'speaker',
        0,
        'quay.io/metallb/speaker:v0.14.8',
        'addon:metallb',
      );
      reconcileLoadBalancers(this, cluster, false);
    } else if (addon === 'hostpath-storage') {
      this.addWorkload(
        cluster,
        'ReplicaSet',
        'kube-system',
        'hostpath-provisioner',
        1,
        'cdkbot/hostpath-provisioner:1.5.0',
        'addon:hostpath-storage',
      );
    }
  }

  disableAddon(cluster: Cluster, addon: string): void {
    cluster.addons.delete(addon);
    if (addon === 'metallb') cluster.metallbRange = null;
    this.removeWorkloads(cluster, `addon:${addon}`);
    if (addon === 'metallb') reconcileLoadBalancers(this, cluster, false);
  }

  installRelease(
    cluster: Cluster,
    name: string,
    namespace: string,
    chart: string,
    version: string,
    options: { values: Record<string, string>; passwordGiven: boolean; settled?: boolean } = {
      values: {},
      passwordGiven: false,
    },
  ): Release {
    const existing = cluster.releases.find((r) => r.name === name && r.namespace === namespace);
    const updated = new Date().toISOString();
    let release: Release;
    if (existing) {
      existing.revision += 1;
      existing.version = version;
      existing.chart = chart;
      existing.updated = updated;
      existing.values = { ...options.values };
      existing.passwordGiven = options.passwordGiven;
      release = existing;
    } else {
      release = {
        name,
        namespace,
        chart,
        version,
        revision: 1,
        updated,
        values: { ...options.values },
        passwordGiven: options.passwordGiven,
      };
      cluster.releases.push(release);
      this.addReleaseWorkloads(cluster, release);
    }
    // An upgrade re-applies the chart's manifests: a deleted Service comes back.
    if (chart === 'gateway-manager') this.ensureManagerService(cluster, release, options.settled ?? false);
    this.reconcile(cluster, options.settled ?? false);
    if (chart === 'gateway-manager' && !existing)
      gatewayManagerReact(this, cluster, { kind: 'installed', namespace });
    return release;
  }

  private addReleaseWorkloads(cluster: Cluster, release: Release): void {
    const { name, namespace, chart, version } = release;
    const source = `release:${namespace}/${name}`;
    const add = (app: string, image: string): void => {
      const workload = this.addWorkload(cluster, 'ReplicaSet', namespace, app, 1, image, source);
      workload.labels = {
        'app.kubernetes.io/instance': name,
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `${chart}-${version}`,
      };
      workload.readyDelayMs = this.config.releaseReadyDelayMs ?? 1000;
    };
    if (chart === 'gateway-persistent-storage') {
      add(
        `${name}-nfs-subdir-external-provisioner`,
        'registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2',
      );
    } else if (chart === 'gateway-manager') {
      add('gateway-manager', `gateway-manager:${version}`);
      add('gateway-manager-redis', 'redis:7.2');
    } else {
      add(name, `${chart}:${version}`);
    }
  }

  /** The chart's Service: type LoadBalancer on port 5480, its address given by metallb. */
  private ensureManagerService(cluster: Cluster, release: Release, settled: boolean): void {
    if (this.getObject(cluster, 'services', release.namespace, 'gateway-manager')) return;
    const clusterIP = serviceIp(cluster);
    this.putObject(cluster, 'services', {
      metadata: {
        name: 'gateway-manager',
        namespace: release.namespace,
        labels: {
          'app.kubernetes.io/instance': release.name,
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/name': 'gateway-manager',
        },
        annotations: {
          'meta.helm.sh/release-name': release.name,
          'meta.helm.sh/release-namespace': release.namespace,
        },
      },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'gateway-manager' },
        ports: [{ name: 'https', port: 5480, protocol: 'TCP', targetPort: 5480, nodePort: 31480 }],
        clusterIP,
        clusterIPs: [clusterIP],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
        allocateLoadBalancerNodePorts: true,
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
      },
      status: { loadBalancer: {} },
    });
    reconcileLoadBalancers(this, cluster, settled);
  }

  uninstallRelease(cluster: Cluster, name: string, namespace: string): boolean {
    const release = cluster.releases.find((r) => r.name === name && r.namespace === namespace);
    if (!release) return false;
    cluster.releases = cluster.releases.filter((r) => r !== release);
    this.removeWorkloads(cluster, `release:${namespace}/${name}`);
    for (const service of [...cluster.objects.services.values()]) {
      const meta = service.metadata as Json;
      const annotations = (meta.annotations ?? {}) as Record<string, string>;
      if (
        annotations['meta.helm.sh/release-name'] === name &&
        annotations['meta.helm.sh/release-namespace'] === namespace
      )
        this.removeObject(cluster, 'services', namespace, String(meta.name));
    }
    if (release.chart === 'gateway-manager')
      gatewayManagerReact(this, cluster, { kind: 'uninstalled', namespace });
    return true;
  }

  // ---- Kubernetes nodes ----

  registerK8sNode(cluster: Cluster, node: LabNodeRuntime): K8sNode {
    const worker = node.worker;
    const k8sNode: K8sNode = {
      name: node.k8sName,
      uid: randomUUID(),
      labIndex: node.index,
      ready: node.running && node.linkUp,
      unschedulable: false,
      worker,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.k8sName,
        'kubernetes.io/os': 'linux',
        'microk8s.io/cluster': 'true',
        ...(worker
          ? { 'node.kubernetes.io/microk8s-worker': 'microk8s-worker' }
          : { 'node.kubernetes.io/microk8s-controlplane': 'microk8s-controlplane' }),
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      rv: 0,
      address: node.address,
    };
    cluster.k8sNodes.set(k8sNode.name, k8sNode);
    this.emit(cluster, 'nodes', 'ADDED', k8sNode);
    return k8sNode;
  }

  nodeJson(k8sNode: K8sNode): Json {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const ready = k8sNode.ready;
    const condition = (type: string, status: string, reason: string, message: string): Json => ({
      type,
      status,
      lastHeartbeatTime: now,
      lastTransitionTime: k8sNode.created,
      reason,
      message,
    });
    return {
      metadata: {
        name: k8sNode.name,
        uid: k8sNode.uid,
        resourceVersion: String(k8sNode.rv),
        creationTimestamp: k8sNode.created,
        labels: { ...k8sNode.labels },
        annotations: { ...k8sNode.annotations },
      },
      spec: {
        ...(k8sNode.unschedulable
          ? {
              unschedulable: true,
              taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: now }],
            }
          : {}),
        ...(!ready
          ? { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: now }] }
          : {}),
      },
      status: {
        capacity: { cpu: '4', memory: '8129304Ki', pods: '110', 'ephemeral-storage': '40973536Ki' },
        allocatable: { cpu: '4', memory: '8026904Ki', pods: '110', 'ephemeral-storage': '39924960Ki' },
        conditions: [
          condition(
            'MemoryPressure',
            ready ? 'False' : 'Unknown',
            ready ? 'KubeletHasSufficientMemory' : 'NodeStatusUnknown',
            ready ? 'kubelet has sufficient memory available' : 'Kubelet stopped posting node status.',
          ),
          condition(
            'DiskPressure',
            ready ? 'False' : 'Unknown',
            ready ? 'KubeletHasNoDiskPressure' : 'NodeStatusUnknown',
            ready ? 'kubelet has no disk pressure' : 'Kubelet stopped posting node status.',
          ),
          condition(
            'PIDPressure',
            ready ? 'False' : 'Unknown',
            ready ? 'KubeletHasSufficientPID' : 'NodeStatusUnknown',
            ready ? 'kubelet has sufficient PID available' : 'Kubelet stopped posting node status.',
          ),
          condition(
            'Ready',
            ready ? 'True' : 'Unknown',
            ready ? 'KubeletReady' : 'NodeStatusUnknown',
            ready ? 'kubelet is posting ready status' : 'Kubelet stopped posting node status.',
          ),
        ],
        addresses: [
          { type: 'InternalIP', address: k8sNode.address },
          { type: 'Hostname', address: k8sNode.name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: k8sNode.uid.replace(/-/g, ''),
          systemUUID: k8sNode.uid,
          bootID: k8sNode.uid,
          kernelVersion: '5.15.0-105-generic',
          osImage: 'Ubuntu 22.04.4 LTS',
          containerRuntimeVersion: 'containerd://1.6.28',
          kubeletVersion: KUBELET_VERSION,
          kubeProxyVersion: KUBELET_VERSION,
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    };
  }

  touchNode(cluster: Cluster, k8sNode: K8sNode): void {
    this.emit(cluster, 'nodes', 'MODIFIED', k8sNode);
  }

  deleteK8sNode(cluster: Cluster, name: string): boolean {
    const k8sNode = cluster.k8sNodes.get(name);
    if (!k8sNode) return false;
    cluster.k8sNodes.delete(name);
    this.emit(cluster, 'nodes', 'DELETED', k8sNode);
    for (const pod of [...cluster.pods.values()]) if (pod.nodeName === name) this.removePod(cluster, pod);
    this.reconcile(cluster);
    return true;
  }

  // ---- events ----

  emit(
    cluster: Cluster,
    kind: ResourceKind,
    type: WatchEvent['type'],
    target: K8sNode | PodRecord | Json,
  ): void {
    const rv = this.nextRv();
    let object: Json;
    if (kind === 'nodes') {
      const k8sNode = target as K8sNode;
      k8sNode.rv = rv;
      object = this.nodeJson(k8sNode);
    } else {
      const stored = kind === 'pods' ? (target as PodRecord).object : (target as Json);
      (stored.metadata as Json).resourceVersion = String(rv);
      object = structuredClone(stored);
    }
    const event: WatchEvent = { rv, kind, type, object };
    cluster.history.push(event);
    if (cluster.history.length > HISTORY_LIMIT)
      cluster.history.splice(0, cluster.history.length - HISTORY_LIMIT);
    for (const watcher of cluster.watchers) {
      if (watcher.kind === kind && watcher.matches(object))
        watcher.send({ type, object: withKind(kind, object) });
    }
    this.onChange();
  }

  // ---- pods ----

  private schedulable(cluster: Cluster): K8sNode[] {
    return [...cluster.k8sNodes.values()].filter((n) => n.ready && !n.unschedulable && n.labIndex !== null);
  }

  private createPod(cluster: Cluster, workload: Workload, nodeName: string, settled: boolean): PodRecord {
    const name = `${workload.name}-${rand(5)}`;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const k8sNode = cluster.k8sNodes.get(nodeName);
    const object: Json = {
      metadata: {
        name,
        generateName: `${workload.name}-`,
        namespace: workload.namespace,
        uid: randomUUID(),
        resourceVersion: '0',
        creationTimestamp: now,
        labels: { app: workload.app, 'app.kubernetes.io/name': workload.app, ...workload.labels },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: workload.kind,
            name: workload.name,
            uid: workload.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        nodeName: nodeName || undefined,
        containers: workload.containers.map((c) => ({ name: c.name, image: c.image })),
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
      },
      status: {
        phase: 'Pending',
        hostIP: k8sNode?.address,
        startTime: nodeName ? now : undefined,
        conditions: [{ type: 'PodScheduled', status: nodeName ? 'True' : 'False', lastTransitionTime: now }],
      },
    };
    const pod: PodRecord = { object, workload, nodeName, terminating: false, timers: [] };
    cluster.pods.set(`${workload.namespace}/${name}`, pod);
    if (nodeName && (settled || k8sNode?.ready)) {
      if (settled) this.setRunning(pod, k8sNode?.ready ?? false);
      else pod.warming = workload.readyDelayMs !== undefined && workload.readyDelayMs > 0;
      this.emit(cluster, 'pods', 'ADDED', pod);
      if (!settled) pod.timers.push(setTimeout(() => this.startPod(cluster, pod), 120));
    } else {
      this.emit(cluster, 'pods', 'ADDED', pod);
    }
    return pod;
  }

  private setRunning(pod: PodRecord, ready: boolean): void {
    const status = pod.object.status as Json;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const prior = (status.containerStatuses as Array<Json> | undefined) ?? [];
    status.phase = 'Running';
    status.podIP = status.podIP ?? `10.1.${randomBytes(1)[0]}.${((randomBytes(1)[0] ?? 1) % 250) + 2}`;
    status.conditions = [
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
    ];
    status.containerStatuses = pod.workload.containers.map((c, i) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
      ready,
      started: ready,
      restartCount: (prior[i]?.restartCount as number | undefined) ?? 0,
      state: { running: { startedAt: (status.startTime as string | undefined) ?? now } },
    }));
  }

  private startPod(cluster: Cluster, pod: PodRecord): void {
    if (!cluster.pods.has(podKey(pod)) || pod.terminating) return;
    const k8sNode = cluster.k8sNodes.get(pod.nodeName);
    if (!k8sNode?.ready) return;
    const delay = pod.workload.readyDelayMs ?? 0;
    pod.warming = delay > 0;
    this.setRunning(pod, !pod.warming);
    this.emit(cluster, 'pods', 'MODIFIED', pod);
    if (pod.warming) pod.timers.push(setTimeout(() => this.podReady(cluster, pod), delay));
  }

  /** A release's pod passes its readiness probe. */
  private podReady(cluster: Cluster, pod: PodRecord): void {
    if (!cluster.pods.has(podKey(pod)) || pod.terminating || !pod.warming) return;
    pod.warming = false;
    const k8sNode = cluster.k8sNodes.get(pod.nodeName);
    if (!k8sNode?.ready) return;
    this.setRunning(pod, true);
    this.emit(cluster, 'pods', 'MODIFIED', pod);
  }

  removePod(cluster: Cluster, pod: PodRecord): void {
    pod.timers.forEach(clearTimeout);
    if (!cluster.pods.delete(podKey(pod))) return;
    this.emit(cluster, 'pods', 'DELETED', pod);
  }

  /** `kubectl delete pod`: graceful (deletionTimestamp, then gone) or forced (gracePeriodSeconds=0). */
  deletePod(cluster: Cluster, pod: PodRecord, gracePeriodSeconds?: number): void {
    if (gracePeriodSeconds === 0) {
      this.removePod(cluster, pod);
      this.reconcile(cluster);
      return;
    }
    if (pod.terminating) return;
    pod.terminating = true;
    const meta = pod.object.metadata as Json;
    meta.deletionTimestamp = new Date(Date.now() + (gracePeriodSeconds ?? 30) * 1000)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    meta.deletionGracePeriodSeconds = gracePeriodSeconds ?? 30;
    this.emit(cluster, 'pods', 'MODIFIED', pod);
    // The lab's containers stop at once; a pod on a node that is down waits for that node (as a kubelet would).
    const finish = (): void => {
      const node = cluster.k8sNodes.get(pod.nodeName);
      if (!pod.nodeName || node?.ready || !node) this.removePod(cluster, pod);
    };
    pod.timers.push(setTimeout(finish, Math.min(150, (gracePeriodSeconds ?? 30) * 1000)));
    this.reconcile(cluster);
  }

  findPod(cluster: Cluster, namespace: string, name: string): PodRecord | undefined {
    return cluster.pods.get(`${namespace}/${name}`);
  }

  /** The ReplicaSet and DaemonSet controllers and the scheduler, in one pass. */
  reconcile(cluster: Cluster, settled = false): void {
    if (!this.clusters.has(cluster.id)) return;
    const liveNodes = [...cluster.k8sNodes.values()].filter((n) => n.labIndex !== null);
    for (const workload of cluster.workloads) {
      const pods = [...cluster.pods.values()].filter((p) => p.workload === workload && !p.terminating);
      if (workload.kind === 'DaemonSet') {
        for (const k8sNode of liveNodes) {
          if (!pods.some((p) => p.nodeName === k8sNode.name))
            this.createPod(cluster, workload, k8sNode.name, settled);
        }
      } else {
        let active = pods.length;
        while (active < workload.replicas) {
          const target = this.leastLoaded(cluster);
          this.createPod(cluster, workload, target?.name ?? '', settled);
          active++;
        }
        for (const extra of pods.slice(workload.replicas)) this.removePod(cluster, extra);
      }
    }
    // Unscheduled pods get a node once one is available.
    for (const pod of cluster.pods.values()) {
      if (pod.nodeName || pod.terminating) continue;
      const target = this.leastLoaded(cluster);
      if (!target) break;
      pod.nodeName = target.name;
      const spec = pod.object.spec as Json;
      spec.nodeName = target.name;
      (pod.object.status as Json).hostIP = target.address;
      (pod.object.status as Json).startTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      this.emit(cluster, 'pods', 'MODIFIED', pod);
      pod.warming = (pod.workload.readyDelayMs ?? 0) > 0;
      pod.timers.push(setTimeout(() => this.startPod(cluster, pod), 120));
    }
  }

  private leastLoaded(cluster: Cluster): K8sNode | undefined {
    const candidates = this.schedulable(cluster);
    let best: K8sNode | undefined;
    let bestCount = Infinity;
    for (const candidate of candidates) {
      let count = 0;
      for (const pod of cluster.pods.values()) if (pod.nodeName === candidate.name) count++;
      if (count < bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }

  // ---- node lifecycle ----

  private clearNodeTimers(index: number): void {
    (this.nodeTimers.get(index) ?? []).forEach(clearTimeout);
    this.nodeTimers.set(index, []);
  }

  private addNodeTimer(index: number, ms: number, fn: () => void): void {
    const timers = this.nodeTimers.get(index) ?? [];
    timers.push(setTimeout(fn, ms));
    this.nodeTimers.set(index, timers);
  }

  /** Re-evaluates a lab node's Ready condition after its MicroK8s or link changed. */
  nodeHealthChanged(index: number): void {
    const node = this.node(index);
    const healthy = node.running && node.linkUp;
    const cluster = this.clusters.get(node.clusterId);
    if (!cluster) return;
    const k8sNode = [...cluster.k8sNodes.values()].find((n) => n.labIndex === index);
    if (!k8sNode) return;
    this.clearNodeTimers(index);
    if (healthy && !k8sNode.ready) {
      this.addNodeTimer(index, 150, () => this.setNodeReady(cluster, k8sNode, true));
    } else if (!healthy && k8sNode.ready) {
      this.addNodeTimer(index, this.config.notReadyDelayMs, () => {
        this.setNodeReady(cluster, k8sNode, false);
        this.addNodeTimer(index, this.config.podMoveDelayMs, () => this.evictFromNode(cluster, k8sNode));
      });
    }
  }

  setNodeReady(cluster: Cluster, k8sNode: K8sNode, ready: boolean): void {
    if (!cluster.k8sNodes.has(k8sNode.name) || k8sNode.ready === ready) return;
    k8sNode.ready = ready;
    this.touchNode(cluster, k8sNode);
    for (const pod of cluster.pods.values()) {
      if (pod.nodeName !== k8sNode.name) continue;
      if (pod.terminating && ready) {
        this.removePod(cluster, pod);
        continue;
      }
      if ((pod.object.status as Json).phase === 'Running' || ready) {
        this.setRunning(pod, ready && !pod.warming);
        this.emit(cluster, 'pods', 'MODIFIED', pod);
      }
    }
    this.reconcile(cluster);
  }

  /** The node lifecycle controller's eviction: non-DaemonSet pods of an unready node go elsewhere. */
  private evictFromNode(cluster: Cluster, k8sNode: K8sNode): void {
    if (k8sNode.ready) return;
    for (const pod of [...cluster.pods.values()]) {
      if (pod.nodeName === k8sNode.name && pod.workload.kind !== 'DaemonSet') this.removePod(cluster, pod);
    }
    this.reconcile(cluster);
  }

  // ---- snapshot ----

  snapshot(index = 1): LabSnapshot {
    const cluster = this.clusterOf(index);
    return {
      nodes: [...cluster.k8sNodes.values()].map((n) => ({
        name: n.name,
        ready: n.ready,
        unschedulable: n.unschedulable,
        address: n.address,
      })),
      pods: [...cluster.pods.values()].map((p) => {
        const meta = p.object.metadata as Json;
        const status = p.object.status as Json;
        const statuses = (status.containerStatuses as Array<{ ready: boolean }> | undefined) ?? [];
        return {
          namespace: meta.namespace as string,
          name: meta.name as string,
          nodeName: p.nodeName,
          phase: status.phase as string,
          ready: statuses.length > 0 && statuses.every((s) => s.ready) && !p.terminating,
          uid: meta.uid as string,
        };
      }),
      addons: {
        dns: cluster.addons.has('dns'),
        metallb: cluster.metallbRange,
        helm3: cluster.addons.has('helm3'),
      },
      releases: cluster.releases.map((r) => ({
        name: r.name,
        namespace: r.namespace,
        chart: r.chart,
        version: r.version,
        revision: r.revision,
        values: { ...r.values },
        passwordGiven: r.passwordGiven,
      })),
      services: [...cluster.objects.services.values()].map((object) => {
        const meta = object.metadata as Json;
        const spec = (object.spec ?? {}) as Json;
        const ingress = ((object.status as Json | undefined)?.loadBalancer as Json | undefined)?.ingress as
          Array<{ ip?: string }> | undefined;
        return {
          namespace: String(meta.namespace),
          name: String(meta.name),
          type: String(spec.type ?? 'ClusterIP'),
          clusterIP: String(spec.clusterIP ?? ''),
          loadBalancerIp: ingress?.[0]?.ip ?? null,
        };
      }),
      // Names and keys only: the values of Secrets never leave the controller.
      secrets: [...cluster.objects.secrets.values()].map((object) => {
        const meta = object.metadata as Json;
        return {
          namespace: String(meta.namespace),
          name: String(meta.name),
          keys: Object.keys((object.data ?? {}) as Json).sort(),
        };
      }),
      configMaps: [...cluster.objects.configmaps.values()].map((object) => {
        const meta = object.metadata as Json;
        return { namespace: String(meta.namespace), name: String(meta.name) };
      }),
      registration: registrationSnapshot(this, cluster),
    };
  }
}

export function podKey(pod: PodRecord): string {
  const meta = pod.object.metadata as Json;
  return `${meta.namespace as string}/${meta.name as string}`;
}

export function withKind(kind: ResourceKind, object: Json): Json {
  return { kind: KIND_NAMES[kind], apiVersion: 'v1', ...object };
}
