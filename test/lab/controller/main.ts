// The lab controller: one host process that owns the lab state, answers the fake CLIs over a Unix socket
// and serves the fake Kubernetes API on every node's address (listening sockets made inside each node's
// network namespace by a short-lived helper and handed over by IPC). Bundled by esbuild at `up`.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { AdminRequest, ControllerConfig, ExecRequest } from './config';
import { handleApi } from './api/kube-api';
import { clusterConnected } from './gateway-manager';
import { FloatingIps } from './floating-ips';
import { listenInNamespace } from './floating-listen';
import { handleUpgrade } from './api/streaming';
import { servePodApp, POD_APP_PORTS } from './pod-apps';
import { runCommand, type CommandIo } from './cli/microk8s';
import { LabModel } from './model';
import type { LabNodeRuntime } from './types';
import { certCheck } from '../pki';
import { kubeconfigText } from '../kubeconfig';

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: controller CONFIG.json');
const config = JSON.parse(readFileSync(configPath, 'utf8')) as ControllerConfig;
const logFile = join(config.dir, 'logs', 'controller.log');
const log = (line: string): void => {
  try {
    appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  } catch {
    // logging must never take the controller down
  }
};
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? String(error)}`));
process.on('unhandledRejection', (error) => log(`unhandled: ${String(error)}`));

const token = readFileSync(config.apiTokenPath, 'utf8').trim();
const serverCert = readFileSync(config.serverCertPath, 'utf8');
const check = certCheck(serverCert);
const tlsOptions = {
  key: readFileSync(config.serverKeyPath),
  cert: serverCert,
  ca: readFileSync(config.caCertPath),
  requestCert: true,
  // Client certificates are optional: bearer tokens are the other way in; the handler checks `authorized`.
  rejectUnauthorized: false,
};
const clientCertB64 = readFileSync(config.clientCertPath).toString('base64');
const clientKeyB64 = readFileSync(config.clientKeyPath).toString('base64');
const caB64 = readFileSync(config.caCertPath).toString('base64');

const model = new LabModel(config);
let saveTimer: NodeJS.Timeout | undefined;
model.onChange = () => {
  if (saveTimer) return;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    try {
      const tmp = join(config.dir, 'state.json.tmp');
      writeFileSync(
        tmp,
        JSON.stringify(
          { nodes: model.nodes, snapshots: model.nodes.map((n) => safeSnapshot(n.index)) },
          null,
          1,
        ),
      );
      renameSync(tmp, join(config.dir, 'state.json'));
    } catch (error) {
      log(`state save failed: ${String(error)}`);
    }
  }, 200);
};
function safeSnapshot(index: number): unknown {
  try {
    return model.snapshot(index);
  } catch {
    return null;
  }
}
// MetalLB's announced addresses, on the node that announces them (floating-ips.ts).
const floating = new FloatingIps({
  model,
  bridge: config.bridge ?? `${config.name}br0`,
  netnsOf: (index) => config.nodes.find((n) => n.index === index)?.netns ?? '',
  listen: (netns, address, port) =>
    listenInNamespace(config.nodeBinary, config.floatingHelperPath, netns, address, port),
  tls: tlsOptions,
  log,
});
const saveState = model.onChange;
model.onChange = () => {
  saveState();
  floating.schedule();
};
// A stopped kubelite drops its clients, as the stopMicrok8s fault does.
model.onMicrok8sStopped = (index) => dropApiConnections(index);

const credentials = { caB64, clientCertB64, clientKeyB64 };
const kubeconfig = (node: LabNodeRuntime): string => kubeconfigText(node.address, credentials);

// ---- API servers, one per node, each on a socket made inside that node's namespace ----

const apiServers = new Map<number, https.Server>();
const apiSockets = new Map<number, Set<net.Socket>>();

function makeApiServer(index: number): https.Server {
  const server = https.createServer(tlsOptions, (req, res) => {
    handleApi({ model, token, log }, index, req, res).catch((error: unknown) => {
      log(`api ${index} ${req.method ?? ''} ${req.url ?? ''}: ${String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'internal error',
            code: 500,
          }),
        );
      } else res.end();
    });
  });
  const sockets = new Set<net.Socket>();
  apiSockets.set(index, sockets);
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // exec and port-forward switch to WebSocket (api/streaming.ts).
  server.on('upgrade', (req, socket, head: Buffer) => {
    try {
      handleUpgrade({ model, token, log, nodeProcess }, index, req, socket, head);
    } catch (error) {
      log(`upgrade ${index} ${req.url ?? ''}: ${String(error)}`);
      socket.destroy();
    }
  });
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_error, socket) => socket.destroy());
  server.keepAliveTimeout = 30_000;
  return server;
}

