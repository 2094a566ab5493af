// `npm run demo`: builds and packages the extension, installs it into code-server, opens a sample workspace
// and serves VS Code at http://127.0.0.1:8080 (`--port N` or PORT=N to change). Ctrl-C stops everything
// this script started.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_HA_SPEC } from '../src/spec/examples';
import { REPO_ROOT, installExtension, onTermination, startCodeServer, type CodeServer } from './code-server';
import { ensureTools } from './ensure-tools';

interface DemoLab {
  /** The spec the sample workspace starts with, pointing at the lab's nodes. */
  specText: string;
  stop(): Promise<void>;
}

/**
 * Hook for the lab (test/lab): a later issue brings up a 3-node lab here and returns a spec that points at
 * it, so the demo drives a live cluster. Until then the workspace gets the contract's example.
 */
async function startLab(): Promise<DemoLab | undefined> {
  return undefined;
}

function parsePort(): number {
  const flag = process.argv.indexOf('--port');
  const raw =
    flag >= 0
      ? process.argv[flag + 1]
      : (process.argv.find((a) => a.startsWith('--port='))?.slice(7) ?? process.env.PORT);
  const port = Number(raw ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function demoHome(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'gateway-cluster-demo');
}

async function main(): Promise<void> {
  const port = parsePort();
  if (!(await portFree(port))) {
    throw new Error(`Port ${port} on 127.0.0.1 is in use. Pick another: npm run demo -- --port 8081`);
  }

  // GC_VSIX=path serves a ready-made package instead of building one.
  let vsix = process.env.GC_VSIX ? path.resolve(process.env.GC_VSIX) : '';
  if (!vsix) {
    console.log('Building and packaging the extension…');
    const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (packaged.status !== 0) throw new Error('npm run package failed');
    vsix = path.join(REPO_ROOT, 'dist', 'gateway-cluster.vsix');
  }

  console.log('Checking tools (the first run installs code-server and Node 24, about 3 minutes)…');
  const tools = await ensureTools();

  const home = demoHome();
  const userDataDir = path.join(home, 'user-data');
  const extensionsDir = path.join(home, 'extensions');
  const workspace = path.join(home, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  installExtension(tools, vsix, extensionsDir, userDataDir);

  // What is running, for the Ctrl-C handler (a code-server still starting is killed on exit anyway).
  const started: { lab?: DemoLab; server?: CodeServer } = {};
  onTermination(async () => {
    console.log('\nStopping the demo…');
    await started.server?.stop();
    await started.lab?.stop();
    console.log('Stopped.');
  });

  const lab = (started.lab = await startLab());
  const specFile = path.join(workspace, 'cluster.yaml');
  if (lab || !fs.existsSync(specFile)) fs.writeFileSync(specFile, lab?.specText ?? EXAMPLE_HA_SPEC);

  const server = (started.server = await startCodeServer(tools, {
    port,
    userDataDir,
    extensionsDir,
    attempts: 1,
    // The positional folder is what http://127.0.0.1:PORT opens.
    extraArgs: [workspace],
  }));
  console.log(`\nGateway Clusters demo is running (workspace: ${workspace}).`);
  console.log(`Open ${server.url} in a browser. Press Ctrl-C to stop.`);
  console.log(`code-server log: ${server.logFile}`);

  // Keep running until Ctrl-C; if code-server dies on its own, say so and stop.
  const pid = server.pid;
  const watchdog = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch {
      clearInterval(watchdog);
      console.error(`code-server exited unexpectedly. Last lines of its log:\n${server.logTail(30)}`);
      void lab?.stop().finally(() => process.exit(1));
    }
  }, 2000);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
