// The model of topology `load-balanced` (seed 003): standalone management gateways installed from a package,
// behind an HAProxy load balancer in TCP mode with SSL pass-through, and the agents that point at it.
import type { NodeModel } from './node-types';

export type Balance = 'roundrobin' | 'leastconn' | 'source';

export interface FrontendModel {
  /** HAProxy's name of the frontend; defaults to `fe-PORT`. */
  name: string;
  port: number;
  /** The IPv4 address to listen on; undefined means every address (`*`). */
  bind?: string;
}

export interface BackendModel {
  /** HAProxy's name of the backend; defaults to `gateways`. */
  name: string;
  balance: Balance;
  /**
   * `ssl` on every server line: HAProxy would wrap the clients' TLS in a second TLS session. Always reported
   * (GC205) in this pass-through topology; the generator never writes it.
   */
  ssl: boolean;
  /** Hostnames of the gateways that serve (default: every spec node, in order). */
  servers: string[];
}

export interface HealthCheckModel {
  /** `https`: `option httpchk GET PATH` over TLS (`check-ssl`); `tcp`: a plain connect check. */
  type: 'https' | 'tcp';
  path: string;
  /** `required`: the gateways' certificates are checked against `caFile` and their hostnames. */
  verify: 'required' | 'none';
  /** A path on the load balancer host. */
  caFile?: string;
  interMs: number;
  fall: number;
  rise: number;
}

/** The load balancer host, reached over SSH like a node (`index` is -1: it is not one of spec.nodes). */
export interface LoadBalancerModel extends NodeModel {
  frontends: FrontendModel[];
  backend: BackendModel;
  healthCheck: HealthCheckModel;
  /** The runtime API's socket on the load balancer host (a `stats socket … level admin`). */
  statsSocket: string;
  /** haproxy.cfg on the load balancer host. */
  configPath: string;
}

/** How each gateway is installed and configured (the response file of `setupGateway.sh`). */
export interface GatewayInstallModel {
  /** The gateway package on this machine (`~` and a path relative to the spec file are resolved on use). */
  package: string;
  installKeySecret: string;
  /** The `GatewayGroup` free-form tag that makes the gateways one cluster. */
  group: string;
  user: string;
  passwordSecret: string;
  /** The port every gateway serves (TLS) and the load balancer's servers point at. */
  port: number;
}

/** Management agents to point at the load balancer (`configure-agents`). */
export interface AgentsModel {
  /** The agent package, installed where the agent is missing; undefined: the agents are installed already. */
  package?: string;
  /** Defaults to the gateways' install key. */
  installKeySecret: string;
  /** GatewayServerHost: defaults to the load balancer's address. */
  gatewayHost: string;
  /** GatewayServerPort: one of the frontends' ports (default the first). */
  gatewayPort: number;
  /** The agents' hosts (`index` is -1: they are not spec nodes). */
  hosts: NodeModel[];
}

export const LOAD_BALANCED_DEFAULTS = {
  backendName: 'gateways',
  balance: 'roundrobin',
  healthCheckPath: '/healthcheck',
  interMs: 2000,
  fall: 3,
  rise: 2,
  statsSocket: '/run/haproxy/admin.sock',
  configPath: '/etc/haproxy/haproxy.cfg',
  gatewayPort: 4480,
} as const;

/** The default name of a frontend: `fe-PORT`. */
export function frontendName(port: number): string {
  return `fe-${port}`;
}