/** Drops every connection (and so every watch) of a node's API server. */
function dropApiConnections(index?: number): void {
  for (const [i, sockets] of apiSockets) {
    if (index !== undefined && i !== index) continue;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  }
}

function openListeners(index: number, address: string, netns: string): Promise<void> {
  log(`spawning listener helper ${index} at ${Math.round(process.uptime() * 1000)} ms`);
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netns, config.nodeBinary, config.listenHelperPath, address], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let got = 0;
    child.on('message', (message: unknown, handle: unknown) => {
      const port = (message as { port?: number }).port;
      if (port === 16443 && handle) {
        const server = makeApiServer(index);
        apiServers.set(index, server);
        server.listen(handle as net.Server);
      } else if (port !== undefined && POD_APP_PORTS.includes(port) && handle) {
        servePodApp(port, handle as net.Server, model.node(index).hostname, tlsOptions, log);
      } else if (port === 25000 && handle) {
        const agent = net.createServer((socket) => {
          socket.on('error', () => undefined);
          // The cluster agent answers only while MicroK8s runs on that node.
          if (model.node(index).running) socket.end('ok\n');
          else socket.destroy();
        });
        agent.on('error', (error) => log(`agent ${index}: ${String(error)}`));
        agent.listen(handle as net.Server);
      }
      if (++got === 2 + POD_APP_PORTS.length) {
        log(`listeners of node ${index} at ${Math.round(process.uptime() * 1000)} ms`);
        child.send({ done: true });
        resolve();
      }
    });
    child.on('exit', (code) => {
      if (got < 2 + POD_APP_PORTS.length)
        reject(new Error(`listener helper for node ${index} exited ${code}: ${stderr}`));
    });
  });
}

/** What exec needs to enter a node: its holder process and the lab user (the owner of its home). */
function nodeProcess(index: number): { holderPid: number; uid: number } {
  const node = config.nodes.find((n) => n.index === index);
  if (!node) throw new Error(`no lab node ${index}`);
  return {
    holderPid: Number(readFileSync(join(node.dir, 'holder.pid'), 'utf8').trim()),
    uid: statSync(join(node.dir, 'home')).uid,
  };
}

// ---- the Unix socket: fake CLIs on the nodes and the lab API on the host ----

function handleConnection(socket: net.Socket): void {
  let buffer = '';
  let started = false;
  const stdinLines: string[] = [];
  let stdinEnded = false;
  let stdinWaiter: (() => void) | undefined;
  const wake = (): void => {
    const waiter = stdinWaiter;
    stdinWaiter = undefined;
    waiter?.();
  };
  const reply = (message: unknown): void => {
    if (!socket.destroyed) socket.write(JSON.stringify(message) + '\n');
  };
  let stdinRequested = false;
  const requestStdin = (): void => {
    if (!stdinRequested) {
      stdinRequested = true;
      reply({ stdin: true });
    }
  };
  let partial = '';
  const io: CommandIo = {
    out: (text) => reply({ o: text }),
    err: (text) => reply({ e: text }),
    readLine: async () => {
      requestStdin();
      for (;;) {
        const all = partial + stdinLines.splice(0).join('');
        const newline = all.indexOf('\n');
        if (newline >= 0) {
          partial = all.slice(newline + 1);
          return all.slice(0, newline);
        }
        partial = all;
        if (stdinEnded) {
          const rest = partial;
          partial = '';
          return rest === '' ? null : rest;
        }
        await new Promise<void>((resolve) => (stdinWaiter = resolve));
      }
    },
    run: (file, args) => reply({ run: { file, args } }),
    readAll: async () => {
      requestStdin();
      while (!stdinEnded) await new Promise<void>((resolve) => (stdinWaiter = resolve));
      const all = partial + stdinLines.splice(0).join('');
      partial = '';
      return all;
    },
  };
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  socket.on('close', () => {
    stdinEnded = true;
    wake();
  });
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        reply({ e: 'lab controller: bad request\n', x: 2 });
        socket.end();
        return;
      }
      if (typeof message.stdin === 'string') {
        stdinLines.push(message.stdin);
        wake();
      } else if (message.stdinEnd) {
        stdinEnded = true;
        wake();
      } else if (!started) {
        started = true;
        void dispatch(message, io, reply).then(
          () => socket.end(),
          (error: unknown) => {
            log(`request failed: ${String(error)}`);
            reply({ e: `lab controller: ${error instanceof Error ? error.message : String(error)}\n`, x: 1 });
            socket.end();
          },
        );
      }
    }
  });
}

