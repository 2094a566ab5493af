// A KubeClient's kubeconfig source over a plain map, for tests and benches that connect without a cluster
// context: the stored text first, `fetch` (e.g. `microk8s config` over SSH) when none is stored.
import type { KubeconfigSource } from '../../src/kube';

export function kubeconfigIn(
  store: Map<string, string>,
  fetch: () => Promise<string>,
  key = 'kubeconfig',
): KubeconfigSource {
  return {
    read: async () => store.get(key),
    store: async (text) => void store.set(key, text),
    fetch,
  };
}
