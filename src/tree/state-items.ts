// A cluster's state on its tree item: the description leads with it ("Registered · 3/3 Ready · HA",
// "Degraded: gw-2 NotReady · …", "Failed: Deploy Gateway Services — Install the Gateway Manager chart"), a
// Degraded or Failed cluster's icon says so, and a Failed one opens its run when clicked.
import * as vscode from 'vscode';
import type { ClusterElement } from './elements';
import type { ClusterState, ClusterStateKind } from './core';
import { markdownText } from './core';

/** Status bar icons by state ('unknown' falls back to the connection's). */
export const STATE_ICONS: Partial<Record<ClusterStateKind, string>> = {
  notBuilt: '$(circle-large-outline)',
  joining: '$(loading~spin)',
  deploying: '$(loading~spin)',
  joined: '$(server-environment)',
  running: '$(pass)',
  registered: '$(pass-filled)',
  degraded: '$(warning)',
  failed: '$(error)',
};

export function decorateWithState(
  item: vscode.TreeItem,
  cluster: ClusterElement,
  state: ClusterState,
): vscode.TreeItem {
  if (state.kind === 'unknown') return item;
  const when = state.fromRuns ? ' (last run)' : '';
  item.description = `${state.label}${when} · ${String(item.description ?? '')}`;
  if (state.kind === 'failed' || state.kind === 'degraded')
    item.iconPath = new vscode.ThemeIcon(
      state.kind === 'failed' ? 'error' : 'warning',
      new vscode.ThemeColor(state.kind === 'failed' ? 'charts.red' : 'charts.yellow'),
    );
  if (item.tooltip instanceof vscode.MarkdownString)
    item.tooltip.appendMarkdown(`\n\n${markdownText(`State: ${state.label}${when}`)}`);
  if (state.failedRun) {
    item.command = {
      command: 'gatewayCluster.cluster.openLastFailedRun',
      title: 'Open the Failed Run',
      arguments: [cluster.key, state.failedRun.runId],
    };
    if (item.tooltip instanceof vscode.MarkdownString)
      item.tooltip.appendMarkdown(`\n\n${markdownText('Click to open the failed run.')}`);
  }
  return item;
}
