// The load-balanced topology's codes (GC200-GC213) as rows of rules.test.ts's table: each a mistake in the
// load-balanced example, the exact range it is reported on, and a clean neighbour.
import assert from 'node:assert/strict';
import {
  EXAMPLE_HA_SPEC,
  EXAMPLE_LOAD_BALANCED_SPEC,
  type FixHint,
  type Range,
  type ValidateOptions,
} from '../../../src/cluster-spec';

export interface LoadBalancedCase {
  code: string;
  title: string;
  text: string;
  clean: string;
  at: { needle: string; occurrence?: number; within?: string } | Range;
  fix?: FixHint;
  related?: { needle: string; occurrence?: number };
  options?: ValidateOptions;
}

const LB = EXAMPLE_LOAD_BALANCED_SPEC;

function swap(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the example should contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** `[from, mistake, neighbour?]` in the load-balanced example (the neighbour defaults to the example itself). */
function row(
  code: string,
  title: string,
  [from, mistake, neighbour]: [string, string, string?],
  at: LoadBalancedCase['at'] | string,
  more: Partial<LoadBalancedCase> = {},
): LoadBalancedCase {
  return {
    code,
    title,
    text: swap(LB, from, mistake),
    clean: neighbour === undefined ? LB : swap(LB, from, neighbour),
    at: typeof at === 'string' ? { needle: at } : at,
    ...more,
  };
}

const nth = (needle: string, occurrence: number) => ({ needle, occurrence });
const value = (v: string): { fix: FixHint } => ({ fix: { kind: 'replaceValue', value: v } });
const haWithLoadBalancer = swap(
  EXAMPLE_HA_SPEC,
  '  registration:\n',
  '  loadBalancer: { hostname: lb-1, address: 172.25.252.10, frontends: [{ port: 443 }] }\n  registration:\n',
);
const oneGateway = swap(
  LB,
  '    - hostname: mgw-2\n      address: 172.25.252.12\n      host: esxi-b\n    - hostname: mgw-3\n      address: 172.25.252.13\n      host: esxi-c\n',
  '',
);

// prettier-ignore
export const LOAD_BALANCED_CASES: LoadBalancedCase[] = [
  { code: 'GC200', title: 'a load-balanced field in an ha spec, on its key', text: haWithLoadBalancer,
    clean: EXAMPLE_HA_SPEC, at: nth('loadBalancer', 1) },
  row('GC200', 'a MicroK8s field in a load-balanced spec, on its key',
    ['    subnet: 172.25.252.0/24\n', '    subnet: 172.25.252.0/24\n    floatingIp: 172.25.252.5\n'], 'floatingIp'),
  { code: 'GC201', title: 'load-balanced with one gateway, on the topology value',
    text: swap(oneGateway, '      - hostname: app-1', '      - hostname: app-1'), clean: LB, at: { needle: 'load-balanced' } },
  row('GC202', "the load balancer at a gateway's address, on the value",
    ['address: 172.25.252.10 ', 'address: 172.25.252.12 ', 'address: 172.25.252.14 '], nth('172.25.252.12', 2),
    { related: nth('172.25.252.12', 1) }),
  row('GC202', "the load balancer with a gateway's hostname",
    ['hostname: lb-1', 'hostname: mgw-2', 'hostname: lb-2'], nth('mgw-2', 2)),
  row('GC203', 'a frontend port used twice, on the later port',
    ['      - port: 9091', '      - port: 443', '      - port: 8443'], nth('443', 2), { related: nth('443', 1) }),
  row('GC203', "a frontend on the load balancer's SSH port",
    ['      - port: 9091', '      - port: 22', '      - port: 2222'], inside('port: 22', '22')),
  row('GC204', 'a backend server that is no gateway of the spec',
    ['      balance: roundrobin', '      servers: [mgw-1, mgw-4]', '      servers: [mgw-1, mgw-3]'], 'mgw-4'),
  row('GC205', 'ssl on the server lines of a pass-through backend',
    ['      balance: roundrobin', '      ssl: true', '      ssl: false'], inside('ssl: true', 'true'), value('false')),
  row('GC206', 'a TLS health check without a CA file, on the healthCheck key',
    ['      caFile: /etc/haproxy/gateway-ca.pem   # on the load balancer host\n', ''], inside('    healthCheck:', 'healthCheck'),
    { fix: { kind: 'insertField', key: 'caFile', placeholder: '/etc/haproxy/gateway-ca.pem' } }),
  row('GC207', 'a health check with verify none, on the value',
    ['      verify: required', '      verify: none'], inside('verify: none', 'none'), value('required')),
  row('GC208', 'a gateway group that is no plain response-file value',
    ['group: GatewayCluster', 'group: "Gateway\\"}]Cluster"', 'group: gateway-cluster.1'], '"Gateway\\"}]Cluster"'),
  row('GC209', 'a CA file path with a command in it',
    ['caFile: /etc/haproxy/gateway-ca.pem', 'caFile: "/etc/haproxy/ca$(reboot).pem"', 'caFile: /etc/ssl/certs/ca-certificates.crt'],
    '"/etc/haproxy/ca$(reboot).pem"'),
  row('GC209', 'a package that is no .rpm',
    ['Linux-x86_64.rpm\n', 'Linux-x86_64.rpm; reboot\n'], 'packages/oracle.mgmt_gateway.230207.1529.1675888242.Linux-x86_64.rpm; reboot'),
  row('GC210', 'a backend named like a frontend',
    ['      balance: roundrobin', '      name: fe-443', '      name: mgw'], inside('name: fe-443', 'fe-443')),
  row('GC211', 'agents pointed at a port the load balancer does not listen on',
    ['    gatewayPort: 9091', '    gatewayPort: 9092', '    gatewayPort: 443'], '9092', value('443')),
  row('GC212', "an agent at a gateway's address",
    ['address: 172.25.252.31', 'address: 172.25.252.13', 'address: 172.25.252.32'], nth('172.25.252.13', 2)),
  row('GC213', 'a gateway package missing on this machine',
    ['1675888242.Linux-x86_64.rpm', '1675888242.Linux-x86_64.rpm', 'present.rpm'],
    'packages/oracle.mgmt_gateway.230207.1529.1675888242.Linux-x86_64.rpm',
    { options: { offline: false, fileExists: (file) => !file.endsWith('.rpm') || file.endsWith('present.rpm') } }),
];

function inside(needle: string, within: string): { needle: string; within: string } {
  return { needle, within };
}
