// Public API of the Kubernetes layer. Never imports vscode; @kubernetes/client-node loads on first use.
export { loadK8s } from './load';
export type { K8sModule } from './load';
export {
  API_PORT,
  kubeconfigSecretKey,
  withServer,
  serverOf,
  apiGet,
  probeServer,
  firstAnsweringServer,
  fetchKubeconfig,
  kubeconfigSecrets,
  registerKubeconfigSecrets,
} from './kubeconfig';
export type {
  KubeconfigRunner,
  SecretStorage,
  SecretRegistry,
  ApiEndpoint,
  ApiReply,
  ProbeResult,
} from './kubeconfig';
export { KubeClient, KubeApiError } from './client';
export type { KubeClientOptions } from './client';
export { WatchCache } from './watch-cache';
export type { WatchedKind, WatchCacheOptions, CacheChange } from './watch-cache';
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
  isEvictable,
  drainNode,
} from './actions';
export type { PodLogOptions, PodLogStream, DrainOptions, DrainResult } from './actions';
