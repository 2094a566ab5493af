// The load-balanced topology's fields that reach the load balancer, a gateway or an agent (haproxy.cfg, a
// response file, a remote path, a command) refuse the hostile-value corpus as hostile-values.test.ts does for
// the MicroK8s fields: each value alone, after a valid value and before it, is an error on that field.
import assert from 'node:assert/strict';
import { EXAMPLE_LOAD_BALANCED_SPEC, type SpecPath } from '../../../src/cluster-spec';
import { HOSTILE_VALUES } from '../../support/hostile-values';
import { check, edit } from './helpers';

interface Field {
  path: SpecPath;
  valid: string;
  put: (yaml: string) => string;
  allowed?: string[];
}

const at =
  (from: string, to: (yaml: string) => string) =>
  (yaml: string): string =>
    edit(EXAMPLE_LOAD_BALANCED_SPEC, from, to(yaml));
const LB = ['spec', 'loadBalancer'];
const CHECK = [...LB, 'healthCheck'];
const GATEWAY = ['spec', 'gateway'];
const AGENTS = ['spec', 'agents'];

// prettier-ignore
const FIELDS: Field[] = [
  { path: [...LB, 'hostname'], valid: 'lb-1', put: at('hostname: lb-1', (v) => `hostname: ${v}`) },
  { path: [...LB, 'address'], valid: '172.25.252.10', put: at('address: 172.25.252.10', (v) => `address: ${v}`) },
  { path: [...LB, 'frontends', 0, 'name'], valid: 'agents-443', put: at('      - port: 443', (v) => `      - port: 443\n        name: ${v}`) },
  { path: [...LB, 'frontends', 0, 'bind'], valid: '172.25.252.10', put: at('      - port: 443', (v) => `      - port: 443\n        bind: ${v}`) },
  { path: [...LB, 'backend', 'name'], valid: 'gateways', put: at('      balance: roundrobin', (v) => `      name: ${v}`) },
  { path: [...LB, 'backend', 'servers', 0], valid: 'mgw-1', put: at('      balance: roundrobin', (v) => `      servers: [${v}]`) },
  { path: [...CHECK, 'path'], valid: '/healthcheck', put: at('path: /healthcheck', (v) => `path: ${v}`) },
  { path: [...CHECK, 'caFile'], valid: '/etc/haproxy/gateway-ca.pem', put: at('caFile: /etc/haproxy/gateway-ca.pem', (v) => `caFile: ${v}`) },
  { path: [...LB, 'statsSocket'], valid: '/run/haproxy/admin.sock', put: at('    frontends:', (v) => `    statsSocket: ${v}\n    frontends:`) },
  { path: [...LB, 'configPath'], valid: '/etc/haproxy/haproxy.cfg', put: at('    frontends:', (v) => `    configPath: ${v}\n    frontends:`) },
  { path: [...LB, 'ssh', 'user'], valid: 'admin', put: at('    frontends:', (v) => `    ssh: { user: ${v} }\n    frontends:`) },
  { path: [...GATEWAY, 'group'], valid: 'GatewayCluster', put: at('group: GatewayCluster', (v) => `group: ${v}`) },
  { path: [...GATEWAY, 'user'], valid: 'gatewayuser', put: at('user: gatewayuser', (v) => `user: ${v}`) },
  { path: [...GATEWAY, 'installKeySecret'], valid: 'mgw-install-key', put: at('installKeySecret: mgw-install-key', (v) => `installKeySecret: ${v}`) },
  { path: [...GATEWAY, 'passwordSecret'], valid: 'mgw-gateway-password', put: at('passwordSecret: mgw-gateway-password', (v) => `passwordSecret: ${v}`) },
  { path: [...GATEWAY, 'package'], valid: 'packages/mgmt_gateway.rpm', put: at('package: packages/oracle.mgmt_gateway.230207.1529.1675888242.Linux-x86_64.rpm', (v) => `package: ${v}`),
    allowed: ['space', 'non-breaking space', 'Cyrillic look-alike', 'fullwidth semicolon', 'fullwidth dollar'] },
  { path: [...AGENTS, 'gatewayHost'], valid: 'lbhost.example.com', put: at('    gatewayPort: 9091', (v) => `    gatewayPort: 9091\n    gatewayHost: ${v}`) },
  { path: [...AGENTS, 'installKeySecret'], valid: 'agent-install-key', put: at('    gatewayPort: 9091', (v) => `    gatewayPort: 9091\n    installKeySecret: ${v}`) },
  { path: [...AGENTS, 'hosts', 0, 'hostname'], valid: 'app-1', put: at('hostname: app-1', (v) => `hostname: ${v}`) },
  { path: [...AGENTS, 'hosts', 0, 'address'], valid: '172.25.252.31', put: at('address: 172.25.252.31', (v) => `address: ${v}`) },
];

describe('spec: hostile values in the load-balanced fields', () => {
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
        if (field.allowed?.includes(name)) continue;
        for (const written of [value, `${field.valid}${value}`, `${value}${field.valid}`]) {
          const findings = check(field.put(JSON.stringify(written)), { offline: true });
          const onField = findings.filter(
            (f) => f.severity === 'error' && JSON.stringify(f.path) === JSON.stringify(field.path),
          );
          assert.ok(onField.length > 0, `${name}: ${JSON.stringify(written.slice(0, 80))}`);
        }
      }
    });
  }
});
