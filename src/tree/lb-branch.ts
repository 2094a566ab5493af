// The load balancer's part of the Clusters view: a load-balanced cluster shows its load balancer, whose
// frontends and backend servers carry the runtime API's live state. `show stat` is polled (every few seconds)
// only while the load balancer is expanded and the view visible; each answer refreshes that branch.
import * as vscode from 'vscode';
import type { LiveLoadBalancer, LbSnapshot } from '../clusters';
import {
  modelOf,
  type BackendElement,
  type ClusterElement,
  type FrontendElement,
  type LbTreeElement,
  type LoadBalancerElement,
  type ServerElement,
  type TreeElement,
} from './elements';
import { clusterId } from './items';
import {
  NOT_IN_RUNNING_CONFIG,
  backendSummary,
  describeServer,
  frontendDescription,
  lbSummary,
  markdownCode,
  markdownText,
  runsSpecConfig,
  serverView,
  type ServerHealth,
  type ServerView,
} from './core';

const SERVER_ICONS: Record<ServerHealth, vscode.ThemeIcon> = {
  up: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green')),
  down: new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red')),
  maint: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('disabledForeground')),
  drain: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow')),
  changing: new vscode.ThemeIcon('sync', new vscode.ThemeColor('charts.yellow')),
  unknown: new vscode.ThemeIcon('question'),
};
/** A spec gateway the running haproxy.cfg has no server for. */
const ABSENT_ICON = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));

const LB_KINDS = new Set<TreeElement['kind']>(['loadBalancer', 'frontend', 'backend', 'server']);

export function isLbElement(element: TreeElement): element is LbTreeElement {
  return LB_KINDS.has(element.kind);
}

export class LoadBalancerBranch {
  /** Load balancers whose children were asked for (expanded): they poll while the view is visible. */
  private readonly expanded = new Set<LoadBalancerElement>();
  private readonly subscriptions = new Map<LoadBalancerElement, { dispose(): void }>();
  private visible = true;
  private readonly host: { refresh(element: TreeElement): void };

  /** `refresh` redraws an element (coalesced by the provider). */
  constructor(refresh: (element: TreeElement) => void) {
    this.host = { refresh };
  }

  /** Collapsing a load balancer and hiding the view stop its polls. */
  attach(view: vscode.TreeView<TreeElement>): vscode.Disposable {
    this.visible = view.visible;
    return vscode.Disposable.from(
      view.onDidCollapseElement((e) => {
        if (e.element.kind === 'loadBalancer') this.collapse(e.element);
      }),
      view.onDidChangeVisibility((e) => {
        this.visible = e.visible;
        for (const lb of this.expanded) this.updateWatch(lb);
      }),
    );
  }

  private live(lb: LoadBalancerElement): LiveLoadBalancer {
    return lb.cluster.context.loadBalancer;
  }

  clusterChildren(cluster: ClusterElement): TreeElement[] {
    if (!modelOf(cluster).loadBalancer) return [];
    if (!cluster.loadBalancer) {
      const lb: LoadBalancerElement = {
        kind: 'loadBalancer',
        cluster,
        frontends: new Map(),
        backend: undefined,
        watch: undefined,
      };
      cluster.loadBalancer = lb;
      this.subscriptions.set(
        lb,
        this.live(lb).onDidChange(() => {
          this.host.refresh(lb);
          this.host.refresh(cluster);
        }),
      );
    }
    return [cluster.loadBalancer];
  }

  /** The children of a load balancer or backend (other elements have none here). */
  children(element: TreeElement): TreeElement[] {
    if (element.kind === 'loadBalancer') {
      this.expanded.add(element);
      this.updateWatch(element);
      const lbModel = modelOf(element.cluster).loadBalancer;
      if (!lbModel) return [];
      const frontends = lbModel.frontends.map((f) => {
        let node = element.frontends.get(f.name);
        if (!node) element.frontends.set(f.name, (node = { kind: 'frontend', lb: element, name: f.name }));
        return node;
      });
      if (element.backend?.name !== lbModel.backend.name)
        element.backend = { kind: 'backend', lb: element, name: lbModel.backend.name, servers: new Map() };
      return [...frontends, element.backend];
    }
    if (element.kind === 'backend') {
      const names = modelOf(element.lb.cluster).loadBalancer?.backend.servers ?? [];
      return names.map((name) => {
        let server = element.servers.get(name);
        if (!server) element.servers.set(name, (server = { kind: 'server', backend: element, name }));
        return server;
      });
    }
    return [];
  }

