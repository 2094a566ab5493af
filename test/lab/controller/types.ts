// The lab controller's shared types: lab nodes (the "VMs"), the MicroK8s clusters they form and the
// Kubernetes objects those clusters hold.
export type Json = Record<string, unknown>;

/** Objects kept as plain JSON, as the API server stores them (pods and nodes have runtime records too). */
export type StoredKind =
  | 'secrets'
  | 'configmaps'
  | 'services'
  | 'events'
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'poddisruptionbudgets'
  | 'persistentvolumeclaims';
export type Kind = 'nodes' | 'pods' | StoredKind;
export const STORED_KINDS: readonly StoredKind[] = [
  'secrets',
  'configmaps',
  'services',
  'events',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'poddisruptionbudgets',
  'persistentvolumeclaims',
];
export type WorkloadKind = 'deployments' | 'replicasets' | 'statefulsets' | 'daemonsets';

export const KUBELET_VERSION = 'v1.32.3';

export interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The object as stored after the change (before it, for DELETED: its last state). */
  object: Json;
  /** The object as last sent before this change (absent for ADDED): a watch whose selector it left gets DELETED. */
  prev?: Json;
}

export interface Watcher {
  kind: Kind;
  deliver(event: WatchEvent): void;
  close(): void;
}

export interface LabNodeRuntime {
  index: number;
  address: string;
  hostname: string;
  running: boolean;
  linkUp: boolean;
  hang: string | null;
  clusterId: string;
  worker: boolean;
  /** The name its kubelet registered with (changes only on a restart after a hostname change). */
  k8sName: string;
}

export type DqliteRole = 'voter' | 'standby' | 'spare';

export interface K8sNode {
  name: string;
  uid: string;
  labIndex: number | null;
  ready: boolean;
  unschedulable: boolean;
  worker: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  created: string;
  /** When Ready last changed (the Ready condition's lastTransitionTime). */
  readySince: string;
  /** The same in ms since the epoch (the API shows whole seconds; benches measure against this). */
  readySinceMs: number;
  rv: number;
  address: string;
  /** When the kubelet's heartbeats (re)started (ms since the epoch): they tick every heartbeat period since. */
  heartbeatSince: number;
  /** The last heartbeat before they stopped; undefined while the kubelet posts them. */
  lastHeartbeat?: number;
  /** When the node controller tainted the node unreachable (ms since the epoch). */
  taintedAt?: number;
  /** The node lifecycle's pending timers (Unknown after the grace period, evictions, Ready again). */
  timers: NodeJS.Timeout[];
}

export interface PodRecord {
  object: Json;
  /** uid of the controller that owns it (ReplicaSet, StatefulSet or DaemonSet). */
  ownerUid: string;
  nodeName: string;
  terminating: boolean;
  timers: NodeJS.Timeout[];
  /** Running but not Ready yet (its readiness delay has not passed). */
  warming?: boolean;
  /** When it last turned Ready (ms since the epoch). */
  readySinceMs?: number;
}

/** What the lab knows about a workload beyond its JSON: who made it, how slowly its pods get Ready. */
export interface LabWorkloadInfo {
  /** `system`, `samples`, `addon:NAME` or `release:NS/NAME`: what removes it again. */
  source: string;
  /** Time between Running and Ready for new pods (helm releases), so "wait until Ready" is observable. */
  readyDelayMs?: number;
}

export interface Release {
  name: string;
  namespace: string;
  chart: string;
  version: string;
  revision: number;
  updated: string;
  /** When revision 1 was installed (helm's info.first_deployed). */
  firstDeployed?: string;
  /** `--set` pairs of the last install/upgrade (never secrets: those come on stdin). */
  values: Record<string, string>;
  /** Whether the last install/upgrade received a values file with a password on stdin (never the value). */
  passwordGiven: boolean;
}

export interface Cluster {
  id: string;
  k8sNodes: Map<string, K8sNode>;
  pods: Map<string, PodRecord>;
  /** Stored objects by kind, each by `namespace/name`. */
  objects: Record<StoredKind, Map<string, Json>>;
  /** Lab-side facts about workloads (and the ReplicaSets of Deployments), by uid. */
  labWorkloads: Map<string, LabWorkloadInfo>;
  addons: Set<string>;
  /** The datastore's members (control-plane nodes) by address, with their dqlite role. */
  dqlite: Map<string, DqliteRole>;
  metallbRange: string | null;
  releases: Release[];
  /** The resourceVersion the cluster's watch caches start at: a watch from before it gets 410 Expired. */
  startRv: number;
  /** Each kind's recent changes (as a real API server's watch cache, per resource). */
  history: Map<Kind, WatchEvent[]>;
  /** The last state each object was sent in, by `kind namespace/name` (the prev of the next change). */
  lastSent: Map<string, Json>;
  watchers: Set<Watcher>;
  created: string;
  /** Timers of the cluster's small controllers, cleared with the cluster. */
  timers: Set<NodeJS.Timeout>;
  /** Set while a controller pass runs, so that nested changes do not start another one. */
  reconciling: boolean;
}

/** RFC 3339 without fractions, as the API server writes timestamps. */
export const nowIso = (at = Date.now()): string => new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');

export const metaOf = (object: Json): Json => (object.metadata ?? {}) as Json;
export const keyOf = (object: Json): string => {
  const meta = metaOf(object);
  return `${String(meta.namespace ?? '')}/${String(meta.name)}`;
};
