// `npm run demo`: builds and packages the extension, installs it into code-server, brings up a 3-node lab
// cluster (test/lab, name `gclab`, default /24 10.250.0 or GC_LAB_SUBNET) in the `joined` state, writes a
// workspace cluster.yaml pointing at it and serves VS Code at http://127.0.0.1:8080 (`--port N` or PORT=N to
// change). `--state fresh|joined|deployed` picks the lab's starting state; `--topology load-balanced` brings
// up the second system instead (3 gateways, an HAProxy load balancer, an agent; `--state
// fresh|installed|configured`); `--no-lab` serves the editor features only (no root needed). The arguments:
// demo-args.ts. Ctrl-C stops code-server and takes the lab down.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_HA_SPEC } from '../src/cluster-spec/examples';
import { createLab } from '../test/lab/index';
import { REPO_ROOT, installExtension, onTermination, startCodeServer, type CodeServer } from './code-server';
import { DEMO_USAGE, parseDemoArgs, type DemoLabArgs } from './demo-args';
import { nextSteps } from './demo-steps';
import { ensureTools } from './ensure-tools';

/** The demo's lab name (README, `npm run lab -- status`); its /24 is the lab's default. */
const DEMO_LAB_NAME = 'gclab';
const EXTENSION_ID = 'gateway-clusters.gateway-cluster';

interface DemoLab {
  /** The spec the sample workspace starts with, pointing at the lab's nodes. */
  specText: string;
  /** The lab's folder (lab.json holds its secrets, root only). */
  dir: string;
  stop(): Promise<void>;
}

/**
 * The demo's extension keeps trusted host keys in its own known_hosts (in the demo's user-data folder).
 * Entries for the lab's addresses are dropped at every start: the host-key dialog then shows each node's
 * fingerprint (printed here too, to compare), and a lab re-created with new keys never looks like an attack.
 */
function forgetLabHostKeys(userDataDir: string, addresses: string[]): void {
  const file = path.join(userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'known_hosts');
  if (!fs.existsSync(file)) return;
  const names = new Set(addresses.flatMap((a) => [a, `[${a}]:22`]));
  const kept = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !(line.split(' ')[0] ?? '').split(',').some((name) => names.has(name)));
  fs.writeFileSync(file, kept.join('\n'), { mode: 0o600 });
}

/** Brings up the lab (3 nodes or gateways) and returns a spec pointing at it. Needs root (network namespaces, sshd). */
async function startLab(args: DemoLabArgs, userDataDir: string): Promise<DemoLab> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The demo brings up a lab cluster, which needs root (network namespaces, sshd). ' +
        'Run it as root, or `npm run demo -- --no-lab` for the editor features without a live cluster.',
    );
  }
  const lab = createLab(DEMO_LAB_NAME);
  const loadBalanced = args.topology === 'load-balanced';
  const what = loadBalanced ? '3 gateways, a load balancer and an agent' : '3 nodes';
  console.log(`Bringing up the lab "${lab.name}" (${what}, ${args.state})…`);
  const info = await lab.up({
    topology: args.topology,
    nodes: 3,
    state: args.state,
    timeScale: args.timeScale,
  });
  console.log(`Lab ${lab.name} is up on ${info.subnet}. Connect asks you to trust each host's key:`);
  const hosts = [...(info.loadBalancer ? [info.loadBalancer] : []), ...info.nodes, ...(info.agents ?? [])];
  for (const node of hosts) {
    console.log(`  ${node.specHostname}  ${node.address}  ${node.hostKeyFingerprint}`);
  }
  console.log(`  SSH identity file (named in cluster.yaml): ${info.clientKeyPath}`);
  forgetLabHostKeys(
    userDataDir,
    hosts.map((n) => n.address),
  );
  return { specText: info.specYaml, dir: info.dir, stop: () => lab.down() };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The workspace: with a lab, a new folder at every start (older ones removed), because the lab is new too.
 * The cluster's identity is its spec path, so nothing stored for the last lab — kubeconfig, secrets, the
 * wizards' last runs, transcripts, trusted keys — carries over to this one. Without a lab it is one folder.
 */
function demoWorkspace(home: string, withLab: boolean): string {
  if (!withLab) return path.join(home, 'workspace');
  const runs = path.join(home, 'workspaces');
  fs.rmSync(runs, { recursive: true, force: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return path.join(runs, stamp, 'gateway-cluster-demo');
}

function demoHome(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'gateway-cluster-demo');
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) return console.log(DEMO_USAGE);
  const { port, lab: labArgs } = parseDemoArgs(process.argv.slice(2), { PORT: process.env.PORT });
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
  const workspace = demoWorkspace(home, Boolean(labArgs));
  fs.mkdirSync(workspace, { recursive: true });
  installExtension(tools, vsix, extensionsDir, userDataDir);

  // What is running, for the Ctrl-C handler (a code-server still starting is killed on exit anyway).
  onTermination(async () => {
    started.stopping = true;
    console.log('\nStopping the demo…');
    await started.server?.stop();
    await started.lab?.stop();
    console.log('Stopped.');
  });

  const lab = labArgs ? (started.lab = await startLab(labArgs, userDataDir)) : undefined;
  // With the lab, cluster.yaml is rewritten at every start to point at it; without, the example stays.
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
  if (lab && labArgs) for (const line of nextSteps(labArgs, lab.dir)) console.log(line);
  console.log(
    `Open ${server.url} in a browser. Press Ctrl-C here to stop (or kill -INT this process or npm).`,
  );
  console.log(`code-server log: ${server.logFile}`);

  // Keep running until Ctrl-C; if code-server dies on its own, say so and stop.
  const pid = server.pid;
  const watchdog = setInterval(() => {
    // While Ctrl-C stops everything, code-server going away is expected, not a crash.
    if (started.stopping) return clearInterval(watchdog);
    try {
      process.kill(pid, 0);
    } catch {
      clearInterval(watchdog);
      console.error(`code-server exited unexpectedly. Last lines of its log:\n${server.logTail(30)}`);
      void lab?.stop().finally(() => process.exit(1));
    }
  }, 2000);
}

/** What this run started, so that every way out (Ctrl-C, a failure) stops it. */
const started: { lab?: DemoLab; server?: CodeServer; stopping?: boolean } = {};

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  await started.server?.stop();
  await started.lab?.stop().catch(() => undefined);
  process.exit(1);
});
