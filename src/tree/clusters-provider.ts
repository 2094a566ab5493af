// The "Clusters" view's data: the registry's clusters → nodes (spec merged with the API) → pods (watched per
// node while expanded and visible). Refreshes go through a coalescer, item by item; the whole tree is redrawn
// only when clusters come or go.
import * as vscode from 'vscode';
import type { ApiPod, ClusterRegistry, RegistryChange } from '../clusters';
import type { ClusterElement, MessageElement, NodeElement, PodElement, TreeElement } from './elements';
import { clusterElement, liveOf, modelOf, parentOf } from './elements';
import { clusterItem, messageItem, namespaceItem, nodeItem, podItem } from './items';
import type { HealthSummary, MergedNode } from './core';
import { Coalescer } from '../timing';
import { mergeNodes, summarizeHealth } from './core';
import {
  countPodWatches,
  podChildren,
  podElement,
  startPodWatch,
  stopPodWatch,
  updateErrorItem,
  waitForPod,
  firstList,
} from './node-pods';
import { ClusterSections } from './sections';
import { LoadBalancerBranch } from './lb-branch';
import { specReleaseValues } from '../clusters';

/** Watch events within this window become one refresh per item. */
export const COALESCE_MS = 300;
/** How long expanding a node waits for its first list before it shows "Loading pods…". */
const FIRST_LIST_WAIT_MS = 1_000;
/** How often the expanded nodes are redrawn for their pods' ages (the shortest age shown is in seconds). */
export const AGE_REDRAW_MS = 15_000;
/** How long revealing a pod waits for its node's first list. */
const REVEAL_WAIT_MS = 5_000;

