// The lab: a gateway cluster on this machine (see lab.md and README.md next to this file).
// `createLab(name)` implements the LabApi contract in api.ts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault, LabApi, LabInfo, LabNode, LabOptions, LabSnapshot, LabState } from './api';
import type { ControllerConfig } from './controller/config';
import {
  createNetwork,
  destroyNetwork,
  etcHosts,
  installUnreachableRoute,
  isAlive,
  planNodes,
  prepareNodeFiles,
  startNode,
  sudoersText,
  type LabLayout,
  type NodePlan,
} from './nodes';
import { labHolder, lockLab } from './lock';
import { makePki, pkiPaths, readHostKey, sshKeygen } from './pki';
import { run, waitFor } from './sys';
import { kubeconfigText, writeNodeKubeconfig } from './kubeconfig';
import { labKubectl } from './tools';
import { injectFault, writeKnownHosts } from './faults';
import { resetNodeFiles } from './node-files';
import { CHARTS_VERSION, specYaml } from './lab-spec';
import { allHosts } from './lb-hosts';
import { upLoadBalanced } from './load-balanced';
import {
  LAB_USER,
  bundleController,
  startController,
  controllerRequest,
  labUid,
  userEntries,
  validName,
  validPrefix,
} from './setup';

export type * from './api';

export { LAB_USER } from './setup';
/** The hostname every node carries in `fresh`: identical clones of the OVA (seed 002's "gateway-node"). */
export const OVA_HOSTNAME = 'gateway-node';

interface Persisted {
  info: LabInfo;
  options: Required<Pick<LabOptions, 'nodes' | 'state'>> & LabOptions;
  controllerPid: number;
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
    const node = allHosts(info).find((n) => n.index === index);
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
    if (options.topology === 'load-balanced') {
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
      const { info, holderPid } = await upLoadBalanced({ name, dir, layout, options, state });
      // No controller: the load balancer's holder stands for the lab being up.
      const persisted: Persisted = {
        info,
        options: { ...options, nodes: count, state },
        controllerPid: holderPid,
      };
      writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 });
      mark('load-balanced lab');
      return info;
    }
    if (state === 'installed' || state === 'configured')
      throw new Error(`lab: state ${state} is for a load-balanced lab (--topology load-balanced)`);

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
      timeScale: options.timeScale,
      notReadyDelayMs: options.notReadyDelayMs,
      podMoveDelayMs: options.podMoveDelayMs,
      caCertPath: pki.caCert,
      serverCertPath: pki.serverCert,
      serverKeyPath: pki.serverKey,
      clientCertPath: pki.clientCert,
      clientKeyPath: pki.clientKey,
      apiTokenPath: tokenPath,
      listenHelperPath: join(layout.binDir, 'listen-helper.cjs'),
      floatingHelperPath: join(layout.binDir, 'listen-floating.cjs'),
      bridge: layout.bridge,
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
      inspectLogLines: options.inspectLogLines,
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
    writeFileSync(
      join(layout.binDir, 'listen-floating.cjs'),
      readFileSync(join(__dirname, 'fakes', 'listen-floating.cjs')),
    );
    const authorized = readFileSync(clientKeyPath + '.pub', 'utf8');
    const credentials = {
      caB64: readFileSync(pki.caCert).toString('base64'),
      clientCertB64: readFileSync(pki.clientCert).toString('base64'),
      clientKeyB64: readFileSync(pki.clientKey).toString('base64'),
    };
    const peers = plans.map((p, i) => ({ address: p.address, hostname: specHostnames[i] ?? p.hostname }));

    const [controllerPid] = await Promise.all([
      startController(dir, controllerJs, configPath, () => admin('ping')).then((pid) => {
        mark('controller answers');
        return pid;
      }),
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
    if (persisted.info.topology === 'load-balanced')
      throw new Error('lab: bring a load-balanced lab up again instead of reset');
    const { info: labInfo } = persisted;
    // Node-side files that states differ in: hostname, /etc/hosts, containerd's environment.
    await resetNodeFiles(dir, labInfo.nodes, state === 'fresh' ? OVA_HOSTNAME : undefined);
    await admin('reset', { state });
    persisted.options.state = state;
    writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 });
  }

  const inject = (fault: Fault): Promise<void> => {
    const persisted = running();
    return injectFault(fault, {
      name,
      dir,
      info: persisted.info,
      layout: layoutOf(persisted.info),
      plan: (index) => planOf(persisted.info, index),
      admin,
      save: () => writeFileSync(persistedPath, JSON.stringify(persisted, null, 1), { mode: 0o600 }),
      freshHostname: OVA_HOSTNAME,
    });
  };

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
