// Builds the typed ClusterModel from a document's data, applying the contract's defaults. Values of the
// wrong type are left out (the findings say why), so a half-written spec still gives a usable model.
import { buildAgents, buildGateway, buildLoadBalancer } from './model-load-balanced';
import type {
  ClusterModel,
  IpPoolModel,
  NodeModel,
  NodeResources,
  ProxyModel,
  SshSettings,
  Topology,
} from './types';

export const DEFAULTS = {
  sshPort: 22,
  podCidr: '10.1.0.0/16',
  serviceCidr: '10.152.183.0/24',
  chartRepository: 'oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
  gatewayManagerPort: 5480,
} as const;

const TOPOLOGIES: readonly Topology[] = ['ha', 'single-node', 'load-balanced'];

type Data = Record<string, unknown>;

function object(value: unknown): Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function port(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535
    ? value
    : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A copy without the undefined fields (copied, not `delete`d: deleting turns objects into slow dictionaries). */
function withoutUndefined<T extends object>(value: T): T {
  const out = {} as T;
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function sshOf(block: Data, base?: SshSettings): SshSettings {
  return withoutUndefined({
    user: text(block.user) ?? base?.user,
    port: port(block.port) ?? base?.port ?? DEFAULTS.sshPort,
    identityFile: text(block.identityFile) ?? base?.identityFile,
    passwordSecret: text(block.passwordSecret) ?? base?.passwordSecret,
  });
}

export function buildModel(data: unknown): ClusterModel {
  const root = object(data);
  const metadata = object(root.metadata);
  const spec = object(root.spec);
  const ssh = sshOf(object(spec.ssh));
  const nodes: NodeModel[] = (Array.isArray(spec.nodes) ? spec.nodes : []).map((item, index) => {
    const node = object(item);
    const resources = object(node.resources);
    const declared: NodeResources = withoutUndefined({
      cpus: positive(resources.cpus),
      memoryGiB: positive(resources.memoryGiB),
      diskGiB: positive(resources.diskGiB),
    });
    return withoutUndefined<NodeModel>({
      index,
      hostname: text(node.hostname) ?? '',
      address: text(node.address) ?? '',
      host: text(node.host),
      role: node.role === 'worker' || node.role === 'control-plane' ? node.role : undefined,
      ssh: sshOf(object(node.ssh), ssh),
      resources: Object.keys(declared).length > 0 ? declared : undefined,
    });
  });
  const network = object(spec.network);
  const floatingIp = text(network.floatingIp) ?? '';
  const proxyBlock = network.proxy === undefined ? undefined : object(network.proxy);
  const proxy: ProxyModel | undefined =
    proxyBlock &&
    withoutUndefined({
      http: text(proxyBlock.http),
      https: text(proxyBlock.https),
      noProxy: strings(proxyBlock.noProxy),
      credentialsSecret: text(proxyBlock.credentialsSecret),
    });
  const poolBlock = network.ipPool === undefined ? undefined : object(network.ipPool);
  const ipPool: IpPoolModel | undefined =
    poolBlock &&
    withoutUndefined({
      name: text(poolBlock.name),
      start: text(poolBlock.start),
      end: text(poolBlock.end),
      subnet: text(poolBlock.subnet),
      prefix:
        typeof poolBlock.prefix === 'number' && Number.isInteger(poolBlock.prefix)
          ? poolBlock.prefix
          : undefined,
      gateway: text(poolBlock.gateway),
      nameservers: strings(poolBlock.nameservers),
      restrictToCluster: poolBlock.restrictToCluster === true,
    });
  const storage = object(spec.storage);
  const nfs = storage.nfs === undefined ? undefined : object(storage.nfs);
  const charts = object(spec.charts);
  const manager = object(spec.gatewayManager);
  const registration = spec.registration === undefined ? undefined : object(spec.registration);
  const topology = TOPOLOGIES.includes(spec.topology as Topology) ? (spec.topology as Topology) : undefined;
  const helpers = { object, text, port, withoutUndefined, sshOf };
  const loadBalancer = buildLoadBalancer(helpers, spec.loadBalancer, ssh, nodes);
  const gateway = buildGateway(helpers, spec.gateway);
  return withoutUndefined<ClusterModel>({
    apiVersion: text(root.apiVersion) ?? '',
    name: text(metadata.name) ?? '',
    description: text(metadata.description),
    topology,
    ssh,
    nodes,
    network: withoutUndefined({
      subnet: text(network.subnet) ?? '',
      floatingIp,
      metallbRange: text(network.metallbRange) ?? (floatingIp ? `${floatingIp}/32` : ''),
      dhcpRange: text(network.dhcpRange),
      gateway: text(network.gateway),
      nameservers: strings(network.nameservers),
      ntpServers: strings(network.ntpServers),
      proxy,
      podCidr: text(network.podCidr) ?? DEFAULTS.podCidr,
      serviceCidr: text(network.serviceCidr) ?? DEFAULTS.serviceCidr,
      ipPool,
    }),
    storage: nfs ? { nfs: { server: text(nfs.server) ?? '', path: text(nfs.path) ?? '' } } : {},
    charts: {
      repository: text(charts.repository) ?? DEFAULTS.chartRepository,
      version: text(charts.version) ?? '',
    },
    gatewayManager: {
      passwordSecret: text(manager.passwordSecret) ?? '',
      port: port(manager.port) ?? DEFAULTS.gatewayManagerPort,
    },
    registration:
      registration &&
      withoutUndefined({
        managementProfile: text(registration.managementProfile),
        activationTokenSecret: text(registration.activationTokenSecret),
      }),
    loadBalancer,
    gateway,
    agents: buildAgents(helpers, spec.agents, ssh, loadBalancer, gateway),
  });
}
