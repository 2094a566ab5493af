// The cluster.yaml that matches a lab (info().specYaml, /run/NAME/cluster.yaml).
import type { LabInfo } from './api';

export const CHARTS_VERSION = '0.9.6';

export function specYaml(info: Omit<LabInfo, 'specYaml' | 'specPath'>): string {
  const ha = info.nodes.length >= 3;
  const lines = [
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    `  name: ${ha ? 'lab-gateways' : 'lab-gateway'}`,
    '  description: The lab cluster (network namespaces on this machine)',
    'spec:',
    `  topology: ${ha ? 'ha' : 'single-node'}`,
    '  ssh:',
    `    user: ${info.user}`,
    '    port: 22',
    `    identityFile: ${info.clientKeyPath}`,
    '  nodes:',
  ];
  for (const node of info.nodes) {
    lines.push(
      `    - hostname: ${node.specHostname}`,
      `      address: ${node.address}`,
      `      host: lab-host-${node.index}`,
    );
  }
  lines.push(
    '  network:',
    `    subnet: ${info.subnet}`,
    `    floatingIp: ${info.floatingIp}`,
    `    metallbRange: ${info.floatingIp}/32`,
    `    gateway: ${info.hostAddress}`,
  );
  if (ha)
    lines.push(
      '  storage:',
      '    nfs:',
      `      server: ${info.hostAddress}`,
      '      path: /srv/gateway-cluster',
    );
  lines.push(
    '  charts:',
    '    repository: oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
    `    version: ${CHARTS_VERSION}`,
    '  gatewayManager:',
    '    passwordSecret: lab-manager-password',
    '  registration:',
    '    managementProfile: Lab gateways',
    '    activationTokenSecret: lab-activation-token',
    '',
  );
  return lines.join('\n');
}
