// Runs inside a real VS Code extension host (code-server or desktop VS Code), against the live API.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../../package.json';

const extensionId = `${manifest.publisher}.${manifest.name}`;
const contributedCommands = manifest.contributes.commands.map((entry) => entry.command);

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens a fresh workspace folder');
  return folder;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Gateway Clusters in a real extension host', () => {
  // Suites share one workspace per extension-host run: leave it as found (no spec files).
  const created: string[] = [];
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of created) fs.rmSync(file, { force: true });
  });

  it('is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is present`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every contributed command', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const missing = contributedCommands.filter((id) => !commands.has(id));
    assert.deepEqual(missing, [], 'contributed commands without a handler');
  });

  it('registers the Gateway Clusters container and its Clusters view', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    // The workbench creates these commands for every registered container and view.
    assert.ok(commands.has('workbench.view.extension.gatewayClusters'), 'container command');
    assert.ok(commands.has('gatewayCluster.clusters.focus'), 'view focus command');
    await vscode.commands.executeCommand('workbench.view.extension.gatewayClusters');
    await vscode.commands.executeCommand('gatewayCluster.clusters.focus');
  });

  it('"Create cluster.yaml" writes the example into the workspace and opens it', async () => {
    const folder = workspaceFolder();
    const expected = path.join(folder.uri.fsPath, 'cluster.yaml');
    assert.equal(fs.existsSync(expected), false, 'the workspace starts without a spec');

    await vscode.commands.executeCommand('gatewayCluster.spec.createExample');
    created.push(expected);

    const editor = await waitFor('the new spec to be the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.fsPath === expected ? active : undefined;
    });
    assert.match(editor.document.getText(), /^kind: GatewayCluster$/m);
    assert.match(fs.readFileSync(expected, 'utf8'), /^kind: GatewayCluster$/m, 'written to disk');
    assert.equal(editor.document.isDirty, false);
  });

  it('does not overwrite an existing cluster.yaml', async () => {
    const folder = workspaceFolder();
    const original = fs.readFileSync(path.join(folder.uri.fsPath, 'cluster.yaml'), 'utf8');
    await vscode.commands.executeCommand('gatewayCluster.spec.createExample');
    assert.equal(fs.readFileSync(path.join(folder.uri.fsPath, 'cluster.yaml'), 'utf8'), original);
    const active = vscode.window.activeTextEditor?.document.uri.fsPath;
    if (active) created.push(active);
    assert.ok(active && path.dirname(active) === folder.uri.fsPath, 'a second spec opens in the same folder');
    assert.notEqual(path.basename(active), 'cluster.yaml');
  });
});
