// The cluster lifecycle as a user meets it in the browser, each against its own deployed 3-node lab:
// "Adopt Existing Cluster…" from an empty workspace (one node's address, the user, a password; the host-key
// dialog answered after checking the node's real fingerprint) writes the cluster's cluster.yaml, which opens,
// naming the password as ssh.passwordSecret (kept in secret storage), and Connect logs in with it: the Clusters
// view shows the adopted cluster Running with no node differing from the spec; "Collect
// Diagnostics…" runs microk8s inspect on every node, lists each report with its size and SHA-256 (the files
// the panel names are in the workspace, with those digests) and reveals the folder. Saves the screenshots the
// README shows.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  WORKBENCH_TIMEOUT,
  answerHostKeys,
  publishScreenshot,
  runCommand,
  ui,
  useSuiteLab,
  wizardFrame,
} from './fixture';
import { openClustersView, treeRow, trustHostKey, waitForDescription } from './tree-helpers';

const RUN_TIMEOUT = 120_000;

/** Types into the quick input titled `title` (an input box or a quick pick) once it shows, and accepts it. */
async function answerQuickInput(title: string, text: string, options: { pick?: string } = {}): Promise<void> {
  const { page } = ui();
  await page
    .locator('.quick-input-widget .quick-input-title', { hasText: title })
    .waitFor({ state: 'visible', timeout: 30_000 });
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await input.fill(text);
  if (options.pick)
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: options.pick })
      .first()
      .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

describe('Adopt Existing Cluster in the browser', function () {
  this.timeout(400_000);
  // The lab's own spec stays out of the workspace (not a spec name): adopt writes the cluster.yaml.
  const suiteLab = useSuiteLab(
    'gccluia',
    { nodes: 3, state: 'deployed', subnetPrefix: '10.250.73' },
    'lab-spec.txt',
  );

  it('writes the cluster.yaml of a running cluster from one node, and the tree shows it without drift', async () => {
    const { page, server, workspace } = ui();
    const info = suiteLab.info;
    const node = info.nodes[0]!;
    await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });
    await page
      .locator('.part.activitybar')
      .getByRole('tab', { name: /^Gateway Clusters/ })
      .click();
    // The empty view offers it beside "Create cluster.yaml".
    await page
      .locator('.part.sidebar a', { hasText: 'Adopt Existing Cluster…' })
      .waitFor({ timeout: 60_000 });
    await runCommand('Gateway Clusters: Adopt Existing Cluster…');
    await answerQuickInput('a node of the cluster', node.address);
    await answerQuickInput('SSH user', info.user);
    await answerQuickInput('how to log in', 'password', { pick: 'A password…' });
    await answerQuickInput('SSH password', info.password);
    await trustHostKey(node.address, node.hostKeyFingerprint);
    // The spec opens in the editor; the file is in the workspace.
    await page.locator('.part.editor .tab', { hasText: 'cluster.yaml' }).waitFor({ timeout: RUN_TIMEOUT });
    const text = fs.readFileSync(path.join(workspace, 'cluster.yaml'), 'utf8');
    assert.match(text, /^# Adopted by gateway-cluster adopt from 10\.250\.73\.11 /);
    assert.ok(!text.includes(info.password), 'no secret in the file');
    // The password login is named, and kept in secret storage: Connect below logs in with it.
    assert.match(text, /^ {2}ssh:\n {4}user: gateway\n {4}passwordSecret: gw-cluster-ssh-password$/m);
    for (const n of info.nodes)
      assert.match(
        text,
        new RegExp(`hostname: ${n.specHostname}\\n\\s+address: ${n.address.replace(/\./g, '\\.')}`),
      );
    assert.match(text, /floatingIp: 10\.250\.73\.5/);
    assert.match(text, /nfs:\n\s+server: 10\.250\.73\.1\n\s+path: \/srv\/gateway-cluster/);

    // The tree: Connect (each node's key checked), then the state and no node that differs from the spec.
    const cluster = treeRow('gw-cluster');
    await cluster.waitFor({ timeout: 60_000 });
    const hostKeys = answerHostKeys(info.nodes);
    try {
      await cluster.hover();
      await cluster.locator('.actions .action-label[aria-label^="Connect"]').click({ timeout: 30_000 });
      await waitForDescription(cluster, /^Running · 3\/3 Ready · HA/, RUN_TIMEOUT);
    } finally {
      await hostKeys.stop();
    }
    for (const n of info.nodes)
      await waitForDescription(treeRow(n.specHostname), /^Ready · control-plane · /);
    await page.mouse.move(900, 700);
    await page.waitForTimeout(300);
    publishScreenshot(await ui().screenshot('adopt'), 'screenshot-adopt.png');
  });
});

describe('Collect Diagnostics in the browser', function () {
  this.timeout(400_000);
  const suiteLab = useSuiteLab('gccluid', { nodes: 3, state: 'deployed', subnetPrefix: '10.250.74' });

  it('collects every node’s report with its size and SHA-256, and reveals the folder', async () => {
    const { page, workspace } = ui();
    const info = suiteLab.info;
    await openClustersView('lab-gateways');
    await runCommand('Gateway Clusters: Collect Diagnostics…');
    const frame = wizardFrame();
    await frame
      .locator('#title', { hasText: 'Collect Diagnostics — lab-gateways' })
      .waitFor({ timeout: 60_000 });
    const hostKeys = answerHostKeys(info.nodes);
    try {
      await frame.locator('vscode-button#start').click();
      await frame.locator('#phase', { hasText: /^succeeded$/ }).waitFor({ timeout: RUN_TIMEOUT });
    } finally {
      await hostKeys.stop();
    }
    const rows = await frame.locator('#diagnostics tr.report').evaluateAll((els) =>
      els.map((e) => ({
        node: e.getAttribute('data-node') ?? '',
        cells: Array.from(e.querySelectorAll('td'), (td) => td.textContent?.trim() ?? ''),
        sha: e.querySelector('code')?.getAttribute('title') ?? '',
      })),
    );
    assert.deepEqual(rows.map((r) => r.node).sort(), ['gw-1', 'gw-2', 'gw-3']);
    const folder = (await frame.locator('#diagnostics-folder').innerText()).trim();
    assert.ok(folder.startsWith(path.join(workspace, '.gateway-cluster', 'diagnostics')), folder);
    for (const row of rows) {
      const file = path.join(folder, row.node, row.cells[1]!);
      assert.match(row.cells[1]!, /^inspection-report-\d{8}_\d{6}\.tar\.gz$/);
      assert.equal(createHash('sha256').update(fs.readFileSync(file)).digest('hex'), row.sha);
    }
    // Reveal: the Explorer shows the folder, in the workspace.
    await frame.locator('vscode-button#reveal-diagnostics').click();
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: path.basename(folder) })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.mouse.move(900, 700);
    await page.waitForTimeout(300);
    publishScreenshot(await ui().screenshot('wizard-diagnostics'), 'screenshot-wizard-diagnostics.png');
  });
});
