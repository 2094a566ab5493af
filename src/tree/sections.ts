// A cluster's own objects in the tree (after its nodes, while connected): Events, Services, Helm Releases,
// Registration, Storage and the Port Forwards; a node's Events first under the node. A section's live list
// runs while it is expanded and visible and refreshes only that section; the warnings of the last hour keep a
// watch of their own while the cluster is connected, for the cluster's badge.
import * as vscode from 'vscode';
import type {
  ApiClaim,
  ApiEvent,
  ApiRegistration,
  ApiService,
  HelmRelease,
  LiveList,
  PortForwardInfo,
} from '../clusters';
import { releaseDrift } from '../clusters';
import type { ClusterElement, NodeElement, TreeElement } from './elements';
import {
  claimRow,
  eventRow,
  eventTooltip,
  registrationRow,
  releaseRow,
  serviceRow,
  sortEvents,
  warningsInLastHour,
} from './core';
import type { RowElement, SectionElement, SectionKind } from './elements';
import { SECTION_TITLES } from './elements';

const CLUSTER_SECTIONS: SectionKind[] = ['events', 'services', 'releases', 'registration', 'storage'];
const SECTION_ICONS: Record<SectionKind, string> = {
  events: 'bell',
  services: 'globe',
  releases: 'package',
  registration: 'link',
  storage: 'database',
  forwards: 'plug',
};

/** The spec's chart version and values of a release, to show what differs. */
export type WantedRelease = (
  cluster: ClusterElement,
  release: string,
) => { version: string; values: Record<string, string> } | undefined;

export class ClusterSections implements vscode.Disposable {
  private readonly sections = new Map<string, SectionElement>();
  private readonly warnings = new Map<ClusterElement, LiveList<ApiEvent>>();
  private readonly forwardSubscriptions = new Map<ClusterElement, { dispose(): void }>();

  constructor(
    private readonly refresh: (element: TreeElement) => void,
    private readonly wanted: WantedRelease,
  ) {}

  private key(cluster: ClusterElement, section: SectionKind, node?: NodeElement): string {
    return `${cluster.key}|${node?.name ?? ''}|${section}`;
  }

  private element(cluster: ClusterElement, section: SectionKind, node?: NodeElement): SectionElement {
    const key = this.key(cluster, section, node);
    let element = this.sections.get(key);
    if (!element) {
      element = { kind: 'section', section, cluster, node, list: undefined, rows: new Map() };
      this.sections.set(key, element);
    }
    return element;
  }

  /** The sections after a connected cluster's nodes (Port Forwards only while there are any). */
  clusterSections(cluster: ClusterElement): SectionElement[] {
    const live = cluster.context.live.state;
    if (live !== 'connected' && live !== 'unreachable') return [];
    this.followForwards(cluster);
    const kinds = [...CLUSTER_SECTIONS];
    if (cluster.context.views.portForwards().length > 0) kinds.push('forwards');
    return kinds.map((k) => this.element(cluster, k));
  }

  nodeEvents(node: NodeElement): SectionElement {
    return this.element(node.cluster, 'events', node);
  }

  private followForwards(cluster: ClusterElement): void {
    if (this.forwardSubscriptions.has(cluster)) return;
    this.forwardSubscriptions.set(
      cluster,
      cluster.context.views.onDidChangeForwards(() => {
        this.refresh(cluster);
        const section = this.sections.get(this.key(cluster, 'forwards'));
        if (section) this.refresh(section);
      }),
    );
  }

  // ---- the badge: warnings of the last hour ---------------------------------------------------------

  /** Starts or stops the cluster's warnings watch with its connection. */
  followConnection(cluster: ClusterElement): void {
    const state = cluster.context.live.state;
    const running = this.warnings.get(cluster);
    if (state === 'connected' && !running) {
      const list = cluster.context.views.events('type=Warning');
      list.onDidChange(() => this.refresh(cluster));
      this.warnings.set(cluster, list);
    } else if (state === 'disconnected' && running) {
      running.dispose();
      this.warnings.delete(cluster);
      this.stopCluster(cluster);
    }
  }

  /** The badge of a cluster with warnings in the last hour, on its item's description. */
  decorateCluster(item: vscode.TreeItem, cluster: ClusterElement): vscode.TreeItem {
    const warnings = this.warningCount(cluster);
    if (warnings > 0) item.description = `${String(item.description ?? '')} · ⚠ ${warnings}`;
    return item;
  }

