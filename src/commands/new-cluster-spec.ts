import * as vscode from 'vscode';
import { checkClusterName, checkSubnet, newSpecText } from '../language/core/new-spec';
import type { Topology } from '../cluster-spec/types';
import type { CommandFactory } from './types';

/**
 * "New Cluster Spec…": asks single-node or HA, the subnet and a name, then writes a valid spec (addresses
 * picked inside the subnet) to a free `<name>.cluster.yaml` in the workspace, or an untitled editor without one.
 */
export const newClusterSpec: CommandFactory = (ctx) => async () => {
  const topologyPick = await vscode.window.showQuickPick(
    [
      {
        label: 'Three-node HA cluster',
        description: 'ha',
        detail: 'Survives the loss of a node or a host; needs NFS storage.',
        topology: 'ha' as Topology,
      },
      {
        label: 'Single node',
        description: 'single-node',
        detail: 'One VM, no high availability.',
        topology: 'single-node' as Topology,
      },
    ],
    { title: 'New Cluster Spec (1/3)', placeHolder: 'Which kind of gateway cluster?' },
  );
  if (!topologyPick) return undefined;
  const topology = topologyPick.topology;
  const subnet = await vscode.window.showInputBox({
    title: 'New Cluster Spec (2/3)',
    prompt: 'The subnet the nodes live in (IPv4 CIDR)',
    value: '192.168.10.0/24',
    validateInput: (value) => checkSubnet(value.trim(), topology),
  });
  if (subnet === undefined) return undefined;
  const name = await vscode.window.showInputBox({
    title: 'New Cluster Spec (3/3)',
    prompt: 'The cluster name (lowercase letters, digits and -)',
    value: topology === 'ha' ? 'gateway-cluster' : 'gateway',
    validateInput: (value) => checkClusterName(value.trim()),
  });
  if (name === undefined) return undefined;
  const text = newSpecText({ topology, subnet: subnet.trim(), name: name.trim() });
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    await vscode.window.showTextDocument(document, { preview: false });
    return document.uri;
  }
  const target = await freeUri(folder.uri, name.trim());
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  ctx.log.info(`Created ${target.fsPath}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
  // The spec service validates the new file (its watcher, or the editor that opened it) and the tree follows.
  return target;
};

async function freeUri(folder: vscode.Uri, name: string): Promise<vscode.Uri> {
  for (let i = 1; i < 100; i++) {
    const uri = vscode.Uri.joinPath(folder, i === 1 ? `${name}.cluster.yaml` : `${name}-${i}.cluster.yaml`);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return uri;
    }
  }
  throw new Error('Could not find a free file name for the new cluster spec.');
}
