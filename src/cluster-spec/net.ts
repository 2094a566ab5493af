// IPv4 parsing and interval maths on top of ipaddr.js. Addresses become unsigned 32-bit numbers so that
// CIDRs and `a-b` ranges compare the same way.
import ipaddr from 'ipaddr.js';

export interface Interval {
  first: number;
  last: number;
}

/** Strict dotted-quad IPv4 (no leading zeros, no shorthand), as Kubernetes accepts it. */
export function parseIPv4(text: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return toNumber(ipaddr.IPv4.parse(text));
}

function toNumber(address: ipaddr.IPv4): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.octets;
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** `a.b.c.d/n`; host bits are allowed and ignored, as Go's net.ParseCIDR does. */
export function parseCidr(text: string): Interval | undefined {
  const match = /^([0-9.]+)\/(0|[1-9][0-9]?)$/.exec(text);
  if (!match || !match[1] || !match[2]) return undefined;
  const bits = Number(match[2]);
  if (bits > 32 || !ipaddr.IPv4.isValidFourPartDecimal(match[1])) return undefined;
  const network = toNumber(ipaddr.IPv4.networkAddressFromCIDR(text));
  const broadcast = toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(text));
  return { first: network, last: broadcast };
}

/** A CIDR or an `a-b` range with a <= b (spaces around `-` allowed, as MetalLB allows them). */
export function parseCidrOrRange(text: string): Interval | undefined {
  if (text.includes('/')) return parseCidr(text.trim());
  const parts = text.split('-');
  if (parts.length !== 2) return undefined;
  const first = parseIPv4((parts[0] ?? '').trim());
  const last = parseIPv4((parts[1] ?? '').trim());
  if (first === undefined || last === undefined || first > last) return undefined;
  return { first, last };
}

export function contains(interval: Interval, address: number): boolean {
  return address >= interval.first && address <= interval.last;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.first <= b.last && b.first <= a.last;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** RFC 1123 label: lowercase letters, digits and `-`, 1-63 characters, alphanumeric at both ends. */
export function isRfc1123Label(text: string): boolean {
  return LABEL.test(text);
}

/** An IPv4 address, or a DNS name whose labels are RFC 1123 labels (case-insensitive, at most 253 chars). */
export function isAddressOrHostname(text: string): boolean {
  if (/^[0-9.]+$/.test(text)) return parseIPv4(text) !== undefined;
  if (text.length === 0 || text.length > 253) return false;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name.split('.').every((label) => isRfc1123Label(label.toLowerCase()));
}
