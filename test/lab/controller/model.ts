// The lab's model: lab nodes (the "VMs"), the MicroK8s clusters they form, and the entry points the fake
// CLIs, the fake API and the lab's admin requests use. The Kubernetes side lives in its own modules (store,
// hub, pods, workload controllers, nodes, events, disruption budgets); this file ties them together.
import { readFileSync } from 'node:fs';
import type { ControllerConfig } from './config';
import { reconcile, requestReconcile } from './controllers';
import { bindClaims } from './claims';
import { eventSettings } from './events';
import { gatewayManagerReact } from './gateway-manager';
import { counter, hooks } from './hub';
import { addMember, bootstrapMember } from './dqlite';
import { deleteK8sNode, nodeJson, registerK8sNode, setNodeReady, touchNode } from './k8s-nodes';
import {
  ADDON_WORKLOADS,
  SYSTEM_WORKLOADS,
  addWorkload,
  removeWorkloads,
  sampleWorkloads,
} from './lab-workloads';
import { reconcileLoadBalancers } from './metallb';
import { heartbeatsResumed, heartbeatsStopped } from './node-lifecycle';
import { deletePod, podHooks } from './pods';
import { installRelease, uninstallRelease, type InstallOptions } from './releases';
import { labSnapshot } from './snapshot';
import * as store from './store';
import { timing, timingOf } from './timing';
import type { Cluster, Json, K8sNode, LabNodeRuntime, PodRecord, Release, StoredKind } from './types';
import { metaOf } from './types';

export type { Cluster, Json, K8sNode, LabNodeRuntime, PodRecord, StoredKind } from './types';

export class LabModel {
  nodes: LabNodeRuntime[] = [];
  clusters = new Map<string, Cluster>();
  onChange: () => void = () => undefined;
  /** Called when `microk8s stop` stops a node (the API server's connections drop, as kubelite's would). */
  onMicrok8sStopped: (index: number) => void = () => undefined;
  /** Tokens the fake Gateway Manager refuses (besides those starting with `invalidTokenPrefix`). */
  invalidTokens: Set<string>;
  /** While true the fake Gateway Manager does not answer registrations (a timeout can be tested). */
  registrationStalled = false;
  /** The management platform (seed 001): a classic gateway holds the profile the activation tokens are for. */
  classicRegistered = false;
  private readonly caPem: string;

  constructor(readonly config: ControllerConfig) {
    this.invalidTokens = new Set(config.invalidTokens ?? []);
    Object.assign(timing, timingOf(config));
    eventSettings.ttlMs = timing.eventTtlMs;
    hooks.changed = () => this.onChange();
    podHooks.changed = (cluster) => requestReconcile(cluster, () => this.clusters.has(cluster.id));
    let ca = '';
    try {
      ca = readFileSync(config.caCertPath, 'utf8');
    } catch {
      // a model without the lab's files (unit use): the ConfigMap kube-root-ca.crt stays empty
    }
    this.caPem = ca;
  }

  /** The latest resourceVersion (what a list reports). */
  get rv(): number {
    return counter.rv;
  }

  /** Rebuilds everything for a state; keeps nothing from before. A settled lab has no fresh events. */
  reset(state: ControllerConfig['state']): void {
    for (const cluster of [...this.clusters.values()]) this.dropCluster(cluster);
    this.registrationStalled = false;
    this.classicRegistered = false;
    this.invalidTokens = new Set(this.config.invalidTokens ?? []);
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
    eventSettings.enabled = false;
    try {
      if (!joined) {
        for (const node of this.nodes) this.newSingleNodeCluster(node, true);
      } else {
        const cluster = this.newCluster();
        for (const node of this.nodes) {
          node.clusterId = cluster.id;
          registerK8sNode(cluster, node);
        }
        // As the joins left it: up to 3 voters and 3 standbys once there are 3 members.
        bootstrapMember(cluster, this.nodes[0]!.address);
        for (const node of this.nodes.slice(1)) addMember(cluster, node.address);
        for (const spec of SYSTEM_WORKLOADS) addWorkload(cluster, spec, { source: 'system' });
        this.enableAddon(cluster, 'dns', true);
        this.enableAddon(cluster, 'hostpath-storage', true);
        cluster.metallbRange = `${this.config.floatingIp}/32`;
        this.enableAddon(cluster, 'metallb', true);
        for (const spec of sampleWorkloads(this.config.podsPerNode * this.nodes.length))
          addWorkload(cluster, spec, { source: 'samples' });
        if (state === 'deployed') {
          const ha = this.nodes.length >= 3;
          const values: Record<string, string> = ha
            ? { 'nfs.server': `${this.config.prefix}.1`, 'nfs.path': '/srv/gateway-cluster' }
            : {};
          const version = this.config.chartsVersion;
          const storage = 'gateway-persistent-storage';
          this.installRelease(cluster, storage, 'default', storage, version, {
            values,
            passwordGiven: false,
            settled: true,
          });
          const manager = 'gateway-manager';
          this.installRelease(cluster, manager, 'default', manager, version, {
            values: {},
            passwordGiven: true,
            settled: true,
          });
        }
      }
      // Pods of a fresh reset start Running at once: the lab comes up already settled.
      for (const cluster of this.clusters.values()) {
        reconcile(cluster, true);
        reconcileLoadBalancers(this, cluster, true);
      }
    } finally {
      eventSettings.enabled = true;
    }
    this.onChange();
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
    const cluster = store.newCluster(this.caPem);
    this.clusters.set(cluster.id, cluster);
    return cluster;
  }

