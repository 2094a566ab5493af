// TreeItems for each element: labels, descriptions, icons coloured by health, tooltips, context values.
import * as vscode from 'vscode';
import type { ClusterElement, MessageElement, NamespaceElement, NodeElement, PodElement } from './elements';
import type { ClusterHealth, HealthSummary, MergedNode, PodHealth } from './core';
import { clusterTooltip, describeNode, describePod, markdownText, nodeTooltip, podHealth } from './core';

const CLUSTER_ICONS: Record<ClusterHealth, vscode.ThemeIcon> = {
  notConnected: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('disabledForeground')),
  connecting: new vscode.ThemeIcon('loading~spin'),
  notBuilt: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('charts.blue')),
  healthy: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('charts.green')),
  degraded: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('charts.yellow')),
  unreachable: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('charts.red')),
};

const POD_ICONS: Record<PodHealth, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.green')),
  pending: new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('charts.yellow')),
  failing: new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red')),
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('disabledForeground')),
  terminating: new vscode.ThemeIcon('trash', new vscode.ThemeColor('disabledForeground')),
};

export function clusterId(cluster: ClusterElement): string {
  return cluster.key;
}

export function nodeId(node: NodeElement): string {
  return `${node.cluster.key}/node/${node.name}`;
}

export function clusterItem(
  cluster: ClusterElement,
  health: HealthSummary,
  nodes: MergedNode[],
): vscode.TreeItem {
  const item = new vscode.TreeItem(
    cluster.context.model.name || '(unnamed cluster)',
    nodes.length > 0 || cluster.errorItem
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.None,
  );
  item.id = clusterId(cluster);
  item.description = cluster.connectError ? `${health.description} · connect failed` : health.description;
  item.iconPath = CLUSTER_ICONS[health.health];
  const session = cluster.context.live;
  const state = session.state;
  item.contextValue = `cluster:${state === 'unreachable' ? 'connected' : state}`;
  const model = cluster.context.model;
  item.tooltip = new vscode.MarkdownString(
    clusterTooltip({
      name: model.name,
      health: health.description,
      specPath: vscode.Uri.parse(cluster.specUri).fsPath,
      documentIndex: cluster.context.documentIndex,
      topology: model.topology,
      apiServer: session.apiServer,
      serverVersion: session.serverVersion,
      specChartVersion: model.charts.version || undefined,
      connectError: cluster.connectError,
      connected: state !== 'disconnected',
    }),
    true,
  );
  return item;
}

export function nodeItem(node: NodeElement, merged: MergedNode | undefined): vscode.TreeItem {
  const live = !!merged?.api && node.cluster.context.live.state !== 'disconnected';
  const item = new vscode.TreeItem(
    node.name,
    live ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeId(node);
  if (!merged) return item;
  item.description = describeNode(merged, node.podCount);
  item.iconPath = nodeIcon(merged);
  item.contextValue = `node:${merged.spec ? 'spec' : 'nospec'}:${live ? (merged.cordoned ? 'cordoned' : 'schedulable') : 'offline'}`;
  const tooltip = new vscode.MarkdownString(
    nodeTooltip({
      name: node.name,
      description: String(item.description),
      specIndex: merged.spec?.index,
      specAddress: merged.spec?.address,
      apiAddresses: merged.api?.addresses,
      mismatches: merged.mismatches,
    }),
    true,
  );
  item.tooltip = tooltip;
  showActivity(item, node, tooltip);
  return item;
}

/** A node-level operation running on the node: its name and step lead the description, with a spinner. */
function showActivity(item: vscode.TreeItem, node: NodeElement, tooltip: vscode.MarkdownString): void {
  const activity = node.cluster.context.activity.of(node.name);
  if (activity) {
    const at = activity.stepIndex === undefined ? '' : ` (${activity.stepIndex + 1}/${activity.stepCount})`;
    const step = `${activity.step ?? 'starting'}${at}`;
    item.description = `${activity.title}: ${step} · ${String(item.description ?? '')}`;
    item.iconPath = new vscode.ThemeIcon('sync~spin');
    tooltip.appendMarkdown(`\n\n${markdownText(`Running: ${activity.title} — ${step}`)}`);
  }
  const drill = node.cluster.context.activity.drillSummary(node.name);
  if (drill) tooltip.appendMarkdown(`\n\n${markdownText(drill)}`);
}

function nodeIcon(node: MergedNode): vscode.ThemeIcon {
  if (node.mismatches.length > 0)
    return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
  switch (node.status) {
    case 'ready':
      return node.cordoned
        ? new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'))
        : new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('charts.green'));
    case 'notReady':
      return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('charts.red'));
    case 'notJoined':
    case 'notRenamed':
      return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('disabledForeground'));
    case 'notInSpec':
      return new vscode.ThemeIcon('vm', new vscode.ThemeColor('charts.yellow'));
    case 'unknown':
      return new vscode.ThemeIcon('vm');
  }
}

export function namespaceItem(group: NamespaceElement): vscode.TreeItem {
  const item = new vscode.TreeItem(group.namespace, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${nodeId(group.node)}/ns/${group.namespace}`;
  item.description = `${group.pods.length} pod${group.pods.length === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon('symbol-namespace');
  item.contextValue = 'namespace';
  return item;
}

export function podItem(element: PodElement, now: number): vscode.TreeItem {
  const pod = element.pod;
  const item = new vscode.TreeItem(pod.name, vscode.TreeItemCollapsibleState.None);
  item.id = `${nodeId(element.node)}/pod/${element.key}`;
  item.description = describePod(pod, now, !element.grouped);
  item.iconPath = POD_ICONS[podHealth(pod)];
  item.contextValue = 'pod';
  item.tooltip = `${pod.namespace}/${pod.name}\n${describePod(pod, now)}\nnode ${pod.nodeName}${pod.ownerKind ? `, owned by a ${pod.ownerKind}` : ''}`;
  item.command = { command: 'gatewayCluster.pod.describe', title: 'Describe', arguments: [element] };
  return item;
}

export function messageItem(message: MessageElement): vscode.TreeItem {
  const item = new vscode.TreeItem(message.text, vscode.TreeItemCollapsibleState.None);
  item.iconPath =
    message.severity === 'error'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red'))
      : new vscode.ThemeIcon('info');
  item.tooltip = message.tooltip ?? message.text;
  item.contextValue = message.retry ? 'message:retry' : 'message';
  if (message.retry) {
    item.command = { command: 'gatewayCluster.cluster.retry', title: 'Retry', arguments: [message] };
  }
  return item;
}
