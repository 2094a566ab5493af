import * as vscode from 'vscode';
import { commandTable } from './commands';
import type { ExtensionContextBag } from './commands/types';
import { ClustersProvider } from './tree/clusters-provider';

/**
 * The composition root: builds the context every feature shares, registers commands from their table and
 * views, and pushes every disposable. Nothing heavy loads here: the SSH and Kubernetes clients load on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Gateway Clusters', { log: true });
  context.subscriptions.push(log);
  try {
    const clusters = new ClustersProvider();
    context.subscriptions.push(
      clusters,
      vscode.window.createTreeView('gatewayCluster.clusters', {
        treeDataProvider: clusters,
        showCollapseAll: true,
      }),
    );
    const ctx: ExtensionContextBag = { extension: context, log, refreshClusters: () => clusters.refresh() };
    for (const [id, factory] of Object.entries(commandTable)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, factory(ctx)));
    }
  } catch (error) {
    // Show activation failures instead of leaving a silently dead extension.
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(`Gateway Clusters failed to start: ${message}`);
    throw error;
  }
}

export function deactivate(): void {
  // Disposables pushed to context.subscriptions are released by VS Code.
}