  warningCount(cluster: ClusterElement, now = Date.now()): number {
    return warningsInLastHour(this.warnings.get(cluster)?.items() ?? [], now);
  }

  // ---- expansion ---------------------------------------------------------------------------------------

  private start(section: SectionElement): void {
    if (section.list || section.section === 'forwards') return;
    const views = section.cluster.context.views;
    const node = section.node;
    let list: LiveList<unknown>;
    switch (section.section) {
      case 'events':
        list = views.events(node ? `involvedObject.kind=Node,involvedObject.name=${node.name}` : undefined);
        break;
      case 'services':
        list = views.services();
        break;
      case 'releases':
        list = views.releases();
        break;
      case 'registration':
        list = views.registration();
        break;
      case 'storage':
        list = views.claims();
        break;
    }
    section.list = list;
    list.onDidChange(() => {
      if (section.list === list) this.refresh(section);
    });
  }

  /** A collapsed (or hidden) section stops its watch; it lists afresh when expanded again. */
  stop(section: SectionElement): void {
    section.list?.dispose();
    section.list = undefined;
    section.rows.clear();
  }

  /** The section's own Refresh: lists again, touching nothing else. */
  reload(section: SectionElement): void {
    if (section.list) section.list.refresh();
    else this.refresh(section);
  }

  private stopCluster(cluster: ClusterElement): void {
    for (const section of this.sections.values()) if (section.cluster === cluster) this.stop(section);
  }

  /** Sections whose watches run now (tests check that collapsed ones run none). */
  get running(): number {
    return [...this.sections.values()].filter((s) => s.list).length;
  }

  // ---- children and items ------------------------------------------------------------------------------

  children(section: SectionElement): TreeElement[] {
    if (section.section === 'forwards') {
      return section.cluster.context.views.portForwards().map((f) => this.row(section, f.id, forwardRow(f)));
    }
    this.start(section);
    const list = section.list!;
    if (list.error)
      return [
        this.row(section, 'error', {
          label: `Cannot list: ${list.error}`,
          description: 'retrying',
          tooltip: list.error,
          icon: 'error',
          color: 'charts.red',
          contextValue: 'message',
          data: undefined,
        }),
      ];
    const items = list.items();
    if (!items)
      return [
        this.row(section, 'loading', {
          label: 'Loading…',
          description: '',
          tooltip: '',
          icon: 'loading~spin',
          contextValue: 'message',
          data: undefined,
        }),
      ];
    const now = Date.now();
    const rows = this.rowsOf(section, items, now);
    if (rows.length === 0)
      return [
        this.row(section, 'empty', {
          label: emptyText(section.section),
          description: '',
          tooltip: '',
          icon: 'info',
          contextValue: 'message',
          data: undefined,
        }),
      ];
    const ids = new Set(rows.map((r) => r.id));
    for (const id of [...section.rows.keys()]) if (!ids.has(id)) section.rows.delete(id);
    return rows;
  }

