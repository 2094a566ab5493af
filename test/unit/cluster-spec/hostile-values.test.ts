// Every spec field whose value can reach a node or a file on it refuses hostile values: each value of the
// corpus (test/support/hostile-values.ts), alone, after a valid value and before it, is an error on that
// field in an otherwise valid spec. Free text that reaches no node (metadata.description, nodes[].host,
// registration.managementProfile) is not in the list: any string is fine there (docs/cluster-spec.md).
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { SpecPath } from '../../../src/cluster-spec';
import { HOSTILE_VALUES } from '../../support/hostile-values';
import { BASE, check, edit } from './helpers';

interface Field {
  path: SpecPath;
  /** A valid value, which the hostile one is put before and after. */
  valid: string;
  /** The spec with `yaml` (a YAML scalar) as the field's value. */
  put: (yaml: string) => string;
  /** Corpus entries a valid value may legitimately hold here, and why. */
  allowed?: { names: string[]; why: string };
}

const replace =
  (from: string, to: (yaml: string) => string) =>
  (yaml: string): string =>
    edit(BASE, from, to(yaml));
const NETWORK = ['spec', 'network'];
const PROXY = [...NETWORK, 'proxy'];

const FIELDS: Field[] = [
  {
    path: ['metadata', 'name'],
    valid: 'dc1-gateways',
    put: replace('name: dc1-gateways', (v) => `name: ${v}`),
  },
  {
    path: ['spec', 'nodes', 1, 'hostname'],
    valid: 'gw-2',
    put: replace('hostname: gw-2', (v) => `hostname: ${v}`),
  },
  {
    path: ['spec', 'nodes', 1, 'address'],
    valid: '172.25.252.12',
    put: replace('address: 172.25.252.12', (v) => `address: ${v}`),
  },
  {
    path: [...NETWORK, 'subnet'],
    valid: '172.25.252.0/24',
    put: replace('subnet: 172.25.252.0/24', (v) => `subnet: ${v}`),
  },
  {
    path: [...NETWORK, 'floatingIp'],
    valid: '172.25.252.5',
    put: replace('floatingIp: 172.25.252.5 ', (v) => `floatingIp: ${v} `),
  },
  {
    path: [...NETWORK, 'metallbRange'],
    valid: '172.25.252.5/32',
    put: replace('metallbRange: 172.25.252.5/32', (v) => `metallbRange: ${v}`),
  },
  {
    path: [...NETWORK, 'dhcpRange'],
    valid: '172.25.252.100-172.25.252.200',
    put: replace('dhcpRange: 172.25.252.100-172.25.252.200', (v) => `dhcpRange: ${v}`),
  },
  {
    path: [...NETWORK, 'gateway'],
    valid: '172.25.252.1',
    put: replace('gateway: 172.25.252.1', (v) => `gateway: ${v}`),
  },
  {
    path: [...NETWORK, 'nameservers', 0],
    valid: '172.25.252.2',
    put: replace('nameservers: [172.25.252.2]', (v) => `nameservers: [${v}]`),
  },
  {
    path: [...NETWORK, 'ntpServers', 0],
    valid: 'ntp.example.com',
    put: replace('ntpServers: [ntp.example.com]', (v) => `ntpServers: [${v}]`),
  },
  {
    path: [...NETWORK, 'podCidr'],
    valid: '10.1.0.0/16',
    put: replace('    proxy:\n', (v) => `    podCidr: ${v}\n    proxy:\n`),
  },
  {
    path: [...NETWORK, 'serviceCidr'],
    valid: '10.152.183.0/24',
    put: replace('    proxy:\n', (v) => `    serviceCidr: ${v}\n    proxy:\n`),
  },
  {
    path: [...PROXY, 'http'],
    valid: 'http://proxy.example.com:3128',
    put: replace('http: http://proxy.example.com:3128', (v) => `http: ${v}`),
  },
  {
    path: [...PROXY, 'https'],
    valid: 'http://proxy.example.com:3128',
    put: replace('https: http://proxy.example.com:3128', (v) => `https: ${v}`),
  },
  {
    path: [...PROXY, 'noProxy', 1],
    valid: '.example.com',
    put: replace('noProxy: [172.25.252.0/24, .example.com]', (v) => `noProxy: [172.25.252.0/24, ${v}]`),
  },
  {
    path: [...PROXY, 'credentialsSecret'],
    valid: 'dc1-proxy-credentials',
    put: replace('      noProxy:', (v) => `      credentialsSecret: ${v}\n      noProxy:`),
  },
  {
    path: ['spec', 'storage', 'nfs', 'server'],
    valid: '172.26.111.203',
    put: replace('server: 172.26.111.203', (v) => `server: ${v}`),
  },
  {
    path: ['spec', 'storage', 'nfs', 'path'],
    valid: '/shared/gateway-cluster-1',
    put: replace('path: /shared/gateway-cluster-1', (v) => `path: ${v}`),
  },
  {
    path: ['spec', 'charts', 'repository'],
    valid: 'oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
    put: replace(
      'repository: oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
      (v) => `repository: ${v}`,
    ),
  },
  {
    path: ['spec', 'charts', 'version'],
    valid: '0.9.6',
    put: replace('version: 0.9.6', (v) => `version: ${v}`),
  },
  {
    path: ['spec', 'gatewayManager', 'passwordSecret'],
    valid: 'dc1-manager-password',
    put: replace('passwordSecret: dc1-manager-password', (v) => `passwordSecret: ${v}`),
  },
  {
    path: ['spec', 'registration', 'activationTokenSecret'],
    valid: 'dc1-activation-token',
    put: replace('activationTokenSecret: dc1-activation-token', (v) => `activationTokenSecret: ${v}`),
  },
  {
    path: ['spec', 'ssh', 'passwordSecret'],
    valid: 'dc1-ssh-password',
    put: replace('    port: 22\n', (v) => `    port: 22\n    passwordSecret: ${v}\n`),
  },
  { path: ['spec', 'ssh', 'user'], valid: 'gateway', put: replace('user: gateway', (v) => `user: ${v}`) },
  {
    path: ['spec', 'nodes', 2, 'ssh', 'user'],
    valid: 'admin',
    put: replace('ssh: { user: admin }', (v) => `ssh: { user: ${v} }`),
  },
  {
    path: ['spec', 'ssh', 'identityFile'],
    valid: '~/.ssh/gateway_ed25519',
    put: replace('identityFile: ~/.ssh/gateway_ed25519', (v) => `identityFile: ${v}`),
    allowed: {
      names: [
        'space',
        'non-breaking space',
        'Cyrillic look-alike',
        'fullwidth semicolon',
        'fullwidth dollar',
      ],
      why: 'a local path may hold spaces and non-ASCII letters (a home folder named after its user); the extension reads the key itself, it never reaches a node or a shell',
    },
  },
];

