// The lab: a gateway cluster on this machine (see lab.md and README.md next to this file).
// `createLab(name)` implements the LabApi contract in api.ts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Fault, LabApi, LabInfo, LabNode, LabOptions, LabSnapshot, LabState } from './api';
import type { ControllerConfig } from './controller/config';
import {
  createNetwork,
  destroyNetwork,
  etcHosts,
  installUnreachableRoute,
  isAlive,
  writeContainerdEnv,
  killSshd,
  planNodes,
  prepareNodeFiles,
  setLink,
  startNode,
  startSshd,
  sudoersText,
  type LabLayout,
  type NodePlan,
} from './nodes';
import { labHolder, lockLab } from './lock';
import { makePki, pkiPaths, readHostKey, sshKeygen } from './pki';
import { run, waitFor } from './sys';
import { kubeconfigText, writeNodeKubeconfig } from './kubeconfig';
import { labKubectl } from './tools';

export type * from './api';

export const LAB_USER = 'gateway';
/** The hostname every node carries in `fresh`: identical clones of the OVA (seed 002's "gateway-node"). */
export const OVA_HOSTNAME = 'gateway-node';
const CHARTS_VERSION = '0.9.6';

interface Persisted {
  info: LabInfo;
  options: Required<Pick<LabOptions, 'nodes' | 'state'>> & LabOptions;
  controllerPid: number;
}

function validName(name: string): string {
  if (!/^[a-z][a-z0-9]{0,9}$/.test(name)) {
    throw new Error(`lab name "${name}" must be 1-10 lowercase letters/digits (it prefixes interface names)`);
  }
  return name;
}

function validPrefix(prefix: string): string {
  const octets = prefix.split('.').map(Number);
  if (octets.length !== 3 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new Error(`lab subnet prefix "${prefix}" must be three octets, e.g. 10.250.0`);
  }
  return prefix;
}

/** The lab user's uid: the host's if it has that user, else the first id from 2000 the host does not use. */
function labUid(): number {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const group = readFileSync('/etc/group', 'utf8');
  const existing = passwd.split('\n').find((l) => l.startsWith(`${LAB_USER}:`));
  if (existing) return Number(existing.split(':')[2]);
  const used = new Set(
    passwd
      .split('\n')
      .concat(group.split('\n'))
      .map((l) => Number(l.split(':')[2])),
  );
  let uid = 2000;
  while (used.has(uid)) uid++;
  return uid;
}

/** The node's own passwd/shadow/group: the host's, plus the lab user with this lab's password. */
function userEntries(uid: number, passwordHash: string): { passwd: string; shadow: string; group: string } {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const shadow = readFileSync('/etc/shadow', 'utf8');
  const group = readFileSync('/etc/group', 'utf8');
  const without = (text: string): string =>
    text
      .split('\n')
      .filter((l) => l && !l.startsWith(`${LAB_USER}:`))
      .join('\n') + '\n';
  return {
    passwd: without(passwd) + `${LAB_USER}:x:${uid}:${uid}:Gateway lab user:/home/${LAB_USER}:/bin/bash\n`,
    shadow: without(shadow) + `${LAB_USER}:${passwordHash}:19800:0:99999:7:::\n`,
    group: without(group) + `${LAB_USER}:x:${uid}:\n`,
  };
}

function specYaml(info: Omit<LabInfo, 'specYaml' | 'specPath'>): string {
  const ha = info.nodes.length >= 3;
  const lines = [
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    `  name: ${ha ? 'lab-gateways' : 'lab-gateway'}`,
    '  description: The lab cluster (network namespaces on this machine)',
    'spec:',
    `  topology: ${ha ? 'ha' : 'single-node'}`,
    '  ssh:',
    `    user: ${info.user}`,
    '    port: 22',
    `    identityFile: ${info.clientKeyPath}`,
    '  nodes:',
  ];
  for (const node of info.nodes) {
    lines.push(
      `    - hostname: ${node.specHostname}`,
      `      address: ${node.address}`,
      `      host: lab-host-${node.index}`,
    );
  }
  lines.push(
    '  network:',
    `    subnet: ${info.subnet}`,
    `    floatingIp: ${info.floatingIp}`,
    `    metallbRange: ${info.floatingIp}/32`,
    `    gateway: ${info.hostAddress}`,
  );
  if (ha)
    lines.push(
      '  storage:',
      '    nfs:',
      `      server: ${info.hostAddress}`,
      '      path: /srv/gateway-cluster',
    );
  lines.push(
    '  charts:',
    '    repository: oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
    `    version: ${CHARTS_VERSION}`,
    '  gatewayManager:',
    '    passwordSecret: lab-manager-password',
    '  registration:',
    '    managementProfile: Lab gateways',
    '    activationTokenSecret: lab-activation-token',
    '',
  );
  return lines.join('\n');
}

