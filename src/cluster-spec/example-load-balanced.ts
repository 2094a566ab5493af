// The contract's load-balanced example (seed 003): docs/load-balancer.md shows the same text (a unit test keeps
// them equal); the tests of the load-balanced rules start from it.

export const EXAMPLE_LOAD_BALANCED_SPEC = `apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: mgw-cluster
  description: Management gateways behind an HAProxy load balancer
spec:
  topology: load-balanced            # standalone gateways behind HAProxy, no MicroK8s
  ssh:
    user: gateway
    identityFile: ~/.ssh/gateway_ed25519
  nodes:                             # the management gateways, the load balancer's servers
    - hostname: mgw-1
      address: 172.25.252.11
      host: esxi-a
    - hostname: mgw-2
      address: 172.25.252.12
      host: esxi-b
    - hostname: mgw-3
      address: 172.25.252.13
      host: esxi-c
  network:
    subnet: 172.25.252.0/24
  loadBalancer:
    hostname: lb-1
    address: 172.25.252.10           # where the agents send their traffic
    frontends:                       # TCP mode, SSL pass-through
      - port: 443
      - port: 9091
    backend:
      balance: roundrobin
    healthCheck:                     # option httpchk GET /healthcheck over TLS (check-ssl)
      path: /healthcheck
      verify: required
      caFile: /etc/haproxy/gateway-ca.pem   # on the load balancer host
      interMs: 2000
      fall: 3
      rise: 2
  gateway:
    package: packages/oracle.mgmt_gateway.230207.1529.1675888242.Linux-x86_64.rpm
    installKeySecret: mgw-install-key        # keys in the editor's secret storage
    group: GatewayCluster                    # FreeFormTags GatewayGroup
    user: gatewayuser
    passwordSecret: mgw-gateway-password
    port: 4480
  agents:
    gatewayPort: 9091
    hosts:
      - hostname: app-1
        address: 172.25.252.31
`;
