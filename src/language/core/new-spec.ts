// The text of a new, valid spec for "New Cluster Spec…": a single-node or three-node HA cluster in a subnet.
import { formatIPv4, parseCidr, sizeOf } from '../../cluster-spec/net';
import type { Topology } from '../../cluster-spec/types';

export interface NewSpecOptions {
  topology: Topology;
  /** IPv4 CIDR, e.g. 10.20.0.0/24. */
  subnet: string;
  name: string;
}

/** An error message for the subnet input box, or undefined when the subnet is usable. */
export function checkSubnet(subnet: string, topology: Topology): string | undefined {
  const block = parseCidr(subnet.trim());
  if (!block) return `'${subnet}' is not an IPv4 CIDR such as 10.20.0.0/24.`;
  const needed = topology === 'ha' ? 8 : 4;
  if (sizeOf(block) < needed)
    return `'${subnet}' is too small: use a /${topology === 'ha' ? 29 : 30} or larger.`;
  return undefined;
}

export function checkClusterName(name: string): string | undefined {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)
    ? undefined
    : `'${name}' is not a valid name: use lowercase letters, digits and '-', 1–63 characters.`;
}

/** Addresses picked inside the subnet: .1 gateway, .5 floating IP, .11… nodes (tighter in small subnets). */
export function plannedAddresses(
  subnet: string,
  nodeCount: number,
): { gateway: string; floatingIp: string; nodes: string[] } {
  const block = parseCidr(subnet.trim());
  if (!block) throw new Error(`'${subnet}' is not an IPv4 CIDR.`);
  const roomy = sizeOf(block) >= 32;
  const at = (offset: number): string => formatIPv4(block.first + offset);
  const nodes = Array.from({ length: nodeCount }, (_, i) => at((roomy ? 11 : 3) + i));
  return { gateway: at(1), floatingIp: at(roomy ? 5 : 2), nodes };
}

export function newSpecText(options: NewSpecOptions): string {
  const problem = checkSubnet(options.subnet, options.topology) ?? checkClusterName(options.name);
  if (problem) throw new Error(problem);
  const block = parseCidr(options.subnet.trim())!;
  const subnet = `${formatIPv4(block.first)}/${block.prefix}`;
  const ha = options.topology === 'ha';
  const planned = plannedAddresses(subnet, ha ? 3 : 1);
  const nodes = planned.nodes
    .map((address, i) =>
      [
        `    - hostname: ${options.name.slice(0, 58)}-${i + 1}`,
        `      address: ${address}`,
        ...(ha
          ? [`      host: hypervisor-${String.fromCharCode(97 + i)}   # the physical server the VM runs on`]
          : []),
      ].join('\n'),
    )
    .join('\n');
  const storage = ha
    ? [
        '  storage:',
        '    nfs:                             # shared storage every node mounts: change to yours',
        '      server: nfs.example.com',
        `      path: /shared/${options.name}`,
      ]
    : [];
  return [
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    `  name: ${options.name}`,
    'spec:',
    `  topology: ${options.topology}`,
    '  nodes:',
    nodes,
    '  network:',
    `    subnet: ${subnet}`,
    `    floatingIp: ${planned.floatingIp}           # the Gateway Manager's address`,
    `    gateway: ${planned.gateway}`,
    ...storage,
    '  charts:',
    '    version: 0.9.6',
    '  gatewayManager:',
    `    passwordSecret: ${options.name.slice(0, 100)}-manager-password   # a key in the editor's secret storage`,
    '',
  ].join('\n');
}
