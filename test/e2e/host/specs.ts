// Specs the extension-host suites open: a three-node `ha` cluster on a /24 of the caller's choice.

export function threeNodeSpec(name: string, prefix: string, passwordSecret: string): string {
  return `apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: ${name}
spec:
  topology: ha
  nodes:
    - { hostname: gw-1, address: ${prefix}.11 }
    - { hostname: gw-2, address: ${prefix}.12 }
    - { hostname: gw-3, address: ${prefix}.13 }
  network:
    subnet: ${prefix}.0/24
    floatingIp: ${prefix}.5
  storage:
    nfs: { server: ${prefix}.1, path: /srv/nfs }
  charts:
    version: 0.9.6
  gatewayManager:
    passwordSecret: ${passwordSecret}
`;
}
