// Owns everything the Clusters view needs in the editor: provider, TreeView, status bar item, view badge,
// describe documents, log follows and terminals. activate() constructs it; commands use its pickers.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterSession, LogFollow } from './cluster-session';
import type { SessionFactory } from './clusters-provider';
import { ClustersProvider } from './clusters-provider';
import { DESCRIBE_SCHEME, DescribeProvider } from './describe-provider';
import type { ClusterElement, NodeElement, PodElement, TreeElement } from './elements';
import { podKey } from './elements';
import { ModalPrompts } from './host-prompts';
import type { ApiPod } from './core';

export const VIEW_ID = 'gatewayCluster.clusters';

export class ClustersTree implements vscode.Disposable {
  readonly provider: ClustersProvider;
  readonly view: vscode.TreeView<TreeElement>;
  readonly describe = new DescribeProvider();
  readonly logFollows = new Map<
    string,
    { follow: LogFollow; channel: vscode.OutputChannel; lines: string[] }
  >();
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
    sessionFactory?: SessionFactory,
  ) {
    this.provider = new ClustersProvider(sessionFactory ?? this.defaultSessionFactory(), log);
    this.view = vscode.window.createTreeView(VIEW_ID, {
      treeDataProvider: this.provider,
      showCollapseAll: true,
    });
    this.statusBar = vscode.window.createStatusBarItem(
      'gatewayCluster.health',
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.statusBar.name = 'Gateway Cluster Health';
    this.disposables.push(
      this.view,
      this.provider.attach(this.view),
      this.statusBar,
      this.describe,
      vscode.workspace.registerTextDocumentContentProvider(DESCRIBE_SCHEME, this.describe),
      this.provider.onDidChangeHealth(() => this.updateIndicators()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateIndicators()),
    );
    this.updateIndicators();
  }

  /** Sessions over the SSH layer and the Kubernetes client, both loaded on the first Connect. */
  private defaultSessionFactory(): SessionFactory {
    const secrets = this.context.secrets;
    const log = this.log;
    const knownHostsFile = path.join(this.context.globalStorageUri.fsPath, 'known_hosts');
    return ({ getModel }) => {
      let session: ClusterSession | undefined;
      let loading: Promise<ClusterSession> | undefined;
      const load = async (): Promise<ClusterSession> => {
        // Loaded on the first Connect: it pulls in ssh2 and the Kubernetes client.
        const { KubeClusterSession } =
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at activation
          require('./kube-cluster-session') as typeof import('./kube-cluster-session');
        const created: ClusterSession =
          session ??
          new KubeClusterSession(getModel, {
            secrets: {
              get: async (key: string) => secrets.get(key),
              store: async (key: string, value: string) => secrets.store(key, value),
              delete: async (key: string) => secrets.delete(key),
            },
            prompts: new ModalPrompts(),
            knownHostsFile,
            userKnownHostsFile: path.join(os.homedir(), '.ssh', 'known_hosts'),
            log: (line: string) => log.info(line),
          });
        session = created;
        return created;
      };
      // The real session is created on first use; until then the cluster shows its spec nodes only.
      return lazySession(
        () => (loading ??= load()),
        () => session,
      );
    };
  }

  private async updateIndicators(): Promise<void> {
    const notReady = this.provider.notReadyCount();
    this.view.badge =
      notReady > 0
        ? { value: notReady, tooltip: `${notReady} node${notReady === 1 ? '' : 's'} NotReady` }
        : undefined;
    const editor = vscode.window.activeTextEditor;
    const clusters = editor ? await this.provider.clustersOf(editor.document.uri) : [];
    const cluster = clusters[0];
    if (!cluster) {
      this.statusBar.hide();
      return;
    }
    const health = this.provider.health(cluster);
    const icon: Record<string, string> = {
      notConnected: '$(debug-disconnect)',
      connecting: '$(loading~spin)',
      healthy: '$(pass-filled)',
      degraded: '$(warning)',
      unreachable: '$(error)',
    };
    this.statusBar.text = `${icon[health.health] ?? ''} ${cluster.model.name}: ${health.description}`;
    this.statusBar.tooltip = `Gateway cluster ${cluster.model.name} — click to reveal it in the Clusters view`;
    this.statusBar.command = {
      command: 'gatewayCluster.clusters.reveal',
      title: 'Reveal',
      arguments: [cluster.key],
    };
    this.statusBar.backgroundColor =
      health.health === 'unreachable' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.statusBar.show();
  }

  get statusBarText(): string | undefined {
    return this.statusBar.text;
  }

  // ---- pickers: a command gets its element from the tree, or asks ----------------------------------------

  async pickCluster(arg: unknown, placeHolder = 'Cluster'): Promise<ClusterElement | undefined> {
    const element = arg as TreeElement | undefined;
    if (element?.kind === 'cluster') return element;
    if (element?.kind === 'node') return element.cluster;
    if (element?.kind === 'message')
      return element.parent.kind === 'cluster' ? element.parent : element.parent.cluster;
    if (typeof arg === 'string') {
      const byKey = this.provider.clusterByKey(arg);
      if (byKey) return byKey;
      return (await this.provider.allClusters()).find((c) => c.model.name === arg);
    }
    const all = await this.provider.allClusters();
    if (all.length <= 1) return all[0];
    const picked = await vscode.window.showQuickPick(
      all.map((c) => ({
        label: c.model.name,
        description: this.provider.health(c).description,
        detail: vscode.workspace.asRelativePath(vscode.Uri.parse(c.specUri)),
        cluster: c,
      })),
      { placeHolder },
    );
    return picked?.cluster;
  }

  async pickNode(arg: unknown): Promise<NodeElement | undefined> {
    const element = arg as TreeElement | undefined;
    if (element?.kind === 'node') return element;
    let cluster: ClusterElement | undefined;
    let nodeName: string | undefined;
    if (typeof arg === 'object' && arg && 'cluster' in arg && 'node' in arg) {
      const spec = arg as { cluster: string; node: string };
      cluster = await this.pickCluster(spec.cluster);
      nodeName = spec.node;
    } else {
      cluster = await this.pickCluster(undefined, 'Cluster of the node');
    }
    if (!cluster) return undefined;
    const nodes = (await this.provider.getChildren(cluster)).filter(
      (e): e is NodeElement => e.kind === 'node',
    );
    if (nodeName) return nodes.find((n) => n.name === nodeName);
    const picked = await vscode.window.showQuickPick(
      nodes.map((n) => ({
        label: n.name,
        description: String(this.provider.getTreeItem(n).description ?? ''),
        node: n,
      })),
      { placeHolder: 'Node' },
    );
    return picked?.node;
  }

  async pickPod(arg: unknown): Promise<{ cluster: ClusterElement; pod: ApiPod } | undefined> {
    const element = arg as TreeElement | undefined;
    if (element?.kind === 'pod') return { cluster: element.node.cluster, pod: element.pod };
    let cluster: ClusterElement | undefined;
    let wanted: { namespace: string; name: string } | undefined;
    if (typeof arg === 'object' && arg && 'cluster' in arg && 'name' in arg) {
      const spec = arg as { cluster: string; namespace?: string; name: string };
      cluster = await this.pickCluster(spec.cluster);
      wanted = { namespace: spec.namespace ?? 'default', name: spec.name };
    } else {
      cluster = await this.pickCluster(undefined, 'Cluster of the pod');
    }
    if (!cluster) return undefined;
    const session = cluster.session;
    if (!session || session.state === 'disconnected') {
      void vscode.window.showWarningMessage(`Connect to ${cluster.model.name} first.`);
      return undefined;
    }
    const pods = await session.listPods();
    if (wanted) {
      const pod = pods.find((p) => p.namespace === wanted.namespace && p.name === wanted.name);
      return pod ? { cluster, pod } : undefined;
    }
    const picked = await vscode.window.showQuickPick(
      pods.map((p) => ({
        label: p.name,
        description: `${p.namespace} · ${p.nodeName} · ${p.phase}`,
        pod: p,
      })),
      { placeHolder: 'Pod (type to filter by name)', matchOnDescription: true },
    );
    return picked ? { cluster, pod: picked.pod } : undefined;
  }

  /** Reveals a pod in the tree, expanding its node (which starts that node's watch). */
  async revealPod(cluster: ClusterElement, pod: ApiPod): Promise<PodElement | undefined> {
    const node =
      cluster.nodes.get(pod.nodeName) ??
      (await this.provider.getChildren(cluster), cluster.nodes.get(pod.nodeName));
    if (!node) return undefined;
    await this.view.reveal(node, { expand: true, select: false }).then(undefined, () => undefined);
    const element = await this.provider.elementOfPod(cluster, pod);
    if (element)
      await this.view.reveal(element, { select: true, focus: true }).then(undefined, () => undefined);
    return element;
  }

  /** Tree items of a cluster, its nodes and expanded pods, as text (host tests and the bench read this). */
  async snapshot(): Promise<SnapshotItem[]> {
    const out: SnapshotItem[] = [];
    const walk = async (element: TreeElement | undefined, depth: number): Promise<void> => {
      for (const child of await this.provider.getChildren(element)) {
        const item = this.provider.getTreeItem(child);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        out.push({
          depth,
          kind: child.kind,
          label,
          description: String(item.description ?? ''),
          contextValue: item.contextValue ?? '',
        });
        const expandedNode = child.kind === 'node' && child.podWatch !== undefined;
        if (child.kind === 'cluster' || child.kind === 'namespace' || expandedNode)
          await walk(child, depth + 1);
      }
    };
    await walk(undefined, 0);
    return out;
  }

  podKeyOf(pod: ApiPod): string {
    return podKey(pod);
  }

  dispose(): void {
    for (const { follow, channel } of this.logFollows.values()) {
      follow.stop();
      channel.dispose();
    }
    this.logFollows.clear();
    for (const d of this.disposables) d.dispose();
    void this.provider.dispose();
  }
}

