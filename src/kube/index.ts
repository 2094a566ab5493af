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