/** Sends one request to the controller and collects its answer. */
function controllerRequest(socketPath: string, message: unknown, timeoutMs = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffer = '';
    let result: unknown;
    let error = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('lab controller did not answer'));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const reply = JSON.parse(buffer.slice(0, newline)) as { result?: unknown; e?: string };
        buffer = buffer.slice(newline + 1);
        if ('result' in reply) result = reply.result;
        if (reply.e) error += reply.e;
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (error) reject(new Error(error.trim()));
      else resolve(result);
    });
    socket.write(JSON.stringify(message) + '\n');
  });
}

async function bundleController(dir: string): Promise<string> {
  const outfile = join(dir, 'controller.js');
  await build({
    entryPoints: [join(__dirname, 'controller', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

export function createLab(name: string = process.env.GC_LAB_NAME ?? 'gclab'): LabApi {
  validName(name);
  const dir = `/run/${name}`;
  const persistedPath = join(dir, 'lab.json');

  const read = (): Persisted | undefined => {
    try {
      return JSON.parse(readFileSync(persistedPath, 'utf8')) as Persisted;
    } catch {
      return undefined;
    }
  };
  const layoutOf = (info: LabInfo): LabLayout => ({
    name,
    prefix: info.subnetPrefix,
    dir,
    bridge: `${name}br0`,
    user: info.user,
    uid: Number(readFileSync(join(dir, 'uid'), 'utf8')),
    binDir: join(dir, 'bin'),
  });
  const planOf = (info: LabInfo, index: number): NodePlan => {
    const node = info.nodes[index - 1];
    if (!node) throw new Error(`lab ${name} has no node ${index}`);
    return {
      index,
      netns: node.netns,
      veth: `${name}v${index}`,
      address: node.address,
      hostname: node.hostname,
      dir: join(dir, 'nodes', String(index)),
    };
  };
  const socketPath = join(dir, 'ctl.sock');
  const admin = (op: string, args?: Record<string, unknown>): Promise<unknown> =>
    controllerRequest(socketPath, { type: 'admin', op, args });
  const running = (): Persisted => {
    const persisted = read();
    if (!persisted) throw new Error(`lab ${name} is not up`);
    return persisted;
  };

  // The lab name is held from up to down, so a second process (another test run, a bench) waits for it
  // instead of tearing this one down mid-test. A caller that took the lock itself (lockLab) is not asked twice.
  let releaseLock: (() => void) | undefined;
  async function holdName(): Promise<void> {
    if (releaseLock || labHolder(name) === process.pid) return;
    releaseLock = await lockLab(name);
  }

  async function down(): Promise<void> {
    await holdName();
    await teardown();
    releaseLock?.();
    releaseLock = undefined;
  }

  async function teardown(): Promise<void> {
    const persisted = read();
    const pid =
      persisted?.controllerPid ??
      Number(existsSync(join(dir, 'controller.pid')) ? readFileSync(join(dir, 'controller.pid'), 'utf8') : 0);
    // Only the controller we started, recognised by its PID and its config path, never by name.
    if (pid > 0 && isAlive(pid)) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        // gone
      }
      if (cmdline.includes(join(dir, 'controller.json'))) {
        process.kill(pid, 'SIGKILL');
        // Its sockets live in the nodes' namespaces: they must be closed before those go.
        await waitFor('the lab controller to exit', () => !isAlive(pid), 2000, 5);
      }
    }
    await destroyNetwork(name);
    rmSync(persistedPath, { force: true });
    rmSync(socketPath, { force: true });
    rmSync(join(dir, 'controller.pid'), { force: true });
  }

  async function up(options: LabOptions = {}): Promise<LabInfo> {
    const count = options.nodes ?? 3;
    if (!Number.isInteger(count) || count < 1 || count > 50) throw new Error('lab: nodes must be 1..50');
    const state: LabState = options.state ?? 'joined';
    const prefix = validPrefix(options.subnetPrefix ?? process.env.GC_LAB_SUBNET ?? '10.250.0');
    const sudoRequiresPassword = options.sudoRequiresPassword ?? false;
    if (process.getuid?.() !== 0) throw new Error('lab: up needs root (ip netns, unshare)');
    const t0 = Date.now();
    const mark = (stage: string): void => {
      if (process.env.GC_LAB_TIMING) console.error(`lab up: ${stage} at ${Date.now() - t0} ms`);
    };
    await holdName();
    await teardown();
    mark('down');
    // Before anything else: the /24 must never route out of the machine.
    await installUnreachableRoute(prefix);
    for (const sub of ['keys', 'pki', 'logs', 'bin', 'nodes']) mkdirSync(join(dir, sub), { recursive: true });
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

    const password = randomBytes(12).toString('base64url');
    const apiToken = randomBytes(24).toString('base64url');
    const specHostnames = Array.from({ length: count }, (_, i) => `gw-${i + 1}`);
    const currentHostnames = state === 'fresh' ? specHostnames.map(() => OVA_HOSTNAME) : specHostnames;
    const addresses = specHostnames.map((_, i) => `${prefix}.${11 + i}`);
    const floatingIp = `${prefix}.5`;
    const clientKeyPath = join(dir, 'keys', 'client_ed25519');

    const hostKeyPath = (index: number): string => join(dir, 'keys', `host-${index}_ed25519`);
    const uid = labUid();
    writeFileSync(join(dir, 'uid'), String(uid));
    const layout: LabLayout = {
      name,
      prefix,
      dir,
      bridge: `${name}br0`,
      user: LAB_USER,
      uid,
      binDir: join(dir, 'bin'),
    };
    const plans = planNodes(layout, count, currentHostnames);
    const pki = pkiPaths(join(dir, 'pki'));
    const tokenPath = join(dir, 'pki', 'token');
    const configPath = join(dir, 'controller.json');
    const kubectlPath = labKubectl();
    const controllerConfig: ControllerConfig = {
      name,
      prefix,
      dir,
      socketPath,
      nodes: plans.map((p, i) => ({
        index: p.index,
        netns: p.netns,
        address: p.address,
        hostname: p.hostname,
        specHostname: specHostnames[i] ?? p.hostname,
        dir: p.dir,
      })),
      state,
      podsPerNode: options.podsPerNode ?? 5,
      notReadyDelayMs: options.notReadyDelayMs ?? 500,
      podMoveDelayMs: options.podMoveDelayMs ?? 2000,
      caCertPath: pki.caCert,
      serverCertPath: pki.serverCert,
      serverKeyPath: pki.serverKey,
      clientCertPath: pki.clientCert,
      clientKeyPath: pki.clientKey,
      apiTokenPath: tokenPath,
      listenHelperPath: join(layout.binDir, 'listen-helper.cjs'),
      nodeBinary: process.execPath,
      chartsVersion: CHARTS_VERSION,
      floatingIp,
      freshHostname: OVA_HOSTNAME,
      user: LAB_USER,
      releaseReadyDelayMs: options.releaseReadyDelayMs ?? 1000,
      registrationStepMs: options.registrationStepMs ?? 300,
      invalidTokens: options.invalidTokens ?? [],
      invalidTokenPrefix: options.invalidTokenPrefix ?? 'invalid-',
      kubectlPath,
      minRequestTimeoutSeconds: options.minRequestTimeoutSeconds,
    };

    // Independent steps run side by side: keys, certificates, network, the controller's bundle.
    const [passwordHash, , , controllerJs] = await Promise.all([
      run('openssl', ['passwd', '-6', '-stdin'], password + '\n').then((s) => s.trim()),
      makePki(join(dir, 'pki'), [...addresses, floatingIp]),
      createNetwork(layout, plans),
      bundleController(dir),
      existsSync(clientKeyPath) ? Promise.resolve() : sshKeygen(clientKeyPath, `${LAB_USER}@${name}-lab`),
      ...addresses.map((_, i) =>
        existsSync(hostKeyPath(i + 1))
          ? Promise.resolve()
          : sshKeygen(hostKeyPath(i + 1), `root@${name}-${i + 1}`),
      ),
    ]);
    mark('keys, pki, network, bundle');
    const users = userEntries(uid, passwordHash);
    writeFileSync(tokenPath, apiToken, { mode: 0o600 });
    writeFileSync(configPath, JSON.stringify(controllerConfig, null, 1), { mode: 0o600 });

    // The fakes: tiny wrappers around one plain-JS client, first on every node's PATH.
    const clientPath = join(layout.binDir, 'client.cjs');
    writeFileSync(clientPath, readFileSync(join(__dirname, 'fakes', 'client.cjs')));
    for (const tool of ['microk8s', 'hostnamectl']) {
      writeFileSync(
        join(layout.binDir, tool),
        `#!/bin/sh\nexec ${process.execPath} ${clientPath} ${tool} "$@"\n`,
        { mode: 0o755 },
      );
    }
    writeFileSync(
      join(layout.binDir, 'listen-helper.cjs'),
      readFileSync(join(__dirname, 'fakes', 'listen-helper.cjs')),
    );
    const authorized = readFileSync(clientKeyPath + '.pub', 'utf8');
    const credentials = {
      caB64: readFileSync(pki.caCert).toString('base64'),
      clientCertB64: readFileSync(pki.clientCert).toString('base64'),
      clientKeyB64: readFileSync(pki.clientKey).toString('base64'),
    };
    const peers = plans.map((p, i) => ({ address: p.address, hostname: specHostnames[i] ?? p.hostname }));

    const startController = async (): Promise<number> => {
      const out = openSync(join(dir, 'logs', 'controller.out'), 'a');
      const controller = spawn(process.execPath, [controllerJs, configPath], {
        detached: true,
        stdio: ['ignore', out, out],
      });
      closeSync(out);
      controller.unref();
      const pid = controller.pid ?? 0;
      writeFileSync(join(dir, 'controller.pid'), String(pid));
      await waitFor(
        'the lab controller',
        async () => {
          if (!isAlive(pid)) throw new Error(`lab controller exited; see ${join(dir, 'logs')}`);
          return admin('ping').then(
            () => true,
            () => false,
          );
        },
        15_000,
        10,
      );
      mark('controller answers');
      return pid;
    };
    const [controllerPid] = await Promise.all([
      startController(),
      ...plans.map(async (plan) => {
        prepareNodeFiles(
          layout,
          plan,
          {
            passwd: users.passwd,
            shadow: users.shadow,
            group: users.group,
            sudoers: sudoersText(layout, !sudoRequiresPassword),
            nodeJson: JSON.stringify({ lab: name, node: plan.index, socket: socketPath }) + '\n',
          },
          // `fresh` nodes know only themselves; a joined cluster has every peer in /etc/hosts.
          etcHosts(plan.hostname, state === 'fresh' ? [] : peers.filter((p) => p.address !== plan.address)),
          authorized,
        );
        writeFileSync(join(plan.dir, 'ssh_host_ed25519_key'), readFileSync(hostKeyPath(plan.index)), {
          mode: 0o600,
        });
        // `microk8s kubectl` on the node: the real kubectl with MicroK8s' admin credentials.
        writeNodeKubeconfig(plan.dir, kubeconfigText(plan.address, credentials), uid);
        await startNode(layout, plan);
        mark(`node ${plan.index} sshd`);
      }),
    ]);
    mark('controller');
    const nodes: LabNode[] = plans.map((plan, i) => {
      const key = readHostKey(hostKeyPath(plan.index));
      return {
        index: plan.index,
        netns: plan.netns,
        address: plan.address,
        hostname: plan.hostname,
        specHostname: specHostnames[i] ?? plan.hostname,
        sshPort: 22,
        hostPublicKey: key.publicKey,
        hostKeyFingerprint: key.fingerprint,
        apiPort: 16443,
      };
    });
    const knownHostsPath = join(dir, 'keys', 'known_hosts');
    writeKnownHosts(knownHostsPath, nodes);
    const base = {
      subnetPrefix: prefix,
      subnet: `${prefix}.0/24`,
      hostAddress: `${prefix}.1`,
      floatingIp,
      nodes,
      user: LAB_USER,
      clientKeyPath,
      password,
      knownHostsPath,
      dir,
      kube: {
        caCertPath: pki.caCert,
        clientCertPath: pki.clientCert,
        clientKeyPath: pki.clientKey,
        token: apiToken,
      },
      sudoRequiresPassword,
    };
    const spec = specYaml(base);
    const specPath = join(dir, 'cluster.yaml');
    writeFileSync(specPath, spec);
    const info: LabInfo = { ...base, specYaml: spec, specPath };
    const persisted: Persisted = { info, options: { ...options, nodes: count, state }, controllerPid };
    writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 });
    return info;
  }

  function writeKnownHosts(path: string, nodes: LabNode[]): void {
    writeFileSync(path, nodes.map((n) => `${n.address} ${n.hostPublicKey}\n`).join(''));
  }

  async function info(): Promise<LabInfo | undefined> {
    const persisted = read();
    if (!persisted || !isAlive(persisted.controllerPid)) return undefined;
    // Hostnames change as wizards rename nodes; report the current ones.
    for (const node of persisted.info.nodes) {
      try {
        node.hostname = readFileSync(
          join(dir, 'nodes', String(node.index), 'etc-upper', 'hostname'),
          'utf8',
        ).trim();
      } catch {
        // keep the recorded one
      }
    }
    return persisted.info;
  }

  async function reset(state: LabState): Promise<void> {
    const persisted = running();
    const { info: labInfo } = persisted;
    const layout = layoutOf(labInfo);
    // Node-side files that states differ in: hostname, /etc/hosts.
    const peers = labInfo.nodes.map((n) => ({ address: n.address, hostname: n.specHostname }));
    await Promise.all(
      labInfo.nodes.map(async (node) => {
        const hostname = state === 'fresh' ? OVA_HOSTNAME : node.specHostname;
        const etc = join(dir, 'nodes', String(node.index), 'etc-upper');
        writeFileSync(join(etc, 'hostname'), hostname + '\n');
        writeFileSync(
          join(etc, 'hosts'),
          etcHosts(hostname, state === 'fresh' ? [] : peers.filter((p) => p.address !== node.address)),
        );
        writeContainerdEnv(join(dir, 'nodes', String(node.index)));
        const holder = readFileSync(join(dir, 'nodes', String(node.index), 'holder.pid'), 'utf8').trim();
        await run('nsenter', ['-t', holder, '-u', 'hostname', hostname]);
        node.hostname = hostname;
        void layout;
      }),
    );
    await admin('reset', { state });
    persisted.options.state = state;
    writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 });
  }

  async function inject(fault: Fault): Promise<void> {
    const persisted = running();
    const labInfo = persisted.info;
    const layout = layoutOf(labInfo);
    switch (fault.kind) {
      case 'stopMicrok8s':
      case 'startMicrok8s':
      case 'hangCommand':
      case 'clearHang':
      case 'restartApiServer':
      case 'invalidToken':
      case 'stallRegistration':
        await admin('inject', { ...fault });
        return;
      case 'linkDown':
      case 'linkUp':
        await setLink(planOf(labInfo, fault.node), layout, fault.kind === 'linkUp');
        await admin('linkState', { node: fault.node, up: fault.kind === 'linkUp' });
        return;
      case 'killSshd':
        await killSshd(planOf(labInfo, fault.node));
        return;
      case 'startSshd':
        await startSshd(layout, planOf(labInfo, fault.node));
        return;
      case 'changeHostKey': {
        const plan = planOf(labInfo, fault.node);
        const keyPath = join(dir, 'keys', `host-${fault.node}_ed25519`);
        await sshKeygen(keyPath, `root@${name}-${fault.node}`);
        writeFileSync(join(plan.dir, 'ssh_host_ed25519_key'), readFileSync(keyPath), { mode: 0o600 });
        await killSshd(plan);
        await startSshd(layout, plan);
        const key = readHostKey(keyPath);
        const node = labInfo.nodes[fault.node - 1];
        if (node) {
          node.hostPublicKey = key.publicKey;
          node.hostKeyFingerprint = key.fingerprint;
        }
        writeKnownHosts(labInfo.knownHostsPath, labInfo.nodes);
        writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 });
        return;
      }
      case 'sudoPassword': {
        const targets = fault.node === undefined ? labInfo.nodes.map((n) => n.index) : [fault.node];
        for (const index of targets) {
          writeFileSync(
            join(dir, 'nodes', String(index), 'etc-upper', 'sudoers'),
            sudoersText(layout, !fault.required),
            {
              mode: 0o440,
            },
          );
        }
        if (fault.node === undefined) {
          labInfo.sudoRequiresPassword = fault.required;
          writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 });
        }
        return;
      }
    }
  }

  return {
    name,
    up,
    down,
    reset,
    info,
    snapshot: async () => (await admin('snapshot')) as LabSnapshot,
    inject,
    deletePod: async (namespace, podName) => Number(await admin('deletePod', { namespace, name: podName })),
  };
}

/** The default lab (name from GC_LAB_NAME, else 'gclab'). */
export const lab: LabApi = createLab();