  private rowsOf(section: SectionElement, items: unknown[], now: number): RowElement[] {
    switch (section.section) {
      case 'events':
        return sortEvents(items as ApiEvent[], now).map((e) => {
          const row = eventRow(e, now, !section.node);
          const warning = e.type === 'Warning';
          return this.row(section, e.uid, {
            ...row,
            tooltip: eventTooltip(e, now),
            icon: warning ? 'warning' : 'info',
            color: warning ? 'charts.yellow' : undefined,
            contextValue: 'event',
            data: e,
          });
        });
      case 'services':
        return (items as ApiService[])
          .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
          .map((s) =>
            this.row(section, `${s.namespace}/${s.name}`, {
              label: s.name,
              description: `${s.namespace} · ${serviceRow(s)}`,
              tooltip: `${s.namespace}/${s.name}\n${serviceRow(s)}${s.release ? `\nfrom helm release ${s.release}` : ''}`,
              icon: s.type === 'LoadBalancer' ? 'globe' : 'symbol-interface',
              contextValue: s.ports.length ? 'service' : 'service:noports',
              data: s,
            }),
          );
      case 'releases':
        return (items as HelmRelease[]).map((r) => {
          const drift = releaseDrift(r, this.wanted(section.cluster, r.name));
          const { description, tooltip } = releaseRow(r, now, drift);
          return this.row(section, `${r.namespace}/${r.name}`, {
            label: r.name,
            description,
            tooltip,
            icon: r.status === 'deployed' ? (drift.length ? 'warning' : 'package') : 'error',
            color: r.status !== 'deployed' ? 'charts.red' : drift.length ? 'charts.yellow' : undefined,
            contextValue: 'release',
            data: r,
          });
        });
      case 'registration': {
        const profile = section.cluster.context.model.registration?.managementProfile;
        const r = (items as ApiRegistration[])[0];
        const row = registrationRow(r, profile);
        return [
          this.row(section, 'state', {
            ...row,
            tooltip: r
              ? `gateway-registration-status: ${r.state}${r.message ? ` — ${r.message}` : ''}${r.updated ? `\nupdated ${new Date(r.updated).toISOString()}` : ''}`
              : 'No ConfigMap gateway-registration-status: run Register.',
            icon:
              r?.state === 'connected'
                ? 'pass-filled'
                : r?.state === 'failed'
                  ? 'error'
                  : 'circle-large-outline',
            color:
              r?.state === 'connected' ? 'charts.green' : r?.state === 'failed' ? 'charts.red' : undefined,
            contextValue: 'registration',
            data: r,
          }),
        ];
      }
      case 'storage': {
        const nfs = section.cluster.context.model.storage?.nfs;
        const claims = (items as ApiClaim[]).map((c) =>
          this.row(section, `${c.namespace}/${c.name}`, {
            label: c.name,
            description: `${c.namespace} · ${claimRow(c)}`,
            tooltip: `${c.namespace}/${c.name}: ${claimRow(c)}${c.volume ? `\nvolume ${c.volume}` : ''}`,
            icon: c.phase === 'Bound' ? 'database' : 'warning',
            color: c.phase === 'Bound' ? undefined : 'charts.yellow',
            contextValue: 'claim',
            data: c,
          }),
        );
        const exportRow = nfs
          ? [
              this.row(section, 'nfs', {
                label: 'NFS export',
                description: `${nfs.server}:${nfs.path}`,
                tooltip: 'The export the storage chart provisions claims on (from the spec).',
                icon: 'server',
                contextValue: 'nfs',
                data: nfs,
              }),
            ]
          : [];
        return [...exportRow, ...claims];
      }
      case 'forwards':
        return [];
    }
  }

  private row(
    section: SectionElement,
    id: string,
    fields: Omit<RowElement, 'kind' | 'parent' | 'id'>,
  ): RowElement {
    let row = section.rows.get(id);
    if (!row) {
      row = { kind: 'row', parent: section, id, ...fields };
      section.rows.set(id, row);
    } else Object.assign(row, fields);
    return row;
  }

  sectionItem(section: SectionElement): vscode.TreeItem {
    const item = new vscode.TreeItem(
      SECTION_TITLES[section.section],
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.key(section.cluster, section.section, section.node);
    item.iconPath = new vscode.ThemeIcon(SECTION_ICONS[section.section]);
    item.contextValue = `section:${section.section}`;
    if (section.section === 'events' && !section.node) {
      const count = this.warningCount(section.cluster);
      if (count > 0) {
        item.description = `${count} warning${count === 1 ? '' : 's'} in the last hour`;
        item.iconPath = new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('charts.yellow'));
      }
    }
    if (section.section === 'forwards') {
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      item.description = String(section.cluster.context.views.portForwards().length);
    }
    return item;
  }

  rowItem(row: RowElement): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.key(row.parent.cluster, row.parent.section, row.parent.node)}/${row.id}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon, row.color ? new vscode.ThemeColor(row.color) : undefined);
    item.contextValue = row.contextValue;
    return item;
  }

  dispose(): void {
    for (const section of this.sections.values()) this.stop(section);
    for (const list of this.warnings.values()) list.dispose();
    for (const s of this.forwardSubscriptions.values()) s.dispose();
    this.sections.clear();
    this.warnings.clear();
  }
}

function forwardRow(f: PortForwardInfo): Omit<RowElement, 'kind' | 'parent' | 'id'> {
  return {
    label: `${f.localAddress}:${f.localPort}`,
    description: `→ ${f.target}:${f.remotePort}`,
    tooltip: `Forwarding ${f.localAddress}:${f.localPort} to ${f.target} port ${f.remotePort} (pod ${f.namespace}/${f.pod}) through the Kubernetes API.`,
    icon: 'plug',
    color: 'charts.green',
    contextValue: 'portForward',
    data: f,
  };
}

function emptyText(section: SectionKind): string {
  return {
    events: 'No events',
    services: 'No services',
    releases: 'No helm releases',
    registration: 'not registered',
    storage: 'No claims',
    forwards: 'No port forwards',
  }[section];
}
