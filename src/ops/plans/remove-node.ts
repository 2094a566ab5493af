// remove-node: drain the node (disruption budgets respected), `microk8s leave` on it, `microk8s remove-node`
// on a node that stays; its entry stays in cluster.yaml for the user to delete (the wizard offers the edit).
// `--force` only for a node that is gone for good (NotReady), after a second confirmation naming it.
// Refused when it would leave an ha cluster below 3 control-plane nodes or remove the last datastore node.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import type { OperationArgs } from '../catalog';
import { StepFailure } from '../errors';
import type { Plan, Step } from '../plan';
import { kubeconfigStep } from './kubeconfig';
import {
  drainStep,
  hasLeft,
  leaveStep,
  observeTarget,
  removalRefusal,
  removeNodeStep,
  targetNode,
  targetState,
} from './membership';
import { assertUsable } from './validate';

export interface RemoveNodeOptions {
  timeouts: { long: number; wait: number };
}

/** Set when the node is out of the cluster: the spec entry the user may now delete. */
export const REMOVED_NODE = 'remove.node';

function checkStep(model: ClusterModel, node: NodeModel, args: OperationArgs): Step {
  return {
    id: 'check',
    title: `Check that ${node.hostname} can be removed`,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: `removing ${node.hostname} leaves an ha cluster 3 control-plane nodes and the datastore a quorum`,
    async run(ctx) {
      const live = await observeTarget(ctx, node);
      const state = targetState(ctx);
      if (state.gone) return `${node.hostname} is not in the cluster (already removed)`;
      const refusal = removalRefusal(model, node, live);
      if (refusal) throw new StepFailure(refusal.message, refusal.hint, { node: node.hostname });
      const me = live.find((k) => k.name === node.hostname)!;
      if (args.force) {
        if (me.ready)
          throw new StepFailure(
            `${node.hostname} is Ready: --force is only for a node that is gone for good.`,
            `Remove it without --force: it is drained, leaves the cluster itself, then is removed.`,
            { node: node.hostname },
          );
        state.force = true;
        return `${node.hostname} is ${me.readyStatus === 'Unknown' ? 'unreachable' : 'NotReady'}: removed by force`;
      }
      if (!me.ready) {
        if (await hasLeft(ctx, node, live)) {
          state.left = true;
          return `${node.hostname} has left already; it is removed next`;
        }
        throw new StepFailure(
          `${node.hostname} is NotReady: draining it and running microk8s leave on it need it running.`,
          `Start it again (microk8s start, or power the VM on) and run this again; if it is gone for good, remove it with --force.`,
          { node: node.hostname },
        );
      }
      return `${node.hostname} may leave: ${live.length - 1} nodes stay`;
    },
    preview: () => [],
  };
}

function confirmStep(node: NodeModel, args: OperationArgs): Step {
  return {
    id: 'confirm',
    title: `Confirm removing ${node.hostname} by force`,
    // Asking changes nothing: a declined confirmation leaves the run one that changed nothing.
    readOnly: true,
    checkText: 'never: a forced removal is confirmed every time',
    async run(ctx) {
      if (args.confirm === node.hostname) return `confirmed ahead (--confirm ${node.hostname})`;
      const yes = await ctx.confirm({
        kind: 'forceRemove',
        node: node.hostname,
        title: `Remove ${node.hostname} (${node.address}) by force?`,
        detail:
          `${node.hostname} is dropped from the datastore and its Node object deleted, without microk8s leave on it. ` +
          `Only do this for a node that is gone for good: if it ever comes back, it must be reinstalled (or run ` +
          `microk8s leave) before it joins again. Its pods are deleted with the Node object.`,
        answer: node.hostname,
      });
      if (!yes)
        throw new StepFailure(
          `Removing ${node.hostname} by force was not confirmed.`,
          `Confirm by typing its name when asked (the CLI: --confirm ${node.hostname}), or remove it without --force.`,
          { node: node.hostname },
        );
      return 'confirmed';
    },
    preview: () => [],
  };
}

function specEntryStep(node: NodeModel): Step {
  return {
    id: 'spec',
    title: `Delete ${node.hostname} from cluster.yaml`,
    readOnly: true,
    checkText: 'never (it only says what is left to do)',
    async run(ctx) {
      ctx.shared.set(REMOVED_NODE, node.hostname);
      ctx.log(
        `${node.hostname} is out of the cluster; its entry spec.nodes[${node.index}] stays in cluster.yaml until you delete it (the wizard offers the edit)`,
      );
      return `delete spec.nodes[${node.index}] (${node.hostname}) from cluster.yaml`;
    },
    preview: () => [],
  };
}

export function removeNodePlan(model: ClusterModel, args: OperationArgs, options: RemoveNodeOptions): Plan {
  assertUsable(model, 'remove-node');
  const node = targetNode(model, args, 'remove-node');
  const steps: Step[] = [kubeconfigStep(model), checkStep(model, node, args)];
  if (args.force) steps.push(confirmStep(node, args));
  else steps.push(drainStep(node), leaveStep(node, options.timeouts.long));
  steps.push(removeNodeStep(model, node, { wait: options.timeouts.wait }), specEntryStep(node));
  return { operation: 'remove-node', cluster: model.name, node: node.hostname, model, steps };
}
