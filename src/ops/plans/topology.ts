// An operation runs on the topology it is made for (the catalog says which): Join on a load-balanced spec, or
// configure-lb on a MicroK8s one, is refused before anything connects.
import type { ClusterModel } from '../../cluster-spec/types';
import { OPERATIONS, type OperationInfo, type OperationPlanName, type OperationTopology } from '../catalog';
import { InvalidModelError } from './validate';

/** The catalog's name for the spec's topology (undefined while the spec has none). */
export function topologyOf(model: ClusterModel): OperationTopology | undefined {
  if (model.topology === undefined) return undefined;
  return model.topology === 'load-balanced' ? 'load-balanced' : 'microk8s';
}

/** Whether the operation applies to the spec's topology (an operation for both applies to any). */
export function appliesTo(operation: OperationPlanName, model: ClusterModel): boolean {
  const wanted = (OPERATIONS[operation] as OperationInfo).topology;
  const actual = topologyOf(model);
  return wanted === undefined || actual === undefined || wanted === actual;
}

export function assertTopology(operation: OperationPlanName, model: ClusterModel): void {
  if (appliesTo(operation, model)) return;
  const wanted = (OPERATIONS[operation] as OperationInfo).topology;
  throw new InvalidModelError([
    `${operation} is for ${wanted === 'load-balanced' ? 'topology "load-balanced"' : 'MicroK8s clusters (topology "ha" or "single-node")'}, and this spec's topology is "${model.topology}"`,
  ]);
}