export interface SnapshotItem {
  depth: number;
  kind: TreeElement['kind'];
  label: string;
  description: string;
  contextValue: string;
}

/**
 * A ClusterSession that looks disconnected until its first real use, then forwards to the real one. It keeps
 * the SSH and Kubernetes modules unloaded for clusters the user never connects.
 */
function lazySession(
  load: () => Promise<ClusterSession>,
  current: () => ClusterSession | undefined,
): ClusterSession {
  const stateListeners: Array<() => void> = [];
  const nodeListeners: Array<(names: string[] | undefined) => void> = [];
  let wired = false;
  const real = async (): Promise<ClusterSession> => {
    const session = await load();
    if (!wired) {
      wired = true;
      session.onDidChangeState(() => stateListeners.forEach((l) => l()));
      session.onDidChangeNodes((names) => nodeListeners.forEach((l) => l(names)));
    }
    return session;
  };
  const need = (): ClusterSession => {
    const session = current();
    if (!session) throw new Error('Not connected: use Connect first.');
    return session;
  };
  return {
    get state() {
      return current()?.state ?? 'disconnected';
    },
    get error() {
      return current()?.error;
    },
    get apiServer() {
      return current()?.apiServer;
    },
    get serverVersion() {
      return current()?.serverVersion;
    },
    onDidChangeState: (listener) => {
      stateListeners.push(listener);
      return { dispose: () => stateListeners.splice(stateListeners.indexOf(listener), 1) };
    },
    onDidChangeNodes: (listener) => {
      nodeListeners.push(listener);
      return { dispose: () => nodeListeners.splice(nodeListeners.indexOf(listener), 1) };
    },
    nodes: () => current()?.nodes(),
    connect: async (signal) => (await real()).connect(signal),
    disconnect: async () => current()?.disconnect(),
    retry: () => current()?.retry(),
    watchPods: (node) => need().watchPods(node),
    listPods: (node, signal) => need().listPods(node, signal),
    readPod: (ns, name) => need().readPod(ns, name),
    readNode: (name) => need().readNode(name),
    setCordoned: (node, cordoned) => need().setCordoned(node, cordoned),
    drain: (node, options) => need().drain(node, options),
    deletePod: (ns, name) => need().deletePod(ns, name),
    followLogs: (ns, name, onLine) => need().followLogs(ns, name, onLine),
    kubeconfig: () => need().kubeconfig(),
    openShell: async (node, size) => (await real()).openShell(node, size),
    dispose: async () => current()?.dispose(),
  };
}
