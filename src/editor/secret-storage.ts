// The editor's secret storage as the cluster contexts' raw backend.
import type * as vscode from 'vscode';
import type { SecretBackend } from '../clusters';

/**
 * What was stored in this window is read back from memory: in the browser (code-server) a get() right after a
 * store() can miss the new value, and the next step of an operation needs it at once.
 */
export function editorSecretBackend(storage: vscode.SecretStorage): SecretBackend & { clear(): void } {
  const written = new Map<string, string>();
  return {
    get: async (key) => written.get(key) ?? (await storage.get(key)),
    store: async (key, value) => {
      written.set(key, value);
      await storage.store(key, value);
    },
    delete: async (key) => {
      written.delete(key);
      await storage.delete(key);
    },
    clear: () => written.clear(),
  };
}
