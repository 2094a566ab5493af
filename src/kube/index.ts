// Public API of the Kubernetes layer. Never imports vscode; @kubernetes/client-node loads on first use.
export { loadK8s } from './load';
export type { K8sModule } from './load';
export {
  API_PORT,
  withServer,
  serverOf,
  probeServer,
  firstAnsweringServer,
  fetchKubeconfig,
} from './kubeconfig';
export type { KubeconfigRunner, SecretStorage, ApiEndpoint, ProbeResult } from './kubeconfig';
export { KubeClient } from './client';
export type { KubeClientOptions } from './client';
export { WatchCache } from './watch-cache';
export type { WatchedKind, WatchCacheOptions, CacheChange } from './watch-cache';
export { Coalescer, Backoff } from './coalesce';
export {
  streamPodLogs,
  deletePod,
  setUnschedulable,
  cordon,
  uncordon,
  isEvictable,
  drainNode,
} from './actions';
export type { PodLogOptions, DrainOptions, DrainResult } from './actions';
