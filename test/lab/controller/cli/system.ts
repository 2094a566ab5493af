// `microk8s inspect` and the `hostnamectl` shim.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from './context';

export function inspect(ctx: CommandContext): number {
  const { io, node, config } = ctx;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  const nodeDir = join(config.dir, 'nodes', String(node.index));
  const work = join(nodeDir, 'inspect-work', `inspection-report`);
  mkdirSync(work, { recursive: true });
  const snapshot = node.running ? ctx.model.snapshot(node.index) : null;
  writeFileSync(
    join(work, 'status.txt'),
    node.running ? 'microk8s is running\n' : 'microk8s is not running\n',
  );
  writeFileSync(join(work, 'snapshot.json'), JSON.stringify(snapshot, null, 2) + '\n');
  const reportDir = join(nodeDir, 'snap', 'current');
  mkdirSync(reportDir, { recursive: true });
  const file = `inspection-report-${stamp}.tar.gz`;
  execFileSync('tar', [
    'czf',
    join(reportDir, file),
    '-C',
    join(nodeDir, 'inspect-work'),
    'inspection-report',
  ]);
  const services = ['cluster-agent', 'containerd', 'k8s-dqlite', 'kubelite'];
  io.out(
    'Inspecting system\nInspecting Certificates\nInspecting services\n' +
      services
        .map((s) => `  Service snap.microk8s.daemon-${s} is ${node.running ? 'running' : 'not running'}\n`)
        .join('') +
      '  Copy service arguments to the final report tarball\nInspecting AppArmor configuration\nGathering system information\n' +
      '  Copy processes list to the final report tarball\n  Copy disk usage information to the final report tarball\n' +
      '  Copy memory usage information to the final report tarball\n  Copy server uptime to the final report tarball\n' +
      '  Copy openSSL information to the final report tarball\n  Copy network configuration to the final report tarball\n' +
      'Inspecting kubernetes cluster\n  Inspect kubernetes cluster\nInspecting dqlite\n  Inspect dqlite\n\n' +
      `Building the report tarball\n  Report tarball is at /var/snap/microk8s/current/${file}\n`,
  );
  return 0;
}

export function hostnamectl(ctx: CommandContext, argv: string[]): number {
  const { io, node, uid } = ctx;
  const [command = 'status', value] = argv.filter((a) => !a.startsWith('--'));
  if (command === 'set-hostname' || (command === 'hostname' && value !== undefined)) {
    if (uid !== 0) {
      io.err('Could not set static hostname: Access denied\n');
      return 1;
    }
    if (!value || !/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(value)) {
      io.err(`Invalid hostname '${value ?? ''}'\n`);
      return 1;
    }
    // The fake client already set the UTS hostname and /etc/hostname inside the node; record it here.
    node.hostname = value.toLowerCase();
    return 0;
  }
  if (command === 'hostname') {
    io.out(node.hostname + '\n');
    return 0;
  }
  if (command === 'status') {
    if (argv.includes('--static') || argv.includes('--transient')) {
      io.out(node.hostname + '\n');
      return 0;
    }
    io.out(
      ` Static hostname: ${node.hostname}\n       Icon name: computer-vm\n         Chassis: vm\n` +
        `      Machine ID: ${String(node.index).padStart(32, '0')}\n         Boot ID: ${String(node.index).padStart(32, 'b')}\n` +
        '  Virtualization: vmware\nOperating System: Ubuntu 22.04.4 LTS\n          Kernel: Linux 5.15.0-105-generic\n' +
        '    Architecture: x86-64\n Hardware Vendor: VMware, Inc.\n  Hardware Model: VMware Virtual Platform\n',
    );
    return 0;
  }
  io.err(`Unknown command verb ${command}.\n`);
  return 1;
}
