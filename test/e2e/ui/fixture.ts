// What the UI suites share: a code-server with the packaged extension installed and headless Chromium.
// test/e2e/run-ui-tests.ts sets it up; before each top-level describe() it opens a new browser context
// (`page`) and a new empty folder (`workspace`), so call ui() inside hooks and tests, not at load time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { REPO_ROOT, type BrowserSession, type CodeServer } from '../../../scripts/code-server';
import { createLab, type LabApi, type LabInfo, type LabOptions } from '../../lab/index';

export interface UiFixture {
  server: CodeServer;
  browser: BrowserSession;
  page: Page;
  /** A fresh empty folder for this top-level suite; open it with page.goto(server.workspaceUrl(workspace)). */
  workspace: string;
  /** test-results/ui: screenshots go here. */
  screenshotsDir: string;
  /** Saves test-results/ui/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

let current: UiFixture | undefined;

export function setUiFixture(fixture: UiFixture | undefined): void {
  current = fixture;
}

export function ui(): UiFixture {
  if (!current) throw new Error('UI fixture not set: run the UI tier through test/e2e/run-ui-tests.ts');
  return current;
}

/**
 * Puts a screenshot into docs/ under each name (the README and docs show them, and the .vsix ships the
 * README's), recompressed losslessly with optipng (Debian's, installed by scripts/ensure-tools.ts): about a
 * fifth smaller than Chromium's PNGs.
 */
export function publishScreenshot(shot: string, ...names: string[]): void {
  const optimized = `${shot}.optimized.png`;
  const result = spawnSync('optipng', ['-o2', '-quiet', '-clobber', '-out', optimized, shot]);
  const source = result.status === 0 && fs.existsSync(optimized) ? optimized : shot;
  for (const name of names) fs.copyFileSync(source, path.join(REPO_ROOT, 'docs', name));
}

/** How long the workbench may take to load on a loaded 2-core machine (code-server, Chromium and a lab). */
export const WORKBENCH_TIMEOUT = 120_000;

/** Runs a command by its title from the command palette (F1), as a user would. */
export async function runCommand(title: string): Promise<void> {
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

export interface SuiteLab {
  lab: LabApi;
  /** The running lab (set once the suite's before() hooks ran). */
  readonly info: LabInfo;
}

/**
 * A lab for one suite: up before its tests, with its spec written into the suite's workspace as `specFile`,
 * and down after them. Call inside describe(); hooks the suite registers later run after this one's before()
 * (and after() hooks registered earlier run before the lab goes down).
 */
export function useSuiteLab(name: string, options: LabOptions, specFile = 'cluster.yaml'): SuiteLab {
  const lab = createLab(name);
  let info: LabInfo | undefined;
  before(async () => {
    info = await lab.up(options);
    fs.writeFileSync(path.join(ui().workspace, specFile), info.specYaml);
  });
  after(() => lab.down());
  return {
    lab,
    get info(): LabInfo {
      if (!info) throw new Error(`lab ${name} is not up`);
      return info;
    },
  };
}

/** The visible wizard's page, inside the webview's two iframes. */
export function wizardFrame(): FrameLocator {
  return ui().page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** A dialog other than a host key's that the test expects while the loop runs, and the button it clicks. */
export interface ExpectedDialog {
  message: RegExp;
  button: string;
}

/**
 * Answers the SSH host-key dialogs while a run connects to the nodes: each must name a lab node and show
 * that node's real fingerprint, else the test fails (and the key is not trusted). `expected` dialogs (a
 * confirmation before the run), matched by their message, are answered with their button; `answered` lists
 * their message and detail.
 */
export function answerHostKeys(
  nodes: ReadonlyArray<{ address: string; hostKeyFingerprint: string }>,
  expected: readonly ExpectedDialog[] = [],
): {
  stop: () => Promise<string[]>;
  answered: string[];
} {
  const { page } = ui();
  const trusted: string[] = [];
  const answered: string[] = [];
  let problem: Error | undefined;
  let active = true;
  const loop = (async () => {
    const dialog = page.locator('.monaco-dialog-box');
    while (active) {
      if (!(await dialog.isVisible().catch(() => false))) {
        await page.waitForTimeout(200);
        continue;
      }
      const message = await dialog.locator('.dialog-message-text').innerText();
      const other = expected.find((e) => e.message.test(message));
      if (other) {
        const detail = await dialog
          .locator('.dialog-message-detail')
          .innerText({ timeout: 1000 })
          .catch(() => '');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: other.button }).click();
        answered.push(`${message}\n${detail}`);
        await dialog.waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => undefined);
        continue;
      }
      const node = nodes.find((n) => message.includes(`(${n.address}:22) can't be established`));
      const detail = await dialog.locator('.dialog-message-detail').innerText();
      if (!node || !detail.includes(node.hostKeyFingerprint)) {
        problem = new Error(`unexpected dialog: ${message} / ${detail}`);
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Cancel' }).click();
        return;
      }
      await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Trust and Connect' }).click();
      trusted.push(node.address);
      // The next node's dialog may follow at once (the nodes connect in parallel): wait for this one to go
      // rather than for no dialog at all — the SSH handshake is timing out behind each unanswered one.
      for (let i = 0; i < 50; i++) {
        const now = await dialog
          .locator('.dialog-message-text')
          .innerText({ timeout: 200 })
          .catch(() => '');
        if (now !== message) break;
        await page.waitForTimeout(100);
      }
    }
  })();
  return {
    stop: async () => {
      active = false;
      await loop;
      if (problem) throw problem;
      return trusted;
    },
    answered,
  };
}
