// Public API of the cluster contexts: one object per cluster that the tree, the wizards, the tree actions and
// the CLI share (identity, spec, SSH pool, kubeconfig, Kubernetes client, live connection, lock, runs).
export { ClusterContext, LockHeldError } from './context';
export type { ClusterEnvironment, ClusterSpec } from './context';
export type { Confirmation } from '../ops';
export { ClusterRegistry, clusterKey, findingsOfDocument } from './registry';
export type { RegistryChange, SpecFileResult } from './registry';
export { clusterIdentity, stateDirOf } from './identity';
export type { ClusterIdentity } from './identity';
export { ClusterSecrets, SECRET_NAME, SUDO_PASSWORD_REF, specSecretKey, internalSecretKey } from './secrets';
export type { SecretBackend, InternalSecret } from './secrets';
export { OperationLock } from './lock';
export { ClusterActivity } from './activity';
export type { NodeActivity } from './activity';
export type { LockHolder, LockLease } from './lock';
export { Emitter } from './live/emitter';
export type { Listener, Subscribe } from './live/emitter';
export type * from './live/types';
export { nodeFromKube, podFromKube } from './live/from-kube';
export type { LiveTuning } from './live/live-cluster';
export { ClusterViews } from './live/cluster-views';
export type { LiveList, PortForwardInfo } from './live/cluster-views';
export type {
  ApiClaim,
  ApiEvent,
  ApiRegistration,
  ApiService,
  HelmRelease,
  RolloutProgress,
  WorkloadKind,
  ExecSession,
} from '../kube';
// Pure and small: the tree shows what differs without loading the Kubernetes client.
export { releaseDrift, MASK } from '../kube/helm';
export { specReleaseValues } from '../ops/plans/deploy';
export { SecretIndex } from './secret-index';
export type { NameState, SecretLookup } from './secret-index';
export { LiveLoadBalancer } from './live-lb/live-load-balancer';
export type { LbSnapshot, ServerAdminState } from './live-lb/live-load-balancer';
export { adoptCluster, keepAdoptPassword, ADOPT_SSH_PASSWORD } from './adopt';
export type { AdoptEnvironment, AdoptTarget, Adopted } from './adopt';
export { ChecklistStore } from './checklists';
export { runHistory } from './run-history';
export type { RunHistoryEntry } from './run-history';
