// A cluster's live connection as its views use it: connection state, nodes and per-node pod watches, and the
// operator's actions. The tree and its commands are written against this interface; live-cluster.ts
// implements it over the Kubernetes and SSH layers. vscode-free on purpose.
import type { NodeModel } from '../../cluster-spec/types';
import type { Subscribe } from './emitter';

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

/** Pods of one node, kept current by a watch with `fieldSelector=spec.nodeName=NODE`. */
export interface PodWatch {
  /** Undefined until the first list arrives. */
  pods(): ApiPod[] | undefined;
  /** The last error, when the watch is down and retrying. */
  readonly error: string | undefined;
  /** Fires with the pods that changed (by `namespace/name`), or undefined when the whole list changed. */
  readonly onDidChange: Subscribe<{ changed?: string[]; added?: string[]; removed?: string[] } | undefined>;
  /** Raw Kubernetes object of a pod, as last seen (for Describe). */
  raw(namespace: string, name: string): object | undefined;
  /** Retries now after an error. */
  retry(): void;
  dispose(): void;
}

export interface ShellChannelLike {
  write(data: string): void;
  onData(listener: (data: string) => void): void;
  onClose(listener: () => void): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

/** What a log shows: the container (default the first), the previous instance, the last N lines or those
 * since a time, with timestamps; it follows unless `follow` is false. */
export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  follow?: boolean;
}

export interface LogFollow {
  /** Resolves when the stream ends (or is stopped). */
  readonly done: Promise<void>;
  stop(): void;
}

export interface LiveCluster {
  readonly state: ConnectionState;
  /** The reason the cluster is unreachable, masked. */
  readonly error: string | undefined;
  /** The API server URL in use (after failover). */
  readonly apiServer: string | undefined;
  readonly serverVersion: string | undefined;
  readonly onDidChangeState: Subscribe<void>;
  /** Fires with the names of nodes that changed, or undefined for the whole list. */
  readonly onDidChangeNodes: Subscribe<string[] | undefined>;

  /** Undefined while not connected. */
  nodes(): ApiNode[] | undefined;
  /** Fetches the kubeconfig over SSH (or from secret storage) and starts the node watch. */
  connect(signal?: AbortSignal): Promise<void>;
  disconnect(): Promise<void>;
  /** Retries the API now after an outage (self-recovery runs with backoff anyway). */
  retry(): void;
  /** Starts a pod watch for a node; dispose it when the node collapses. */
  watchPods(nodeName: string): PodWatch;
  /** One-off listing (drain confirmation, find pod). Undefined node: every pod. */
  listPods(nodeName?: string, signal?: AbortSignal): Promise<ApiPod[]>;
  readPod(namespace: string, name: string): Promise<object>;
  readNode(name: string): Promise<object>;
  setCordoned(nodeName: string, cordoned: boolean): Promise<void>;
  drain(
    nodeName: string,
    options: { signal?: AbortSignal; onProgress?: (message: string) => void },
  ): Promise<void>;
  deletePod(namespace: string, name: string): Promise<void>;
  followLogs(
    namespace: string,
    name: string,
    onLine: (line: string) => void,
    options?: LogOptions,
  ): Promise<LogFollow>;
  /** The kubeconfig text, for "Export Kubeconfig…" only. */
  kubeconfig(): Promise<string>;
  /** An interactive shell over SSH on a spec node (host key rules apply). */
  openShell(node: NodeModel, size: { cols: number; rows: number }): Promise<ShellChannelLike>;
  dispose(): Promise<void>;
}
