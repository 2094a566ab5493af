// Small IPv4 helpers for hover text and the "New Cluster Spec" generator. Validation lives in src/spec.

export interface AddressBlock {
  /** First and last address as 32-bit unsigned integers. */
  first: number;
  last: number;
  /** Number of addresses in the block. */
  size: number;
  /** The prefix length when written as a CIDR. */
  prefix?: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** A CIDR (`10.0.0.0/24`) or an inclusive range (`10.0.0.5-10.0.0.9`). */
export function parseBlock(text: string): AddressBlock | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash >= 0) {
    const base = parseIpv4(trimmed.slice(0, slash));
    const prefixText = trimmed.slice(slash + 1);
    if (base === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
    const prefix = Number(prefixText);
    if (prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    const first = base - (base % size);
    return { first, last: first + size - 1, size, prefix };
  }
  const dash = trimmed.indexOf('-');
  if (dash >= 0) {
    const first = parseIpv4(trimmed.slice(0, dash));
    const last = parseIpv4(trimmed.slice(dash + 1));
    if (first === undefined || last === undefined || last < first) return undefined;
    return { first, last, size: last - first + 1 };
  }
  return undefined;
}

export function blockContains(block: AddressBlock, address: number): boolean {
  return address >= block.first && address <= block.last;
}
