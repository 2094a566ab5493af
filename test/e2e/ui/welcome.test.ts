// The packaged extension, as a user meets it: the activity-bar container, its welcome, the command palette.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ui, WORKBENCH_TIMEOUT, publishScreenshot } from './fixture';

/** The container's icon in the activity bar (a tab named after the container). */
function activityBarEntry() {
  return ui()
    .page.locator('.part.activitybar')
    .getByRole('tab', { name: /^Gateway Clusters/ });
}

describe('Gateway Clusters in the browser (packaged .vsix in code-server)', () => {
  it('loads the workbench with the Gateway Clusters activity-bar entry', async () => {
    const { page, server, workspace } = ui();
    await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });
    const entry = activityBarEntry();
    await entry.waitFor({ timeout: WORKBENCH_TIMEOUT });
    assert.equal(await entry.count(), 1);
  });

  it('shows the welcome with "Create cluster.yaml" when the container opens', async () => {
    const { page, screenshot } = ui();
    await activityBarEntry().click();
    const sidebar = page.locator('.part.sidebar');
    await sidebar
      .getByText('No cluster spec (cluster.yaml) in this workspace yet.')
      .waitFor({ timeout: 60_000 });
    const button = sidebar.getByRole('button', { name: 'Create cluster.yaml' });
    await button.waitFor({ timeout: 30_000 });
    assert.equal(await button.isVisible(), true);
    // The sidebar title names the container.
    assert.match(
      (await sidebar.locator('.composite.title').first().innerText()).toUpperCase(),
      /GATEWAY CLUSTERS/,
    );
    // A calm picture for the README: activation finished, no hover tooltip.
    await page.mouse.move(800, 600);
    await page
      .locator('.part.statusbar')
      .getByText('Activating Extensions')
      .waitFor({ state: 'hidden', timeout: 30_000 })
      .catch(() => {});
    await page.waitForTimeout(500);
    const shot = await screenshot('welcome');
    publishScreenshot(shot, 'screenshot-welcome.png');
  });

  it('"Gateway Clusters: Create cluster.yaml" from the command palette opens the new file', async () => {
    const { page, workspace, screenshot } = ui();
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill('>Gateway Clusters: Create cluster.yaml');
    const item = page.locator('.quick-input-list .monaco-list-row', {
      hasText: 'Gateway Clusters: Create cluster.yaml',
    });
    await item.first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');

    const tab = page.locator('.part.editor .tab', { hasText: 'cluster.yaml' });
    await tab.first().waitFor({ timeout: 60_000 });
    await page
      .locator('.part.editor .view-lines', { hasText: 'kind: GatewayCluster' })
      .first()
      .waitFor({ timeout: 30_000 });
    assert.match(fs.readFileSync(path.join(workspace, 'cluster.yaml'), 'utf8'), /^kind: GatewayCluster$/m);
    await screenshot('cluster-yaml-open');
  });
});
