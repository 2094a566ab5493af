// The join wizard as a user meets it in the browser: opened for the spec in the editor, a dry run (the plan
// with its exact commands, nothing executed), read from inside the webview's iframe. Saves the README's
// screenshot. Leaves the workspace as it found it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../scripts/code-server';
import { ui } from './fixture';

const WORKBENCH_TIMEOUT = 120_000;
const FILE = 'wizard.cluster.yaml';
const SPEC = [
  'apiVersion: gateway-cluster/v1',
  'kind: GatewayCluster',
  'metadata:',
  '  name: dc1-gateways',
  'spec:',
  '  topology: ha',
  '  nodes:',
  '    - { hostname: gw-1, address: 192.168.10.11 }',
  '    - { hostname: gw-2, address: 192.168.10.12 }',
  '    - { hostname: gw-3, address: 192.168.10.13 }',
  '  network:',
  '    subnet: 192.168.10.0/24',
  '    floatingIp: 192.168.10.5',
  '  storage:',
  '    nfs: { server: 192.168.10.2, path: /srv/gateway }',
  '  charts:',
  '    version: 0.9.6',
  '  gatewayManager:',
  '    passwordSecret: dc1-manager-password',
  '',
].join('\n');

async function runCommand(title: string): Promise<void> {
  const { page } = ui();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: title })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

describe('the join wizard in the browser: a dry run of the plan', function () {
  this.timeout(300_000);

  after(async () => {
    const { page, workspace } = ui();
    await runCommand('View: Close All Editors').catch(() => {});
    await page.waitForTimeout(500);
    fs.rmSync(path.join(workspace, FILE), { force: true });
  });

  it('opens for the spec, shows the plan, and a dry run lists the steps with their commands', async () => {
    const { page, server, workspace, screenshot } = ui();
    fs.writeFileSync(path.join(workspace, FILE), SPEC);
    await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });

    // Open the spec (the wizard takes the active spec when run from the palette).
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(FILE);
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: FILE })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page
      .locator('.part.editor .view-lines', { hasText: 'kind: GatewayCluster' })
      .first()
      .waitFor({ timeout: 60_000 });

    await runCommand('Gateway Clusters: Join Nodes…');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('#title', { hasText: 'Join Nodes — dc1-gateways' }).waitFor({ timeout: 60_000 });
    // The plan shows before anything runs; nothing has run.
    await frame.locator('#steps li.step').first().waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('#phase').innerText(), 'ready');
    assert.equal(
      await frame.locator('#steps li.step[data-state="pending"]').count(),
      await frame.locator('#steps li.step').count(),
    );

    await frame.locator('vscode-button#dry-run').click();
    await frame.locator('h2', { hasText: 'Plan (dry run — nothing executed)' }).waitFor({ timeout: 30_000 });
    const titles = await frame.locator('#steps li.step .step-title').allInnerTexts();
    assert.deepEqual(titles.slice(0, 4), [
      'Preflight checks',
      'Rename nodes to their spec hostnames',
      'Fetch the cluster kubeconfig',
      'Join nodes to the cluster',
    ]);
    // Per-node sub-rows and the exact commands, with the join token masked.
    const preflightNodes = await frame
      .locator('#steps li.step[data-step="preflight"] li.node .node-name')
      .allInnerTexts();
    assert.deepEqual(preflightNodes, ['gw-1', 'gw-2', 'gw-3']);
    // Commands are folded per step; open the join step's.
    const joinStep = frame.locator('#steps li.step[data-step="join"]');
    await joinStep.locator('button.output-toggle').click();
    const text = await joinStep.locator('pre.output').innerText();
    assert.match(text, /microk8s add-node/);
    assert.match(text, /microk8s join/);
    assert.match(text, /••••/, 'the join token shows masked');
    assert.match(await frame.locator('#notice').innerText(), /Nothing was executed/);
    // Every step is still pending: a dry run executes nothing.
    assert.equal(await frame.locator('#steps li.step:not([data-state="pending"])').count(), 0);
    // The page follows the editor's theme (VS Code sets the class on the body).
    assert.match(
      (await frame.locator('body').getAttribute('class')) ?? '',
      /vscode-(light|dark|high-contrast)/,
    );

    const shot = await screenshot('wizard-join-dry-run');
    fs.copyFileSync(shot, path.join(REPO_ROOT, 'docs', 'screenshot-wizard.png'));
  });
});
