// Generated `ha` specs of N nodes for the validation benchmarks (valid: no errors, offline).

export function generateSpec(nodes: number): string {
  const lines = [
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    `  name: bench-${nodes}`,
    'spec:',
    '  topology: ha',
    '  ssh:',
    '    user: gateway',
    '    port: 22',
    '  nodes:',
  ];
  for (let i = 0; i < nodes; i++) {
    const address = 10 * 256 * 256 + 16 + i;
    lines.push(
      `    - hostname: gw-${i + 1}`,
      `      address: 10.20.${(address >> 8) & 255}.${address & 255}`,
      `      host: esxi-${i + 1}`,
      '      resources: { cpus: 4, memoryGiB: 8, diskGiB: 40 }',
    );
  }
  lines.push(
    '  network:',
    '    subnet: 10.20.0.0/16',
    '    floatingIp: 10.20.0.5',
    '    gateway: 10.20.0.1',
    '    nameservers: [10.20.0.2]',
    '    proxy:',
    '      http: http://proxy.example.com:3128',
    '      https: http://proxy.example.com:3128',
    '  storage:',
    '    nfs:',
    '      server: 10.30.0.3',
    '      path: /shared/bench',
    '  charts:',
    '    version: 0.9.6',
    '  gatewayManager:',
    '    passwordSecret: bench-manager-password',
  );
  return `${lines.join('\n')}\n`;
}

/** A valid spec plus `keys` unknown keys under `spec` (the hostile case of the quadratic-validator issue). */
export function unknownKeysSpec(keys: number): string {
  const lines = Array.from({ length: keys }, (_, i) => `  unknownKey${i}: ${i}`);
  return generateSpec(3).replace('spec:\n', `spec:\n${lines.join('\n')}\n`);
}
