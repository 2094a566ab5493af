// What delete lists and then forgets on this machine: the secrets stored for this cluster (the spec's names, the
// kubeconfig, the sudo password) and the host keys the product recorded for its nodes — nothing of another
// cluster with the same name, no other host's key, and never a line of the user's own known_hosts.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clusterIdentity } from '../../../src/clusters/identity';
import { ClusterLocalState } from '../../../src/clusters/local-state';
import { ClusterSecrets } from '../../../src/clusters/secrets';
import { KnownHostsStore } from '../../../src/remote/known-hosts';
import { Masker } from '../../../src/remote/masker';
import { labModel } from '../ops/fake-cluster';
import { memoryBackend } from './memory-secrets';

const KEY1 = 'AAAAC3NzaC1lZDI1NTE5AAAAII5Ite8jNkYJmadJzL9Og1RDWYuuQ5xJw6lpCkZWmGUT';
const KEY2 = 'AAAAC3NzaC1lZDI1NTE5AAAAILVvWhdMPrwfQDmTh806/2OcJBxPjjBfiSFaySNanUg3';
const blob = (b64: string) => Buffer.from(b64, 'base64');
const none = { register: () => undefined };

describe('what this machine keeps for a cluster', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-local-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it("lists, then forgets, this cluster's secrets and recorded host keys, and nothing else", async () => {
    const model = labModel(3);
    const spec = path.join(dir, 'cluster.yaml');
    const backend = memoryBackend();
    const secrets = new ClusterSecrets(backend, clusterIdentity(spec, model.name), none);
    await secrets.store(model.gatewayManager.passwordSecret, 'manager-pw');
    await secrets.storeInternal('kubeconfig', 'apiVersion: v1');
    await secrets.storeInternal('sudo-password', 'sudo-pw');
    // The same name in another spec file is another cluster.
    const other = new ClusterSecrets(
      backend,
      clusterIdentity(path.join(dir, 'b', 'cluster.yaml'), model.name),
      none,
    );
    await other.store(model.gatewayManager.passwordSecret, 'other-pw');

    const userFile = path.join(dir, 'user_known_hosts');
    const userText = `${model.nodes[0]!.address} ssh-ed25519 ${KEY1}\n`;
    await fs.writeFile(userFile, userText);
    const store = new KnownHostsStore({ ownFile: path.join(dir, 'own', 'known_hosts'), userFile });
    await store.add(model.nodes[0]!.address, 22, blob(KEY1));
    await store.add(model.nodes[1]!.address, 22, blob(KEY2));
    await store.add('10.99.0.1', 22, blob(KEY2));

    const local = new ClusterLocalState(
      () => model,
      secrets,
      () => store,
      true,
    );
    const listed = await local.list();
    assert.deepEqual(listed.secrets, [
      model.gatewayManager.passwordSecret,
      '(kubeconfig)',
      '(sudo-password)',
    ]);
    assert.deepEqual(listed.hostKeys, [
      `gw-1 (${model.nodes[0]!.address}) ssh-ed25519`,
      `gw-2 (${model.nodes[1]!.address}) ssh-ed25519`,
    ]);

    const forgotten = await local.forget();
    assert.deepEqual(forgotten, listed);
    assert.deepEqual(await local.list(), { secrets: [], hostKeys: [] });
    assert.equal(await other.get(model.gatewayManager.passwordSecret), 'other-pw');
    assert.equal((await store.recorded('10.99.0.1', 22)).length, 1, "another host's key stays");
    assert.equal(await fs.readFile(userFile, 'utf8'), userText, "the user's known_hosts is never written");
  });

  it('lists no secret where secrets live in memory only (the CLI), but still its recorded host keys', async () => {
    const model = labModel(1);
    const backend = memoryBackend();
    const secrets = new ClusterSecrets(backend, clusterIdentity(path.join(dir, 'c.yaml'), model.name), none);
    await secrets.store(model.gatewayManager.passwordSecret, 'from-the-secrets-file');
    const store = new KnownHostsStore({ ownFile: path.join(dir, 'cli_known_hosts'), userFile: null });
    await store.add(model.nodes[0]!.address, 22, blob(KEY1));
    const local = new ClusterLocalState(
      () => model,
      secrets,
      () => store,
      false,
    );
    assert.deepEqual((await local.forget()).secrets, []);
    assert.equal(backend.values.size, 1, 'nothing stored to forget: the memory goes with the process');
    assert.deepEqual(await store.recorded(model.nodes[0]!.address, 22), []);
  });

  it('forgets the kubeconfig and disconnects the live view that used it', async () => {
    const backend = memoryBackend();
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
