// reset (seed 004: a failed or stuck build is reset to start over): de-register if registered, uninstall the
// gateway releases, disable the add-ons Deploy enabled (metallb, dns), make every node but node 1 leave the
// cluster (`microk8s leave` on it, `microk8s remove-node` on node 1), and remove the records Deploy and
// replace-node keep — the VMs as after "spin up", each a single-node MicroK8s. A survey reads what there is
// to undo first (reset-survey.ts); the operator confirms that list (typing the cluster's name); the undo steps
// (reset-undo.ts) act on what it found, so a second reset finds nothing.
import type { ClusterModel } from '../../cluster-spec/types';
import type { OperationArgs } from '../catalog';
import type { Plan } from '../plan';
import { kubeconfigStep } from './kubeconfig';
import { confirmStep, surveyStep, workloadsKept } from './reset-survey';
import { undoSteps, type ResetOptions } from './reset-undo';
import { assertUsable } from './validate';

export function resetPlan(model: ClusterModel, args: OperationArgs, options: ResetOptions): Plan {
  assertUsable(model, 'reset');
  return {
    operation: 'reset',
    cluster: model.name,
    model,
    steps: [
      kubeconfigStep(model),
      surveyStep(model),
      confirmStep(model, args, 'reset', undefined, (ctx) => workloadsKept(ctx, model)),
      ...undoSteps(model, options),
    ],
  };
}
