import * as vscode from 'vscode';
import { validateText } from '../cluster-spec';
import type { ClusterModel } from '../cluster-spec';
import type { ClusterSession } from './cluster-session';
import type {
  ClusterElement,
  MessageElement,
  NamespaceElement,
  NodeElement,
  PodElement,
  TreeElement,
} from './elements';
import { podKey } from './elements';
import { clusterItem, messageItem, namespaceItem, nodeItem, podItem } from './items';
import type { ApiPod, HealthSummary, MergedNode } from './core';
import { Coalescer, filterPods, groupPods, isNotReady, mergeNodes, summarizeHealth } from './core';

/** Files that may hold a cluster spec, as the contract names them. */
export const SPEC_GLOB = '**/{cluster.yaml,*.cluster.yaml}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';
/** Watch events within this window become one refresh per item. */
export const COALESCE_MS = 300;

export type SessionFactory = (cluster: { getModel(): ClusterModel; specUri: string }) => ClusterSession;

/**
 * The "Clusters" view: cluster specs → nodes (spec merged with the API) → pods (watched per node while
 * expanded). Refreshes go through a coalescer, item by item; the whole tree is redrawn only when spec files
 * change or the user asks.
 */
export class ClustersProvider implements vscode.TreeDataProvider<TreeElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeElement | TreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly onDidChangeHealthEmitter = new vscode.EventEmitter<void>();
  /** Fires after cluster states or node health changed (status bar, badge). */
  readonly onDidChangeHealth = this.onDidChangeHealthEmitter.event;

  private readonly clusters = new Map<string, ClusterElement>();
  private readonly sessionSubscriptions = new Map<string, Array<{ dispose(): void }>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly coalescer: Coalescer<TreeElement>;
  /** Nodes the user has expanded: their pod watches run while the view is visible. */
  private readonly expanded = new Set<NodeElement>();
  private visible = true;
  private loaded: Promise<void> | undefined;
  private filterText = '';
  /** Counts of refresh events per kind, for tests and the benchmark. */
  readonly stats = { fires: 0, wholeTree: 0, items: 0 };

  constructor(
    private readonly sessionFactory: SessionFactory,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.coalescer = new Coalescer<TreeElement>(COALESCE_MS, (elements) => this.fire(elements));
    // A watcher, not polling: the list changes only when spec files come, go or change.
    const watcher = vscode.workspace.createFileSystemWatcher(SPEC_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.reloadFile(uri)),
      watcher.onDidChange((uri) => void this.reloadFile(uri)),
      watcher.onDidDelete((uri) => void this.reloadFile(uri)),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.isSpecPath(doc.uri)) void this.reloadFile(doc.uri);
      }),
    );
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
      }),
      view.onDidChangeVisibility((e) => this.setVisible(e.visible)),
    );
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      // A hidden view watches no pods; the expanded set remembers what to resume.
      for (const node of this.expanded) this.stopPodWatch(node);
    } else {
      for (const node of this.expanded) this.coalescer.add(node);
    }
  }

  /** Stops the node's pod watch and forgets its children so the next expand lists them afresh. */
  collapseNode(node: NodeElement): void {
    this.expanded.delete(node);
    this.stopPodWatch(node);
    this.coalescer.add(node);
  }

  // ---- data --------------------------------------------------------------------------------------------

  refresh(): void {
    this.loaded = undefined;
    this.fire(undefined);
  }

  /** Runs pending coalesced refreshes now (tests, benchmarks). */
  flush(): void {
    this.coalescer.fire();
  }

  private fire(elements: TreeElement[] | undefined): void {
    this.stats.fires++;
    if (elements === undefined) {
      this.stats.wholeTree++;
      this.changed.fire(undefined);
    } else {
      this.stats.items += elements.length;
      this.changed.fire(elements);
    }
    this.onDidChangeHealthEmitter.fire();
  }

  private isSpecPath(uri: vscode.Uri): boolean {
    const base = uri.path.split('/').pop() ?? '';
    return base === 'cluster.yaml' || base.endsWith('.cluster.yaml');
  }

  private ensureLoaded(): Promise<void> {
    this.loaded ??= this.loadAll();
    return this.loaded;
  }

  private async loadAll(): Promise<void> {
    const files = await vscode.workspace.findFiles(SPEC_GLOB, EXCLUDE_GLOB, 200);
    const seen = new Set<string>();
    for (const uri of files) {
      for (const key of await this.parseFile(uri)) seen.add(key);
    }
    for (const key of [...this.clusters.keys()]) if (!seen.has(key)) void this.removeCluster(key);
  }

  private async reloadFile(uri: vscode.Uri): Promise<void> {
    const prefix = `${uri.toString()}#`;
    const keys = await this.parseFile(uri);
    for (const key of [...this.clusters.keys()]) {
      if (key.startsWith(prefix) && !keys.includes(key)) await this.removeCluster(key);
    }
    this.fire(undefined);
  }

  /** Parses one file into cluster elements (kept across edits, so sessions survive). Returns their keys. */
  private async parseFile(uri: vscode.Uri): Promise<string[]> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return [];
    }
    const result = validateText(text, uri.fsPath, { offline: true });
    const keys: string[] = [];
    for (const document of result.documents) {
      const model = document.model;
      if (!model) continue;
      const key = `${uri.toString()}#${document.index}`;
      keys.push(key);
      const existing = this.clusters.get(key);
      if (existing) {
        existing.model = model;
        existing.document = document;
      } else {
        this.clusters.set(key, {
          kind: 'cluster',
          key,
          specUri: uri.toString(),
          documentIndex: document.index,
          model,
          document,
          session: undefined,
          nodes: new Map(),
          errorItem: undefined,
          connectError: undefined,
        });
      }
    }
    return keys;
  }

  private async removeCluster(key: string): Promise<void> {
    const cluster = this.clusters.get(key);
    if (!cluster) return;
    this.clusters.delete(key);
    for (const node of cluster.nodes.values()) this.collapseNode(node);
    for (const s of this.sessionSubscriptions.get(key) ?? []) s.dispose();
    this.sessionSubscriptions.delete(key);
    await cluster.session?.dispose().catch(() => undefined);
  }

  /** Every cluster in the workspace, in file order. */
  async allClusters(): Promise<ClusterElement[]> {
    await this.ensureLoaded();
    return [...this.clusters.values()].sort(
      (a, b) => a.specUri.localeCompare(b.specUri) || a.documentIndex - b.documentIndex,
    );
  }

  clusterByKey(key: string): ClusterElement | undefined {
    return this.clusters.get(key);
  }

  /** The clusters whose spec is this file. */
  async clustersOf(uri: vscode.Uri): Promise<ClusterElement[]> {
    return (await this.allClusters()).filter((c) => c.specUri === uri.toString());
  }

  // ---- sessions ----------------------------------------------------------------------------------------

  sessionOf(cluster: ClusterElement): ClusterSession {
    if (cluster.session) return cluster.session;
    const session = this.sessionFactory({ getModel: () => cluster.model, specUri: cluster.specUri });
    cluster.session = session;
    this.sessionSubscriptions.set(cluster.key, [
      session.onDidChangeState(() => {
        this.log?.info(
          `${cluster.model.name}: ${session.state}${session.error ? ` (${session.error})` : ''}`,
        );
        this.updateErrorItem(cluster);
        this.coalescer.add(cluster);
      }),
      session.onDidChangeNodes((names) => {
        this.coalescer.add(cluster);
        if (names)
          for (const name of names) {
            const node = cluster.nodes.get(name);
            if (node) this.coalescer.add(node);
          }
      }),
    ]);
    return session;
  }

  async connect(cluster: ClusterElement, signal?: AbortSignal): Promise<void> {
    const session = this.sessionOf(cluster);
    cluster.connectError = undefined;
    this.coalescer.add(cluster);
    try {
      await session.connect(signal);
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
      this.stopPodWatch(node);
      node.podCount = undefined;
    }
    await cluster.session?.disconnect();
    cluster.errorItem = undefined;
    this.fire([cluster]);
  }

  retry(cluster: ClusterElement): void {
    cluster.session?.retry();
    for (const node of cluster.nodes.values()) node.podWatch?.retry();
  }

  private updateErrorItem(cluster: ClusterElement): void {
    const session = cluster.session;
    if (session?.state === 'unreachable') {
      const text = `API unreachable: ${session.error ?? 'no answer'} — retrying`;
      if (cluster.errorItem) cluster.errorItem.text = text;
      else cluster.errorItem = { kind: 'message', parent: cluster, text, severity: 'error', retry: true };
      cluster.errorItem.tooltip = `${session.error ?? ''}\nThe tree retries with backoff; click to retry now.`;
    } else {
      cluster.errorItem = undefined;
    }
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
        return this.nodeChildren(element);
      case 'namespace':
        return element.pods.map((p) => this.podElement(element.node, p, true));
      default:
        return [];
    }
  }

  getParent(element: TreeElement): TreeElement | undefined {
    switch (element.kind) {
      case 'cluster':
        return undefined;
      case 'node':
        return element.cluster;
      case 'namespace':
        return element.node;
      case 'pod':
        return element.grouped ? element.node.groups.get(element.pod.namespace) : element.node;
      case 'message':
        return element.parent;
    }
  }

  getTreeItem(element: TreeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'cluster':
        return clusterItem(element, this.health(element), this.merged(element));
      case 'node':
        return nodeItem(element, this.mergedNode(element));
      case 'namespace':
        return namespaceItem(element);
      case 'pod':
        return podItem(element, Date.now());
      case 'message':
        return messageItem(element);
    }
  }

  /** Spec nodes merged with the API's, for a cluster. */
  merged(cluster: ClusterElement): MergedNode[] {
    const specNodes = cluster.model.nodes.map((n) => ({
      index: n.index,
      hostname: n.hostname,
      address: n.address,
    }));
    const session = cluster.session;
    const api = session && session.state !== 'disconnected' ? session.nodes() : undefined;
    return mergeNodes(specNodes, api);
  }

  mergedNode(node: NodeElement): MergedNode | undefined {
    return this.merged(node.cluster).find((n) => n.name === node.name);
  }

  health(cluster: ClusterElement): HealthSummary {
    const state = cluster.session?.state ?? 'disconnected';
    return summarizeHealth(state, cluster.model.topology, this.merged(cluster));
  }

  /** NotReady nodes across connected clusters (the view badge). */
  notReadyCount(): number {
    let count = 0;
    for (const cluster of this.clusters.values()) {
      if (cluster.session?.state === 'connected') count += this.merged(cluster).filter(isNotReady).length;
    }
    return count;
  }

  private clusterChildren(cluster: ClusterElement): TreeElement[] {
    const children: TreeElement[] = [];
    if (cluster.errorItem) children.push(cluster.errorItem);
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
      if (!names.has(name)) {
        this.collapseNode(node);
        cluster.nodes.delete(name);
      }
    }
    return children;
  }

  private nodeChildren(node: NodeElement): TreeElement[] {
    const session = node.cluster.session;
    if (!session || session.state === 'disconnected' || !this.mergedNode(node)?.api) return [];
    this.expanded.add(node);
    if (!this.visible) return [];
    const watch = this.startPodWatch(node, session);
    const pods = watch.pods();
    if (watch.error) {
      return [this.message(node, 'error', `Cannot list pods: ${watch.error}`, true)];
    }
    if (!pods) return [this.message(node, 'loading', 'Loading pods…', false)];
    node.podCount = pods.length;
    const shown = filterPods(pods, this.filterText);
    if (shown.length === 0) {
      return [
        this.message(
          node,
          'empty',
          this.filterText ? `No pod matches "${this.filterText}"` : 'No pods',
          false,
        ),
      ];
    }
    const children = groupPods(shown);
    if (children.kind === 'flat') {
      node.groups.clear();
      return children.pods.map((p) => this.podElement(node, p, false));
    }
    const groups: NamespaceElement[] = [];
    const seen = new Set<string>();
    for (const group of children.groups) {
      seen.add(group.namespace);
      let element = node.groups.get(group.namespace);
      if (!element) {
        element = { kind: 'namespace', node, namespace: group.namespace, pods: group.pods };
        node.groups.set(group.namespace, element);
      }
      element.pods = group.pods;
      for (const pod of group.pods) this.podElement(node, pod, true);
      groups.push(element);
    }
    for (const ns of [...node.groups.keys()]) if (!seen.has(ns)) node.groups.delete(ns);
    return groups;
  }

  private message(node: NodeElement, id: string, text: string, retry: boolean): MessageElement {
    let element = node.messages.get(id);
    if (!element) {
      element = { kind: 'message', parent: node, text, severity: retry ? 'error' : 'info', retry };
      node.messages.set(id, element);
    }
    element.text = text;
    return element;
  }

  private podElement(node: NodeElement, pod: ApiPod, grouped: boolean): PodElement {
    const key = podKey(pod);
    let element = node.pods.get(key);
    if (!element) {
      element = { kind: 'pod', node, key, pod, grouped };
      node.pods.set(key, element);
    }
    element.pod = pod;
    element.grouped = grouped;
    return element;
  }

  private startPodWatch(node: NodeElement, session: ClusterSession) {
    if (node.podWatch) return node.podWatch;
    const watch = session.watchPods(node.name);
    node.podWatch = watch;
    let listed = false;
    watch.onDidChange((change) => {
      if (node.podWatch !== watch) return;
      const pods = watch.pods();
      // The node's description shows the count: VS Code asks for the item before its children.
      if (pods) node.podCount = pods.length;
      if (pods && !listed) {
        // The first list answers the user's own expand: shown at once, not behind the coalescing window.
        listed = true;
        this.coalescer.add(node);
        this.coalescer.fire();
        return;
      }
      // Membership changes redraw the node (its children and count); a pod's own change only that pod.
      const structural =
        !change || (change.added?.length ?? 0) > 0 || (change.removed?.length ?? 0) > 0 || !!watch.error;
      if (structural || node.groups.size > 0) {
        for (const key of change?.removed ?? []) node.pods.delete(key);
        this.coalescer.add(node);
      } else {
        for (const key of change.changed ?? []) {
          const element = node.pods.get(key);
          const pod = pods?.find((p) => podKey(p) === key);
          if (element && pod) {
            element.pod = pod;
            this.coalescer.add(element);
          }
        }
      }
    });
    return watch;
  }

  private stopPodWatch(node: NodeElement): void {
    const watch = node.podWatch;
    node.podWatch = undefined;
    watch?.dispose();
    node.pods.clear();
    node.groups.clear();
    node.messages.clear();
  }

  /** Number of running pod watches (tests check that collapsed nodes and hidden views watch nothing). */
  get activePodWatches(): number {
    let count = 0;
    for (const cluster of this.clusters.values())
      for (const node of cluster.nodes.values()) if (node.podWatch) count++;
    return count;
  }

  /** Finds (and creates) the tree element of a pod, for reveal; waits briefly for the node's first list. */
  async elementOfPod(cluster: ClusterElement, pod: ApiPod): Promise<PodElement | undefined> {
    this.clusterChildren(cluster);
    const node = cluster.nodes.get(pod.nodeName);
    if (!node) return undefined;
    for (let i = 0; i < 50; i++) {
      this.nodeChildren(node);
      const found = node.pods.get(podKey(pod));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }

  async dispose(): Promise<void> {
    this.coalescer.dispose();
    for (const d of this.disposables) d.dispose();
    for (const key of [...this.clusters.keys()]) await this.removeCluster(key);
    this.changed.dispose();
    this.onDidChangeHealthEmitter.dispose();
  }
}
