// Secret storage in memory, for the unit tests of what stores, scopes and forgets secrets.
import type { SecretBackend } from '../../../src/clusters';

export function memoryBackend(): SecretBackend & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (key) => values.get(key),
    store: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}
