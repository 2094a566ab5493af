// The contract's examples, offered as templates and used by the tests. EXAMPLE_HA_SPEC is the contract's
// three-node example, verbatim (docs/cluster-spec.md shows the same text; a unit test keeps them equal).

export const EXAMPLE_HA_SPEC = `apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: dc1-gateways
  description: Gateways for data centre 1
spec:
  topology: ha                       # ha | single-node
  ssh:                               # defaults for every node
    user: gateway
    port: 22
    identityFile: ~/.ssh/gateway_ed25519
  nodes:                             # nodes[0] is "node 1": it bootstraps the cluster
    - hostname: gw-1
      address: 172.25.252.11
      host: esxi-a                   # the physical server the VM runs on
      resources: { cpus: 4, memoryGiB: 8, diskGiB: 40 }
    - hostname: gw-2
      address: 172.25.252.12
      host: esxi-b
    - hostname: gw-3
      address: 172.25.252.13
      host: esxi-c
      ssh: { user: admin }           # per-node override, merged over spec.ssh
  network:
    subnet: 172.25.252.0/24
    floatingIp: 172.25.252.5         # the Gateway Manager's address, served by metallb
    metallbRange: 172.25.252.5/32    # default: floatingIp/32
    dhcpRange: 172.25.252.100-172.25.252.200
    gateway: 172.25.252.1
    nameservers: [172.25.252.2]
    ntpServers: [ntp.example.com]
    proxy:
      http: http://proxy.example.com:3128
      https: http://proxy.example.com:3128
      noProxy: [172.25.252.0/24, .example.com]
  storage:
    nfs:
      server: 172.26.111.203
      path: /shared/gateway-cluster-1
  charts:
    repository: oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts
    version: 0.9.6
  gatewayManager:
    passwordSecret: dc1-manager-password     # a key in the editor's secret storage
  registration:
    managementProfile: DC1 gateways
    activationTokenSecret: dc1-activation-token
`;

export const EXAMPLE_SINGLE_NODE_SPEC = `apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: lab-gateway
  description: One gateway for a lab or a small site
spec:
  topology: single-node              # no high availability
  ssh:
    user: gateway
    identityFile: ~/.ssh/gateway_ed25519
  nodes:
    - hostname: gw-1
      address: 192.168.50.11
      resources: { cpus: 4, memoryGiB: 8, diskGiB: 40 }
  network:
    subnet: 192.168.50.0/24
    floatingIp: 192.168.50.5          # the Gateway Manager's address, served by metallb
    gateway: 192.168.50.1
    nameservers: [192.168.50.1]
  charts:
    version: 0.9.6
  gatewayManager:
    passwordSecret: lab-manager-password
`;
