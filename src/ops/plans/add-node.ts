// add-node: join the spec's nodes that the cluster lacks, one at a time (MicroK8s admits one join at a time),
// after preflight on every node; workers join with --worker. Resize 1 → 3 is the same plan once the spec's
// topology is `ha`: what HA needs beyond the joins (the storage release's NFS values and both charts' cluster
// values, the metallb range) is applied by Deploy's own steps when the charts are deployed. A cluster is
// never made smaller: a spec asking for fewer nodes than run is refused with the reason.
import type { ClusterModel } from '../../cluster-spec/types';
import { MANAGER_RELEASE, STORAGE_RELEASE, cmd, parseEnabledAddons, parseHelmList } from '../node-commands';
import { StepFailure } from '../errors';
import type { Plan, Step, StepContext } from '../plan';
import { addonStep, chartStep, type DeployOptions } from './deploy';
import {
  clusterCheckStep,
  controlPlaneNodes,
  hostsStep,
  joinStep,
  renameStep,
  type JoinOptions,
} from './join';
import { kubeconfigStep } from './kubeconfig';
import { liveNodes } from './membership';
import { preflightStep } from './preflight';
import { assertUsable } from './validate';

export type AddNodeOptions = JoinOptions & DeployOptions;

/** The spec nodes the cluster lacks (names), as the scope step found them. */
export const NEW_NODES = 'add-node.new';

function scopeStep(model: ClusterModel): Step {
  return {
    id: 'scope',
    title: 'Compare the spec with the cluster',
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: 'the spec asks for at least the nodes the cluster runs (a cluster is never made smaller)',
    async run(ctx) {
      const live = await liveNodes(ctx);
      const spec = new Set(model.nodes.map((n) => n.hostname));
      const running = live.map((k) => k.name);
      const extra = running.filter((name) => !spec.has(name));
      if (model.topology === 'single-node' && live.length > 1)
        throw new StepFailure(
          `The cluster runs ${live.length} nodes (${running.join(', ')}) and the spec asks for a single node: a cluster is never resized down (MicroK8s cannot shrink its datastore; seed 004: "Scaling a 3-node cluster down to a 1-node cluster is not permitted").`,
          'Put the ha topology and the nodes back into cluster.yaml. To retire one node of a larger cluster, use remove-node (it refuses below 3).',
        );
      if (extra.length)
        ctx.log(
          `${extra.join(', ')} run${extra.length === 1 ? 's' : ''} in the cluster but not in the spec: add-node never removes nodes (remove-node does)`,
        );
      const lacking = model.nodes.filter((n) => !running.includes(n.hostname)).map((n) => n.hostname);
      ctx.shared.set(NEW_NODES, lacking);
      if (lacking.length === 0) return 'every spec node is in the cluster';
      const resize =
        model.topology === 'ha' && live.length < 3 ? ` (resize ${live.length} → ${model.nodes.length})` : '';
      return `adds ${lacking.join(', ')}${resize}`;
    },
    preview: () => [],
  };
}

/** A Deploy step that applies only to a cluster whose charts (or add-on) are deployed already. */
function whenDeployed(step: Step, deployed: (ctx: StepContext) => Promise<boolean>, what: string): Step {
  const reason = `${what} is not deployed yet: Deploy installs it with the HA values`;
  return {
    ...step,
    id: `ha-${step.id}`,
    title: `${step.title} with the HA values`,
    checkText: `${reason}; or ${step.checkText ?? 'it matches the spec'}`,
    async check(ctx, node) {
      if (!(await deployed(ctx))) return reason;
      return step.check?.(ctx, node);
    },
    preview: (p, node) =>
      step
        .preview(p, node)
        .map((c) => ({ ...c, when: `${c.when ? `${c.when}, and ` : ''}only when ${what} is deployed` })),
  };
}

function haSteps(model: ClusterModel, o: DeployOptions): Step[] {
  const node1 = model.nodes[0]!;
  const released = (release: string) => async (ctx: StepContext) => {
    const r = await ctx.exec(node1, cmd.helmList(), { okCodes: 'any', quiet: true });
    return parseHelmList(r.stdout).some((x) => x.name === release);
  };
  const metallbOn = async (ctx: StepContext) =>
    parseEnabledAddons((await ctx.exec(node1, cmd.microk8sStatus(), { quiet: true })).stdout).has('metallb');
  return [
    whenDeployed(addonStep(model, o, 'metallb'), metallbOn, 'metallb'),
    whenDeployed(chartStep(model, o, STORAGE_RELEASE), released(STORAGE_RELEASE), STORAGE_RELEASE),
    whenDeployed(chartStep(model, o, MANAGER_RELEASE), released(MANAGER_RELEASE), MANAGER_RELEASE),
  ];
}

export function addNodePlan(model: ClusterModel, options: AddNodeOptions): Plan {
  assertUsable(model, 'add-node');
  const steps: Step[] = [
    // New VMs carry the OVA's hostname and resolve no peer: the hosts and rename steps repair exactly that.
    preflightStep(model.nodes, {
      repairs: {
        appendHosts: 'step 4, “Add the nodes to /etc/hosts”',
        setHostname: 'step 5, “Rename nodes to their spec hostnames”',
      },
    }),
    kubeconfigStep(model),
    scopeStep(model),
    hostsStep(model),
    renameStep(model, options),
  ];
  if (model.nodes.length > 1) steps.push(joinStep(model, options));
  if (model.topology === 'ha' && controlPlaneNodes(model).length >= 3) steps.push(...haSteps(model, options));
  steps.push(clusterCheckStep(model, options));
  return { operation: 'add-node', cluster: model.name, model, steps };
}
