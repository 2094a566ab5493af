// A window reload in the browser: the editor brings wizard panels back only when their tab is first shown.
// Opening such a wizard (here from the spec's code lens) must show its restored tab — it opened a second panel beside it, and
// the old tab vanished when clicked (Deploy, Register, Migrate). No lab: the panels only show their plans.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE_HA_SPEC } from '../../../src/cluster-spec/examples';
import { runCommand, ui, WORKBENCH_TIMEOUT, wizardFrame } from './fixture';

const FILE = 'cluster.yaml';
const DEPLOY = 'Deploy Gateway Services — dc1-gateways';
const REGISTER = 'Register Cluster — dc1-gateways';

/** The editor's tabs titled `title`. */
const tabs = (title: string) => ui().page.locator('.part.editor .tabs-container .tab', { hasText: title });

/** Shows the spec's tab (the wizards' tabs then stay hidden) and waits for its text. */
async function showSpec(): Promise<void> {
  const { page } = ui();
  await tabs(FILE).first().click();
  await page
    .locator('.part.editor .view-lines', { hasText: 'kind: GatewayCluster' })
    .first()
    .waitFor({ timeout: 60_000 });
}

/** Opens a wizard from the spec's code lens (as the palette, the tree or a "next" button would), and waits for its page. */
async function openWizard(lens: string, title: string): Promise<void> {
  await showSpec();
  await ui()
    .page.locator('.part.editor .codelens-decoration a', { hasText: lens })
    .first()
    .click({ timeout: 60_000 });
  await wizardFrame().locator('#title', { hasText: title }).waitFor({ timeout: 60_000 });
}

describe('wizard panels after a window reload', function () {
  this.timeout(300_000);

  before(() => fs.writeFileSync(path.join(ui().workspace, FILE), EXAMPLE_HA_SPEC));

  it('opening a wizard whose panel was restored shows that panel, never a second one', async () => {
    const { page, server, workspace } = ui();
    await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input.input').fill(FILE);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: FILE }).first().waitFor();
    await page.keyboard.press('Enter');
    await openWizard('Deploy', DEPLOY);
    await openWizard('Register', REGISTER);
    await showSpec();

    // The editor's own reload: it saves the open tabs and the panels' states first (a page reload may not).
    const reloaded = page.waitForEvent('domcontentloaded', { timeout: WORKBENCH_TIMEOUT });
    await runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });
    // Both wizard tabs are back; neither was shown since, so neither panel is the extension's yet.
    await tabs(DEPLOY).first().waitFor({ timeout: 60_000 });
    await tabs(REGISTER).first().waitFor({ timeout: 60_000 });

    await openWizard('Deploy', DEPLOY);
    assert.equal(await tabs(DEPLOY).count(), 1, 'one Deploy panel after opening it again');
    assert.match((await tabs(DEPLOY).getAttribute('class')) ?? '', /\bactive\b/);

    // The other restored tab comes back when clicked, and stays.
    await tabs(REGISTER).click();
    await wizardFrame().locator('#title', { hasText: REGISTER }).waitFor({ timeout: 60_000 });
    await openWizard('Register', REGISTER);
    assert.equal(await tabs(REGISTER).count(), 1);
    assert.equal(await tabs(DEPLOY).count(), 1);
  });
});
