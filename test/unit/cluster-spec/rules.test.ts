// Every code of the contract: code, severity, exact range, and a clean neighbour that does not trigger it.
import assert from 'node:assert/strict';
import {
  CODES,
  EXAMPLE_SINGLE_NODE_SPEC,
  type FixHint,
  type Range,
  type Severity,
  type ValidateOptions,
} from '../../../src/cluster-spec';
import { BASE, check, codes, edit, rangeOf } from './helpers';
import { LOAD_BALANCED_CASES } from './load-balanced-cases';

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
/** BASE with an IP pool after the NTP servers (`pool` is its flow mapping's inside). */
const NTP = '    ntpServers: [ntp.example.com]';
const withPool = (pool: string, text = BASE) => edit(text, NTP, `${NTP}\n    ipPool: { ${pool} }`);
const POOL = 'start: 172.25.252.11, end: 172.25.252.20';
const singlePool = (pool: string) =>
  edit(single, '    nameservers: [192.168.50.1]', `    nameservers: [192.168.50.1]\n    ipPool: { ${pool} }`);
const role = (host: string, value: string) =>
  edit(BASE, `host: ${host}`, `host: ${host}\n      role: ${value}`);
const nfsBlock =
  '  storage:\n    nfs:\n      server: 172.26.111.203\n      path: /shared/gateway-cluster-1\n';

/**
 * How a case's texts are made: `[from, mistake, neighbour?]` replaces `from` in BASE with the mistake
 * (and with the neighbour for the clean text, or leaves BASE clean); `{ text, clean }` gives both whole.
 */
type Change = [from: string, mistake: string, neighbour?: string] | { text: string; clean: string };

/** One row of the table; `at` as a bare string is the first occurrence of that needle. */
function rule(
  code: string,
  title: string,
  change: Change,
  at: Case['at'] | string,
  more: Partial<Case> = {},
): Case {
  const [text, clean] = Array.isArray(change)
    ? [edit(BASE, change[0], change[1]), change[2] === undefined ? BASE : edit(BASE, change[0], change[2])]
    : [change.text, change.clean];
  return { code, title, text, clean, at: typeof at === 'string' ? { needle: at } : at, ...more };
}
const value = (v: string): { fix: FixHint } => ({ fix: { kind: 'replaceValue', value: v } });
const insertField = (key: string, placeholder: string): { fix: FixHint } => ({
  fix: { kind: 'insertField', key, placeholder },
});
const moveSecret = (suggestedName: string): { fix: FixHint } => ({
  fix: { kind: 'moveSecret', secretKey: 'passwordSecret', suggestedName },
});
const nth = (needle: string, occurrence: number) => ({ needle, occurrence });
const unknownKeys = (n: number): string =>
  Array.from({ length: n }, (_, i) => `  unknownKey${i}: ${i}\n`).join('');
const inside = (needle: string, within: string) => ({ needle, within });

