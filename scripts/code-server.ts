// Shared helpers to run code-server (a real VS Code server) and drive it with Debian's Chromium:
// used by the extension-host and UI tiers, the activation benchmark and the demo.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Tools } from './ensure-tools';

export const REPO_ROOT = path.resolve(__dirname, '..');

/** User settings that keep the workbench offline, quiet and deterministic. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

export interface CodeServerOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Folder for code-server's state (settings, logs); a fresh temp folder when absent. */
  userDataDir?: string;
  /** Folder extensions are installed into; `<userDataDir>/extensions` when absent. */
  extensionsDir?: string;
  /** Extra environment for code-server and so for the extension host it starts. */
  env?: Record<string, string>;
  /** Lets the URL payload carry extensionDevelopmentPath/extensionTestsPath (extension tests). */
  smokeTestDriver?: boolean;
  /** Merged over QUIET_SETTINGS into the user settings. */
  settings?: Record<string, unknown>;
  extraArgs?: string[];
  /** How often to try a fresh port when the server dies at start; default 3. */
  attempts?: number;
  /** Per-attempt time to become healthy; default 90 s (a 2-core machine under load is slow). */
  startTimeoutMs?: number;
  /** Echo the server's output to this process's stderr (the demo does). */
  echo?: boolean;
}

