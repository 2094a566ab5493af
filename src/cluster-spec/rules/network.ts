// GC162: the cluster's CIDRs (subnet, pods, services) do not overlap.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { overlaps, parseCidr, type Interval } from '../net';
import { DEFAULTS } from '../model';

const NETWORK = ['spec', 'network'];

interface NamedCidr {
  key: 'subnet' | 'podCidr' | 'serviceCidr';
  interval: Interval;
  written: boolean;
}

export function checkCidrs(ctx: RuleContext): void {
  if (ctx.value(NETWORK) === undefined) return;
  const cidrs: NamedCidr[] = [];
  for (const key of ['subnet', 'podCidr', 'serviceCidr'] as const) {
    const path = [...NETWORK, key];
    if (ctx.has(path)) {
      const interval = ctx.cidr(path, key === 'subnet' ? 'Subnet' : key);
      if (interval) cidrs.push({ key, interval, written: true });
    } else if (key !== 'subnet') {
      const interval = parseCidr(DEFAULTS[key]);
      if (interval) cidrs.push({ key, interval, written: false });
    }
  }
  for (let later = 1; later < cidrs.length; later++) {
    const current = cidrs[later] as NamedCidr;
    const clashes = cidrs.slice(0, later).filter((earlier) => overlaps(earlier.interval, current.interval));
    if (clashes.length === 0) continue;
    const describe = (cidr: NamedCidr): string =>
      `${cidr.key} ${quote(cidr.written ? ctx.string([...NETWORK, cidr.key]) : DEFAULTS[cidr.key as 'podCidr'])}${cidr.written ? '' : ' (the default)'}`;
    // The later value is at fault; when it is a default, the written value it collides with carries the finding.
    const target = current.written ? current : clashes.find((c) => c.written);
    if (!target) continue;
    const others = (target === current ? clashes : [current]).map(describe).join(' and ');
    ctx.report(
      'GC162',
      [...NETWORK, target.key],
      'value',
      `${describe(target)} overlaps ${others}; pick ${target.key === 'subnet' ? `a ${current.key} that does not overlap it` : 'a range that overlaps neither'}.`,
    );
  }
}