async function dispatch(
  message: Record<string, unknown>,
  io: CommandIo,
  reply: (m: unknown) => void,
): Promise<void> {
  if (message.type === 'exec') {
    const request = message as unknown as ExecRequest;
    const node = model.node(Number(request.node));
    const argv = Array.isArray(request.argv) ? request.argv.map(String) : [];
    log(`exec node ${node.index} ${request.tool} ${argv[0] ?? ''}`);
    if (request.tool === 'microk8s' && node.hang !== null && (node.hang === '*' || node.hang === argv[0])) {
      // The hang fault: never answer; the caller's timeout or cancellation must cut it.
      await new Promise(() => undefined);
    }
    const code = await runCommand(
      { model, config, node, uid: Number(request.uid), io, certCheck: check, kubeconfig },
      request.tool,
      argv,
    );
    // null: the client on the node runs a program itself (the real kubectl) and exits with its code.
    if (code !== null) reply({ x: code });
    return;
  }
  if (message.type === 'admin') {
    const request = message as unknown as AdminRequest;
    reply({ result: admin(request) ?? null });
    return;
  }
  throw new Error('unknown request');
}

function admin(request: AdminRequest): unknown {
  const args = request.args ?? {};
  const index = Number(args.node ?? 1);
  switch (request.op) {
    case 'ping':
      return { ok: true, listeners: apiServers.size };
    case 'snapshot':
      return { ...model.snapshot(index), floatingIps: floating.holders() };
    case 'reset':
      model.reset(args.state as ControllerConfig['state']);
      return true;
    case 'deletePod': {
      const cluster = model.clusterOf(index);
      const pod = model.findPod(cluster, String(args.namespace), String(args.name));
      if (!pod) throw new Error(`pod ${String(args.namespace)}/${String(args.name)} not found`);
      // Taken before the change and its watch events (sent synchronously inside deletePod): a delay measured
      // from here includes all of the server's own work.
      const committedAt = performance.timeOrigin + performance.now();
      model.deletePod(
        cluster,
        pod,
        typeof args.gracePeriodSeconds === 'number' ? args.gracePeriodSeconds : undefined,
      );
      return committedAt;
    }
    case 'setHostname':
      model.node(index).hostname = String(args.hostname);
      return true;
    case 'replaceVm':
      // The old VM's connections go with it.
      dropApiConnections(index);
      model.replaceVm(index);
      return true;
    case 'linkState':
      model.node(index).linkUp = Boolean(args.up);
      model.nodeHealthChanged(index);
      return true;
    case 'inject': {
      const kind = String(args.kind);
      if (kind === 'stopMicrok8s' || kind === 'startMicrok8s') {
        const node = model.node(index);
        node.running = kind === 'startMicrok8s';
        if (!node.running) dropApiConnections(index);
        model.nodeHealthChanged(index);
      } else if (kind === 'hangCommand') {
        model.node(index).hang = String(args.command ?? '*');
      } else if (kind === 'clearHang') {
        model.node(index).hang = null;
      } else if (kind === 'restartApiServer') {
        dropApiConnections(args.node === undefined ? undefined : index);
      } else if (kind === 'invalidToken') {
        model.invalidTokens.add(String(args.token ?? ''));
      } else if (kind === 'stallRegistration') {
        model.registrationStalled = Boolean(args.stalled);
      } else if (kind === 'classicGateway') {
        // The user's step in the management platform: a profile holds one gateway at a time.
        if (args.registered && [...model.clusters.values()].some((c) => clusterConnected(model, c)))
          throw new Error('the management profile is in use by the gateway cluster: de-register it first');
        model.classicRegistered = Boolean(args.registered);
      } else {
        throw new Error(`unknown fault ${kind}`);
      }
      return true;
    }
  }
  throw new Error(`unknown admin op ${String(request.op)}`);
}

async function main(): Promise<void> {
  rmSync(config.socketPath, { force: true });
  const server = net.createServer(handleConnection);
  server.on('error', (error) => log(`socket server: ${String(error)}`));
  // The listener helpers start in the nodes' namespaces while the model is built (nothing asks the API before
  // the socket below answers).
  const listening = Promise.all(config.nodes.map((n) => openListeners(n.index, n.address, n.netns)));
  model.reset(config.state);
  log(`model ready at ${Math.round(process.uptime() * 1000)} ms`);
  await listening;
  await new Promise<void>((resolve) => server.listen(config.socketPath, resolve));
  // The fakes on the nodes run as the login user too.
  const { chmodSync } = await import('node:fs');
  chmodSync(config.socketPath, 0o666);
  log(
    `controller up: ${config.nodes.length} nodes, state ${config.state}, ${Math.round(process.uptime() * 1000)} ms`,
  );
  process.send?.({ ready: true });
}

main().catch((error: unknown) => {
  log(`start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
