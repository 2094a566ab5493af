// Specs whose generated haproxy.cfg is snapshot-tested (test/unit/ops/haproxy-config.test.ts) and checked by
// the real `haproxy -c` (test/integration/lb/haproxy-check.test.ts): the example and variants of each field the
// generator reads. Every one validates without errors.
import { EXAMPLE_LOAD_BALANCED_SPEC } from '../../src/cluster-spec';

function variant(changes: Array<[string, string]>): string {
  let text = EXAMPLE_LOAD_BALANCED_SPEC;
  for (const [from, to] of changes) {
    if (!text.includes(from)) throw new Error(`the example has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

const NODES_2_3 =
  '    - hostname: mgw-2\n      address: 172.25.252.12\n      host: esxi-b\n    - hostname: mgw-3\n      address: 172.25.252.13\n      host: esxi-c\n';

const manyNodes = Array.from(
  { length: 12 },
  (_, i) => `    - hostname: gw-${String(i + 1).padStart(2, '0')}\n      address: 172.25.252.${101 + i}\n`,
).join('');

export const HAPROXY_CORPUS: Array<{ name: string; spec: string }> = [
  { name: 'example', spec: EXAMPLE_LOAD_BALANCED_SPEC },
  {
    name: 'one-gateway-tcp-check',
    spec: variant([
      [NODES_2_3, ''],
      [
        '    healthCheck:                     # option httpchk GET /healthcheck over TLS (check-ssl)\n      path: /healthcheck\n      verify: required\n      caFile: /etc/haproxy/gateway-ca.pem   # on the load balancer host\n',
        '    healthCheck:\n      type: tcp\n',
      ],
    ]),
  },
  { name: 'verify-none', spec: variant([['      verify: required', '      verify: none']]) },
  {
    name: 'names-binds-leastconn',
    spec: variant([
      [
        '      - port: 443\n      - port: 9091\n',
        '      - { name: "agents:tls", port: 443, bind: 172.25.252.10 }\n      - { name: agents.9091, port: 9091 }\n      - { port: 443, bind: 172.25.252.9 }\n',
      ],
      [
        '      balance: roundrobin',
        '      name: mgmt-gateways\n      balance: leastconn\n      servers: [mgw-3, mgw-1]',
      ],
      [
        '      interMs: 2000\n      fall: 3\n      rise: 2\n',
        '      interMs: 100\n      fall: 1\n      rise: 1\n',
      ],
      ['      path: /healthcheck\n', '      path: /health/check?full=1\n'],
      ['    frontends:', '    statsSocket: /run/haproxy/gateways.sock\n    frontends:'],
      ['    port: 4480', '    port: 8443'],
    ]),
  },
  {
    name: 'twelve-gateways-source',
    spec: variant([
      ['    - hostname: mgw-1\n      address: 172.25.252.11\n      host: esxi-a\n' + NODES_2_3, manyNodes],
      ['      balance: roundrobin', '      balance: source'],
    ]),
  },
];