  /** A node on its own, as a VM from the OVA arrives: MicroK8s installed, only the system pods. */
  newSingleNodeCluster(node: LabNodeRuntime, settled = false): Cluster {
    const cluster = this.newCluster();
    node.clusterId = cluster.id;
    node.worker = false;
    node.k8sName = node.hostname;
    registerK8sNode(cluster, node);
    bootstrapMember(cluster, node.address);
    for (const spec of SYSTEM_WORKLOADS) addWorkload(cluster, spec, { source: 'system' });
    reconcile(cluster, settled);
    return cluster;
  }

  dropCluster(cluster: Cluster): void {
    for (const pod of cluster.pods.values()) pod.timers.forEach(clearTimeout);
    for (const timer of cluster.timers) clearTimeout(timer);
    cluster.timers.clear();
    for (const watcher of [...cluster.watchers]) watcher.close();
    cluster.watchers.clear();
    this.clusters.delete(cluster.id);
  }

  // ---- stored objects (the lab's controllers react to what the API writes) ----

  getObject(cluster: Cluster, kind: StoredKind, namespace: string, name: string): Json | undefined {
    return store.getObject(cluster, kind, namespace, name);
  }

  putObject(cluster: Cluster, kind: StoredKind, object: Json, fromApi = false): Json {
    const existed = store.getObject(
      cluster,
      kind,
      String(metaOf(object).namespace),
      String(metaOf(object).name),
    );
    const stored = store.putObject(cluster, kind, object);
    if (fromApi) this.objectChanged(cluster, kind, existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  removeObject(
    cluster: Cluster,
    kind: StoredKind,
    namespace: string,
    name: string,
    fromApi = false,
  ): Json | undefined {
    const removed = store.removeObject(cluster, kind, namespace, name);
    if (removed && fromApi) this.objectChanged(cluster, kind, 'DELETED', removed);
    return removed;
  }

  private objectChanged(cluster: Cluster, kind: StoredKind, type: string, object: Json): void {
    if (kind === 'services' && type !== 'DELETED') reconcileLoadBalancers(this, cluster, false);
    if (kind === 'persistentvolumeclaims' && type !== 'DELETED') bindClaims(this, cluster);
    if (kind === 'secrets') {
      const meta = metaOf(object);
      gatewayManagerReact(this, cluster, {
        kind: 'secret',
        namespace: String(meta.namespace),
        name: String(meta.name),
        deleted: type === 'DELETED',
      });
    }
    if (['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'poddisruptionbudgets'].includes(kind))
      this.requestReconcile(cluster);
  }

  /** Runs `fn` later unless the cluster is dropped first. */
  clusterTimer(cluster: Cluster, ms: number, fn: () => void): NodeJS.Timeout {
    return store.clusterTimer(cluster, () => this.clusters.has(cluster.id), ms, fn);
  }

  namespaces(cluster: Cluster): Set<string> {
    const names = store.namespaces(cluster);
    for (const pod of cluster.pods.values()) names.add(String(metaOf(pod.object).namespace));
    return names;
  }

  // ---- controllers ----

  reconcile(cluster: Cluster, settled = false): void {
    if (this.clusters.has(cluster.id)) reconcile(cluster, settled);
  }

  requestReconcile(cluster: Cluster): void {
    requestReconcile(cluster, () => this.clusters.has(cluster.id));
  }

  enableAddon(cluster: Cluster, addon: string, settled = false): void {
    cluster.addons.add(addon);
    for (const spec of ADDON_WORKLOADS[addon] ?? []) addWorkload(cluster, spec, { source: `addon:${addon}` });
    if (addon === 'metallb') reconcileLoadBalancers(this, cluster, settled);
    if (!settled) this.reconcile(cluster);
  }

  disableAddon(cluster: Cluster, addon: string): void {
    cluster.addons.delete(addon);
    if (addon === 'metallb') cluster.metallbRange = null;
    removeWorkloads(cluster, `addon:${addon}`);
    if (addon === 'metallb') reconcileLoadBalancers(this, cluster, false);
    this.reconcile(cluster);
  }

  installRelease(
    cluster: Cluster,
    name: string,
    namespace: string,
    chart: string,
    version: string,
    options?: InstallOptions,
  ): Release {
    return installRelease(this, cluster, name, namespace, chart, version, options);
  }

  uninstallRelease(cluster: Cluster, name: string, namespace: string): boolean {
    return uninstallRelease(this, cluster, name, namespace);
  }

  // ---- pods and nodes ----

  findPod(cluster: Cluster, namespace: string, name: string): PodRecord | undefined {
    return cluster.pods.get(`${namespace}/${name}`);
  }

  deletePod(cluster: Cluster, pod: PodRecord, gracePeriodSeconds?: number): void {
    deletePod(cluster, pod, gracePeriodSeconds);
  }

  registerK8sNode(cluster: Cluster, node: LabNodeRuntime): K8sNode {
    const k8sNode = registerK8sNode(cluster, node);
    this.requestReconcile(cluster);
    return k8sNode;
  }

  nodeJson(k8sNode: K8sNode): Json {
    return nodeJson(k8sNode);
  }

  touchNode(cluster: Cluster, k8sNode: K8sNode): void {
    touchNode(cluster, k8sNode);
  }

  deleteK8sNode(cluster: Cluster, name: string): boolean {
    const deleted = deleteK8sNode(cluster, name);
    if (deleted) this.reconcile(cluster);
    return deleted;
  }

  setNodeReady(cluster: Cluster, k8sNode: K8sNode, ready: boolean): void {
    setNodeReady(cluster, k8sNode, ready);
    this.reconcile(cluster);
  }

  /** Re-evaluates a lab node's heartbeats after its MicroK8s or link changed. */
  nodeHealthChanged(index: number): void {
    // MicroK8s started or stopped, a link up or down: MetalLB's speakers see it (floating-ips.ts).
    this.onChange();
    const node = this.node(index);
    const cluster = this.clusters.get(node.clusterId);
    const k8sNode = cluster && [...cluster.k8sNodes.values()].find((n) => n.labIndex === index);
    if (!cluster || !k8sNode) return;
    if (node.running && node.linkUp) heartbeatsResumed(this, cluster, k8sNode);
    else heartbeatsStopped(this, cluster, k8sNode);
  }

  /** The VM behind a Node object is gone from it (it left, or was swapped): its heartbeats stop for good. */
  detachK8sNode(cluster: Cluster, k8sNode: K8sNode): void {
    k8sNode.labIndex = null;
    heartbeatsStopped(this, cluster, k8sNode);
  }

  /**
   * The VM at `index` is swapped for a new one from the OVA at the same address (seed 001's firmware
   * upgrade): the old one's Node object loses its kubelet, the new VM runs a fresh single-node MicroK8s
   * under the OVA's hostname. (Its host key and files are the host side's: faults.ts.)
   */
  replaceVm(index: number): void {
    const node = this.node(index);
    const old = this.clusters.get(node.clusterId);
    const k8sNode = old && [...old.k8sNodes.values()].find((n) => n.labIndex === index);
    if (old && k8sNode) this.detachK8sNode(old, k8sNode);
    Object.assign(node, { hostname: this.config.freshHostname, running: true, linkUp: true, hang: null });
    const alone = old && [...old.k8sNodes.values()].every((n) => n.labIndex === null);
    if (old && alone) this.dropCluster(old);
    this.newSingleNodeCluster(node);
    this.onChange();
  }

  snapshot(index = 1): ReturnType<typeof labSnapshot> {
    return labSnapshot(this, this.clusterOf(index));
  }
}
