// Example specs written by "Create cluster.yaml" and "New Cluster Spec…". Kept free of imports so the
// command that writes them loads nothing heavy at activation. (Created by the lead; the spec core re-exports.)

export const EXAMPLE_HA_SPEC = `# A gateway cluster: three VMs running MicroK8s that act as one highly available machine.
# Reference: docs/cluster-spec.md. Secrets are never written here: the *Secret keys name entries in
# the editor's secret storage, which the wizards ask for once.
apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: dc1-gateways
  description: Gateways for data centre 1
spec:
  topology: ha                       # ha (3 or more nodes) | single-node
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
    nfs:                             # required for ha: shared storage for the gateway pods
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

export const EXAMPLE_SINGLE_NODE_SPEC = `# A single-node gateway cluster: one VM running MicroK8s (no high availability).
# Reference: docs/cluster-spec.md.
apiVersion: gateway-cluster/v1
kind: GatewayCluster
metadata:
  name: lab-gateway
spec:
  topology: single-node
  ssh:
    user: gateway
  nodes:
    - hostname: gw-1
      address: 172.25.252.11
  network:
    subnet: 172.25.252.0/24
    floatingIp: 172.25.252.5
  charts:
    version: 0.9.6
  gatewayManager:
    passwordSecret: lab-manager-password
`;
