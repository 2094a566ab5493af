// The contract's diagnostic codes and their fixed severities (docs/cluster-spec.md lists the same table).
import type { Severity } from './types';

export const CODES = {
  GC001: { severity: 'error', summary: 'YAML syntax error' },
  GC002: { severity: 'error', summary: 'not a gateway-cluster/v1 document' },
  GC003: { severity: 'info', summary: 'more findings than shown' },
  GC010: { severity: 'error', summary: 'unknown key' },
  GC011: { severity: 'error', summary: 'wrong type' },
  GC012: { severity: 'error', summary: 'required field missing' },
  GC013: { severity: 'error', summary: 'value not allowed or out of range' },
  GC100: { severity: 'error', summary: 'not a valid RFC 1123 label' },
  GC101: { severity: 'error', summary: 'duplicate hostname' },
  GC102: { severity: 'error', summary: 'not a valid IPv4 address' },
  GC103: { severity: 'error', summary: 'two nodes share an address' },
  GC104: { severity: 'error', summary: 'address outside the subnet' },
  GC105: { severity: 'error', summary: 'floating IP equals a node address' },
  GC106: { severity: 'error', summary: 'metallbRange does not contain the floating IP' },
  GC107: { severity: 'error', summary: 'address inside dhcpRange' },
  GC108: { severity: 'error', summary: 'malformed CIDR or range' },
  GC109: { severity: 'warning', summary: 'metallbRange includes a node address' },
  GC110: { severity: 'error', summary: 'ipPool is not one range or one subnet' },
  GC111: { severity: 'error', summary: 'ipPool outside the subnet' },
  GC112: { severity: 'error', summary: 'ipPool overlaps dhcpRange' },
  GC113: { severity: 'error', summary: 'ipPool overlaps metallbRange' },
  GC114: { severity: 'error', summary: 'ipPool too small for the nodes and the floating IP' },
  GC115: { severity: 'warning', summary: 'ipPool too small for a resize to 3' },
  GC116: { severity: 'warning', summary: 'node address outside ipPool' },
  GC120: { severity: 'error', summary: 'ha with fewer than 3 nodes' },
  GC121: { severity: 'error', summary: 'single-node with more than one node' },
  GC122: { severity: 'warning', summary: 'two ha nodes on the same host' },
  GC123: { severity: 'warning', summary: 'host given on some nodes only' },
  GC124: { severity: 'info', summary: 'single-node has no high availability' },
  GC125: { severity: 'error', summary: 'ha with fewer than 3 control-plane nodes' },
  GC126: { severity: 'error', summary: 'node 1 is a worker' },
  GC130: { severity: 'warning', summary: 'resources below the minimum' },
  GC140: { severity: 'error', summary: 'ha without NFS storage' },
  GC141: { severity: 'error', summary: 'invalid NFS path or server' },
  GC150: { severity: 'warning', summary: 'secret written inline' },
  GC151: { severity: 'error', summary: 'invalid secret key name' },
  GC160: { severity: 'error', summary: 'proxy http without https or the reverse' },
  GC161: { severity: 'error', summary: 'invalid proxy URL' },
  GC162: { severity: 'error', summary: 'overlapping subnet, podCidr, serviceCidr' },
  GC163: { severity: 'error', summary: 'invalid noProxy entry' },
  GC170: { severity: 'error', summary: 'chart version is not semver' },
  GC171: { severity: 'error', summary: 'chart repository is not an oci:// URL' },
  GC180: { severity: 'warning', summary: 'identityFile does not exist' },
  GC181: { severity: 'error', summary: 'invalid ssh user' },
  GC182: { severity: 'error', summary: 'identityFile is not a usable path' },
  GC200: { severity: 'warning', summary: 'field not used by this topology' },
  GC201: { severity: 'warning', summary: 'load-balanced with one gateway' },
  GC202: { severity: 'error', summary: 'the load balancer is one of the gateways' },
  GC203: { severity: 'error', summary: 'a frontend port used twice' },
  GC204: { severity: 'error', summary: 'a backend server that is no spec gateway' },
  GC205: { severity: 'error', summary: 'ssl on the servers of a pass-through backend' },
  GC206: { severity: 'error', summary: 'TLS health check without a CA file' },
  GC207: { severity: 'warning', summary: 'health check does not verify certificates' },
  GC208: { severity: 'error', summary: 'invalid gateway group or user' },
  GC209: { severity: 'error', summary: 'not a plain path' },
  GC210: { severity: 'error', summary: 'invalid or duplicate HAProxy name' },
  GC211: { severity: 'error', summary: 'agents gatewayPort is no frontend port' },
  GC212: { severity: 'error', summary: 'an agent host is the load balancer, a gateway or another agent' },
  GC213: { severity: 'warning', summary: 'package file does not exist' },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

export type Code = keyof typeof CODES;

export function severityOf(code: Code): Severity {
  return CODES[code].severity;
}

/** Quotes a user's value for a message, shortened so a huge scalar cannot flood the output. */
export function quote(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return JSON.stringify(text);
}
