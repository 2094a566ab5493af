// Hosts that are no spec node (the load balancer, the agents) under the nodes' rules: RFC 1123 hostnames
// (GC100), addresses inside the subnet and outside the DHCP pool (GC104, GC107), and what the nodes use.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { contains, formatIPv4, isRfc1123Label, parseIPv4 } from '../net';

type Path = Array<string | number>;

/** The paths of the hosts that are no spec node, for the SSH and secret rules. */
export function otherHostPaths(ctx: RuleContext): Path[] {
  const paths: Path[] = [];
  if (ctx.value(['spec', 'loadBalancer']) !== undefined) paths.push(['spec', 'loadBalancer']);
  (ctx.list(['spec', 'agents', 'hosts']) ?? []).forEach((_, index) =>
    paths.push(['spec', 'agents', 'hosts', index]),
  );
  return paths;
}

/** A hostname at `path` that must be an RFC 1123 label (GC100); undefined when absent or invalid. */
export function checkHostName(ctx: RuleContext, path: Path, what: string): string | undefined {
  const text = ctx.string(path);
  if (text === undefined) return undefined;
  if (isRfc1123Label(text)) return text;
  ctx.fail(
    'GC100',
    path,
    `${what} ${quote(text)} is not a valid RFC 1123 label; use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit.`,
  );
  return undefined;
}

/** GC104 and GC107 for a host's address, when the spec gives the subnet (and the DHCP pool). */
export function checkSubnet(ctx: RuleContext, path: Path, address: number, what: string): void {
  const subnet = ctx.cidr(['spec', 'network', 'subnet'], 'Subnet');
  if (subnet && !contains(subnet, address)) {
    ctx.report(
      'GC104',
      path,
      'value',
      `${what} ${quote(formatIPv4(address))} lies outside the subnet ${quote(ctx.string(['spec', 'network', 'subnet']))}; use an address inside it or widen the subnet.`,
    );
  }
  const dhcp = ctx.cidrOrRange(['spec', 'network', 'dhcpRange'], 'dhcpRange');
  if (dhcp && contains(dhcp, address)) {
    ctx.report(
      'GC107',
      path,
      'value',
      `${what} ${quote(formatIPv4(address))} lies inside dhcpRange ${quote(ctx.string(['spec', 'network', 'dhcpRange']))}; pick a static address outside the DHCP pool.`,
    );
  }
}

export interface NodeUses {
  /** Each valid hostname of spec.nodes with the first node that has it. */
  hostnames: Map<string, number>;
  /** Each valid address (as a number) with the first node that has it. */
  addresses: Map<number, number>;
}

const usesOf = new WeakMap<RuleContext, NodeUses>();

export function specNodeUses(ctx: RuleContext): NodeUses {
  let uses = usesOf.get(ctx);
  if (uses) return uses;
  uses = { hostnames: new Map(), addresses: new Map() };
  (ctx.list(['spec', 'nodes']) ?? []).forEach((_, index) => {
    const hostname = ctx.string(['spec', 'nodes', index, 'hostname']);
    if (hostname !== undefined && isRfc1123Label(hostname) && !uses!.hostnames.has(hostname))
      uses!.hostnames.set(hostname, index);
    const text = ctx.string(['spec', 'nodes', index, 'address']);
    const address = text === undefined ? undefined : parseIPv4(text);
    if (address !== undefined && !uses!.addresses.has(address)) uses!.addresses.set(address, index);
  });
  usesOf.set(ctx, uses);
  return uses;
}
