// The engine's narrow ports: everything with a side effect (SSH, the Kubernetes API, secret storage, time,
// files) enters through these, so the same plans run in the editor, against the lab, in unit tests and dry.
import type { NodeModel } from '../cluster-spec/types';
import type { TranscriptRecord } from './records';

/** A command for one node: an argv (every element quoted by the remote layer) or a shell script. */
export type NodeCommand = { argv: readonly string[] } | { script: string };

export interface NodeExecOptions {
  /** Written to the command's standard input, then closed. The only way a secret reaches a node. */
  stdin?: string;
  timeoutMs: number;
  /** Aborting stops the remote process (the adapter kills its process group). */
  signal: AbortSignal;
  /** Run as root: `sudo -n` first, then `sudo -S` with the stored password on stdin (remote layer). */
  sudo?: boolean;
  /** Each complete output line, as it arrives. The engine masks it before anyone sees it. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface NodeExecResult {
  /** Exit status; null when the process died from a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs commands on the cluster's nodes (one reused SSH connection per node in the real adapter). Rejects
 * when the node cannot be reached, the command times out or is cancelled; a non-zero exit is a result.
 */
export interface NodeRunner {
  exec(node: NodeModel, command: NodeCommand, options: NodeExecOptions): Promise<NodeExecResult>;
}

export interface KubeNodeInfo {
  name: string;
  ready: boolean;
  /** InternalIP and other addresses from status.addresses. */
  addresses: string[];
  /** The Ready condition's status: Unknown once the node controller stopped hearing from the kubelet. */
  readyStatus?: 'True' | 'False' | 'Unknown';
  /** The Ready condition's lastTransitionTime (RFC 3339, whole seconds). */
  readySince?: string;
  unschedulable?: boolean;
  /** A MicroK8s worker (label node.kubernetes.io/microk8s-worker): it runs no datastore. */
  worker?: boolean;
  /** `KEY:EFFECT` of each taint. */
  taints?: string[];
}

export interface PodInfo {
  name: string;
  phase: string;
  ready: boolean;
  nodeName?: string;
  namespace?: string;
  uid?: string;
  /** Deleted (deletionTimestamp set) but not gone yet. */
  terminating?: boolean;
  /** The kind of its controller (ReplicaSet, StatefulSet, DaemonSet). */
  ownerKind?: string;
}

export interface ConfigMapInfo {
  data: Record<string, string>;
  resourceVersion: string;
}

/** A live subscription; `stop()` ends it for good (never restarted afterwards). */
export interface Subscription {
  stop(): void;
}

/** The Kubernetes API of the cluster, as the operations need it. Watches deliver the current state first. */
export interface ClusterApi {
  listNodes(signal?: AbortSignal): Promise<KubeNodeInfo[]>;
  watchNodes(onChange: (nodes: KubeNodeInfo[]) => void, onError: (err: Error) => void): Subscription;
  deleteNode(name: string): Promise<void>;
  readSecret(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Creates or replaces an Opaque Secret; values are plain strings (the adapter base64-encodes). */
  applySecret(namespace: string, name: string, data: Record<string, string>): Promise<void>;
  /** Resolves false when there was nothing to delete. */
  deleteSecret(namespace: string, name: string): Promise<boolean>;
  readConfigMap(namespace: string, name: string): Promise<ConfigMapInfo | undefined>;
  /** Creates or replaces a ConfigMap with exactly `data`. */
  applyConfigMap(namespace: string, name: string, data: Record<string, string>): Promise<void>;
  watchConfigMap(
    namespace: string,
    name: string,
    onChange: (configMap: ConfigMapInfo | undefined) => void,
    onError: (err: Error) => void,
  ): Subscription;
  /** Pods of a Helm release (label app.kubernetes.io/instance=RELEASE). */
  podsOfRelease(namespace: string, release: string): Promise<PodInfo[]>;
  watchPodsOfRelease(
    namespace: string,
    release: string,
    onChange: (pods: PodInfo[]) => void,
    onError: (err: Error) => void,
  ): Subscription;
  /** Pods matching a label selector, kept current (the drill watches both gateway releases at once). */
  watchPods(
    namespace: string,
    labelSelector: string,
    onChange: (pods: PodInfo[]) => void,
    onError: (err: Error) => void,
  ): Subscription;
  /** Cordons the node and evicts its pods as `kubectl drain` does (disruption budgets respected). */
  drainNode(name: string, onProgress: (line: string) => void): Promise<{ evicted: string[] }>;
  uncordonNode(name: string): Promise<void>;
  /** The Service's status.loadBalancer.ingress IPs; undefined when there is no such Service. */
  serviceLoadBalancerIps(namespace: string, name: string): Promise<string[] | undefined>;
  watchService(
    namespace: string,
    name: string,
    onChange: (loadBalancerIps: string[] | undefined) => void,
    onError: (err: Error) => void,
  ): Subscription;
  /** MetalLB's configured address ranges (IPAddressPool spec.addresses); undefined when unknown. */
  metallbAddressRanges(): Promise<string[] | undefined>;
  /** Sets the add-on's pool (`default-addresspool` in metallb-system) to `ranges`. */
  setMetallbAddressRanges(ranges: string[]): Promise<void>;
  /** Resolves false when there was nothing to delete. */
  deleteConfigMap(namespace: string, name: string): Promise<boolean>;
  /** Deployments, StatefulSets and DaemonSets of every namespace (delete names what is not the gateway's). */
  listWorkloads(): Promise<WorkloadInfo[]>;
  /** PersistentVolumeClaims of a namespace; undefined when the API serves none (no such resource). */
  listClaims(namespace: string): Promise<ClaimInfo[] | undefined>;
  /** Every pod of every namespace. */
  listPods(): Promise<PodInfo[]>;
  /** A GET of an API path as the server's JSON (diagnostics keeps the events as the API gives them). */
  getRaw(path: string): Promise<Record<string, unknown>>;
  /** The pod's last log lines (its only or first container). */
  podLog(namespace: string, name: string, tailLines: number): Promise<string>;
  close(): void;
}

/** Files copied to a host over SFTP (the gateway and agent packages). */
export interface FileTransfer {
  /**
   * Copies `localPath` (as the spec writes it: `~` and a path relative to the spec file are resolved by the
   * host) to `remotePath` on the node with `mode`; rejects when the file cannot be read or written.
   */
  upload(
    node: NodeModel,
    localPath: string,
    remotePath: string,
    options: { mode: number; signal: AbortSignal; timeoutMs: number },
  ): Promise<void>;
}

export interface WorkloadInfo {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  /** The Helm release it belongs to (label app.kubernetes.io/instance, else meta.helm.sh/release-name). */
  release?: string;
}

export interface ClaimInfo {
  name: string;
  /** status.phase: Pending, Bound, Lost. */
  phase: string;
  storageClass?: string;
  /** The Helm release it belongs to (label app.kubernetes.io/instance). */
  release?: string;
}

/** The cluster's Kubernetes API for one run, from the stored kubeconfig; rejects when no node answers. */
export interface ClusterApiSource {
  /** Every call of the returned API has a timeout and stops when `signal` aborts. */
  connect(signal: AbortSignal): Promise<ClusterApi>;
}

/** What a node's SSH server presents now, and what known_hosts says of it. */
export interface HostKeyProbe {
  /** 'SHA256:…' as `ssh-keygen -l` prints it. */
  fingerprint: string;
  keyType: string;
  status: 'trusted' | 'unknown' | 'changed' | 'revoked';
  /** Fingerprints known_hosts holds (not revoked) for the node's address. */
  known: string[];
  /** Fingerprints marked @revoked for it (a replaced VM's old key). */
  revoked: string[];
}

/** SSH host keys for replace-node: a swapped VM presents a new key, trusted only as a deliberate step. */
export interface HostKeyPort {
  /** Reads the key the node presents (the handshake stops there: nothing is trusted or sent); rejects when it does not answer. */
  probe(node: NodeModel, signal: AbortSignal): Promise<HostKeyProbe>;
  /**
   * Records the key the node presents now, if its fingerprint is `fingerprint`, as the node's key, and marks
   * the keys recorded before as @revoked (the old VM's key is never trusted again); drops pooled connections.
   */
  replace(node: NodeModel, fingerprint: string, signal: AbortSignal): Promise<void>;
}

/** An HTTPS GET from this machine (validate-cluster: does the Gateway Manager answer at the floating IP?). */
export interface HttpsProbe {
  /**
   * Resolves with the HTTP status of `GET url`, or — when the server's certificate is not trusted here — with
   * `untrusted` (Node's reason) and status 0, no request sent; rejects when nothing answers (refused, timed
   * out, TLS failed to start). The certificate is always verified.
   */
  get(url: string, signal: AbortSignal): Promise<{ status: number; untrusted?: string }>;
}

/** A file kept on this machine by an operation (diagnostics), with what proves it intact. */
export interface SavedFile {
  /** Absolute path. */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

/** One collection's folder on this machine (`.gateway-cluster/diagnostics/<time>/` beside the spec). */
export interface ArtifactFolder {
  readonly path: string;
  /** Writes `relative` (folders made as needed; no `..`). */
  write(relative: string, content: string): Promise<SavedFile>;
  /** Downloads a file from a node over SFTP into `relative`; `onProgress` gets bytes so far and the total. */
  download(
    node: NodeModel,
    remotePath: string,
    relative: string,
    options: { signal: AbortSignal; onProgress?: (bytes: number, total: number) => void },
  ): Promise<SavedFile>;
}

export interface ArtifactStore {
  /** Creates a new folder `<kind>/<name>` (name: a timestamp) for one collection. */
  open(kind: 'diagnostics', name: string): Promise<ArtifactFolder>;
}

/** What this machine keeps for a cluster (delete lists it, then forgets it); never the values. */
export interface LocalItems {
  /** The names of the stored secrets (as the spec names them, or the extension's own: "kubeconfig"). */
  secrets: string[];
  /** known_hosts entries this product recorded for the nodes (`ADDRESS KEYTYPE SHA256:…`). */
  hostKeys: string[];
}

export interface LocalClusterState {
  list(): Promise<LocalItems>;
  /** Forgets what `list` names; resolves with what was forgotten. */
  forget(): Promise<LocalItems>;
}

/** The cluster's one kubeconfig (the secret storage holds it; it never goes to the workspace). */
export interface KubeconfigStore {
  read(): Promise<string | undefined>;
  /** Registers its credentials with the masker, then stores it. */
  store(text: string): Promise<void>;
}

/** The secrets a spec names (`passwordSecret`, `activationTokenSecret`…), scoped to its own cluster. */
export interface SecretSource {
  get(name: string): Promise<string | undefined>;
}

/** Hides registered secret values (the SSH layer's Masker fits). */
export interface SecretMasker {
  register(secret: string | undefined): void;
  mask(text: string): string;
  /** A copy with every string value masked: keys and structure are never touched, so nothing can break. */
  maskDeep<T>(value: T): T;
}

export interface Clock {
  /** Wall clock, ms since the epoch (transcript timestamps). */
  now(): number;
  /** Monotonic ms (durations). */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/** Where transcripts go (files under .gateway-cluster/runs/ in the editor; memory in tests). */
export interface TranscriptSink {
  /** Called with the whole record each time it changes materially; the last call holds the outcome. */
  write(record: TranscriptRecord): Promise<void>;
}
