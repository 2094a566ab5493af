// Plain shapes of the tree's own logic, independent of the Kubernetes client and of vscode.
export type { ApiNode, ApiPod, ConnectionState } from '../../clusters/live/types';

/** The spec side of a node (a subset of the spec model's NodeModel). */
export interface SpecNode {
  index: number;
  hostname: string;
  address: string;
}
