// The Kubernetes client (ESM-only, heavy) loads on first use, never at activation.
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type K8sModule = typeof K8s;

let loading: Promise<K8sModule> | undefined;

export function loadK8s(): Promise<K8sModule> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}
