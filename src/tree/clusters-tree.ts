// Everything the Clusters view needs in the editor: provider, TreeView, status bar item, view badge, describe
// documents and log follows, over the cluster registry. activate() constructs it; commands use its pickers.
import * as vscode from 'vscode';
import type { ApiPod, ClusterRegistry, LogFollow } from '../clusters';
import { ClustersProvider } from './clusters-provider';
import { DESCRIBE_SCHEME, DescribeProvider } from './describe-provider';
import type { ClusterElement, PodElement, TreeElement } from './elements';
import { liveOf, modelOf } from './elements';
import { ClusterStates } from './cluster-states';
import { isNotReady, severityOf, worstState, type ClusterState } from './core';
import { decorateWithState, STATE_ICONS } from './state-items';
import { TreePickers } from './pickers';
import { LB_SCHEME, LoadBalancerDocuments } from './lb-documents';

export const VIEW_ID = 'gatewayCluster.clusters';

const HEALTH_ICONS: Record<string, string> = {
  notConnected: '$(debug-disconnect)',
  connecting: '$(loading~spin)',
  notBuilt: '$(circle-large-outline)',
  healthy: '$(pass-filled)',
  degraded: '$(warning)',
  unreachable: '$(error)',
};

export class ClustersTree extends TreePickers implements vscode.Disposable {
  override readonly provider: ClustersProvider;
  readonly view: vscode.TreeView<TreeElement>;
  readonly describe = new DescribeProvider();
  readonly lbDocuments = new LoadBalancerDocuments();
  readonly logFollows = new Map<
    string,
    { follow: LogFollow; channel: vscode.OutputChannel; lines: string[] }
  >();
  private readonly statusBar: vscode.StatusBarItem;
  /** Each cluster's state (Not built … Registered, Degraded, Failed), shown on its item and the status bar. */
  readonly states: ClusterStates;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    registry: ClusterRegistry,
    readonly log: vscode.LogOutputChannel,
  ) {
    const provider = new ClustersProvider(registry, log);
    super(provider);
    this.provider = provider;
    this.states = new ClusterStates((cluster) => provider.refreshItem(cluster));
    provider.decorateCluster = (item, cluster) => decorateWithState(item, cluster, this.stateOf(cluster));
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
    this.statusBar = vscode.window.createStatusBarItem(
      'gatewayCluster.health',
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.statusBar.name = 'Gateway Cluster Health';
    this.disposables.push(
      this.view,
      provider.attach(this.view),
      provider,
      this.statusBar,
      this.describe,
      this.states,
      vscode.workspace.registerTextDocumentContentProvider(DESCRIBE_SCHEME, this.describe),
      this.lbDocuments,
      vscode.workspace.registerTextDocumentContentProvider(LB_SCHEME, this.lbDocuments),
      provider.onDidChangeHealth(() => this.updateIndicators()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateIndicators()),
    );
    this.updateIndicators();
  }

  /** A cluster's state now (its watches follow its connection). */
  stateOf(cluster: ClusterElement): ClusterState {
    // A load-balanced cluster has no Kubernetes API: its state is its load balancer's (lb-branch.ts).
    const balanced = this.provider.loadBalancers.statusText(cluster);
    if (balanced !== undefined) return { kind: 'unknown', label: balanced };
    this.states.followConnection(cluster);
    return this.states.stateOf(cluster, this.provider.health(cluster), this.provider.merged(cluster));
  }

  private updateIndicators(): void {
    const clusters = this.provider.allClusters();
    this.states.keepOnly(clusters);
    const notReady = clusters
      .filter((c) => liveOf(c).state === 'connected')
      .reduce((n, c) => n + this.provider.merged(c).filter(isNotReady).length, 0);
    this.view.badge =
      notReady > 0
        ? { value: notReady, tooltip: `${notReady} node${notReady === 1 ? '' : 's'} NotReady` }
        : undefined;
    // The worst of the workspace's clusters (the active spec's first among equals).
    const editor = vscode.window.activeTextEditor;
    const active = editor ? this.provider.clustersOf(editor.document.uri)[0] : undefined;
    const ordered = active ? [active, ...clusters.filter((c) => c !== active)] : clusters;
    const states = ordered.map((cluster) => ({ cluster, state: this.stateOf(cluster) }));
    const worst = worstState(states.map((s) => s.state));
    const cluster = worst && states.find((s) => s.state === worst)?.cluster;
    if (!cluster || !worst) {
      this.statusBar.hide();
      return;
    }
    const health = this.provider.health(cluster);
    const name = modelOf(cluster).name;
    const others = clusters.length > 1 ? ` (worst of ${clusters.length})` : '';
    const balanced = this.provider.loadBalancers.statusText(cluster);
    this.statusBar.text = balanced
      ? `$(server-process) ${name}: ${balanced}`
      : `${STATE_ICONS[worst.kind] ?? HEALTH_ICONS[health.health] ?? ''} ${name}: ${worst.kind === 'unknown' ? health.description : worst.label}`;
    this.statusBar.tooltip = `Gateway cluster ${name}${others}: ${balanced ?? `${worst.label} · ${health.description}`} — click to reveal it in the Clusters view`;
    this.statusBar.command = {
      command: 'gatewayCluster.clusters.reveal',
      title: 'Reveal',
      arguments: [cluster.key],
    };
    this.statusBar.backgroundColor =
      severityOf(worst) >= severityOf({ kind: 'failed', label: '' }) || health.health === 'unreachable'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst.kind === 'degraded'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.statusBar.show();
  }

  get statusBarText(): string | undefined {
    return this.statusBar.text;
  }

  /** Reveals a pod in the tree, expanding its node (which starts that node's watch). */
  async revealPod(cluster: ClusterElement, pod: ApiPod): Promise<PodElement | undefined> {
    if (!cluster.nodes.get(pod.nodeName)) await this.provider.getChildren(cluster);
    const node = cluster.nodes.get(pod.nodeName);
    if (!node) return undefined;
    await this.view.reveal(node, { expand: true, select: false }).then(undefined, () => undefined);
    const element = await this.provider.elementOfPod(cluster, pod);
    if (element)
      await this.view.reveal(element, { select: true, focus: true }).then(undefined, () => undefined);
    return element;
  }

  dispose(): void {
    for (const { follow, channel } of this.logFollows.values()) {
      follow.stop();
      channel.dispose();
    }
    this.logFollows.clear();
    for (const d of this.disposables) d.dispose();
  }
}
