// The load-balanced lab (seed 003): gateway namespaces (`NAME-1..N`, `.11…`, mgw-1…), a load balancer
// namespace (`NAME-0`, `.10`, lb-1) running Debian's real haproxy in master-worker mode, and agent namespaces
// (`NAME-101…`, `.31…`, app-1…); each a lab node with its own sshd, /etc, /opt, /var/lib/gc-lab,
// /var/lib/gateway-cluster and /run/haproxy. The stand-ins (fakes/lb-tools.cjs) print seed 003's output.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabInfo, LabNode, LabOptions, LabState } from './api';
import { writeKnownHosts } from './faults';
import { DEBIAN_HAPROXY_CFG } from './haproxy-default';
import { LAB_CA_FILE, LAB_GATEWAY_PORT, loadBalancedSpecYaml } from './lb-spec';
import {
  createNetwork,
  etcHosts,
  nodeDir,
  prepareNodeFiles,
  startNode,
  sudoersText,
  type LabLayout,
  type NodePlan,
} from './nodes';
import { ensureCa, readHostKey, signLeaf, sshKeygen } from './pki';
import { LAB_USER, userEntries } from './setup';
import { run } from './sys';
import { FIRST_AGENT_INDEX, LB_INDEX } from './lb-hosts';
import { bringToState, PACKAGE_FILES, type Host } from './lb-states';

const STATES: LabState[] = ['fresh', 'installed', 'configured'];
const FAKES = ['lb-tools.cjs', 'seed-output.cjs', 'gateway-service.cjs'];

/** The host folders a load-balanced node gets over its own paths (created by prepareLbFiles). */
function binds(plan: NodePlan): Array<{ source: string; target: string }> {
  return [
    { source: join(plan.dir, 'opt'), target: '/opt' },
    { source: join(plan.dir, 'gc-lab-state'), target: '/var/lib/gc-lab' },
    { source: join(plan.dir, 'product-state'), target: '/var/lib/gateway-cluster' },
    { source: join(plan.dir, 'run-haproxy'), target: '/run/haproxy' },
  ];
}

type Role = Host['role'];

export interface LoadBalancedUp {
  name: string;
  dir: string;
  layout: LabLayout;
  options: LabOptions;
  state: LabState;
}

