// The `hostnamectl` shim.
import type { CommandContext } from './context';

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