  collapse(lb: LoadBalancerElement): void {
    this.expanded.delete(lb);
    this.updateWatch(lb);
  }

  /** A load balancer polls while it is expanded and the view shows. */
  private updateWatch(lb: LoadBalancerElement): void {
    const wanted = this.expanded.has(lb) && this.visible;
    if (wanted && !lb.watch) lb.watch = this.live(lb).watch();
    if (!wanted && lb.watch) {
      lb.watch.dispose();
      lb.watch = undefined;
    }
  }

  forget(cluster: ClusterElement): void {
    const lb = cluster.loadBalancer;
    if (!lb) return;
    this.collapse(lb);
    this.subscriptions.get(lb)?.dispose();
    this.subscriptions.delete(lb);
  }

  /** Number of load balancers polling now (tests: collapsed or hidden ones poll nothing). */
  get activeWatches(): number {
    return [...this.subscriptions.keys()].filter((lb) => lb.watch).length;
  }

  /** The server's live view, for commands and tests. */
  serverView(server: ServerElement, now = Date.now()): ServerView | undefined {
    const snapshot = this.live(server.backend.lb).snapshot();
    const row = snapshot?.rows.find((r) => r.proxy === server.backend.name && r.name === server.name);
    return row && snapshot ? serverView(row, snapshot.at, now) : undefined;
  }

  item(element: TreeElement): vscode.TreeItem {
    if (element.kind === 'cluster') return this.clusterItem(element);
    if (!isLbElement(element)) return new vscode.TreeItem('');
    switch (element.kind) {
      case 'loadBalancer':
        return this.lbItem(element);
      case 'frontend':
        return this.frontendItem(element);
      case 'backend':
        return this.backendItem(element);
      case 'server':
        return this.serverItem(element);
    }
  }

  /** The status bar's words for a load-balanced cluster ("load-balanced · 3 gateways · 3/3 UP"). */
  statusText(cluster: ClusterElement): string | undefined {
    if (modelOf(cluster).topology !== 'load-balanced') return undefined;
    return String(this.clusterItem(cluster).description ?? '');
  }

  /** A load-balanced cluster's item: no Kubernetes API to connect to; its state is its load balancer's. */
  clusterItem(cluster: ClusterElement): vscode.TreeItem {
    const model = modelOf(cluster);
    const item = new vscode.TreeItem(
      model.name || '(unnamed cluster)',
      vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = clusterId(cluster);
    const lb = cluster.loadBalancer;
    const snapshot = lb && this.live(lb).snapshot();
    const summary =
      lb?.backend && snapshot ? lbSummary(this.views(lb.backend, snapshot), this.runsSpec(lb)) : undefined;
    item.description = [
      'load-balanced',
      `${model.nodes.length} gateway${model.nodes.length === 1 ? '' : 's'}`,
      summary,
    ]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('charts.blue'));
    item.contextValue = 'lbCluster';
    item.tooltip = new vscode.MarkdownString(
      [
        `**${markdownText(model.name)}** — management gateways behind an HAProxy load balancer`,
        `Spec: ${markdownCode(vscode.Uri.parse(cluster.specUri).fsPath)}`,
        'Operations: Install Gateways, Configure Load Balancer, Configure Agents, Drill (on a gateway).',
      ].join('\n\n'),
      true,
    );
    return item;
  }

  /** Whether haproxy runs the spec's haproxy.cfg (true until show info was read). */
  private runsSpec(lb: LoadBalancerElement): boolean {
    const live = this.live(lb);
    const snapshot = live.snapshot();
    return !snapshot || runsSpecConfig(snapshot.description, live.specFingerprint());
  }

  private views(backend: BackendElement, snapshot: LbSnapshot | undefined): ServerView[] {
    if (!snapshot) return [];
    const now = Date.now();
    return snapshot.rows
      .filter((r) => r.proxy === backend.name && r.name !== 'BACKEND' && r.name !== 'FRONTEND')
      .map((r) => serverView(r, snapshot.at, now));
  }

