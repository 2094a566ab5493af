// delete (seed 004: refused while workloads depend on the gateway): refused while the cluster is registered
// (the management platform would be left pointing at it) or while workloads other than the gateway's own run
// (each named); then everything reset undoes, and this machine forgets what it keeps for the cluster — its
// stored secrets (the kubeconfig among them) and the host keys it recorded — listed in the confirmation.
// The VMs stay: deleting them is the hypervisor's job.
import type { ClusterModel } from '../../cluster-spec/types';
import type { OperationArgs } from '../catalog';
import { REGISTRATION_STATUS } from '../node-commands';
import { StepFailure } from '../errors';
import type { LocalItems } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import { kubeconfigStep } from './kubeconfig';
import { confirmStep, foreignWorkloads, surveyStep, type ResetSurvey } from './reset-survey';
import { undoSteps, type ResetOptions } from './reset-undo';
import { assertUsable } from './validate';

const LOCAL = 'delete.local';

async function localItems(ctx: StepContext): Promise<LocalItems> {
  let items = ctx.shared.get(LOCAL) as LocalItems | undefined;
  if (!items) ctx.shared.set(LOCAL, (items = await ctx.local().list()));
  return items;
}

export function forgetLines(items: LocalItems): string[] {
  return [
    ...(items.secrets.length
      ? [`forget the stored secrets ${items.secrets.join(', ')} on this machine`]
      : []),
    ...(items.hostKeys.length ? [`forget the host keys recorded for ${items.hostKeys.join('; ')}`] : []),
  ];
}

async function refuse(ctx: StepContext, s: ResetSurvey): Promise<void> {
  if (s.registration)
    throw new StepFailure(
      `The cluster is registered (${REGISTRATION_STATUS} says ${s.registration}): it is not deleted while the management platform uses it.`,
      'De-register it first (De-register Cluster, or Roll Back to Classic to hand its management profile back), then delete.',
    );
  const foreign = foreignWorkloads(await (await ctx.cluster()).listWorkloads());
  if (foreign.length)
    throw new StepFailure(
      `Workloads other than the gateway's run on the cluster: ${foreign.map((w) => `${w.namespace}/${w.name} (${w.kind})`).join(', ')}.`,
      'Move or delete them first: delete does not take down what depends on the cluster.',
    );
  for (const line of forgetLines(await localItems(ctx))) ctx.log(`to undo: ${line}`);
}

function forgetStep(): Step {
  return {
    id: 'forget',
    title: 'Forget the secrets and host keys kept on this machine',
    checkText: 'this machine keeps no secret and no host key for the cluster',
    proofText: 'nothing is left of the cluster in secret storage or the recorded host keys',
    async check(ctx) {
      return forgetLines(await localItems(ctx)).length ? undefined : 'nothing kept';
    },
    async run(ctx) {
      const forgotten = await ctx.local().forget();
      return `forgot ${forgotten.secrets.length} secret${forgotten.secrets.length === 1 ? '' : 's'} and ${forgotten.hostKeys.length} host key${forgotten.hostKeys.length === 1 ? '' : 's'}`;
    },
    preview: () => [
      {
        node: 'this machine',
        command: "delete the cluster's stored secrets, kubeconfig and recorded host keys",
      },
    ],
  };
}

export function deletePlan(model: ClusterModel, args: OperationArgs, options: ResetOptions): Plan {
  assertUsable(model, 'delete');
  return {
    operation: 'delete',
    cluster: model.name,
    model,
    steps: [
      kubeconfigStep(model),
      surveyStep(model, refuse),
      confirmStep(model, args, 'delete', async (ctx) => forgetLines(await localItems(ctx))),
      ...undoSteps(model, options),
      forgetStep(),
    ],
  };
}
