// A typo in a spec, as a user meets it in the browser: the squiggle, the Problems entry, the light-bulb quick
// fix, and the squiggle gone. Leaves the workspace as it found it (the welcome suite expects no spec).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCommand, ui, WORKBENCH_TIMEOUT, publishScreenshot } from './fixture';

const FILE = 'typo.cluster.yaml';
const SPEC = [
  'apiVersion: gateway-cluster/v1',
  'kind: GatewayCluster',
  'metadata:',
  '  name: typo',
  'spec:',
  '  topology: single-node',
  '  nodes:',
  '    - hostname: gw-1',
  '      address: 192.168.10.11',
  '  network:',
  '    subnet: 192.168.10.0/24',
  '    floatingIp: 192.168.10.5',
  '  charts:',
  '    version: 0.9.6',
  '  gatewayManager:',
  '    passwordSecret: typo-manager-password',
  '',
].join('\n');

describe('cluster.yaml in the browser: a typo, its squiggle and its quick fix', function () {
  this.timeout(300_000);

  after(async () => {
    const { page, workspace } = ui();
    await runCommand('View: Close All Editors').catch(() => {});
    await page.waitForTimeout(500);
    fs.rmSync(path.join(workspace, FILE), { force: true });
  });

  it('underlines the typo, lists it in Problems, and the light bulb fixes it', async () => {
    const { page, server, workspace, screenshot } = ui();
    fs.writeFileSync(path.join(workspace, FILE), SPEC);
    await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });

    // Open the spec with Quick Open.
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
    const editor = page.locator('.part.editor .monaco-editor').first();
    await page
      .locator('.part.editor .view-lines', { hasText: 'kind: GatewayCluster' })
      .first()
      .waitFor({ timeout: 60_000 });

    // Type the typo: "topology" → "topolgy" on line 6. Replacing the whole line's text (rather than moving
    // the cursor key by key) stays right when a loaded machine drops or reorders a keypress.
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+G');
    await input.waitFor({ timeout: 30_000 });
    await page.keyboard.type('6');
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 30_000 });
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('topolgy: single-node');
    await page.keyboard.press('Escape'); // close a suggestion widget, if one opened
    await page
      .locator('.part.editor .view-lines', { hasText: 'topolgy: single-node' })
      .first()
      .waitFor({ timeout: 30_000 });

    // The squiggle, and the Problems entry with our code.
    const squiggle = editor.locator('.squiggly-error');
    await squiggle.first().waitFor({ timeout: 60_000 });
    await runCommand('View: Focus Problems');
    const problems = page.locator('.markers-panel');
    const entry = problems.locator('.monaco-list-row', { hasText: 'topolgy' });
    await entry.first().waitFor({ timeout: 30_000 });
    assert.match(await problems.innerText(), /GC010/);

    // The light bulb's menu (Ctrl+. at the typo) offers the rename.
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type('6:5');
    await page.keyboard.press('Enter');
    // The light bulb appears next to the cursor's line; clicking it opens the quick-fix menu.
    const bulb = editor.locator('.lightBulbWidget');
    await bulb.first().waitFor({ timeout: 30_000 });
    await bulb.first().click();
    const fix = page.locator('.action-widget .monaco-list-row', {
      hasText: "Change to 'topology'",
    });
    await fix.first().waitFor({ timeout: 30_000 });
    const shot = await screenshot('quickfix');
    publishScreenshot(shot, 'screenshot-quickfix.png');
    await fix.first().click();

    await page
      .locator('.part.editor .view-lines', { hasText: 'topology: single-node' })
      .first()
      .waitFor({ timeout: 30_000 });
    await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await editor.locator('.squiggly-error').count(), 0);
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(500);
    assert.match(fs.readFileSync(path.join(workspace, FILE), 'utf8'), /^ {2}topology: single-node$/m);
  });
});
