import * as vscode from 'vscode';
import { EXAMPLE_HA_SPEC } from '../cluster-spec/examples';
import type { CommandFactory } from './types';

/**
 * "Create cluster.yaml": writes the contract's commented three-node example into the workspace and opens it.
 * An existing cluster.yaml is never overwritten: the user picks another name or the existing file opens.
 */
export const createExampleSpec: CommandFactory = (ctx) => async () => {
  const folder = await pickWorkspaceFolder();
  if (!folder) {
    void vscode.window.showWarningMessage(
      'Open a folder first: cluster.yaml is created in the workspace folder.',
    );
    return undefined;
  }
  const target = await freeSpecUri(folder.uri);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(EXAMPLE_HA_SPEC));
  ctx.log.info(`Created ${target.fsPath}`);
  const document = await vscode.workspace.openTextDocument(target);
  await vscode.window.showTextDocument(document, { preview: false });
  // The spec service validates the new file (its watcher, or the editor that opened it) and the tree follows.
  return target;
};

export async function pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to create cluster.yaml in' });
}

/** cluster.yaml, or site-2.cluster.yaml, site-3.cluster.yaml… when taken (both names are recognised as specs). */
export async function freeSpecUri(folder: vscode.Uri): Promise<vscode.Uri> {
  const candidates = [vscode.Uri.joinPath(folder, 'cluster.yaml')];
  for (let i = 2; i < 100; i++) candidates.push(vscode.Uri.joinPath(folder, `site-${i}.cluster.yaml`));
  for (const uri of candidates) {
    if (!(await exists(uri))) return uri;
  }
  throw new Error('Could not find a free file name for the new cluster spec.');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
