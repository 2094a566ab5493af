// Helpers of the UI suites that drive the Clusters view: rows by label, their descriptions and inline
// actions, and the host-key dialog.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { ui, WORKBENCH_TIMEOUT } from './fixture';

/** The DOM terminal renderer keeps a terminal's text readable by the test (headless Chromium, no GPU). */
export function useReadableTerminals(): void {
  const { workspace } = ui();
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'terminal.integrated.gpuAcceleration': 'off' }),
  );
}

/** Opens the suite's workspace and the Gateway Clusters view; resolves with the cluster's row once it shows. */
export async function openClustersView(cluster: string): Promise<Locator> {
  const { page, server, workspace } = ui();
  await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });
  await page
    .locator('.part.activitybar')
    .getByRole('tab', { name: /^Gateway Clusters/ })
    .click();
  const row = treeRow(cluster);
  await row.waitFor({ timeout: 60_000 });
  return row;
}

/** Widens the side bar to `width` pixels (dragging the sash at its right edge) so the descriptions read. */
export async function widenSideBar(width: number): Promise<void> {
  const { page } = ui();
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar || sidebar.width >= 450) return;
  const edge = sidebar.x + sidebar.width;
  await page.mouse.move(edge + 1, 420);
  await page.waitForTimeout(400);
  await page.mouse.down();
  await page.mouse.move(edge + 120, 420, { steps: 8 });
  await page.mouse.move(sidebar.x + width, 420, { steps: 8 });
  await page.mouse.up();
}

/** A row of the Clusters view, by its exact label. */
export function treeRow(label: string): Locator {
  return ui()
    .page.locator('.part.sidebar .monaco-list-row')
    .filter({ has: ui().page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
    .first();
}

/** The row's description text (what the tree item shows after its label). */
export async function descriptionOf(row: Locator): Promise<string> {
  return (await row.locator('.label-description').first().innerText()).trim();
}

export async function waitForDescription(row: Locator, pattern: RegExp, timeout = 60_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await descriptionOf(row).catch(() => '');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`row description "${text}" never matched ${pattern}`);
    await ui().page.waitForTimeout(250);
  }
}

/** Hovers the row and clicks one of its inline actions (by its command title). */
export async function inlineAction(row: Locator, title: string): Promise<void> {
  const action = row.locator(`.actions .action-label[aria-label^="${title}"]`);
  // A refresh re-renders the row under the pointer: hover again until the action shows.
  for (let attempt = 1; ; attempt++) {
    await row.hover();
    try {
      await action.waitFor({ timeout: 5000 });
      break;
    } catch (error) {
      if (attempt >= 6) throw error;
      await ui().page.mouse.move(900, 150);
    }
  }
  await action.click();
}

/** Answers the host-key dialog after checking that it shows the node's real fingerprint. */
export async function trustHostKey(address: string, fingerprint: string): Promise<void> {
  const { page } = ui();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  const message = await dialog.locator('.dialog-message-text').innerText();
  assert.match(message, new RegExp(`${address.replace(/\./g, '\\.')}:22\\) can't be established`));
  assert.match(await dialog.locator('.dialog-message-detail').innerText(), new RegExp(escapeRe(fingerprint)));
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Trust and Connect' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
}

export function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
