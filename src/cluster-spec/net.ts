// The one IPv4 module (validation, suggestions, hover, new specs), on ipaddr.js. Addresses become unsigned
// 32-bit numbers so that CIDRs and `a-b` ranges compare the same way. The written form is strict, as Go's
// net.ParseIP (1.17+) and netip.ParsePrefix (1.22+) and Kubernetes' strict IP/CIDR validation read it: decimal
// octets and prefix lengths without leading zeros (`010.0.0.1` and `/08` are errors, not octal or 8).
import ipaddr from 'ipaddr.js';

export interface Interval {
  first: number;
  last: number;
}

/** A CIDR's block: its network and broadcast addresses and its prefix length. */
export interface Cidr extends Interval {
  prefix: number;
}

// Checked before ipaddr.js reads the text: ipaddr.js alone also takes `010` as octal, `0x0a` and `1.2`.
const DOTTED_QUAD = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;
const CIDR = /^([0-9.]{7,15})\/(0|[1-9]\d?)$/;

/** Strict dotted-quad IPv4 (decimal octets 0-255, no leading zeros, no shorthand). */
export function parseIPv4(text: string): number | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  try {
    return toNumber(ipaddr.IPv4.parse(text)); // throws for an octet above 255
  } catch {
    return undefined;
  }
}

function toNumber(address: ipaddr.IPv4): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.octets;
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** `a.b.c.d/n`, n 0-32; host bits are allowed and ignored, as Go's net.ParseCIDR does. */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR.exec(text);
  if (!match) return undefined;
  const address = parseIPv4(match[1] as string);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = address - (address % size);
  return { first, last: first + size - 1, prefix };
}

/** A CIDR or an `a-b` range with a <= b (spaces around `-` allowed, as MetalLB allows them; no other blank). */
export function parseCidrOrRange(text: string): Interval | Cidr | undefined {
  if (text.includes('/')) return parseCidr(text);
  const dash = text.indexOf('-');
  if (dash < 0 || text.indexOf('-', dash + 1) >= 0) return undefined;
  const first = parseIPv4(text.slice(0, dash).replace(/ +$/, ''));
  const last = parseIPv4(text.slice(dash + 1).replace(/^ +/, ''));
  if (first === undefined || last === undefined || first > last) return undefined;
  return { first, last };
}

/** How many addresses the interval holds. */
export function sizeOf(interval: Interval): number {
  return interval.last - interval.first + 1;
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

/** A DNS name whose labels are RFC 1123 labels (case-insensitive, at most 253 chars, one final `.` allowed). */
export function isHostname(text: string): boolean {
  if (text.length === 0 || text.length > 253 || /^[0-9.]+$/.test(text)) return false;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name.split('.').every((label) => isRfc1123Label(label.toLowerCase()));
}

/** An IPv4 address, or a DNS name (an all-numeric dotted value must be a valid address). */
export function isAddressOrHostname(text: string): boolean {
  return /^[0-9.]+$/.test(text) ? parseIPv4(text) !== undefined : isHostname(text);
}
