// Plain shapes the tree shows, independent of the Kubernetes client and of vscode.

/** Where a cluster's connection stands. */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'unreachable';

/** A node as the Kubernetes API reports it. */
export interface ApiNode {
  name: string;
  ready: boolean;
  /** Cordoned (spec.unschedulable). */
  unschedulable: boolean;
  /** InternalIP addresses first, then the others. */
  addresses: string[];
  kubeletVersion?: string;
  /** From node-role.kubernetes.io/* labels. */
  roles: string[];
}

/** A pod as the tree needs it. */
export interface ApiPod {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string;
  phase: string;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  /** Creation time, epoch milliseconds. */
  createdAt?: number;
  /** metadata.deletionTimestamp is set. */
  terminating?: boolean;
  /** A waiting/terminated reason worth showing (CrashLoopBackOff, ImagePullBackOff, Error…). */
  reason?: string;
  /** Kind of the controller that owns the pod (ReplicaSet, DaemonSet, StatefulSet…), if any. */
  ownerKind?: string;
}

/** The spec side of a node (a subset of the spec model's NodeModel). */
export interface SpecNode {
  index: number;
  hostname: string;
  address: string;
}
