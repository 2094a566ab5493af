// The fake `microk8s` command, answered by the controller from the shared lab state. Output formats follow
// canonical/microk8s scripts/wrappers/*.py; where the lab guesses, README.md says so.
import { membersWithRole } from '../dqlite';
import { KUBELET_VERSION } from '../types';
import type { Cluster } from '../types';
import { leave, removeNode } from './leave';
import { addNode, join_ } from './membership';
import { ADDONS, disable, enable } from './addons';
import { flagValue } from './args';
import { KUBECONFIG_ON_NODE, NOT_RUNNING, type CommandContext } from './context';
import { helm } from './helm';
import { hostnamectl } from './system';
import { SNAP_REVISION, inspect } from './inspect';

export type { CommandContext, CommandIo } from './context';

/** Runs one fake command; returns its exit code, or null when the client on the node runs a program itself. */
export async function runCommand(ctx: CommandContext, tool: string, argv: string[]): Promise<number | null> {
  if (tool === 'hostnamectl') return hostnamectl(ctx, argv);
  const [command, ...args] = argv;
  const { node, io } = ctx;
  switch (command) {
    case undefined:
    case '--help':
    case 'help':
      io.out(
        'Usage: microk8s [OPTIONS] COMMAND [ARGS]...\n\nOptions:\n  --help  Show this message and exit.\n\nCommands:\n' +
          '  add-node config disable enable helm3 inspect join kubectl leave remove-node start status stop\n',
      );
      return 0;
    case 'start':
      if (!node.running) {
        node.running = true;
        restartKubelet(ctx);
        ctx.model.nodeHealthChanged(node.index);
      }
      io.out('Started.\n');
      return 0;
    case 'stop':
      if (node.running) {
        node.running = false;
        ctx.model.onMicrok8sStopped(node.index);
      }
      ctx.model.nodeHealthChanged(node.index);
      io.out('Stopped.\n');
      return 0;
    case 'inspect':
      return inspect(ctx);
    case 'version':
      io.out(`MicroK8s ${KUBELET_VERSION} revision ${SNAP_REVISION}\n`);
      return 0;
  }
  if (!node.running) {
    io.out(NOT_RUNNING);
    return 0;
  }
  const cluster = ctx.model.clusterOf(node.index);
  switch (command) {
    case 'status':
      return status(ctx, cluster, args);
    case 'add-node':
      return addNode(ctx, cluster, args);
    case 'join':
      return join_(ctx, cluster, args);
    case 'leave':
      return leave(ctx, cluster);
    case 'remove-node':
      return removeNode(ctx, cluster, args);
    case 'enable':
      return enable(ctx, cluster, args);
    case 'disable':
      return disable(ctx, cluster, args);
    case 'config':
      io.out(ctx.kubeconfig(node));
      return 0;
    case 'helm3':
    case 'helm':
      return helm(ctx, cluster, args);
    case 'kubectl':
      // The real kubectl, run by the fake client on the node against the node's own API server.
      io.run(ctx.config.kubectlPath, ['--kubeconfig', KUBECONFIG_ON_NODE, ...args]);
      return null;
    default:
      io.err(`'${command}' is not a valid MicroK8s subcommand.\n`);
      return 1;
  }
}

/** A kubelet restart re-registers the node under a changed hostname (the old name stays, NotReady). */
function restartKubelet(ctx: CommandContext): void {
  const { node, model } = ctx;
  if (node.hostname === node.k8sName) return;
  const cluster = model.clusterOf(node.index);
  const old = cluster.k8sNodes.get(node.k8sName);
  if (old) {
    old.labIndex = null;
    model.setNodeReady(cluster, old, false);
  }
  node.k8sName = node.hostname;
  const existing = cluster.k8sNodes.get(node.hostname);
  if (existing) {
    existing.labIndex = node.index;
    existing.address = node.address;
    model.setNodeReady(cluster, existing, node.linkUp);
  } else {
    model.registerK8sNode(cluster, node);
  }
  model.reconcile(cluster);
}

function voters(cluster: Cluster): { voters: string[]; standby: string[]; spare: string[] } {
  const of = (role: 'voter' | 'standby' | 'spare') =>
    membersWithRole(cluster, role).map((address) => `${address}:19001`);
  return { voters: of('voter'), standby: of('standby'), spare: of('spare') };
}

async function status(ctx: CommandContext, cluster: Cluster, args: string[]): Promise<number> {
  const { io, node } = ctx;
  if (node.worker) {
    io.out(
      'This MicroK8s deployment is acting as a node in a cluster. Please use microk8s status on the master.\n',
    );
    return 0;
  }
  const format = flagValue(args, '--format') ?? (args.includes('--yaml') ? 'yaml' : 'pretty');
  if (!['pretty', 'yaml', 'short'].includes(format)) {
    io.err(
      `microk8s status: error: argument --format: invalid choice: '${format}' (choose from 'pretty', 'yaml', 'short')\n`,
    );
    return 2;
  }
  if (args.includes('--wait-ready') || args.includes('-w')) {
    const timeout = Number(flagValue(args, '--timeout', '-t') ?? '0');
    const deadline = Date.now() + timeout * 1000;
    while (!node.running && (timeout === 0 || Date.now() < deadline))
      await new Promise((r) => setTimeout(r, 100));
  }
  const enabled = ADDONS.filter(([name]) => cluster.addons.has(name));
  const disabled = ADDONS.filter(([name]) => !cluster.addons.has(name));
  const addon = flagValue(args, '-a', '--addon');
  if (addon !== undefined) {
    io.out(cluster.addons.has(addon) ? 'enabled\n' : 'disabled\n');
    return 0;
  }
  const ha = voters(cluster);
  const haYes = ha.voters.length >= 3;
  const lines: string[] = [];
  if (format === 'short') {
    lines.push('microk8s is running', 'addons:');
    for (const [name] of enabled) lines.push(`core/${name}: enabled`);
    for (const [name] of disabled) lines.push(`core/${name}: disabled`);
  } else if (format === 'yaml') {
    lines.push(
      'microk8s:',
      '  running: True',
      'high-availability:',
      `  enabled: ${haYes ? 'True' : 'False'}`,
    );
    lines.push('  nodes:');
    for (const address of ha.voters) lines.push(`    - address: ${address}`, '      role: voter');
    for (const address of ha.standby) lines.push(`    - address: ${address}`, '      role: standby');
    for (const address of ha.spare) lines.push(`    - address: ${address}`, '      role: spare');
    lines.push('addons:');
    for (const [list, state] of [
      [enabled, 'enabled'],
      [disabled, 'disabled'],
    ] as const) {
      for (const [name, description] of list) {
        lines.push(
          `  - name: ${name}`,
          '    repository: core',
          `    description: ${description}`,
          '    version: ' + KUBELET_VERSION,
          `    status: ${state}`,
        );
      }
    }
  } else {
    lines.push('microk8s is running', `high-availability: ${haYes ? 'yes' : 'no'}`);
    lines.push(`  datastore master nodes: ${ha.voters.join(' ') || 'none'}`);
    lines.push(`  datastore standby nodes: ${ha.standby.join(' ') || 'none'}`);
    lines.push('addons:');
    if (enabled.length) lines.push('  enabled:');
    for (const [name, description] of enabled) lines.push(`    ${name.padEnd(20)} # (core) ${description}`);
    if (disabled.length) lines.push('  disabled:');
    for (const [name, description] of disabled) lines.push(`    ${name.padEnd(20)} # (core) ${description}`);
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}
