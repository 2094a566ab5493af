// Every code of the contract: code, severity, exact range, and a clean neighbour that does not trigger it.
import assert from 'node:assert/strict';
import {
  CODES,
  EXAMPLE_SINGLE_NODE_SPEC,
  type FixHint,
  type Range,
  type Severity,
  type ValidateOptions,
} from '../../../src/spec';
import { BASE, check, codes, edit, rangeOf } from './helpers';

interface Case {
  code: string;
  title: string;
  text: string;
  /** The expected range: the nth occurrence of a needle, or a literal range. */
  at: { needle: string; occurrence?: number; within?: string } | Range;
  /** A close variant without the mistake. */
  clean: string;
  options?: ValidateOptions;
  fix?: FixHint;
  related?: { needle: string; occurrence?: number };
  fileName?: string;
}

const SEVERITY: Record<string, Severity> = Object.fromEntries(
  Object.entries(CODES).map(([code, info]) => [code, info.severity]),
);

const single = EXAMPLE_SINGLE_NODE_SPEC;
const noNode3 = edit(
  BASE,
  '    - hostname: gw-3\n      address: 172.25.252.13\n      host: esxi-c\n      ssh: { user: admin }           # per-node override, merged over spec.ssh\n',
  '',
);

const cases: Case[] = [
  {
    code: 'GC001',
    title: 'a YAML syntax error at the parser position',
    text: edit(BASE, 'nameservers: [172.25.252.2]', 'nameservers: [172.25.252.2'),
    at: { start: { line: 30, character: 4 }, end: { line: 30, character: 5 } },
    clean: BASE,
  },
  {
    code: 'GC002',
    title: 'an unsupported apiVersion, on its value',
    text: edit(BASE, 'apiVersion: gateway-cluster/v1', 'apiVersion: gateway-cluster/v2'),
    at: { needle: 'gateway-cluster/v2' },
    clean: BASE,
    fix: { kind: 'replaceValue', value: 'gateway-cluster/v1' },
  },
  {
    code: 'GC010',
    title: 'an unknown key, with the closest known key',
    text: edit(BASE, '      host: esxi-b', '      hots: esxi-b'),
    at: { needle: 'hots' },
    clean: BASE,
    fix: { kind: 'renameKey', to: 'host' },
  },
  {
    code: 'GC011',
    title: 'a string where a number is due, on the value',
    text: edit(BASE, 'port: 22', 'port: "22"'),
    at: { needle: '"22"' },
    clean: edit(BASE, 'port: 22', 'port: 2222'),
  },
  {
    code: 'GC011',
    title: 'a scalar where a list is due',
    text: edit(BASE, 'nameservers: [172.25.252.2]', 'nameservers: 172.25.252.2'),
    at: { needle: 'nameservers: 172.25.252.2', within: '172.25.252.2' },
    clean: BASE,
  },
  {
    code: 'GC012',
    title: 'a missing field, on the key of the mapping that lacks it',
    text: edit(
      BASE,
      "    floatingIp: 172.25.252.5         # the Gateway Manager's address, served by metallb\n",
      '',
    ),
    at: { needle: 'network:', within: 'network' },
    clean: BASE,
    fix: { kind: 'insertField', key: 'floatingIp', placeholder: '172.25.252.5' },
  },
  {
    code: 'GC012',
    title: "a missing field of a list item, on the item's first key",
    text: edit(
      BASE,
      '    - hostname: gw-2\n      address: 172.25.252.12\n',
      '    - address: 172.25.252.12\n',
    ),
    at: { needle: 'address', occurrence: 2 },
    clean: BASE,
    fix: { kind: 'insertField', key: 'hostname', placeholder: 'gw-1' },
  },
  {
    code: 'GC013',
    title: 'a value outside the allowed set',
    text: edit(BASE, 'topology: ha', 'topology: HA'),
    at: { needle: 'HA' },
    clean: BASE,
    fix: { kind: 'replaceValue', value: 'ha' },
  },
  {
    code: 'GC013',
    title: 'a port out of range',
    text: edit(BASE, 'port: 22', 'port: 70000'),
    at: { needle: '70000' },
    clean: edit(BASE, 'port: 22', 'port: 65535'),
  },
  {
    code: 'GC100',
    title: 'a hostname that is not an RFC 1123 label',
    text: edit(BASE, 'hostname: gw-2', 'hostname: GW_2'),
    at: { needle: 'GW_2' },
    clean: edit(BASE, 'hostname: gw-2', 'hostname: gw-2b'),
    fix: { kind: 'replaceValue', value: 'gw-2' },
  },
  {
    code: 'GC101',
    title: 'a duplicate hostname, on the later value',
    text: edit(BASE, 'hostname: gw-3', 'hostname: gw-2'),
    at: { needle: 'gw-2', occurrence: 2 },
    related: { needle: 'gw-2', occurrence: 1 },
    clean: edit(BASE, 'hostname: gw-3', 'hostname: gw-4'),
    fix: { kind: 'replaceValue', value: 'gw-3' },
  },
  {
    code: 'GC102',
    title: 'an address that is not IPv4',
    text: edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.312'),
    at: { needle: '172.25.252.312' },
    clean: edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.31'),
  },
  {
    code: 'GC103',
    title: 'two nodes sharing an address, on the later value',
    text: edit(BASE, 'address: 172.25.252.13', 'address: 172.25.252.11'),
    at: { needle: '172.25.252.11', occurrence: 2 },
    related: { needle: '172.25.252.11', occurrence: 1 },
    clean: edit(BASE, 'address: 172.25.252.13', 'address: 172.25.252.14'),
    fix: { kind: 'replaceValue', value: '172.25.252.3' },
  },
  {
    code: 'GC104',
    title: 'a node address outside the subnet',
    text: edit(BASE, 'address: 172.25.252.12', 'address: 172.25.253.12'),
    at: { needle: '172.25.253.12' },
    clean: edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.254'),
  },
  {
    code: 'GC104',
    title: 'a floating IP outside the subnet',
    text: edit(
      edit(BASE, 'floatingIp: 172.25.252.5', 'floatingIp: 172.25.253.5'),
      'metallbRange: 172.25.252.5/32',
      'metallbRange: 172.25.253.5/32',
    ),
    at: { needle: '172.25.253.5', occurrence: 1 },
    clean: BASE,
  },
  {
    code: 'GC105',
    title: 'a floating IP equal to a node address, on the floatingIp value',
    text: edit(
      edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.5'),
      '    dhcpRange',
      '    dhcpRange',
    ),
    at: { needle: '172.25.252.5', occurrence: 2 },
    clean: BASE,
    fix: { kind: 'replaceValue', value: '172.25.252.3' },
  },
  {
    code: 'GC106',
    title: 'a metallb range without the floating IP',
    text: edit(BASE, 'metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.6/32'),
    at: { needle: '172.25.252.6/32' },
    clean: edit(BASE, 'metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.4-172.25.252.6'),
    fix: { kind: 'replaceValue', value: '172.25.252.5/32' },
  },
  {
    code: 'GC107',
    title: 'a node address inside the DHCP range',
    text: edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.150'),
    at: { needle: '172.25.252.150' },
    clean: edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.201'),
  },
  {
    code: 'GC108',
    title: 'a malformed CIDR',
    text: edit(BASE, 'subnet: 172.25.252.0/24', 'subnet: 172.25.252.0/33'),
    at: { needle: '172.25.252.0/33' },
    clean: edit(BASE, 'subnet: 172.25.252.0/24', 'subnet: 172.25.0.0/16'),
  },
  {
    code: 'GC108',
    title: 'a range whose first address is above its last',
    text: edit(BASE, 'dhcpRange: 172.25.252.100-172.25.252.200', 'dhcpRange: 172.25.252.200-172.25.252.100'),
    at: { needle: '172.25.252.200-172.25.252.100' },
    clean: edit(BASE, 'dhcpRange: 172.25.252.100-172.25.252.200', 'dhcpRange: 172.25.252.128/25'),
  },
  {
    code: 'GC109',
    title: 'a metallb range that includes node addresses',
    text: edit(BASE, 'metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.0/28'),
    at: { needle: '172.25.252.0/28' },
    clean: edit(BASE, 'metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.0/29'),
  },
  {
    code: 'GC120',
    title: 'ha with two nodes, on the topology value',
    text: noNode3,
    at: { needle: 'topology: ha', within: 'ha' },
    clean: BASE,
  },
  {
    code: 'GC121',
    title: 'single-node with two nodes',
    text: edit(single, '  network:', '    - hostname: gw-2\n      address: 192.168.50.12\n  network:'),
    at: { needle: 'single-node', occurrence: 1 },
    clean: single,
  },
  {
    code: 'GC122',
    title: 'two ha nodes on one host, on the later host value',
    text: edit(BASE, 'host: esxi-c', 'host: esxi-b'),
    at: { needle: 'esxi-b', occurrence: 2 },
    related: { needle: 'esxi-b', occurrence: 1 },
    clean: edit(BASE, 'host: esxi-c', 'host: esxi-d'),
  },
  {
    code: 'GC123',
    title: 'host on some nodes only, on the nodes key',
    text: edit(BASE, '      host: esxi-c\n', ''),
    at: { needle: 'nodes', occurrence: 1 },
    clean: BASE,
  },
  {
    code: 'GC124',
    title: 'single-node has no HA, on the topology value',
    text: single,
    at: { needle: 'single-node', occurrence: 1 },
    clean: BASE,
  },
  {
    code: 'GC130',
    title: 'resources below the minimum, one per field',
    text: edit(BASE, 'cpus: 4', 'cpus: 2'),
    at: { needle: 'cpus: 2', within: '2' },
    clean: edit(BASE, 'cpus: 4', 'cpus: 8'),
    fix: { kind: 'replaceValue', value: '4' },
  },
  {
    code: 'GC140',
    title: 'ha without storage, on the spec key',
    text: edit(
      BASE,
      '  storage:\n    nfs:\n      server: 172.26.111.203\n      path: /shared/gateway-cluster-1\n',
      '',
    ),
    at: { needle: 'spec' },
    clean: BASE,
  },
  {
    code: 'GC140',
    title: 'ha with storage but no nfs, on the storage key',
    text: edit(
      BASE,
      '  storage:\n    nfs:\n      server: 172.26.111.203\n      path: /shared/gateway-cluster-1\n',
      '  storage: {}\n',
    ),
    at: { needle: 'storage' },
    clean: BASE,
  },
  {
    code: 'GC141',
    title: 'an NFS path that is not absolute',
    text: edit(BASE, 'path: /shared/gateway-cluster-1', 'path: shared/gateway-cluster-1'),
    at: { needle: 'shared/gateway-cluster-1' },
    clean: edit(BASE, 'path: /shared/gateway-cluster-1', 'path: /shared/gateway-cluster-2'),
    fix: { kind: 'replaceValue', value: '/shared/gateway-cluster-1' },
  },
  {
    code: 'GC141',
    title: 'an NFS server that is neither an address nor a hostname',
    text: edit(BASE, 'server: 172.26.111.203', 'server: 172.26.111.256'),
    at: { needle: '172.26.111.256' },
    clean: edit(BASE, 'server: 172.26.111.203', 'server: nfs-1.example.com'),
  },
  {
    code: 'GC150',
    title: 'an inline password, on the key',
    text: edit(
      BASE,
      "    passwordSecret: dc1-manager-password     # a key in the editor's secret storage",
      '    password: hunter2',
    ),
    at: { needle: 'password: hunter2', within: 'password' },
    clean: BASE,
    fix: { kind: 'moveSecret', secretKey: 'passwordSecret', suggestedName: 'dc1-gateways-manager-password' },
  },
  {
    code: 'GC150',
    title: 'an inline node ssh password',
    text: edit(BASE, 'ssh: { user: admin }', 'ssh: { user: admin, password: "123456" }'),
    at: { needle: 'password', occurrence: 1 },
    clean: BASE,
    fix: { kind: 'moveSecret', secretKey: 'passwordSecret', suggestedName: 'dc1-gateways-gw-3-ssh-password' },
  },
  {
    code: 'GC151',
    title: 'a secret key name with invalid characters',
    text: edit(
      BASE,
      'activationTokenSecret: dc1-activation-token',
      'activationTokenSecret: dc1 activation/token',
    ),
    at: { needle: 'dc1 activation/token' },
    clean: edit(
      BASE,
      'activationTokenSecret: dc1-activation-token',
      'activationTokenSecret: dc1_activation.token',
    ),
    fix: { kind: 'replaceValue', value: 'dc1-activation-token' },
  },
  {
    code: 'GC160',
    title: 'http proxy without https, on the proxy key',
    text: edit(BASE, '      https: http://proxy.example.com:3128\n', ''),
    at: { needle: 'proxy:', within: 'proxy' },
    clean: BASE,
    fix: { kind: 'insertProxy', key: 'https', value: 'http://proxy.example.com:3128' },
  },
  {
    code: 'GC161',
    title: 'a proxy URL without a scheme',
    text: edit(BASE, 'https: http://proxy.example.com:3128', 'https: proxy.example.com:3128'),
    at: { needle: 'proxy.example.com:3128', occurrence: 2 },
    clean: edit(BASE, 'https: http://proxy.example.com:3128', 'https: https://proxy.example.com:3129'),
  },
  {
    code: 'GC162',
    title: 'a pod CIDR overlapping the subnet, on the later value',
    text: edit(BASE, '  storage:', '    podCidr: 172.25.0.0/16\n  storage:'),
    at: { needle: '172.25.0.0/16' },
    clean: edit(BASE, '  storage:', '    podCidr: 10.2.0.0/16\n  storage:'),
  },
  {
    code: 'GC170',
    title: 'a chart version that is not semver',
    text: edit(BASE, 'version: 0.9.6', 'version: v0.9.6'),
    at: { needle: 'v0.9.6' },
    clean: edit(BASE, 'version: 0.9.6', 'version: 0.10.0-rc.1'),
    fix: { kind: 'replaceValue', value: '0.9.6' },
  },
  {
    code: 'GC171',
    title: 'a chart repository that is not oci://',
    text: edit(BASE, 'repository: oci://', 'repository: https://'),
    at: { needle: 'https://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts' },
    clean: edit(BASE, 'repository: oci://us-docker.pkg.dev', 'repository: oci://registry.example.com'),
  },
  {
    code: 'GC180',
    title: 'an identity file missing on this machine',
    text: BASE,
    options: { fileExists: (file) => file !== '/home/test/.ssh/gateway_ed25519' },
    at: { needle: '~/.ssh/gateway_ed25519' },
    clean: BASE,
  },
];