export async function upLoadBalanced(ctx: LoadBalancedUp): Promise<{ info: LabInfo; holderPid: number }> {
  const { name, dir, layout, options, state } = ctx;
  if (!STATES.includes(state))
    throw new Error(`lab: a load-balanced lab starts fresh, installed or configured`);
  const gateways = options.nodes ?? 3;
  const agents = options.agents ?? 1;
  if (!Number.isInteger(agents) || agents < 0 || agents > 9) throw new Error('lab: agents must be 0..9');
  const host = (index: number, address: string, hostname: string, role: Role): Host => ({
    role,
    plan: {
      index,
      netns: `${name}-${index}`,
      veth: `${name}v${index}`,
      address,
      hostname,
      dir: nodeDir(layout, index),
    },
  });
  const hosts: Host[] = [
    host(LB_INDEX, `${layout.prefix}.10`, 'lb-1', 'lb'),
    ...Array.from({ length: gateways }, (_, i) =>
      host(i + 1, `${layout.prefix}.${11 + i}`, `mgw-${i + 1}`, 'gateway'),
    ),
    ...Array.from({ length: agents }, (_, i) =>
      host(FIRST_AGENT_INDEX + i, `${layout.prefix}.${31 + i}`, `app-${i + 1}`, 'agent'),
    ),
  ];
  const password = randomBytes(12).toString('base64url');
  const installKey = `lab-install-key-${randomBytes(18).toString('base64url')}`;
  const gatewayPassword = randomBytes(12).toString('base64url');
  const clientKeyPath = join(dir, 'keys', 'client_ed25519');
  const hostKeyPath = (index: number): string => join(dir, 'keys', `host-${index}_ed25519`);
  const pkiDir = join(dir, 'pki');
  const packagesDir = join(dir, 'packages');
  mkdirSync(packagesDir, { recursive: true });
  const packages = {
    gateway: join(packagesDir, PACKAGE_FILES.gateway),
    agent: join(packagesDir, PACKAGE_FILES.agent),
  };
  writeFileSync(packages.gateway, 'GC-LAB-PACKAGE\nname=oracle.mgmt_gateway\nversion=230207.1529-1\n');
  writeFileSync(packages.agent, 'GC-LAB-PACKAGE\nname=oracle.mgmt_agent\nversion=230207.1529-1\n');

  const [passwordHash] = await Promise.all([
    run('openssl', ['passwd', '-6', '-stdin'], password + '\n').then((s) => s.trim()),
    ensureCa(pkiDir),
    createNetwork(
      layout,
      hosts.map((h) => h.plan),
    ),
    existsSync(clientKeyPath) ? Promise.resolve() : sshKeygen(clientKeyPath, `${LAB_USER}@${name}-lab`),
    ...hosts.map((h) =>
      existsSync(hostKeyPath(h.plan.index))
        ? Promise.resolve()
        : sshKeygen(hostKeyPath(h.plan.index), `root@${name}-${h.plan.index}`),
    ),
  ]);
  const users = userEntries(layout.uid, passwordHash);
  writeFakes(layout);
  const authorized = readFileSync(clientKeyPath + '.pub', 'utf8');
  const peers = hosts.map((h) => ({ address: h.plan.address, hostname: h.plan.hostname }));
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex') + '\n';
  const holders = await Promise.all(
    hosts.map(async (h) => {
      prepareNodeFiles(
        layout,
        h.plan,
        {
          ...users,
          sudoers: sudoersText(layout, !options.sudoRequiresPassword),
          nodeJson:
            JSON.stringify({
              lab: name,
              node: h.plan.index,
              role: h.role,
              hostname: h.plan.hostname,
              gatewayPort: LAB_GATEWAY_PORT,
            }) + '\n',
        },
        etcHosts(
          h.plan.hostname,
          peers.filter((p) => p.address !== h.plan.address),
        ),
        authorized,
      );
      for (const sub of ['opt', 'gc-lab-state', 'run-haproxy'])
        mkdirSync(join(h.plan.dir, sub), { recursive: true, mode: 0o755 });
      mkdirSync(join(h.plan.dir, 'product-state'), { recursive: true, mode: 0o700 });
      const etc = join(h.plan.dir, 'etc-upper');
      writeFileSync(join(etc, 'gc-lab', 'install-key.sha256'), sha(installKey), { mode: 0o600 });
      writeFileSync(join(etc, 'gc-lab', 'gateway-password.sha256'), sha(gatewayPassword), { mode: 0o600 });
      if (h.role === 'gateway') await gatewayCertificate(pkiDir, h.plan);
      if (h.role === 'lb') {
        mkdirSync(join(etc, 'haproxy'), { recursive: true });
        writeFileSync(join(etc, 'haproxy', 'haproxy.cfg'), DEBIAN_HAPROXY_CFG);
        writeFileSync(join(etc, LAB_CA_FILE.slice('/etc/'.length)), readFileSync(join(pkiDir, 'ca.crt')));
      }
      writeFileSync(join(h.plan.dir, 'ssh_host_ed25519_key'), readFileSync(hostKeyPath(h.plan.index)), {
        mode: 0o600,
      });
      return startNode(layout, h.plan, binds(h.plan));
    }),
  );
  const labNode = (h: Host): LabNode => {
    const key = readHostKey(hostKeyPath(h.plan.index));
    return {
      index: h.plan.index,
      netns: h.plan.netns,
      address: h.plan.address,
      hostname: h.plan.hostname,
      specHostname: h.plan.hostname,
      sshPort: 22,
      hostPublicKey: key.publicKey,
      hostKeyFingerprint: key.fingerprint,
      apiPort: 0,
    };
  };
  const nodes = hosts.filter((h) => h.role === 'gateway').map(labNode);
  const loadBalancer = labNode(hosts[0] as Host);
  const agentNodes = hosts.filter((h) => h.role === 'agent').map(labNode);
  const knownHostsPath = join(dir, 'keys', 'known_hosts');
  writeKnownHosts(knownHostsPath, [loadBalancer, ...nodes, ...agentNodes]);
  const base: Omit<LabInfo, 'specYaml' | 'specPath'> = {
    subnetPrefix: layout.prefix,
    subnet: `${layout.prefix}.0/24`,
    hostAddress: `${layout.prefix}.1`,
    floatingIp: '',
    nodes,
    user: LAB_USER,
    clientKeyPath,
    password,
    knownHostsPath,
    dir,
    kube: { caCertPath: join(pkiDir, 'ca.crt'), clientCertPath: '', clientKeyPath: '', token: '' },
    sudoRequiresPassword: options.sudoRequiresPassword ?? false,
    topology: 'load-balanced',
    loadBalancer,
    agents: agentNodes,
    installKey,
    gatewayPassword,
    packages,
  };
  const specYaml = loadBalancedSpecYaml(base, {
    interMs: options.checkInterMs ?? 500,
    fall: options.checkFall ?? 3,
    rise: options.checkRise ?? 2,
  });
  const specPath = join(dir, 'cluster.yaml');
  writeFileSync(specPath, specYaml);
  const info: LabInfo = { ...base, specYaml, specPath };
  await bringToState(info, state, hosts);
  return { info, holderPid: holders[0] as number };
}

/** A gateway's certificate from the lab's CA, naming its hostname and address (what `verifyhost` checks). */
async function gatewayCertificate(pkiDir: string, plan: NodePlan): Promise<void> {
  const etc = join(plan.dir, 'etc-upper', 'gc-lab');
  const cert = join(pkiDir, `gateway-${plan.hostname}-${plan.address}.crt`);
  const key = join(pkiDir, `gateway-${plan.hostname}-${plan.address}.key`);
  if (!existsSync(cert) || !existsSync(key)) {
    await signLeaf(
      pkiDir,
      key,
      cert,
      `/CN=${plan.hostname}`,
      `subjectAltName=DNS:${plan.hostname},IP:${plan.address}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n`,
    );
  }
  writeFileSync(join(etc, 'gateway.crt'), readFileSync(cert));
  writeFileSync(join(etc, 'gateway.key'), readFileSync(key), { mode: 0o600 });
}

/** The stand-ins, first on every node's PATH (and sudo's secure_path) as the MicroK8s fakes are. */
function writeFakes(layout: LabLayout): void {
  for (const file of FAKES)
    writeFileSync(join(layout.binDir, file), readFileSync(join(__dirname, 'fakes', file)));
  for (const tool of ['rpm', 'systemctl']) {
    writeFileSync(
      join(layout.binDir, tool),
      `#!/bin/sh\nexec ${process.execPath} ${join(layout.binDir, 'lb-tools.cjs')} ${tool} "$@"\n`,
      { mode: 0o755 },
    );
  }
}
