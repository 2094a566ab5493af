// The Clusters tree inside a real extension host: spec files become clusters with their spec nodes, the
// status bar follows the active spec, and the commands are wired. (The live-cluster suite needs the lab.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

interface SnapshotItem {
  depth: number;
  kind: string;
  label: string;
  description: string;
  contextValue: string;
}
interface Snapshot {
  items: SnapshotItem[];
  activePodWatches: number;
  badge: number;
  statusBar: string | undefined;
}

const SPEC = `apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: tree-host-test
spec:
  topology: ha
  nodes:
    - { hostname: gw-1, address: 10.250.0.11 }
    - { hostname: gw-2, address: 10.250.0.12 }
    - { hostname: gw-3, address: 10.250.0.13 }
  network:
    subnet: 10.250.0.0/24
    floatingIp: 10.250.0.5
  storage:
    nfs: { server: 10.250.0.1, path: /srv/nfs }
  charts:
    version: 0.9.6
  gatewayManager:
    passwordSecret: tree-test-password
`;

async function snapshot(): Promise<Snapshot> {
  return (await vscode.commands.executeCommand('gatewayCluster.clusters.snapshot', {
    flush: true,
  })) as Snapshot;
}

/** Node labels of one cluster (other suites leave their own specs in the workspace). */
function nodesOf(items: SnapshotItem[], cluster: string): string[] {
  const start = items.findIndex((i) => i.kind === 'cluster' && i.label === cluster);
  const labels: string[] = [];
  for (const item of items.slice(start + 1)) {
    if (item.depth === 0) break;
    if (item.kind === 'node') labels.push(item.label);
  }
  return labels;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('Clusters tree in the extension host', () => {
  let specPath = '';

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    specPath = path.join(folder.uri.fsPath, 'tree-host.cluster.yaml');
    fs.writeFileSync(specPath, SPEC);
    await vscode.commands.executeCommand('gatewayCluster.clusters.focus');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(specPath, { force: true });
  });

  it('shows a new spec file as a cluster with its spec nodes, not connected', async () => {
    const items = await waitFor('the cluster item', async () => {
      const snap = await snapshot();
      const index = snap.items.findIndex((i) => i.kind === 'cluster' && i.label === 'tree-host-test');
      return index >= 0 ? snap.items.slice(index, index + 4) : undefined;
    });
    assert.equal(items[0]!.description, 'not connected · HA');
    assert.equal(items[0]!.contextValue, 'cluster:disconnected');
    assert.deepEqual(
      items.slice(1).map((i) => [i.kind, i.label, i.description, i.contextValue]),
      [
        ['node', 'gw-1', '10.250.0.11', 'node:spec:offline'],
        ['node', 'gw-2', '10.250.0.12', 'node:spec:offline'],
        ['node', 'gw-3', '10.250.0.13', 'node:spec:offline'],
      ],
    );
  });

  it('runs no pod watches and shows no badge while nothing is connected', async () => {
    const snap = await snapshot();
    assert.equal(snap.activePodWatches, 0);
    assert.equal(snap.badge, 0);
  });

  it('shows the active spec’s cluster in the status bar', async () => {
    const document = await vscode.workspace.openTextDocument(specPath);
    await vscode.window.showTextDocument(document);
    const text = await waitFor('the status bar item', async () => {
      const snap = await snapshot();
      return snap.statusBar?.includes('tree-host-test') ? snap.statusBar : undefined;
    });
    assert.match(text, /tree-host-test: not connected · HA/);
  });

  it('follows edits of the spec: a renamed node appears under its new name', async () => {
    fs.writeFileSync(specPath, SPEC.replace('hostname: gw-3', 'hostname: gw-9'));
    const labels = await waitFor('the renamed node', async () => {
      const labels = nodesOf((await snapshot()).items, 'tree-host-test');
      return labels.includes('gw-9') ? labels : undefined;
    });
    assert.ok(!labels.includes('gw-3'), `gw-3 is gone: ${labels.join(', ')}`);
  });

  it('copies a node address from the spec', async () => {
    const address = await vscode.commands.executeCommand('gatewayCluster.node.copyAddress', {
      cluster: 'tree-host-test',
      node: 'gw-2',
    });
    assert.equal(address, '10.250.0.12');
    assert.equal(await vscode.env.clipboard.readText(), '10.250.0.12');
  });

  it('reveals a node in its spec', async () => {
    await vscode.commands.executeCommand('gatewayCluster.node.revealInSpec', {
      cluster: 'tree-host-test',
      node: 'gw-2',
    });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, specPath);
    assert.match(editor!.document.getText(editor!.selection), /gw-2/);
  });
});
