// The load-balanced part of the model (spec.loadBalancer, spec.gateway, spec.agents) with the contract's
// defaults. As in model.ts, values of the wrong type are left out: the findings say why.
import {
  LOAD_BALANCED_DEFAULTS as D,
  frontendName,
  type AgentsModel,
  type Balance,
  type FrontendModel,
  type GatewayInstallModel,
  type LoadBalancerModel,
} from './load-balanced-types';
import type { NodeModel, SshSettings } from './types';

type Data = Record<string, unknown>;

export interface ModelHelpers {
  object(value: unknown): Data;
  text(value: unknown): string | undefined;
  port(value: unknown): number | undefined;
  withoutUndefined<T extends object>(value: T): T;
  sshOf(block: Data, base?: SshSettings): SshSettings;
}

function integer(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;
}

/** A host that is no spec node (the load balancer, an agent), as the SSH layer reaches one. */
function hostOf(h: ModelHelpers, block: Data, ssh: SshSettings): NodeModel {
  return {
    index: -1,
    hostname: h.text(block.hostname) ?? '',
    address: h.text(block.address) ?? '',
    ssh: h.sshOf(h.object(block.ssh), ssh),
  };
}

export function buildLoadBalancer(
  h: ModelHelpers,
  value: unknown,
  ssh: SshSettings,
  nodes: readonly NodeModel[],
): LoadBalancerModel | undefined {
  if (value === undefined) return undefined;
  const lb = h.object(value);
  const frontends: FrontendModel[] = [];
  for (const item of Array.isArray(lb.frontends) ? lb.frontends : []) {
    const block = h.object(item);
    const port = h.port(block.port);
    if (port === undefined) continue;
    frontends.push(
      h.withoutUndefined({ name: h.text(block.name) ?? frontendName(port), port, bind: h.text(block.bind) }),
    );
  }
  const backend = h.object(lb.backend);
  const check = h.object(lb.healthCheck);
  const balance = ['roundrobin', 'leastconn', 'source'].includes(backend.balance as string)
    ? (backend.balance as Balance)
    : D.balance;
  const servers = Array.isArray(backend.servers)
    ? backend.servers.filter((s): s is string => typeof s === 'string')
    : nodes.map((node) => node.hostname);
  return {
    ...hostOf(h, lb, ssh),
    frontends,
    backend: {
      name: h.text(backend.name) ?? D.backendName,
      balance,
      ssl: backend.ssl === true,
      servers,
    },
    healthCheck: h.withoutUndefined({
      type: check.type === 'tcp' ? ('tcp' as const) : ('https' as const),
      path: h.text(check.path) ?? D.healthCheckPath,
      verify: check.verify === 'none' ? ('none' as const) : ('required' as const),
      caFile: h.text(check.caFile),
      interMs: integer(check.interMs, 100, 3_600_000) ?? D.interMs,
      fall: integer(check.fall, 1, 100) ?? D.fall,
      rise: integer(check.rise, 1, 100) ?? D.rise,
    }),
    statsSocket: h.text(lb.statsSocket) ?? D.statsSocket,
    configPath: h.text(lb.configPath) ?? D.configPath,
  };
}

export function buildGateway(h: ModelHelpers, value: unknown): GatewayInstallModel | undefined {
  if (value === undefined) return undefined;
  const gateway = h.object(value);
  return {
    package: h.text(gateway.package) ?? '',
    installKeySecret: h.text(gateway.installKeySecret) ?? '',
    group: h.text(gateway.group) ?? '',
    user: h.text(gateway.user) ?? '',
    passwordSecret: h.text(gateway.passwordSecret) ?? '',
    port: h.port(gateway.port) ?? D.gatewayPort,
  };
}

export function buildAgents(
  h: ModelHelpers,
  value: unknown,
  ssh: SshSettings,
  loadBalancer: LoadBalancerModel | undefined,
  gateway: GatewayInstallModel | undefined,
): AgentsModel | undefined {
  if (value === undefined) return undefined;
  const agents = h.object(value);
  const hosts = (Array.isArray(agents.hosts) ? agents.hosts : []).map((item) =>
    hostOf(h, h.object(item), ssh),
  );
  return h.withoutUndefined({
    package: h.text(agents.package),
    installKeySecret: h.text(agents.installKeySecret) ?? gateway?.installKeySecret ?? '',
    gatewayHost: h.text(agents.gatewayHost) ?? loadBalancer?.address ?? '',
    gatewayPort: h.port(agents.gatewayPort) ?? loadBalancer?.frontends[0]?.port ?? 0,
    hosts,
  });
}
