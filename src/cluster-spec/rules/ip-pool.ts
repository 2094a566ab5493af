// GC110-GC116: `network.ipPool` (seed 004): a range or a subnet inside `network.subnet`, clear of the DHCP and
// metallb ranges, large enough for the nodes and the floating IP (and a resize to 3), holding the nodes.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { poolInterval, poolNeeds, poolSize } from '../ip-pool';
import { contains, formatIPv4, isAddressOrHostname, overlaps, type Interval } from '../net';
import type { IpPoolModel } from '../types';

const NETWORK = ['spec', 'network'];
const POOL = [...NETWORK, 'ipPool'];

const shown = (i: Interval) => `${formatIPv4(i.first)}-${formatIPv4(i.last)}`;

export function checkIpPool(ctx: RuleContext): void {
  const block = ctx.value(POOL);
  if (block === null || typeof block !== 'object' || Array.isArray(block)) return;
  const pool = ctx.model?.network.ipPool;
  if (!pool) return;
  // Each field's own check first (GC102/GC108): a malformed one is that one finding.
  const start = ctx.ipv4([...POOL, 'start'], 'ipPool.start');
  const end = ctx.ipv4([...POOL, 'end'], 'ipPool.end');
  const subnet = ctx.cidr([...POOL, 'subnet'], 'ipPool.subnet');
  ctx.ipv4([...POOL, 'gateway'], 'ipPool.gateway');
  (ctx.list([...POOL, 'nameservers']) ?? []).forEach((_, index) => {
    const path = [...POOL, 'nameservers', index];
    const text = ctx.string(path);
    if (text !== undefined && !isAddressOrHostname(text))
      ctx.fail(
        'GC102',
        path,
        `ipPool.nameservers[${index}] ${quote(text)} is neither an IPv4 address nor a hostname.`,
      );
  });
  if (!shape(ctx, pool, start, end)) return;
  if (
    (pool.subnet !== undefined && !subnet) ||
    (pool.subnet === undefined && (start === undefined || end === undefined))
  )
    return;
  const interval = poolInterval(pool);
  if (!interval) return;
  const where = pool.subnet !== undefined ? [...POOL, 'subnet'] : [...POOL, 'start'];
  const networkSubnet = ctx.cidr([...NETWORK, 'subnet'], 'Subnet');
  if (networkSubnet && !(contains(networkSubnet, interval.first) && contains(networkSubnet, interval.last))) {
    ctx.report(
      'GC111',
      where,
      'value',
      `The IP pool ${shown(interval)} reaches outside the subnet ${quote(ctx.string([...NETWORK, 'subnet']))}; keep it inside, where the nodes live.`,
    );
    return;
  }
  const dhcp = ctx.has([...NETWORK, 'dhcpRange'])
    ? ctx.cidrOrRange([...NETWORK, 'dhcpRange'], 'dhcpRange')
    : undefined;
  if (dhcp && overlaps(dhcp, interval))
    ctx.report(
      'GC112',
      where,
      'value',
      `The IP pool ${shown(interval)} overlaps the DHCP range ${shown(dhcp)}: the DHCP server could hand a VM's address to another machine; move the pool out of it.`,
    );
  const floating = ctx.ipv4([...NETWORK, 'floatingIp'], 'Floating IP');
  const metallb = ctx.has([...NETWORK, 'metallbRange'])
    ? ctx.cidrOrRange([...NETWORK, 'metallbRange'], 'metallbRange')
    : undefined;
  if (metallb && overlaps(metallb, interval)) {
    // The floating IP may come from the pool; any other address metallb hands out must not.
    const first = Math.max(metallb.first, interval.first);
    const last = Math.min(metallb.last, interval.last);
    const count =
      last - first + 1 - (floating !== undefined && floating >= first && floating <= last ? 1 : 0);
    const example = first === floating ? first + 1 : first;
    if (count > 0)
      ctx.report(
        'GC113',
        where,
        'value',
        `The IP pool ${shown(interval)} shares ${formatIPv4(example)}${count > 1 ? ` and ${count - 1} more` : ''} with the metallb range: metallb would give a Service an address the pool gives a VM; keep them apart.`,
      );
  }
  checkSize(ctx, where, interval, floating);
  checkNodes(ctx, interval, pool);
}

/** GC110: a range (start and end, start not after end) or a subnet, not both and not neither. */
function shape(
  ctx: RuleContext,
  pool: IpPoolModel,
  start: number | undefined,
  end: number | undefined,
): boolean {
  const range = pool.start !== undefined || pool.end !== undefined;
  if (range && pool.subnet !== undefined) {
    ctx.report(
      'GC110',
      [...POOL, 'subnet'],
      'key',
      'The IP pool gives both a range (start, end) and a subnet; keep one of them.',
    );
    return false;
  }
  if (!range && pool.subnet === undefined) {
    ctx.report('GC110', POOL, 'key', 'The IP pool needs a range (start and end) or a subnet (a CIDR).', {
      fix: { kind: 'insertField', key: 'subnet', placeholder: '172.25.252.16/28' },
    });
    return false;
  }
  if (range && (pool.start === undefined || pool.end === undefined)) {
    const missing = pool.start === undefined ? 'start' : 'end';
    ctx.report('GC110', POOL, 'key', `The IP pool's range needs ${missing} as well.`);
    return false;
  }
  if (start !== undefined && end !== undefined && start > end) {
    ctx.report(
      'GC110',
      [...POOL, 'end'],
      'value',
      `The IP pool ends (${formatIPv4(end)}) before it starts (${formatIPv4(start)}); swap them.`,
    );
    return false;
  }
  return true;
}

function checkSize(
  ctx: RuleContext,
  where: Array<string | number>,
  interval: Interval,
  floating: number | undefined,
) {
  const model = ctx.model;
  if (!model) return;
  const needs = poolNeeds(model);
  // The floating IP may lie outside the pool: then the pool needs no room for it.
  const floatingInside = floating !== undefined && contains(interval, floating);
  const now = needs.now - (floating !== undefined && !floatingInside ? 1 : 0);
  const size = poolSize(interval);
  if (size < now) {
    ctx.report(
      'GC114',
      where,
      'value',
      `The IP pool holds ${size} address${size === 1 ? '' : 'es'}; the ${model.nodes.length} node${model.nodes.length === 1 ? '' : 's'}${floatingInside || floating === undefined ? ' and the floating IP' : ''} need ${now}: ${now - size} missing.`,
    );
    return;
  }
  if (needs.resize !== undefined) {
    const resize = needs.resize - (floating !== undefined && !floatingInside ? 1 : 0);
    if (size < resize)
      ctx.report(
        'GC115',
        where,
        'value',
        `The IP pool holds ${size} address${size === 1 ? '' : 'es'}: a resize to 3 nodes would need ${resize}, ${resize - size} more.`,
      );
  }
}

/** GC116: a node whose address the pool does not hold (it was not taken from it). */
function checkNodes(ctx: RuleContext, interval: Interval, pool: IpPoolModel) {
  const nodes = ctx.list(['spec', 'nodes']) ?? [];
  nodes.forEach((_, index) => {
    const path = ['spec', 'nodes', index, 'address'];
    const address = ctx.ipv4(path, `Address of node ${index + 1}`);
    if (address === undefined || contains(interval, address)) return;
    ctx.report(
      'GC116',
      path,
      'value',
      `Node ${index + 1}'s address ${formatIPv4(address)} is not in the IP pool${pool.name ? ` ${quote(pool.name)}` : ''} (${shown(interval)}); take it from the pool or widen the pool.`,
    );
  });
}