export interface CodeServer {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** The workbench URL that opens `folder`, optionally with a VS Code URL payload. */
  workspaceUrl(folder: string, payload?: Array<[string, string]>): string;
  /** A `vscode-remote://` URI for a path on this server (what payload entries expect). */
  remoteUri(fsPath: string): string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tailOf(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Every server still running when this process exits is killed with its whole process group.
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitHealthy(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) return false;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return false;
}

async function stopChild(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  running.delete(pid);
  if (!exited(child)) {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(pid, 'SIGTERM');
    const result = await Promise.race([gone.then(() => 'exited'), sleep(5000).then(() => 'timeout')]);
    if (result === 'timeout') killGroup(pid, 'SIGKILL');
  }
  // Children of the server (extension host, watchers) share the group; make sure none is left.
  killGroup(pid, 'SIGKILL');
}

function readSettings(file: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export async function startCodeServer(tools: Tools, options: CodeServerOptions = {}): Promise<CodeServer> {
  const userDataDir = options.userDataDir ?? makeTempDir('gc-code-server');
  const extensionsDir = options.extensionsDir ?? path.join(userDataDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // The user's own settings in a reused folder (the demo's: a colour theme) stay; the quiet ones win.
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  fs.writeFileSync(
    settingsFile,
    JSON.stringify({ ...readSettings(settingsFile), ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  // Without --config code-server writes one into the home folder.
  const configFile = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const logFile = path.join(userDataDir, 'code-server.out.log');
  const attempts = options.attempts ?? 3;
  const problems: string[] = [];

  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port || (await freePort());
    const args = [
      '--config',
      configFile,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...(options.extraArgs ?? []),
    ];
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n=== attempt ${attempt}: code-server ${args.join(' ')}\n`);
    const child = spawn(tools.codeServerBin, args, {
      detached: true, // own process group, so stop() takes the extension host down with it
      stdio: ['ignore', options.echo ? 'pipe' : out, options.echo ? 'pipe' : out],
      env: {
        ...process.env,
        EXTENSIONS_GALLERY: '{}', // no marketplace: offline and deterministic
        VSCODE_PROXY_URI: '',
        ...options.env,
      },
    });
    if (options.echo) {
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          fs.writeSync(out, chunk);
          process.stderr.write(chunk);
        });
      }
    }
    child.once('exit', () => fs.closeSync(out));
    if (child.pid === undefined) throw new Error(`could not start ${tools.codeServerBin}`);
    running.add(child.pid);

    if (await waitHealthy(port, child, options.startTimeoutMs ?? 90_000)) {
      const url = `http://127.0.0.1:${port}`;
      const authority = `127.0.0.1:${port}`;
      const pid = child.pid;
      const remoteUri = (fsPath: string) =>
        `vscode-remote://${authority}${path.resolve(fsPath).split(path.sep).map(encodeURIComponent).join('/')}`;
      return {
        port,
        url,
        pid,
        userDataDir,
        extensionsDir,
        logFile,
        remoteUri,
        workspaceUrl(folder, payload) {
          const query = new URLSearchParams({ folder: path.resolve(folder) });
          if (payload) query.set('payload', JSON.stringify(payload));
          return `${url}/?${query.toString()}`;
        },
        logTail: (lines = 60) => tailOf(logFile, lines),
        stop: () => stopChild(child),
      };
    }
    problems.push(
      `attempt ${attempt} on port ${port}: ${exited(child) ? `exited (${child.exitCode ?? child.signalCode})` : 'not healthy in time'}`,
    );
    await stopChild(child);
    await sleep(1000);
  }
  throw new Error(
    `code-server did not start (${problems.join('; ')}). Last lines of ${logFile}:\n${tailOf(logFile, 60)}`,
  );
}

/** Installs a .vsix (or a gallery id, which fails offline) into an extensions folder. */
export function installExtension(
  tools: Tools,
  vsix: string,
  extensionsDir: string,
  userDataDir?: string,
): void {
  const scratch = userDataDir ?? makeTempDir('gc-install');
  fs.mkdirSync(scratch, { recursive: true });
  const configFile = path.join(scratch, 'code-server.yaml');
  if (!fs.existsSync(configFile)) fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const result = spawnSync(
    tools.codeServerBin,
    [
      '--config',
      configFile,
      '--user-data-dir',
      scratch,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      path.resolve(vsix),
      '--force',
    ],
    { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' }, timeout: 180_000 },
  );
  if (result.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (exit ${result.status ?? result.signal}):\n` +
        `${result.stdout}\n${result.stderr}`.trim(),
    );
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium with a fresh profile (playwright-core makes a temp user-data-dir per launch). */
export async function openBrowser(
  tools: Tools,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 120_000,
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return {
    browser,
    page,
    close: async () => {
      await browser.close().catch(() => {});
    },
  };
}

/** Resolves on SIGINT/SIGTERM after running `cleanup` once. */
export function onTermination(cleanup: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    cleanup()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal, and relayed by npm/tsx), and a
  // second signal with no listener would kill it before the cleanup has stopped code-server and the lab.
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  // `kill -INT` sent to npm itself may end npm without reaching this process: when the process that
  // launched the demo goes away, stop as if the signal had come here.
  const launcher = launcherPid();
  if (launcher !== undefined) {
    const watch = setInterval(() => {
      try {
        process.kill(launcher, 0);
      } catch {
        clearInterval(watch);
        handler('SIGTERM');
      }
    }, 500);
    watch.unref();
  }
}

/** The `npm` process this one runs under (`npm run demo`), found through /proc; undefined otherwise. */
function launcherPid(): number | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => /(^|\/)npm(-cli\.js)?$/.test(arg))) return pid;
      pid = Number(/^\d+ \(.*\) \S (\d+)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 0);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface ExtensionTestRun {
  /** Folder holding the extension's package.json (extensionDevelopmentPath). */
  extensionDevelopmentPath: string;
  /** CommonJS module exporting run(): Promise<void> (extensionTestsPath). */
  extensionTestsPath: string;
  /** Folder the window opens. */
  workspace: string;
  /**
   * File the tests module writes when done; the run ends when it appears. Passed to the extension host
   * in the environment variable `resultsEnv` (default GC_HOST_RESULTS).
   */
  resultsFile: string;
  resultsEnv?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Extensions folder (e.g. with other extensions installed); fresh when absent. */
  extensionsDir?: string;
  /** Called with each new chunk of `${resultsFile}.log` while the tests run. */
  onProgress?: (text: string) => void;
  /** Where to save a screenshot and the browser console when the run fails. */
  diagnosticsDir?: string;
}

/**
 * Runs an extension test module inside code-server's real extension host: starts code-server with the
 * smoke-test driver enabled, opens the workbench in headless Chromium with the development paths in the
 * URL payload, and waits for the module to write its results file. Returns that file's text.
 */
export async function runExtensionTests(tools: Tools, run: ExtensionTestRun): Promise<string> {
  const server = await startCodeServer(tools, {
    smokeTestDriver: true,
    extensionsDir: run.extensionsDir,
    env: { [run.resultsEnv ?? 'GC_HOST_RESULTS']: run.resultsFile, ...run.env },
  });
  try {
    return await runTestsInServer(tools, server, run);
  } finally {
    await server.stop();
  }
}

/**
 * One extension-host run in an already started code-server (started with `smokeTestDriver` and the
 * results variable in its environment): every page load starts a new extension host process.
 */
export async function runTestsInServer(
  tools: Tools,
  server: CodeServer,
  run: ExtensionTestRun,
): Promise<string> {
  fs.rmSync(run.resultsFile, { force: true });
  fs.rmSync(`${run.resultsFile}.log`, { force: true });
  let session: BrowserSession | undefined;
  const consoleLines: string[] = [];
  const timeoutMs = run.timeoutMs ?? 300_000;
  try {
    session = await openBrowser(tools);
    session.page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    session.page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    const url = server.workspaceUrl(run.workspace, [
      ['extensionDevelopmentPath', server.remoteUri(run.extensionDevelopmentPath)],
      ['extensionTestsPath', server.remoteUri(run.extensionTestsPath)],
    ]);
    await session.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });

    const deadline = Date.now() + timeoutMs;
    let shown = 0;
    for (;;) {
      const log = `${run.resultsFile}.log`;
      if (run.onProgress && fs.existsSync(log)) {
        const text = fs.readFileSync(log, 'utf8');
        if (text.length > shown) run.onProgress(text.slice(shown));
        shown = text.length;
      }
      if (fs.existsSync(run.resultsFile)) {
        // The module writes the file in one go; a short pause guards against reading a partial write.
        await sleep(200);
        return fs.readFileSync(run.resultsFile, 'utf8');
      }
      if (Date.now() > deadline) throw new Error(`no results in ${run.resultsFile} after ${timeoutMs} ms`);
      await sleep(250);
    }
  } catch (error) {
    const details = [
      error instanceof Error ? error.message : String(error),
      `--- code-server log (${server.logFile}), last lines:`,
      server.logTail(40),
      ...extensionHostLogTails(server.userDataDir),
      '--- browser console, last lines:',
      ...consoleLines.slice(-30),
    ];
    if (run.diagnosticsDir && session) {
      fs.mkdirSync(run.diagnosticsDir, { recursive: true });
      await session.page.screenshot({ path: path.join(run.diagnosticsDir, 'failure.png') }).catch(() => {});
      fs.writeFileSync(path.join(run.diagnosticsDir, 'browser-console.log'), consoleLines.join('\n'));
    }
    throw new Error(details.join('\n'), { cause: error });
  } finally {
    await session?.close();
  }
}

/** The remote extension host's own log (exthost.log under the user-data-dir), for failure reports. */
export function extensionHostLogTails(userDataDir: string, lines = 30): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^(remoteexthost|exthost)\.log$/.test(entry.name)) found.push(full);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  // The host's start-up lines list every built-in extension (kilobytes each): left out, they say nothing.
  const telling = (line: string) =>
    !/Creating extension host with the following|ExtensionService#_doActivateExtension vscode\./.test(line);
  return found.flatMap((file) => [
    `--- ${file}, last lines:`,
    tailOf(file, lines * 3)
      .split('\n')
      .filter(telling)
      .slice(-lines)
      .join('\n'),
  ]);
}
