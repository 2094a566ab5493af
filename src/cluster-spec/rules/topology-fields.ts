// GC200-GC201: fields that belong to another topology, and a load-balanced cluster with one gateway.
import type { RuleContext } from '../context';

/** What only the load-balanced topology reads. */
const LOAD_BALANCED_ONLY = ['loadBalancer', 'gateway', 'agents'];
/** What only the MicroK8s topologies read (spec keys, then network keys). */
const MICROK8S_ONLY = ['storage', 'charts', 'gatewayManager', 'registration'];
const MICROK8S_NETWORK = ['floatingIp', 'metallbRange', 'podCidr', 'serviceCidr', 'proxy'];

export function checkTopologyFields(ctx: RuleContext): void {
  const topology = ctx.string(['spec', 'topology']);
  if (topology === undefined) return;
  const unused = (path: string[]): void =>
    ctx.report(
      'GC200',
      path,
      'key',
      `"${path.slice(1).join('.')}" is not used by topology "${topology}"${
        topology === 'load-balanced'
          ? ' (it configures MicroK8s and its charts)'
          : ' (it belongs to topology "load-balanced")'
      }; remove it or change the topology.`,
    );
  if (topology === 'load-balanced') {
    for (const key of MICROK8S_ONLY) if (ctx.has(['spec', key])) unused(['spec', key]);
    for (const key of MICROK8S_NETWORK)
      if (ctx.has(['spec', 'network', key])) unused(['spec', 'network', key]);
    const nodes = ctx.list(['spec', 'nodes']);
    if (nodes?.length === 1) {
      ctx.report(
        'GC201',
        ['spec', 'topology'],
        'value',
        'Topology "load-balanced" with one gateway has no failover: when it stops, the load balancer has nothing to send the agents to; add gateways to spec.nodes.',
      );
    }
  } else if (topology === 'ha' || topology === 'single-node') {
    for (const key of LOAD_BALANCED_ONLY) if (ctx.has(['spec', key])) unused(['spec', key]);
  }
}

/** Whether the spec is a MicroK8s cluster, whose rules leave the load-balanced fields alone (GC200 says why). */
export function isMicroK8sTopology(ctx: RuleContext): boolean {
  const topology = ctx.string(['spec', 'topology']);
  return topology === 'ha' || topology === 'single-node';
}