// One row a case, broken only where a row outgrows the line: the table reads down the codes.
// prettier-ignore
const cases: Case[] = [
  rule('GC001', 'a YAML syntax error at the parser position',
    ['nameservers: [172.25.252.2]', 'nameservers: [172.25.252.2'],
    { start: { line: 30, character: 4 }, end: { line: 30, character: 5 } }),
  rule('GC002', 'an unsupported apiVersion, on its value',
    ['gateway-cluster/v1', 'gateway-cluster/v2'], 'gateway-cluster/v2', value('gateway-cluster/v1')),
  rule('GC003', 'more than 100 findings in a document, once at its start',
    ['metadata:\n', `metadata:\n${unknownKeys(101)}`, `metadata:\n${unknownKeys(100)}`],
    { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }),
  rule('GC010', 'an unknown key, with the closest known key',
    ['      host: esxi-b', '      hots: esxi-b'], 'hots', { fix: { kind: 'renameKey', to: 'host' } }),
  rule('GC011', 'a string where a number is due, on the value',
    ['port: 22', 'port: "22"', 'port: 2222'], '"22"'),
  rule('GC011', 'a scalar where a list is due',
    ['nameservers: [172.25.252.2]', 'nameservers: 172.25.252.2'],
    inside('nameservers: 172.25.252.2', '172.25.252.2')),
  rule('GC012', 'a missing field, on the key of the mapping that lacks it',
    ["    floatingIp: 172.25.252.5         # the Gateway Manager's address, served by metallb\n", ''],
    inside('network:', 'network'), insertField('floatingIp', '172.25.252.5')),
  rule('GC012', "a missing field of a list item, on the item's first key",
    ['    - hostname: gw-2\n      address: 172.25.252.12\n', '    - address: 172.25.252.12\n'],
    nth('address', 2), insertField('hostname', 'gw-1')),
  rule('GC013', 'a value outside the allowed set', ['topology: ha', 'topology: HA'], 'HA', value('ha')),
  rule('GC013', 'a port out of range', ['port: 22', 'port: 70000', 'port: 65535'], '70000'),
  rule('GC100', 'a hostname that is not an RFC 1123 label',
    ['hostname: gw-2', 'hostname: GW_2', 'hostname: gw-2b'], 'GW_2', value('gw-2')),
  rule('GC101', 'a duplicate hostname, on the later value',
    ['hostname: gw-3', 'hostname: gw-2', 'hostname: gw-4'], nth('gw-2', 2),
    { related: nth('gw-2', 1), ...value('gw-3') }),
  rule('GC102', 'an address that is not IPv4',
    ['address: 172.25.252.12', 'address: 172.25.252.312', 'address: 172.25.252.31'], '172.25.252.312'),
  rule('GC103', 'two nodes sharing an address, on the later value',
    ['address: 172.25.252.13', 'address: 172.25.252.11', 'address: 172.25.252.14'], nth('172.25.252.11', 2),
    { related: nth('172.25.252.11', 1), ...value('172.25.252.3') }),
  rule('GC104', 'a node address outside the subnet',
    ['address: 172.25.252.12', 'address: 172.25.253.12', 'address: 172.25.252.254'], '172.25.253.12'),
  rule('GC104', 'a floating IP outside the subnet',
    { text: edit(edit(BASE, 'floatingIp: 172.25.252.5', 'floatingIp: 172.25.253.5'),
      'metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.253.5/32'), clean: BASE },
    nth('172.25.253.5', 1)),
  rule('GC105', 'a floating IP equal to a node address, on the floatingIp value',
    ['address: 172.25.252.12', 'address: 172.25.252.5'], nth('172.25.252.5', 2), value('172.25.252.3')),
  rule('GC106', 'a metallb range without the floating IP',
    ['metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.6/32',
      'metallbRange: 172.25.252.4-172.25.252.6'],
    '172.25.252.6/32', value('172.25.252.5/32')),
  rule('GC107', 'a node address inside the DHCP range',
    ['address: 172.25.252.12', 'address: 172.25.252.150', 'address: 172.25.252.201'], '172.25.252.150'),
  rule('GC108', 'a malformed CIDR',
    ['subnet: 172.25.252.0/24', 'subnet: 172.25.252.0/33', 'subnet: 172.25.0.0/16'], '172.25.252.0/33'),
  rule('GC108', 'a range whose first address is above its last',
    ['172.25.252.100-172.25.252.200', '172.25.252.200-172.25.252.100', '172.25.252.128/25'],
    '172.25.252.200-172.25.252.100'),
  rule('GC109', 'a metallb range that includes node addresses',
    ['metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.0/28', 'metallbRange: 172.25.252.0/29'],
    '172.25.252.0/28'),
  rule('GC110', 'an IP pool with both a range and a subnet, on the subnet key',
    { text: withPool(`${POOL}, subnet: 172.25.252.16/28`), clean: withPool(POOL) },
    inside('subnet: 172.25.252.16/28', 'subnet')),
  rule('GC111', 'an IP pool reaching outside the subnet, on its start',
    { text: withPool('start: 172.25.252.250, end: 172.25.253.10'), clean: withPool(POOL) }, '172.25.252.250'),
  rule('GC112', 'an IP pool overlapping the DHCP range',
    { text: withPool('start: 172.25.252.11, end: 172.25.252.120'), clean: withPool(POOL) },
    inside('start: 172.25.252.11, end: 172.25.252.120', '172.25.252.11')),
  rule('GC113', 'an IP pool sharing more than the floating IP with the metallb range',
    { text: withPool('start: 172.25.252.4, end: 172.25.252.20',
      edit(BASE, 'metallbRange: 172.25.252.5/32', 'metallbRange: 172.25.252.5-172.25.252.6')),
      clean: withPool('start: 172.25.252.4, end: 172.25.252.20') }, '172.25.252.4'),
  rule('GC114', 'an IP pool too small for the nodes',
    { text: withPool('start: 172.25.252.11, end: 172.25.252.12'), clean: withPool(POOL) },
    inside('start: 172.25.252.11, end: 172.25.252.12', '172.25.252.11')),
  rule('GC115', 'a single-node IP pool too small for a resize to 3',
    { text: singlePool('start: 192.168.50.11, end: 192.168.50.12'),
      clean: singlePool('start: 192.168.50.11, end: 192.168.50.13') },
    inside('start: 192.168.50.11, end: 192.168.50.12', '192.168.50.11')),
  rule('GC116', 'a node address outside the IP pool',
    { text: withPool(POOL, edit(BASE, 'address: 172.25.252.12', 'address: 172.25.252.30')),
      clean: withPool(POOL) }, '172.25.252.30'),
  rule('GC120', 'ha with two nodes, on the topology value',
    { text: noNode3, clean: BASE }, inside('topology: ha', 'ha')),
  rule('GC121', 'single-node with two nodes',
    { text: edit(single, '  network:', '    - hostname: gw-2\n      address: 192.168.50.12\n  network:'),
      clean: single },
    nth('single-node', 1)),
  rule('GC122', 'two ha nodes on one host, on the later host value',
    ['host: esxi-c', 'host: esxi-b', 'host: esxi-d'], nth('esxi-b', 2), { related: nth('esxi-b', 1) }),
  rule('GC123', 'host on some nodes only, on the nodes key', ['      host: esxi-c\n', ''], nth('nodes', 1)),
  rule('GC124', 'single-node has no HA, on the topology value',
    { text: single, clean: BASE }, nth('single-node', 1)),
  rule('GC125', 'ha with a worker among three nodes, on the topology value',
    { text: role('esxi-c', 'worker'), clean: role('esxi-c', 'control-plane') }, inside('topology: ha', 'ha')),
  rule('GC126', 'node 1 as a worker', { text: role('esxi-a', 'worker'), clean: role('esxi-a', 'control-plane') },
    'worker', value('control-plane')),
  rule('GC130', 'resources below the minimum, one per field',
    ['cpus: 4', 'cpus: 2', 'cpus: 8'], inside('cpus: 2', '2'), value('4')),
  rule('GC140', 'ha without storage, on the spec key', [nfsBlock, ''], 'spec'),
  rule('GC140', 'ha with storage but no nfs, on the storage key', [nfsBlock, '  storage: {}\n'], 'storage'),
  rule('GC141', 'an NFS path that is not absolute',
    ['path: /shared/gateway-cluster-1', 'path: shared/gateway-cluster-1', 'path: /shared/gateway-cluster-2'],
    'shared/gateway-cluster-1', value('/shared/gateway-cluster-1')),
  rule('GC141', 'an NFS server that is neither an address nor a hostname',
    ['server: 172.26.111.203', 'server: 172.26.111.256', 'server: nfs-1.example.com'], '172.26.111.256'),
  rule('GC141', 'an NFS path with characters a shell or Helm would act on',
    ['path: /shared/gateway-cluster-1', 'path: "/shared/x;reboot"', 'path: /shared/gateway_cluster+1'],
    '"/shared/x;reboot"'),
  rule('GC150', 'an inline password, on the key',
    ["    passwordSecret: dc1-manager-password     # a key in the editor's secret storage",
      '    password: hunter2'],
    inside('password: hunter2', 'password'), moveSecret('dc1-gateways-manager-password')),
  rule('GC150', 'an inline node ssh password',
    ['ssh: { user: admin }', 'ssh: { user: admin, password: "123456" }'], nth('password', 1),
    moveSecret('dc1-gateways-gw-3-ssh-password')),
  rule('GC150', 'credentials in a proxy URL, on the URL value',
    ['http: http://proxy.example.com:3128', 'http: http://gw:s3cret@proxy.example.com:3128'],
    'http://gw:s3cret@proxy.example.com:3128',
    { fix: { kind: 'moveProxyCredentials', secretKey: 'credentialsSecret',
      suggestedName: 'dc1-gateways-proxy-credentials' } }),
  rule('GC151', 'a secret key name with invalid characters',
    ['dc1-activation-token', 'dc1 activation/token', 'dc1_activation.token'], 'dc1 activation/token',
    value('dc1-activation-token')),
  rule('GC151', 'a proxy credentialsSecret with invalid characters',
    ['      noProxy:', '      credentialsSecret: "proxy creds"\n      noProxy:',
      '      credentialsSecret: proxy-creds\n      noProxy:'],
    '"proxy creds"', value('proxy-creds')),
  rule('GC160', 'http proxy without https, on the proxy key',
    ['      https: http://proxy.example.com:3128\n', ''], inside('proxy:', 'proxy'),
    { fix: { kind: 'insertProxy', key: 'https', value: 'http://proxy.example.com:3128' } }),
  rule('GC161', 'a proxy URL without a scheme',
    ['https: http://proxy.example.com:3128', 'https: proxy.example.com:3128',
      'https: https://proxy.example.com:3129'],
    nth('proxy.example.com:3128', 2)),
  rule('GC161', 'a proxy URL with a command in its path (the issue\'s example)',
    ['http: http://proxy.example.com:3128', 'http: http://proxy.example.com:3128/$(touch${IFS}/tmp/pwned)',
      'http: http://proxy.example.com:3128/'],
    'http://proxy.example.com:3128/$(touch${IFS}/tmp/pwned)'),
  rule('GC161', 'a proxy URL with a query',
    ['https: http://proxy.example.com:3128', 'https: http://proxy.example.com:3128?x=1'],
    'http://proxy.example.com:3128?x=1'),
  rule('GC162', 'a pod CIDR overlapping the subnet, on the later value',
    ['  storage:', '    podCidr: 172.25.0.0/16\n  storage:', '    podCidr: 10.2.0.0/16\n  storage:'],
    '172.25.0.0/16'),
  rule('GC163', 'a noProxy entry that is a command',
    ['noProxy: [172.25.252.0/24, .example.com]', 'noProxy: ["$(reboot)", .example.com]',
      'noProxy: [172.25.252.0/24, localhost, 10.0.0.1, .example.com]'],
    '"$(reboot)"'),
  rule('GC163', 'a noProxy entry with a semicolon',
    ['noProxy: [172.25.252.0/24, .example.com]', 'noProxy: [172.25.252.0/24, "a;b"]'], '"a;b"'),
  rule('GC170', 'a chart version that is not semver',
    ['version: 0.9.6', 'version: v0.9.6', 'version: 0.10.0-rc.1'], 'v0.9.6', value('0.9.6')),
  rule('GC171', 'a chart repository that is not oci://',
    ['repository: oci://', 'repository: https://'],
    'https://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
    { clean: edit(BASE, 'repository: oci://us-docker.pkg.dev', 'repository: oci://registry.example.com') }),
  rule('GC171', 'a chart repository with a command in its path',
    ['repository: oci://us-docker.pkg.dev/opsramp-registry', 'repository: oci://us-docker.pkg.dev/x$(reboot)'],
    'oci://us-docker.pkg.dev/x$(reboot)/gateway-cluster-charts'),
  rule('GC180', 'an identity file missing on this machine',
    { text: BASE, clean: BASE }, '~/.ssh/gateway_ed25519',
    { options: { fileExists: (file) => file !== '/home/test/.ssh/gateway_ed25519' } }),
  rule('GC181', 'an ssh user that is not a user name',
    ['user: gateway', 'user: "gateway;reboot"', 'user: gw_admin.1'], '"gateway;reboot"'),
  rule('GC182', 'an identity file path with a command in it',
    ['identityFile: ~/.ssh/gateway_ed25519', 'identityFile: "~/.ssh/id$(reboot)"',
      'identityFile: "~/.ssh/My Keys/id (old)"'],
    '"~/.ssh/id$(reboot)"'),
  ...LOAD_BALANCED_CASES,
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
    const warnings = [
      'GC109',
      'GC115',
      'GC116',
      'GC122',
      'GC123',
      'GC130',
      'GC150',
      'GC180',
      'GC200',
      'GC201',
      'GC207',
      'GC213',
    ];
    for (const [code, severity] of Object.entries(SEVERITY)) {
      const infos = ['GC003', 'GC124'];
      assert.equal(
        severity,
        infos.includes(code) ? 'info' : warnings.includes(code) ? 'warning' : 'error',
        code,
      );
    }
  });
});
