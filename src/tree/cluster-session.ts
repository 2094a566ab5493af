// What the tree needs from a live cluster, as a small interface: the tree and its commands are written
// against it, the Kubernetes/SSH adapter (kube-cluster-session.ts) and the tests' fakes implement it.
// vscode-free on purpose.
import type { NodeModel } from '../cluster-spec';
import type { ApiNode, ApiPod, ConnectionState, Subscribe } from './core';

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

export interface LogFollow {
  /** Resolves when the stream ends (or is stopped). */
  readonly done: Promise<void>;
  stop(): void;
}

export interface ClusterSession {
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
  followLogs(namespace: string, name: string, onLine: (line: string) => void): Promise<LogFollow>;
  /** The kubeconfig text, for "Export Kubeconfig…" only. */
  kubeconfig(): Promise<string>;
  /** An interactive shell over SSH on a spec node (host key rules apply). */
  openShell(node: NodeModel, size: { cols: number; rows: number }): Promise<ShellChannelLike>;
  dispose(): Promise<void>;
}
