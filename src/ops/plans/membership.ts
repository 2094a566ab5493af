// What remove-node, replace-node and the drill share: the target node, the live cluster's view of it, the
// refusals that keep an ha cluster's datastore safe, and the documented removal steps: drain (disruption
// budgets respected), `microk8s leave` on the node, `microk8s remove-node` on a node that stays.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import { cmd, parseKubeNodeNames } from '../node-commands';
import { StepFailure } from '../errors';
import type { OperationArgs } from '../catalog';
import type { KubeNodeInfo, NodeExecResult } from '../ports';
import type { Step, StepContext } from '../plan';
import { InvalidModelError } from './validate';

/** The spec node an operation names (`--node`), or a clear refusal before anything runs. */
export function targetNode(model: ClusterModel, args: OperationArgs, operation: string): NodeModel {
  const names = model.nodes.map((n) => n.hostname);
  if (!args.node)
    throw new InvalidModelError([`${operation} needs a node (--node NAME: ${names.join(', ')})`]);
  const node = model.nodes.find((n) => n.hostname === args.node);
  if (!node) throw new InvalidModelError([`"${args.node}" is not a node of the spec (${names.join(', ')})`]);
  return node;
}

export async function liveNodes(ctx: StepContext): Promise<KubeNodeInfo[]> {
  return (await ctx.cluster()).listNodes(ctx.signal);
}

export function isWorker(live: KubeNodeInfo | undefined, spec: NodeModel | undefined): boolean {
  return live?.worker ?? spec?.role === 'worker';
}

/** What the run learnt about the target (shared between its steps). */
export interface TargetState {
  /** The API lists no Node object of that name. */
  gone: boolean;
  /** `microk8s leave` ran on it (it answers over SSH and its own view holds none of the others). */
  left: boolean;
  /** The node cannot leave by itself (gone for good, or its VM already swapped): remove it with --force. */
  force: boolean;
}

export const TARGET_STATE = 'membership.target';

export function targetState(ctx: StepContext): TargetState {
  let state = ctx.shared.get(TARGET_STATE) as TargetState | undefined;
  if (!state) ctx.shared.set(TARGET_STATE, (state = { gone: false, left: false, force: false }));
  return state;
}

/** Whether the node has left: its own `kubectl get nodes` lists none of the cluster's other nodes. */
export async function hasLeft(ctx: StepContext, node: NodeModel, live: KubeNodeInfo[]): Promise<boolean> {
  const others = live.map((k) => k.name).filter((name) => name !== node.hostname);
  if (others.length === 0) return false;
  try {
    const r = await ctx.exec(node, cmd.kubeNodes(), { okCodes: 'any', quiet: true });
    if (r.code !== 0) return false;
    const own = parseKubeNodeNames(r.stdout);
    return own.length > 0 && !own.some((name) => others.includes(name));
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return false;
  }
}

/**
 * Why removing `node` would endanger the cluster, or undefined: the last datastore node, an ha cluster
 * below 3 control-plane nodes, another control-plane node already down (the datastore would lose quorum).
 */
export function removalRefusal(
  model: ClusterModel,
  node: NodeModel,
  live: KubeNodeInfo[],
): { message: string; hint: string } | undefined {
  const me = live.find((k) => k.name === node.hostname);
  if (live.length <= 1)
    return {
      message: `${node.hostname} is the cluster's only node.`,
      hint: 'A cluster cannot remove its last node: to retire the cluster, uninstall its charts and reinstall the VM.',
    };
  if (isWorker(me, node)) return undefined;
  const planes = live.filter(
    (k) =>
      !isWorker(
        k,
        model.nodes.find((n) => n.hostname === k.name),
      ),
  );
  const after = planes.filter((k) => k.name !== node.hostname);
  if (after.length === 0)
    return {
      message: `${node.hostname} is the only control-plane node: it holds the only copy of the datastore, which the workers depend on.`,
      hint: 'Remove the workers first, or add control-plane nodes (add-node) before removing it.',
    };
  if (model.topology === 'ha' && after.length < 3)
    return {
      message: `Removing ${node.hostname} would leave this ha cluster ${after.length} control-plane node${after.length === 1 ? '' : 's'}; it needs 3 so that its datastore keeps a quorum when one fails.`,
      hint: `Add a node first (add-node), or swap ${node.hostname} for a new VM (replace-node). A cluster is never scaled down below 3 (MicroK8s cannot shrink its datastore safely).`,
    };
  const down = after.filter((k) => !k.ready).map((k) => k.name);
  if (down.length)
    return {
      message: `${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} NotReady: without ${down.length === 1 ? 'it' : 'them'}, removing ${node.hostname} could leave the datastore without a quorum.`,
      hint: `Bring ${down.join(', ')} back (microk8s start, or the VM), then run this again.`,
    };
  return undefined;
}

/** `kubectl drain` through the API: cordon, evict (budgets respected), wait until the pods are gone. */
export function drainStep(node: NodeModel): Step {
  return {
    id: 'drain',
    title: `Drain ${node.hostname}`,
    checkText: 'the node is no longer in the cluster, has left it, or is gone for good (--force)',
    proofText: "every pod but the DaemonSets' left the node (PodDisruptionBudgets respected)",
    async check(ctx) {
      const state = targetState(ctx);
      if (state.gone) return `${node.hostname} is no longer in the cluster`;
      if (state.left) return `${node.hostname} has left the cluster`;
      if (state.force) return `${node.hostname} is gone: its pods go with its Node object`;
      return undefined;
    },
    async run(ctx) {
      const api = await ctx.cluster();
      try {
        const { evicted } = await api.drainNode(node.hostname, (line) => ctx.log(line, node));
        return `${evicted.length} pods evicted`;
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw new StepFailure(
          `Draining ${node.hostname} did not finish: ${error instanceof Error ? error.message : String(error)}`,
          'A disruption budget may hold a pod (the output says which): let its other replicas become Ready, then resume. The node stays cordoned meanwhile.',
          { node: node.hostname },
        );
      }
    },
    preview: () => [
      {
        node: 'Kubernetes API',
        command: `cordon ${node.hostname}, evict each of its pods (not DaemonSets') through pods/eviction, wait until they are gone`,
      },
    ],
  };
}

