// A valid `ha` spec of N nodes, for the large-document test and the language benchmark (bench/language).

export function bigSpec(nodes: number): string {
  const lines = [
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    `  name: big-${nodes}`,
    'spec:',
    '  topology: ha',
    '  nodes:',
  ];
  for (let i = 0; i < nodes; i++) {
    const n = i + 11;
    lines.push(
      `    - hostname: gw-${i + 1}`,
      `      address: 10.20.${Math.floor(n / 256)}.${n % 256}`,
      `      host: esxi-${i}`,
    );
  }
  lines.push(
    '  network:',
    '    subnet: 10.20.0.0/16',
    '    floatingIp: 10.20.0.5',
    '  storage:',
    '    nfs: { server: nfs.example.com, path: /shared/big }',
    '  charts:',
    '    version: 0.9.6',
    '  gatewayManager:',
    '    passwordSecret: big-manager-password',
    '',
  );
  return lines.join('\n');
}
