import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClusterSecrets, clusterIdentity, type SecretBackend } from '../../../src/clusters';
import { ClusterLocalState } from '../../../src/clusters/local-state';
import { KnownHostsStore } from '../../../src/remote';
import { Masker } from '../../../src/remote/masker';
import { labModel } from '../ops/fake-cluster';

describe('clusters: what this machine keeps for a cluster, which delete forgets', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'gc-local-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('forgets the kubeconfig and disconnects the live view that used it', async () => {
    const values = new Map<string, string>();
    const backend: SecretBackend = {
      get: async (key) => values.get(key),
      store: async (key, value) => void values.set(key, value),
      delete: async (key) => void values.delete(key),
    };
    const model = labModel(3);
    const secrets = new ClusterSecrets(backend, clusterIdentity('/w/cluster.yaml', model.name), new Masker());
    await secrets.storeInternal('kubeconfig', 'apiVersion: v1\nclusters: []\n');
    const knownHosts = new KnownHostsStore({ ownFile: path.join(dir, 'known_hosts'), userFile: null });
    const events: string[] = [];
    const live = {
      disconnect: async () => {
        // The kubeconfig is gone by the time the view lets go of its connection.
        events.push(`disconnect (kubeconfig ${(await secrets.getInternal('kubeconfig')) ? 'kept' : 'gone'})`);
      },
    };
    const local = new ClusterLocalState(
      () => model,
      secrets,
      () => knownHosts,
      true,
      live,
    );
    const forgotten = await local.forget();
    assert.deepEqual(forgotten.secrets, ['(kubeconfig)']);
    assert.deepEqual(events, ['disconnect (kubeconfig gone)']);
  });
});