describe('spec: hostile values in fields that reach a node', () => {
  it('the corpus survives YAML double quoting unchanged (so each case tests the value it names)', () => {
    for (const { name, value } of HOSTILE_VALUES) assert.equal(parse(JSON.stringify(value)), value, name);
  });

  it('every field is valid with its valid value', () => {
    for (const field of FIELDS) {
      const errors = check(field.put(JSON.stringify(field.valid)), { offline: true }).filter(
        (f) => f.severity === 'error',
      );
      assert.deepEqual(errors, [], field.path.join('.'));
    }
  });

  for (const field of FIELDS) {
    it(`${field.path.join('.')}: every hostile value is an error on it`, () => {
      for (const { name, value } of HOSTILE_VALUES) {
        const allowed = field.allowed?.names.includes(name) ?? false;
        for (const written of [value, `${field.valid}${value}`, `${value}${field.valid}`]) {
          const findings = check(field.put(JSON.stringify(written)), { offline: true });
          const onField = findings.filter(
            (f) => f.severity === 'error' && JSON.stringify(f.path) === JSON.stringify(field.path),
          );
          if (!allowed) assert.ok(onField.length > 0, `${name}: ${JSON.stringify(written.slice(0, 80))}`);
        }
      }
    });
  }

  it('the allowed exceptions still reject everything a shell acts on', () => {
    const identity = FIELDS.find((f) => f.allowed)!;
    for (const name of ['command substitution', 'backticks', 'semicolon', 'newline', 'NUL', 'double quote']) {
      const { value } = HOSTILE_VALUES.find((v) => v.name === name)!;
      const findings = check(identity.put(JSON.stringify(`~/.ssh/${value}`)), { offline: true });
      assert.ok(
        findings.some((f) => f.code === 'GC182'),
        name,
      );
    }
  });
});