/** `microk8s leave` exit statuses (leave.py) as messages with a next step. */
export function explainLeave(node: NodeModel) {
  return (r: NodeExecResult): { message: string; hint: string } | undefined => {
    if (r.code === 3)
      return {
        message: `${node.hostname} holds the only copy of the Kubernetes database (the datastore's only voter), so it cannot leave.`,
        hint: 'Add nodes until the cluster has 3 control-plane nodes (add-node) or remove the others first, then resume.',
      };
    if (r.code === 2)
      return {
        message: `${node.hostname} could not reach the datastore's other members to leave (no quorum?).`,
        hint: 'Check that the other control-plane nodes run (microk8s status on them), then resume.',
      };
    return undefined;
  };
}

export function leaveStep(node: NodeModel, timeoutMs: number): Step {
  return {
    id: 'leave',
    title: `Run microk8s leave on ${node.hostname}`,
    nodes: [node],
    checkText: 'the node is no longer in the cluster, has left it already, or is gone for good (--force)',
    proofText: "the node's own `microk8s kubectl get nodes` lists none of the cluster's other nodes",
    async check(ctx) {
      const state = targetState(ctx);
      if (state.gone) return `${node.hostname} is no longer in the cluster`;
      if (state.force) return `${node.hostname} cannot leave by itself: it is removed with --force`;
      if (state.left || (await hasLeft(ctx, node, await liveNodes(ctx)))) {
        state.left = true;
        return `${node.hostname} has left the cluster`;
      }
      return undefined;
    },
    async run(ctx) {
      const live = await liveNodes(ctx);
      await ctx.exec(node, cmd.leave(), { timeoutMs, explain: explainLeave(node) });
      if (!(await hasLeft(ctx, node, live)))
        throw new StepFailure(
          `${node.hostname} still sees the cluster's other nodes after microk8s leave.`,
          `Look at "microk8s status" on ${node.hostname}, then resume.`,
          { node: node.hostname },
        );
      targetState(ctx).left = true;
      return `${node.hostname} left; its Node object stays NotReady until remove-node`;
    },
    preview: (p) => [{ node: node.hostname, command: p.show(cmd.leave()) }],
  };
}

/** The first control-plane node of the spec, other than `node`, that the API lists Ready. */
export function stayingNode(
  model: ClusterModel,
  node: NodeModel,
  live: KubeNodeInfo[],
): NodeModel | undefined {
  const ready = (n: NodeModel) => n !== node && live.some((k) => k.name === n.hostname && k.ready);
  return model.nodes.find((n) => n.role !== 'worker' && ready(n)) ?? model.nodes.find(ready);
}

export function removeNodeStep(model: ClusterModel, node: NodeModel, o: { wait: number }): Step {
  const preview = model.nodes.find((n) => n !== node && n.role !== 'worker') ?? model.nodes[0]!;
  return {
    id: 'remove',
    title: `Remove ${node.hostname} from the cluster`,
    checkText: 'the API lists no node of that name',
    proofText: 'the Node object is gone from the API (watched)',
    async check(ctx) {
      return targetState(ctx).gone ? `${node.hostname} is no longer in the cluster` : undefined;
    },
    async run(ctx) {
      const live = await liveNodes(ctx);
      const staying = stayingNode(model, node, live);
      if (!staying)
        throw new StepFailure(
          `No other node of the spec is Ready to run microk8s remove-node on.`,
          'Bring a control-plane node back, then resume.',
        );
      const force = targetState(ctx).force;
      await ctx.exec(staying, cmd.removeNode(node.hostname, force), {
        explain: (r) =>
          /registered with dqlite/.test(r.stdout + r.stderr)
            ? {
                message: `${node.hostname} is still a member of the datastore: microk8s leave has not run on it.`,
                hint: `Resume (the leave step runs first); only if ${node.hostname} is gone for good, remove it with --force.`,
              }
            : undefined,
      });
      const api = await ctx.cluster();
      await ctx.waitFor<KubeNodeInfo[]>(
        `${node.hostname} to leave the API`,
        (onValue, onError) => api.watchNodes(onValue, onError),
        (nodes) => !nodes.some((k) => k.name === node.hostname),
        o.wait,
      );
      targetState(ctx).gone = true;
      return `${node.hostname} removed (on ${staying.hostname})`;
    },
    preview: (p) => [
      {
        node: preview.hostname,
        command: p.show(cmd.removeNode(node.hostname)),
        when: `on a Ready node that stays; with --force when ${node.hostname} is gone for good`,
      },
    ],
  };
}

/** Cheap facts about the target at the start of a run: is it listed, has it left. */
export async function observeTarget(ctx: StepContext, node: NodeModel): Promise<KubeNodeInfo[]> {
  const live = await liveNodes(ctx);
  const state = targetState(ctx);
  state.gone = !live.some((k) => k.name === node.hostname);
  return live;
}
