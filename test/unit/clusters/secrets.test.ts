import assert from 'node:assert/strict';
import {
  ClusterSecrets,
  SUDO_PASSWORD_REF,
  clusterIdentity,
  internalSecretKey,
  specSecretKey,
} from '../../../src/clusters';
import { Masker } from '../../../src/remote/masker';
import { memoryBackend } from './memory-secrets';

describe('clusters: secrets scoped to one cluster', () => {
  const prod = clusterIdentity('/work/prod/cluster.yaml', 'prod-gateways');
  const clone = clusterIdentity('/home/u/cloned/cluster.yaml', 'prod-gateways');

  it('gives two specs with the same metadata.name their own keys (kubeconfig included)', () => {
    assert.notEqual(prod.id, clone.id);
    assert.notEqual(internalSecretKey(prod, 'kubeconfig'), internalSecretKey(clone, 'kubeconfig'));
    assert.notEqual(specSecretKey(prod, 'ssh-password'), specSecretKey(clone, 'ssh-password'));
  });

  it("never hands a spec another cluster's secret or the extension's own entries", async () => {
    const backend = memoryBackend();
    const prodSecrets = new ClusterSecrets(backend, prod, new Masker());
    await prodSecrets.store('ssh-password', 'prod-only-password');
    await prodSecrets.storeInternal('kubeconfig', 'apiVersion: v1\nclusters: []\n');
    const hostile = new ClusterSecrets(backend, clone, new Masker());
    // The names a hostile spec might try: the same name, the old unscoped key, the internal keys.
    for (const name of [
      'ssh-password',
      'gatewayCluster.kubeconfig.prod-gateways',
      internalSecretKey(prod, 'kubeconfig'),
      specSecretKey(prod, 'ssh-password'),
      `../${prod.id}/spec/ssh-password`,
      'kubeconfig',
    ])
      assert.equal(await hostile.get(name), undefined, name);
    assert.equal(await prodSecrets.get('ssh-password'), 'prod-only-password');
  });

  it('keeps the sudo password as an internal entry that only the SSH layer names', async () => {
    const backend = memoryBackend();
    const secrets = new ClusterSecrets(backend, prod, new Masker());
    await secrets.storeInternal('sudo-password', 'sudo-secret');
    assert.equal(await secrets.get(SUDO_PASSWORD_REF), 'sudo-secret');
    await assert.rejects(secrets.store(SUDO_PASSWORD_REF, 'x'), /not a valid secret name/);
    assert.deepEqual([...backend.values.keys()], [internalSecretKey(prod, 'sudo-password')]);
  });

  it('copies another cluster’s secret only by the explicit copyFrom, never an internal entry', async () => {
    const backend = memoryBackend();
    const prodSecrets = new ClusterSecrets(backend, prod, new Masker());
    await prodSecrets.store('manager-password', 'shared-pass');
    await prodSecrets.storeInternal('kubeconfig', 'kubeconfig-text');
    const lab = new ClusterSecrets(backend, clone, new Masker());
    assert.equal(await lab.copyFrom(prod, 'manager-password'), true);
    assert.equal(await lab.get('manager-password'), 'shared-pass');
    for (const name of ['kubeconfig', '../internal/kubeconfig', 'missing'])
      assert.equal(await lab.copyFrom(prod, name), false, name);
    assert.equal(await lab.copyFrom(clone, 'manager-password'), false, 'not from itself');
  });

  it('masks every value it hands out or stores', async () => {
    const masker = new Masker();
    const secrets = new ClusterSecrets(memoryBackend(), prod, masker);
    await secrets.store('token', 'tok-123456789');
    assert.equal(masker.mask('the token is tok-123456789'), 'the token is ••••');
  });
});