describe('spec rules: every code, with its range and a clean neighbour', () => {
  for (const c of cases) {
    describe(`${c.code}: ${c.title}`, () => {
      it('is reported once, with the contract severity and the exact range', () => {
        const findings = check(c.text, { offline: c.code !== 'GC180', ...c.options }, c.fileName).filter(
          (f) => f.code === c.code,
        );
        assert.equal(findings.length, 1, JSON.stringify(findings));
        const finding = findings[0]!;
        assert.equal(finding.severity, SEVERITY[c.code]);
        const expected = 'needle' in c.at ? rangeOf(c.text, c.at.needle, c.at.occurrence, c.at.within) : c.at;
        assert.deepEqual(finding.range, expected);
        assert.ok(finding.message.length > 20 && !finding.message.includes('\n'), finding.message);
        if (c.fix) assert.deepEqual(finding.fix, c.fix);
        if (c.related)
          assert.deepEqual(
            finding.related?.[0]?.range,
            rangeOf(c.text, c.related.needle, c.related.occurrence),
          );
      });
      it('is not reported for the clean neighbour', () => {
        const findings = check(c.clean, {
          offline: c.code !== 'GC180',
          ...c.options,
          ...(c.code === 'GC180' ? { fileExists: () => true } : {}),
        });
        assert.deepEqual(
          codes(findings).filter((code) => code === c.code),
          [],
        );
      });
    });
  }

  it('covers every code of the contract', () => {
    assert.deepEqual([...new Set(cases.map((c) => c.code))].sort(), Object.keys(CODES).sort());
  });

  it('severities match the contract table', () => {
    const warnings = ['GC109', 'GC122', 'GC123', 'GC130', 'GC150', 'GC180'];
    for (const [code, severity] of Object.entries(SEVERITY)) {
      assert.equal(severity, code === 'GC124' ? 'info' : warnings.includes(code) ? 'warning' : 'error', code);
    }
  });
});