  private lbItem(lb: LoadBalancerElement): vscode.TreeItem {
    const model = modelOf(lb.cluster).loadBalancer!;
    const live = this.live(lb);
    const snapshot = live.snapshot();
    const item = new vscode.TreeItem(
      model.hostname || '(load balancer)',
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `${clusterId(lb.cluster)}/lb`;
    const spec = this.runsSpec(lb);
    const summary =
      snapshot && lb.backend
        ? lbSummary(this.views(lb.backend, snapshot), spec)
        : live.watching
          ? 'reading…'
          : 'expand to watch';
    item.description = `HAProxy ${model.address} · ${live.error ? 'unreachable' : summary}`;
    const colour = live.error
      ? 'charts.red'
      : !snapshot
        ? 'disabledForeground'
        : spec
          ? 'charts.green'
          : 'charts.yellow';
    item.iconPath = new vscode.ThemeIcon('server-process', new vscode.ThemeColor(colour));
    item.contextValue = 'loadBalancer';
    const lines = [
      `**${markdownText(model.hostname)}** — HAProxy load balancer, ${markdownText(model.address)}`,
      `Runtime API: ${markdownCode(model.statsSocket)} (show stat every ${live.refreshMs / 1000} s while shown)`,
      `Configuration: ${markdownCode(model.configPath)}`,
    ];
    if (snapshot?.version) lines.push(`Version: ${markdownText(snapshot.version)}`);
    if (snapshot?.description) lines.push(`Running: ${markdownCode(snapshot.description)}`);
    if (!spec)
      lines.push(
        `haproxy runs another configuration than the spec's (${markdownCode(live.specFingerprint() ?? '')} is not in show info's description): **Configure Load Balancer** installs the spec's.`,
      );
    if (snapshot) lines.push(`Read at ${markdownText(new Date(snapshot.at).toLocaleTimeString())}`);
    if (live.error) lines.push(`Last read failed: ${markdownText(live.error)}`);
    item.tooltip = new vscode.MarkdownString(lines.join('\n\n'), true);
    return item;
  }

  private frontendItem(frontend: FrontendElement): vscode.TreeItem {
    const model = modelOf(frontend.lb.cluster).loadBalancer!.frontends.find((f) => f.name === frontend.name);
    const snapshot = this.live(frontend.lb).snapshot();
    const row = snapshot?.rows.find((r) => r.proxy === frontend.name && r.name === 'FRONTEND');
    const item = new vscode.TreeItem(frontend.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${clusterId(frontend.lb.cluster)}/lb/frontend/${frontend.name}`;
    item.description = frontendDescription(
      `${model?.bind ?? '*'}:${model?.port ?? '?'}`,
      row,
      snapshot !== undefined,
    );
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'lbFrontend';
    return item;
  }

  private backendItem(backend: BackendElement): vscode.TreeItem {
    const model = modelOf(backend.lb.cluster).loadBalancer!;
    const snapshot = this.live(backend.lb).snapshot();
    const views = this.views(backend, snapshot);
    const item = new vscode.TreeItem(backend.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `${clusterId(backend.lb.cluster)}/lb/backend/${backend.name}`;
    const absent = snapshot && !views.length ? NOT_IN_RUNNING_CONFIG : undefined;
    item.description = [views.length ? backendSummary(views) : absent, model.backend.balance]
      .filter(Boolean)
      .join(' · ');
    item.iconPath = new vscode.ThemeIcon('layers');
    item.contextValue = 'lbBackend';
    return item;
  }

  private serverItem(server: ServerElement): vscode.TreeItem {
    const view = this.serverView(server);
    // show stat was read and has no row for it: the running haproxy.cfg does not name this gateway.
    const absent = !view && this.live(server.backend.lb).snapshot() !== undefined;
    const node = modelOf(server.backend.lb.cluster).nodes.find((n) => n.hostname === server.name);
    const item = new vscode.TreeItem(server.name, vscode.TreeItemCollapsibleState.None);
    item.id = `${clusterId(server.backend.lb.cluster)}/lb/server/${server.name}`;
    item.description = view
      ? describeServer(view)
      : [node?.address, absent ? NOT_IN_RUNNING_CONFIG : undefined].filter(Boolean).join(' · ');
    item.iconPath = absent ? ABSENT_ICON : SERVER_ICONS[view?.health ?? 'unknown'];
    item.contextValue = `lbServer:${absent ? 'absent' : (view?.health ?? 'unknown')}`;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${markdownText(server.name)}** — gateway${node ? ` at ${markdownText(node.address)}` : ''}`,
        view
          ? `State: ${markdownText(describeServer(view))}`
          : absent
            ? `State: ${NOT_IN_RUNNING_CONFIG} — Configure Load Balancer installs the spec's haproxy.cfg`
            : 'State: not read yet',
        view?.sessions !== undefined ? `Sessions: ${view.sessions}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      true,
    );
    return item;
  }

  dispose(): void {
    for (const lb of this.subscriptions.keys()) lb.watch?.dispose();
    for (const s of this.subscriptions.values()) s.dispose();
    this.subscriptions.clear();
    this.expanded.clear();
  }
}
