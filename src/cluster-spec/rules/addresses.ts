// GC102-GC109: addresses, the subnet and the metallb/DHCP ranges.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import type { FixHint } from '../types';
import { reportDuplicateNodeValue } from './duplicate-node-value';
import { contains, formatIPv4, isAddressOrHostname, type Interval } from '../net';

const NETWORK = ['spec', 'network'];

export function checkAddresses(ctx: RuleContext): void {
  const subnet = ctx.cidr([...NETWORK, 'subnet'], 'Subnet');
  const floatingPath = [...NETWORK, 'floatingIp'];
  const floating = ctx.ipv4(floatingPath, 'Floating IP');
  ctx.ipv4([...NETWORK, 'gateway'], 'Gateway');
  for (const list of ['nameservers', 'ntpServers']) {
    const items = ctx.list([...NETWORK, list]) ?? [];
    items.forEach((_, index) => {
      const path = [...NETWORK, list, index];
      const text = ctx.string(path);
      if (text !== undefined && !isAddressOrHostname(text)) {
        ctx.fail(
          'GC102',
          path,
          `${list}[${index}] ${quote(text)} is neither a valid IPv4 address nor a hostname; write an address such as "172.25.252.2" or a name such as "ntp.example.com".`,
        );
      }
    });
  }
  const dhcpPath = [...NETWORK, 'dhcpRange'];
  const dhcp = ctx.cidrOrRange(dhcpPath, 'dhcpRange');
  const metallbPath = [...NETWORK, 'metallbRange'];
  const metallbWritten = ctx.has(metallbPath);
  const metallb = metallbWritten ? ctx.cidrOrRange(metallbPath, 'metallbRange') : undefined;

  // Node addresses: each valid one once, duplicates reported on the later node.
  const nodes = ctx.list(['spec', 'nodes']) ?? [];
  const firstUse = new Map<number, number>();
  const nodeAddresses: Array<{ index: number; address: number }> = [];
  for (let index = 0; index < nodes.length; index++) {
    const path = ['spec', 'nodes', index, 'address'];
    const address = ctx.ipv4(path, `Address of node ${index + 1}`);
    if (address === undefined) continue;
    const first = firstUse.get(address);
    if (first !== undefined) {
      reportDuplicateNodeValue(ctx, 'GC103', 'address', index, first, formatIPv4(address));
      continue;
    }
    firstUse.set(address, index);
    nodeAddresses.push({ index, address });
    checkPlacement(ctx, path, address, `Address of node ${index + 1}`, subnet, dhcp, true);
  }

  if (floating === undefined) return;
  const floatingText = formatIPv4(floating);
  let floatingMisplaced = checkPlacement(ctx, floatingPath, floating, 'Floating IP', subnet, dhcp);
  const clash = firstUse.get(floating);
  if (clash !== undefined) {
    const suggestion = ctx.freeValues().address;
    ctx.report(
      'GC105',
      floatingPath,
      'value',
      `Floating IP ${quote(floatingText)} is also the address of node ${clash + 1}; pick an address no node uses${suggestion ? `, such as "${suggestion}"` : ''}.`,
      {
        related: [
          {
            message: `node ${clash + 1} uses ${quote(floatingText)}`,
            range: ctx.rangeOf(['spec', 'nodes', clash, 'address'], 'value'),
          },
        ],
        ...(suggestion ? { fix: { kind: 'replaceValue', value: suggestion } } : {}),
      },
    );
    floatingMisplaced = true;
  }
  if (!metallb) return;
  // A floating IP that is itself misplaced is that one mistake; the pool is judged against a sound one.
  if (!floatingMisplaced && !contains(metallb, floating)) {
    ctx.report(
      'GC106',
      metallbPath,
      'value',
      `metallbRange ${quote(ctx.string(metallbPath))} does not contain the floating IP ${quote(floatingText)}; include it, for example "${floatingText}/32".`,
      {
        fix: { kind: 'replaceValue', value: `${floatingText}/32` },
      },
    );
  }
  // A node address equal to the floating IP is already GC105: one mistake, one finding.
  const inPool = nodeAddresses.filter(({ address }) => address !== floating && contains(metallb, address));
  if (inPool.length > 0) {
    const listed = inPool
      .map(({ index, address }) => `${formatIPv4(address)} (node ${index + 1})`)
      .join(', ');
    ctx.report(
      'GC109',
      metallbPath,
      'value',
      `metallbRange ${quote(ctx.string(metallbPath))} includes node address ${listed}; metallb may hand it out, so narrow the range.`,
    );
  }
}

/** The next free address of the subnet (outside the DHCP and metallb pools) as a fix, when there is one. */
function freeAddressFix(ctx: RuleContext): { fix?: FixHint } {
  const address = ctx.freeValues().address;
  return address ? { fix: { kind: 'replaceValue', value: address } } : {};
}

/** GC104 and GC107 for one address; true when it was reported. */
function checkPlacement(
  ctx: RuleContext,
  path: Array<string | number>,
  address: number,
  what: string,
  subnet: Interval | undefined,
  dhcp: Interval | undefined,
  /** A node's address can take the next free one; the floating IP belongs to the metallb pool, which that skips. */
  fixable = false,
): boolean {
  // Formatted only for a finding: a valid spec formats no address.
  const text = (): string => formatIPv4(address);
  let reported = false;
  if (subnet && !contains(subnet, address)) {
    reported = true;
    ctx.report(
      'GC104',
      path,
      'value',
      `${what} ${quote(text())} lies outside the subnet ${quote(ctx.string(['spec', 'network', 'subnet']))}; use an address inside it or widen the subnet.`,
      fixable ? freeAddressFix(ctx) : {},
    );
  }
  if (dhcp && contains(dhcp, address)) {
    reported = true;
    ctx.report(
      'GC107',
      path,
      'value',
      `${what} ${quote(text())} lies inside dhcpRange ${quote(ctx.string(['spec', 'network', 'dhcpRange']))}; pick a static address outside the DHCP pool.`,
      fixable ? freeAddressFix(ctx) : {},
    );
  }
  return reported;
}
