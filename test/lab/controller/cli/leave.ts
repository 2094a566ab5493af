// Leaving a cluster, with the rules, messages and exit statuses of canonical/microk8s
// scripts/wrappers/leave.py and remove_node.py: `leave` on the departing node (refused with exit 3 when it
// holds the only copy of the datastore others depend on; the Node object stays, NotReady once its heartbeats
// are overdue), then `remove-node NAME|IP [--force]` on a node that stays (refused while the node is still a
// datastore member, unless forced).
import { isIPv4 } from 'node:net';
import { membersWithRole, removeMember } from '../dqlite';
import { timing } from '../timing';
import type { Cluster } from '../types';
import { positional } from './args';
import type { CommandContext } from './context';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a member of the datastore answers (its MicroK8s runs and its link is up). */
function online(ctx: CommandContext, address: string): boolean {
  const node = ctx.model.nodes.find((n) => n.address === address);
  return Boolean(node?.running && node.linkUp);
}

export async function leave(ctx: CommandContext, cluster: Cluster): Promise<number> {
  const { io, node, model } = ctx;
  if (node.worker) {
    io.out('Configuring services.\n');
    io.out('Generating new cluster certificates.\n');
  } else {
    const voters = membersWithRole(cluster, 'voter');
    if (voters.length === 1 && voters[0] === node.address && cluster.dqlite.size > 1) {
      io.out(
        'This node currently holds the only copy of the Kubernetes database so it cannot leave the cluster.\n' +
          "To remove this node you can either first remove all other nodes with 'microk8s remove-node' or\n" +
          'form a highly available cluster by adding at least three nodes.\n',
      );
      return 3;
    }
    const others = [...cluster.dqlite.keys()].filter((address) => address !== node.address);
    // The API server and the datastore stop, then `sleep(10)` before the node asks the others to drop it.
    await sleep(timing.leaveSleepMs);
    if (others.length > 0) {
      const reachable = voters.filter((address) => address !== node.address && online(ctx, address));
      if (reachable.length <= voters.length / 2) {
        // Without a quorum the datastore cannot change its membership. (The error's repr is the lab's guess.)
        io.out(`Contacting node ${others[0]}:19001 failed. Error:\n`);
        io.out("RuntimeError('no leader available')\n");
        return 2;
      }
      removeMember(cluster, node.address);
    }
    io.out('Generating new cluster certificates.\n');
  }
  const k8sNode = [...cluster.k8sNodes.values()].find((n) => n.labIndex === node.index);
  const shared = [...cluster.k8sNodes.values()].some((n) => n !== k8sNode && n.labIndex !== null);
  // The departed node's kubelet now reports to its own new cluster: in this one its heartbeats stop.
  if (k8sNode && shared) model.detachK8sNode(cluster, k8sNode);
  if (!shared) model.dropCluster(cluster);
  model.newSingleNodeCluster(node);
  io.out('Waiting for node to start. ');
  await sleep(timing.leaveSleepMs);
  io.out(' \n');
  model.onChange();
  return 0;
}

export function removeNode(ctx: CommandContext, cluster: Cluster, args: string[]): number {
  const { io, node: here, model } = ctx;
  let name = positional(args, [])[0];
  const force = args.includes('--force');
  if (!name) {
    io.err('Error: Missing argument "NODE".\n');
    return 2;
  }
  if (isIPv4(name)) name = [...cluster.k8sNodes.values()].find((n) => n.address === name)?.name ?? name;
  const k8sNode = cluster.k8sNodes.get(name);
  const otherMembers = [...cluster.dqlite.keys()].filter((address) => address !== here.address);
  if (!k8sNode) {
    io.out(`Node ${name} does not exist in Kubernetes.\n`);
    if (force) {
      io.out(`Attempting to remove ${name} from dqlite.\n`);
      const member = otherMembers.find((address) => address === name);
      if (member) {
        io.out('Removing node entry found in dqlite.\n');
        removeMember(cluster, member);
      }
    }
    return 1;
  }
  const member = otherMembers.find((address) => address === k8sNode.address);
  if (member && !force) {
    io.out(
      `Removal failed. Node ${name} is registered with dqlite. Please, run first 'microk8s leave' on the departing node. \n` +
        "If the node is not available anymore and will never attempt to join the cluster in the future use the '--force' flag \n" +
        'to unregister the node while removing it.\n',
    );
    return 1;
  }
  if (member) removeMember(cluster, member);
  // A node removed by force that still runs is on its own from now on.
  const departed = k8sNode.labIndex === null ? undefined : model.node(k8sNode.labIndex);
  if (departed && departed.clusterId === cluster.id && departed.index !== here.index) {
    k8sNode.labIndex = null;
    model.newSingleNodeCluster(departed);
  }
  model.deleteK8sNode(cluster, k8sNode.name);
  return 0;
}
