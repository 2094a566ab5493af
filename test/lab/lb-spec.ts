// The cluster.yaml of a load-balanced lab (info().specYaml): its gateways, load balancer and agents, the
// stand-in packages, and health checks fast enough for tests (the lab's `checkInterMs`).
import type { LabInfo } from './api';

export const LB_SECRET_NAMES = { installKey: 'lab-install-key', gatewayPassword: 'lab-gateway-password' };
export const LAB_GATEWAY_GROUP = 'LabGatewayCluster';
export const LAB_GATEWAY_USER = 'gatewayuser';
export const LAB_GATEWAY_PORT = 4480;
export const LAB_FRONTENDS = [443, 9091];
export const LAB_CA_FILE = '/etc/haproxy/gateway-ca.pem';

export function loadBalancedSpecYaml(
  info: Omit<LabInfo, 'specYaml' | 'specPath'>,
  check: { interMs: number; fall: number; rise: number },
): string {
  const lb = info.loadBalancer;
  if (!lb || !info.packages) throw new Error('not a load-balanced lab');
  const lines = [
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    '  name: lab-mgw',
    '  description: Management gateways behind HAProxy (the lab, network namespaces on this machine)',
    'spec:',
    '  topology: load-balanced',
    '  ssh:',
    `    user: ${info.user}`,
    `    identityFile: ${info.clientKeyPath}`,
    '  nodes:',
    ...info.nodes.flatMap((node) => [
      `    - hostname: ${node.specHostname}`,
      `      address: ${node.address}`,
      `      host: lab-host-${node.index}`,
    ]),
    '  network:',
    `    subnet: ${info.subnet}`,
    '  loadBalancer:',
    `    hostname: ${lb.specHostname}`,
    `    address: ${lb.address}`,
    '    frontends:',
    ...LAB_FRONTENDS.map((port) => `      - port: ${port}`),
    '    healthCheck:',
    `      caFile: ${LAB_CA_FILE}`,
    `      interMs: ${check.interMs}`,
    `      fall: ${check.fall}`,
    `      rise: ${check.rise}`,
    '  gateway:',
    `    package: ${info.packages.gateway}`,
    `    installKeySecret: ${LB_SECRET_NAMES.installKey}`,
    `    group: ${LAB_GATEWAY_GROUP}`,
    `    user: ${LAB_GATEWAY_USER}`,
    `    passwordSecret: ${LB_SECRET_NAMES.gatewayPassword}`,
    `    port: ${LAB_GATEWAY_PORT}`,
  ];
  if (info.agents && info.agents.length > 0) {
    lines.push(
      '  agents:',
      `    package: ${info.packages.agent}`,
      `    gatewayPort: ${LAB_FRONTENDS[1]}`,
      '    hosts:',
      ...info.agents.flatMap((agent) => [
        `      - hostname: ${agent.specHostname}`,
        `        address: ${agent.address}`,
      ]),
    );
  }
  return lines.join('\n') + '\n';
}
