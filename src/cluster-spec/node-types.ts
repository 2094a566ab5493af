// A node of a spec as the operations see it: its address, its role and how to reach it over SSH. Apart from
// types.ts so that the load-balanced model (a load balancer is reached like a node) needs no import back.
export interface SshSettings {
  /** Undefined means "the local user's name", as ssh does. */
  user?: string;
  port: number;
  /** As written (not `~`-expanded); undefined means ssh-agent, then the default keys. */
  identityFile?: string;
  passwordSecret?: string;
}

export interface NodeResources {
  cpus?: number;
  memoryGiB?: number;
  diskGiB?: number;
}

export type NodeRole = 'control-plane' | 'worker';

export interface NodeModel {
  /**
   * 0-based position in spec.nodes; nodes[0] is "node 1", which bootstraps the cluster. -1 for a host that is
   * no spec node (a load balancer, an agent).
   */
  index: number;
  hostname: string;
  address: string;
  host?: string;
  /** `worker` joins with `microk8s join --worker` and runs no datastore; absent means control-plane. */
  role?: NodeRole;
  /** spec.ssh merged field by field with the node's own ssh block. */
  ssh: SshSettings;
  resources?: NodeResources;
}
