// UI tier: installs the packaged .vsix into code-server, opens a fresh workspace in headless Chromium
// (playwright-core) and runs the mocha suites in test/e2e/ui with the counting reporter.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import type { BrowserContext } from 'playwright-core';
import { ensureTools } from '../../scripts/ensure-tools';
import {
  installExtension,
  makeTempDir,
  openBrowser,
  startCodeServer,
  extensionHostLogTails,
  type BrowserSession,
  type CodeServer,
} from '../../scripts/code-server';
import { RESULTS_DIR, ensurePackaged, errorText, writeCounts } from './support';
import { setUiFixture, ui } from './ui/fixture';

const UI_DIR = path.join(__dirname, 'ui');
const SCREENSHOTS = path.join(RESULTS_DIR, 'ui');

async function main(): Promise<number> {
  const started = Date.now();
  const tools = await ensureTools();
  const vsix = ensurePackaged();
  const userDataDir = makeTempDir('gc-ui-code-server');
  const extensionsDir = path.join(userDataDir, 'extensions');
  installExtension(tools, vsix, extensionsDir, userDataDir);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  let server: CodeServer | undefined;
  let browser: BrowserSession | undefined;
  const workspaces: string[] = [];
  const consoleLines: string[] = [];
  try {
    // GC_TEST_HOOKS: activation waits for the features, so the suites see them ready (src/extension.ts).
    server = await startCodeServer(tools, { userDataDir, extensionsDir, env: { GC_TEST_HOOKS: '1' } });
    browser = await openBrowser(tools);
    const session = browser;
    const codeServer = server;

    // Each top-level suite starts in a new browser context on a new, empty workspace folder, so suites
    // neither see each other's files nor inherit a half-open dialog from a failed test.
    let context: BrowserContext | undefined;
    const freshWindow = async () => {
      await context?.close().catch(() => {});
      context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
      // A stable folder name keeps the committed screenshot the same from run to run.
      const parent = makeTempDir('gc-ui-workspace');
      workspaces.push(parent);
      const workspace = path.join(parent, 'my-gateways');
      fs.mkdirSync(workspace);
      setUiFixture({
        server: codeServer,
        browser: session,
        page,
        workspace,
        screenshotsDir: SCREENSHOTS,
        screenshot: async (name) => {
          const file = path.join(SCREENSHOTS, `${name}.png`);
          await page.screenshot({ path: file });
          return file;
        },
      });
    };

    const mocha = new Mocha({
      ui: 'bdd',
      timeout: 180_000,
      forbidOnly: true,
      forbidPending: true,
      reporter: path.join(__dirname, '..', 'support', 'counting-reporter.cjs'),
    });
    // GC_UI_SUITES=tree,welcome runs only those files while developing (npm test and CI run them all).
    const only = process.env.GC_UI_SUITES?.split(',').map((s) => `${s.trim()}.test.ts`);
    for (const name of fs.readdirSync(UI_DIR, { recursive: true, encoding: 'utf8' }).sort()) {
      if (name.endsWith('.test.ts') && (!only || only.includes(path.basename(name))))
        mocha.addFile(path.join(UI_DIR, name));
    }
    await mocha.loadFilesAsync();
    for (const suite of mocha.suite.suites) {
      suite.beforeAll('fresh window and workspace', freshWindow);
      // Run it before the suite's own before() hooks (mocha keeps them in registration order).
      const hooks = (suite as unknown as { _beforeAll: Mocha.Hook[] })._beforeAll;
      hooks.unshift(hooks.pop()!);
    }
    mocha.suite.afterEach('screenshot on failure', async function () {
      const test = this.currentTest;
      if (test?.state !== 'failed') return;
      const name = `failure-${test
        .fullTitle()
        .replace(/[^A-Za-z0-9]+/g, '-')
        .slice(0, 80)}`;
      await ui()
        .screenshot(name)
        .catch(() => {});
    });

    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) {
      fs.writeFileSync(path.join(SCREENSHOTS, 'browser-console.log'), consoleLines.join('\n'));
      console.error(`\nUI tier: screenshots (failure-*.png) and the browser console are in ${SCREENSHOTS}`);
      console.error(`--- code-server log, last lines:\n${server.logTail(30)}`);
      console.error(extensionHostLogTails(server.userDataDir).join('\n'));
    }
    console.log(`UI tier: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return failures === 0 ? 0 : 1;
  } finally {
    setUiFixture(undefined);
    await browser?.close();
    await server?.stop();
    for (const workspace of workspaces) fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`UI tier failed to run:\n${errorText(error)}`);
    writeCounts({ passed: 0, failed: 1, pending: 0 }, 'UI');
    process.exit(1);
  },
);
