// Public API of the Kubernetes layer. Never imports vscode; @kubernetes/client-node loads on first use.
export { loadK8s } from './load';
export type { K8sModule } from './load';
export {
  API_PORT,
  withServer,
  serverOf,
  apiGet,
  probeServer,
  firstAnsweringServer,
  fetchKubeconfig,
  kubeconfigSecrets,
  registerKubeconfigSecrets,
} from './kubeconfig';
export type { KubeconfigRunner, SecretRegistry, ApiEndpoint, ApiReply, ProbeResult } from './kubeconfig';
export { KubeClient, KubeApiError } from './client';
export type { KubeClientOptions, KubeconfigSource } from './client';
export { WatchCache, resources } from './watch-cache';
export type { WatchedResource, WatchCacheOptions, CacheChange } from './watch-cache';
export { NodePodCaches } from './pod-caches';
export type { PodCacheLease } from './pod-caches';
export {
  openPodLog,
  streamPodLogs,
  listPods,
  readPodRaw,
  readNodeRaw,
  deletePod,
  setUnschedulable,
  cordon,
  uncordon,
} from './actions';
export type { PodLogOptions, PodLogStream } from './actions';
export { drainNode, isEvictable, budgetRefusal } from './drain';
export type { DrainOptions, DrainResult } from './drain';
export { execInContainer, execCollect, exitOf, forwardPort } from './streams';
export type { ExecOptions, ExecSession, PortForwardOptions, PortForwardHandle } from './streams';
export {
  restartWorkload,
  scaleDeployment,
  rolloutProgress,
  waitForRollout,
  restartPatch,
  RESTARTED_AT,
} from './workloads';
export type { WorkloadKind, RolloutProgress } from './workloads';
export {
  decodeReleaseSecret,
  currentReleases,
  releaseDrift,
  flattenValues,
  isSecretKey,
  MASK,
  HELM_LABEL_SELECTOR,
  HELM_RELEASE_TYPE,
} from './helm';
export type { HelmRelease } from './helm';
export {
  eventFromKube,
  serviceFromKube,
  claimFromKube,
  registrationFromKube,
  REGISTRATION_CONFIGMAP,
} from './objects';
export type { ApiEvent, ApiService, ApiClaim, ApiRegistration } from './objects';
export { describePod, describeNode } from './describe';
