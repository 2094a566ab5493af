// The wizard panels inside a real extension host, with a scripted engine (the real runner over made-up
// steps: no SSH, no cluster): the panel's CSP and resource roots, a run to the end, and a run that keeps
// going after its panel closed and is reattached when the wizard opens again.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { threeNodeSpec } from './specs';

interface Inspection {
  key: string;
  kind: string;
  specUri: string;
  html: string;
  localResourceRoots: string[];
  enableScripts: boolean;
  retainContextWhenHidden: boolean;
  view: {
    phase: string;
    steps: Array<{ id: string; state: string; nodes: Array<{ name: string; state: string }> }>;
  };
  running: boolean;
}

const SPEC = threeNodeSpec('wizard-host-test', '10.250.9', 'wizard-test-password');

const SCRIPT = {
  steps: [
    {
      id: 'preflight',
      title: 'Preflight checks',
      perNode: true,
      parallel: true,
      lines: ['ok'],
      command: 'hostname',
    },
    { id: 'kubeconfig', title: 'Fetch the kubeconfig', lines: ['fetched'] },
    { id: 'join', title: 'Join the nodes', perNode: true, lines: ['joining', 'joined'], delayMs: 40 },
  ],
};

const SLOW_SCRIPT = {
  steps: [
    { id: 'first', title: 'First', lines: ['1'] },
    { id: 'slow', title: 'Slow', lines: ['a', 'b', 'c', 'd', 'e', 'f'], delayMs: 2500 },
    { id: 'last', title: 'Last', perNode: true },
  ],
};

const hook = <T>(request: object) =>
  vscode.commands.executeCommand<T>('gatewayCluster.test.wizards', request);
const inspect = () => hook<Inspection[]>({ action: 'inspect' });

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Wizard panels in the extension host', () => {
  let specUri: vscode.Uri;
  let specPath = '';

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    specPath = path.join(folder.uri.fsPath, 'wizard-host.cluster.yaml');
    fs.writeFileSync(specPath, SPEC);
    specUri = vscode.Uri.file(specPath);
    await vscode.extensions.getExtension('gateway-clusters.gateway-cluster')?.activate();
    assert.equal(await hook({ action: 'useScript', script: SCRIPT }), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(specPath, { force: true });
  });

  it('opens the join wizard for a spec with a strict CSP, a nonce, and dist/webview as its only root', async () => {
    await vscode.commands.executeCommand('gatewayCluster.cluster.join', specUri);
    const panel = await waitFor('the join panel', async () =>
      (await inspect()).find((p) => p.kind === 'join' && p.specUri === specUri.toString()),
    );
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(panel.html)?.[1]
      ?.replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    assert.ok(csp, 'a CSP meta tag');
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, `a nonce in script-src: ${csp}`);
    assert.match(csp, /^default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|connect-src/);
    const scripts = panel.html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]!.includes(`nonce="${nonce}"`), 'the script carries the nonce');
    assert.match(scripts[0]!, /src="[^"]+\/dist\/webview\/main\.js"/);
    assert.equal(panel.localResourceRoots.length, 1);
    assert.match(panel.localResourceRoots[0]!, /\/dist\/webview$/);
    assert.equal(panel.enableScripts, true);
    assert.equal(panel.retainContextWhenHidden, false);
    assert.deepEqual(
      panel.view.steps.map((s) => s.id),
      ['preflight', 'kubeconfig', 'join'],
      'the plan shows before anything runs',
    );

    // A second open reveals the same panel; a new page gets a new nonce.
    await vscode.commands.executeCommand('gatewayCluster.cluster.join', specUri);
    assert.equal((await inspect()).filter((p) => p.kind === 'join').length, 1);
  });

  it('runs the plan to the end: every step and node row succeeded', async () => {
    await hook({ action: 'run', kind: 'join', specUri: specUri.toString(), command: 'start' });
    const view = await hook<Inspection['view']>({
      action: 'wait',
      kind: 'join',
      specUri: specUri.toString(),
    });
    assert.equal(view.phase, 'succeeded');
    assert.deepEqual(
      view.steps.map((s) => s.state),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    assert.deepEqual(
      view.steps[2]!.nodes.map((n) => n.state),
      ['succeeded', 'succeeded', 'succeeded'],
    );
  });

  it('keeps running when the panel closes and reattaches when the wizard opens again', async () => {
    assert.equal(await hook({ action: 'useScript', script: SLOW_SCRIPT }), true);
    await vscode.commands.executeCommand('gatewayCluster.cluster.preflight', specUri);
    await waitFor('the preflight panel', async () => (await inspect()).find((p) => p.kind === 'preflight'));
    await hook({ action: 'run', kind: 'preflight', specUri: specUri.toString(), command: 'start' });
    await waitFor('the slow step to run', async () => {
      const p = (await inspect()).find((x) => x.kind === 'preflight');
      return p?.view.steps.find((s) => s.id === 'slow')?.state === 'running' ? true : undefined;
    });
    await hook({ action: 'close', kind: 'preflight', specUri: specUri.toString() });
    assert.equal(
      (await inspect()).find((p) => p.kind === 'preflight'),
      undefined,
      'the panel is gone',
    );

    await vscode.commands.executeCommand('gatewayCluster.cluster.preflight', specUri);
    const reopened = await waitFor('the reopened panel', async () =>
      (await inspect()).find((p) => p.kind === 'preflight'),
    );
    assert.equal(reopened.running, true, 'the run went on without its panel');
    assert.equal(reopened.view.steps.find((s) => s.id === 'first')?.state, 'succeeded');
    const view = await hook<Inspection['view']>({
      action: 'wait',
      kind: 'preflight',
      specUri: specUri.toString(),
    });
    assert.equal(view.phase, 'succeeded');
    assert.deepEqual(
      view.steps.map((s) => s.state),
      ['succeeded', 'succeeded', 'succeeded'],
    );
  });
});