export class ClustersProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly healthChanged = new vscode.EventEmitter<void>();
  /** Fires after cluster states or node health changed (status bar, badge). */
  readonly onDidChangeHealth = this.healthChanged.event;

  private readonly clusters = new Map<string, ClusterElement>();
  private readonly subscriptions = new Map<string, Array<{ dispose(): void }>>();
  private readonly coalescer: Coalescer<TreeElement>;
  /** Nodes the user has expanded: their pod watches run while the view is visible. */
  private readonly expanded = new Set<NodeElement>();
  private visible = true;
  private filterText = '';
  private readonly registrySubscription: { dispose(): void };
  private readonly ageClock: ReturnType<typeof setInterval>;
  /** Counts of refresh events per kind, for tests and the benchmark. */
  readonly stats = { fires: 0, wholeTree: 0, items: 0 };
  /** The cluster's own objects: events, services, releases, registration, storage, port forwards. */
  readonly sections: ClusterSections;
  readonly loadBalancers = new LoadBalancerBranch((element) => this.coalescer.add(element));
  /** Adds to a cluster's item what others know of it (its state: cluster-states.ts). */
  decorateCluster: (item: vscode.TreeItem, cluster: ClusterElement) => vscode.TreeItem = (item) => item;

  constructor(
    private readonly registry: ClusterRegistry,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.coalescer = new Coalescer<TreeElement>(COALESCE_MS, (elements) => this.fire(elements));
    this.sections = new ClusterSections(
      (element) => this.coalescer.add(element),
      (cluster, release) => specReleaseValues(modelOf(cluster), release),
    );
    // Pod ages are drawn when an item is: redraw the expanded nodes now and then while the view shows.
    this.ageClock = setInterval(() => this.redrawAges(), AGE_REDRAW_MS);
    this.ageClock.unref?.();
    this.registrySubscription = registry.onDidChange((change) => this.sync(change));
    this.sync({ added: registry.all().map((c) => registry.keyOf(c)!), changed: [], removed: [] });
  }

  /** Follows the registry: new clusters appear, changed specs redraw their cluster, gone ones leave. */
  private sync(change: RegistryChange): void {
    let structural = false;
    for (const key of change.removed) {
      if (!change.added.includes(key)) structural = true;
      this.removeCluster(key);
    }
    for (const key of change.added) {
      const context = this.registry.get(key);
      if (!context) continue;
      const element = clusterElement(key, context);
      this.clusters.set(key, element);
      this.watchLive(element);
      structural = true;
    }
    for (const key of change.changed) {
      const element = this.clusters.get(key);
      if (element) this.coalescer.add(element);
    }
    if (structural) this.fire(undefined);
  }

  private watchLive(cluster: ClusterElement): void {
    const live = liveOf(cluster);
    this.subscriptions.set(cluster.key, [
      live.onDidChangeState(() => {
        this.log?.info(`${modelOf(cluster).name}: ${live.state}${live.error ? ` (${live.error})` : ''}`);
        updateErrorItem(cluster);
        this.sections.followConnection(cluster);
        this.coalescer.add(cluster);
      }),
      live.onDidChangeNodes((names) => {
        this.coalescer.add(cluster);
        for (const name of names ?? []) {
          const node = cluster.nodes.get(name);
          if (node) this.coalescer.add(node);
        }
      }),
      // A node's running operation (remove, replace, drill) shows on its item.
      { dispose: cluster.context.activity.onDidChange(() => this.coalescer.add(cluster)) },
    ]);
  }

  private removeCluster(key: string): void {
    const cluster = this.clusters.get(key);
    if (!cluster) return;
    this.clusters.delete(key);
    this.loadBalancers.forget(cluster);
    for (const node of cluster.nodes.values()) this.collapseNode(node);
    for (const s of this.subscriptions.get(key) ?? []) s.dispose();
    this.subscriptions.delete(key);
  }

  // ---- tree view wiring -------------------------------------------------------------------------------

  /** Connects the provider to its TreeView: expansion and visibility drive the pod watches. */
  attach(view: vscode.TreeView<TreeElement>): vscode.Disposable {
    this.visible = view.visible;
    return vscode.Disposable.from(
      view.onDidExpandElement((e) => {
        if (e.element.kind === 'node') this.expanded.add(e.element);
      }),
      view.onDidCollapseElement((e) => {
        if (e.element.kind === 'node') this.collapseNode(e.element);
        if (e.element.kind === 'section') {
          this.sections.stop(e.element);
          this.coalescer.add(e.element);
        }
      }),
      view.onDidChangeVisibility((e) => this.setVisible(e.visible)),
      this.loadBalancers.attach(view),
    );
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    // A hidden view watches no pods; the expanded set remembers what to resume.
    for (const node of this.expanded) {
      if (visible) this.coalescer.add(node);
      else stopPodWatch(node);
    }
  }

  /** Stops the node's pod watch and forgets its children so the next expand lists them afresh. */
  collapseNode(node: NodeElement): void {
    this.expanded.delete(node);
    stopPodWatch(node);
    this.sections.stop(this.sections.nodeEvents(node));
    this.coalescer.add(node);
  }

  // ---- data --------------------------------------------------------------------------------------------

  refresh(): void {
    this.fire(undefined);
  }

  /** Redraws one item soon (coalesced with the others). */
  refreshItem(element: TreeElement): void {
    this.coalescer.add(element);
  }

  /** Runs pending coalesced refreshes now. */
  flush(): void {
    this.coalescer.fire();
  }

  private fire(elements: TreeElement[] | undefined): void {
    this.stats.fires++;
    if (elements === undefined) this.stats.wholeTree++;
    else this.stats.items += elements.length;
    this.changed.fire(elements);
    this.healthChanged.fire();
  }

  /** Every cluster in the workspace, in file order. */
  allClusters(): ClusterElement[] {
    return [...this.clusters.values()].sort((a, b) =>
      a.key.localeCompare(b.key, undefined, { numeric: true }),
    );
  }

  clusterByKey(key: string): ClusterElement | undefined {
    return this.clusters.get(key);
  }

  /** The clusters whose spec is this file. */
  clustersOf(uri: vscode.Uri): ClusterElement[] {
    return this.allClusters().filter((c) => c.specUri === uri.toString());
  }

  // ---- connection ----------------------------------------------------------------------------------------

  async connect(cluster: ClusterElement, signal?: AbortSignal): Promise<void> {
    cluster.connectError = undefined;
    this.coalescer.add(cluster);
    try {
      await liveOf(cluster).connect(signal);
    } catch (error) {
      cluster.connectError = error instanceof Error ? error.message : String(error);
      this.coalescer.add(cluster);
      throw error;
    } finally {
      this.coalescer.fire();
    }
  }

  async disconnect(cluster: ClusterElement): Promise<void> {
    for (const node of cluster.nodes.values()) {
      stopPodWatch(node);
      node.podCount = undefined;
    }
    await liveOf(cluster).disconnect();
    cluster.errorItem = undefined;
    this.fire([cluster]);
  }

  retry(cluster: ClusterElement): void {
    liveOf(cluster).retry();
    for (const node of cluster.nodes.values()) node.podWatch?.retry();
  }

  // ---- filter ------------------------------------------------------------------------------------------

  get filter(): string {
    return this.filterText;
  }

  /** Shows only pods whose name contains the text (expanded nodes refresh; others apply it on expand). */
  setFilter(text: string): void {
    this.filterText = text.trim();
    for (const node of this.expanded) this.coalescer.add(node);
    this.coalescer.fire();
  }

  // ---- TreeDataProvider --------------------------------------------------------------------------------

  async getChildren(element?: TreeElement): Promise<TreeElement[]> {
    if (!element) return this.allClusters();
    switch (element.kind) {
      case 'cluster':
        return this.clusterChildren(element);
      case 'node':
        // The first list is awaited (briefly): VS Code then draws the pods in one go, without a
        // "Loading pods…" and a second round trip through the renderer.
        this.nodeChildren(element);
        await firstList(element, FIRST_LIST_WAIT_MS);
        return this.nodeChildren(element);
      case 'namespace':
        return element.pods.map((p) => podElement(element.node, p, true));
      case 'section':
        return this.sections.children(element);
      default:
        return this.loadBalancers.children(element);
    }
  }

  getParent(element: TreeElement): TreeElement | undefined {
    return parentOf(element);
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'cluster': {
        if (modelOf(element).topology === 'load-balanced') return this.loadBalancers.item(element);
        const item = clusterItem(element, this.health(element), this.merged(element));
        return this.decorateCluster(this.sections.decorateCluster(item, element), element);
      }
      case 'node':
        return nodeItem(element, this.mergedNode(element));
      case 'namespace':
        return namespaceItem(element);
      case 'pod':
        return podItem(element, Date.now());
      case 'message':
        return messageItem(element);
      case 'section':
        return this.sections.sectionItem(element);
      case 'row':
        return this.sections.rowItem(element);
      default:
        return this.loadBalancers.item(element);
    }
  }

  /** Spec nodes merged with the API's, for a cluster. */
  merged(cluster: ClusterElement): MergedNode[] {
    const specNodes = modelOf(cluster).nodes.map((n) => ({
      index: n.index,
      hostname: n.hostname,
      address: n.address,
    }));
    const live = liveOf(cluster);
    return mergeNodes(specNodes, live.state !== 'disconnected' ? live.nodes() : undefined);
  }

  mergedNode(node: NodeElement): MergedNode | undefined {
    return this.merged(node.cluster).find((n) => n.name === node.name);
  }

  health(cluster: ClusterElement): HealthSummary {
    return summarizeHealth(liveOf(cluster).state, modelOf(cluster).topology, this.merged(cluster));
  }

  private clusterChildren(cluster: ClusterElement): TreeElement[] {
    if (modelOf(cluster).topology === 'load-balanced') return this.loadBalancers.clusterChildren(cluster);
    const children: TreeElement[] = cluster.errorItem ? [cluster.errorItem] : [];
    const merged = this.merged(cluster);
    const names = new Set(merged.map((m) => m.name));
    for (const m of merged) {
      let node = cluster.nodes.get(m.name);
      if (!node) {
        node = {
          kind: 'node',
          cluster,
          name: m.name,
          podWatch: undefined,
          podCount: undefined,
          pods: new Map(),
          groups: new Map(),
          messages: new Map(),
        };
        cluster.nodes.set(m.name, node);
      }
      children.push(node);
    }
    for (const [name, node] of cluster.nodes) {
      if (names.has(name)) continue;
      this.collapseNode(node);
      cluster.nodes.delete(name);
    }
    return [...children, ...this.sections.clusterSections(cluster)];
  }

  private nodeChildren(node: NodeElement): TreeElement[] {
    const live = liveOf(node.cluster);
    const api = this.mergedNode(node)?.api;
    if (live.state === 'disconnected' || !api) return [];
    this.expanded.add(node);
    if (!this.visible) return [];
    startPodWatch(
      node,
      live,
      { add: (element) => this.coalescer.add(element), flushNow: () => this.coalescer.fire() },
      api.name,
    );
    return [this.sections.nodeEvents(node), ...podChildren(node, this.filterText)];
  }

  /** Number of running pod watches (tests check that collapsed nodes and hidden views watch nothing). */
  get activePodWatches(): number {
    return countPodWatches(this.clusters.values());
  }

  /** The tree element of a pod, for reveal: starts its node's watch and waits for the pod to be listed. */
  async elementOfPod(cluster: ClusterElement, pod: ApiPod): Promise<PodElement | undefined> {
    this.clusterChildren(cluster);
    const node = cluster.nodes.get(pod.nodeName);
    if (!node) return undefined;
    return waitForPod(node, pod, REVEAL_WAIT_MS, () => this.nodeChildren(node));
  }

  /** The expanded nodes' pods again, so their ages move on (a clock, no API call). */
  private redrawAges(): void {
    if (!this.visible) return;
    for (const node of this.expanded) if (node.podWatch?.pods()?.length) this.coalescer.add(node);
  }

  dispose(): void {
    this.sections.dispose();
    this.loadBalancers.dispose();
    clearInterval(this.ageClock);
    this.coalescer.dispose();
    this.registrySubscription.dispose();
    for (const key of [...this.clusters.keys()]) this.removeCluster(key);
    this.changed.dispose();
    this.healthChanged.dispose();
  }
}

export type { MessageElement };
