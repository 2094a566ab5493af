import * as vscode from 'vscode';

/** Files that may hold a cluster spec, as the contract names them. */
export const SPEC_GLOB = '**/{cluster.yaml,*.cluster.yaml}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';

/**
 * The "Clusters" view. For now one item per spec file in the workspace; an empty list lets the view's
 * welcome ("Create cluster.yaml") show. The live clusters → nodes → pods tree builds on this provider.
 */
export class ClustersProvider implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;

  constructor() {
    // A watcher, not polling: the list changes only when spec files come and go.
    this.watcher = vscode.workspace.createFileSystemWatcher(SPEC_GLOB, false, true, false);
    this.watcher.onDidCreate(() => this.refresh());
    this.watcher.onDidDelete(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element) return [];
    const files = await vscode.workspace.findFiles(SPEC_GLOB, EXCLUDE_GLOB, 200);
    return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const item = new vscode.TreeItem(
      vscode.workspace.asRelativePath(uri),
      vscode.TreeItemCollapsibleState.None,
    );
    item.resourceUri = uri;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.tooltip = uri.fsPath;
    item.contextValue = 'clusterSpec';
    item.command = { command: 'vscode.open', title: 'Open Spec', arguments: [uri] };
    return item;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
