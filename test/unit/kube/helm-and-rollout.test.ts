import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  MASK,
  currentReleases,
  decodeReleaseSecret,
  flattenValues,
  releaseDrift,
  restartPatch,
  rolloutProgress,
} from '../../../src/kube';

/** A Secret as helm 3 writes it and the API returns it: base64 (the Secret's) of base64(gzip(JSON)). */
function releaseSecret(release: Record<string, unknown>, status = 'deployed') {
  const helm = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return {
    metadata: {
      name: `sh.helm.release.v1.${String(release.name)}.v${String(release.version)}`,
      namespace: 'default',
      labels: { owner: 'helm', status },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(helm).toString('base64') },
  };
}

const manager = (version: number, config: Record<string, unknown>) => ({
  name: 'gateway-manager',
  namespace: 'default',
  version,
  info: { status: version === 2 ? 'deployed' : 'superseded', last_deployed: '2026-01-01T10:00:00Z' },
  chart: { metadata: { name: 'gateway-manager', version: '0.9.6', appVersion: '0.9.6' } },
  config,
});

describe('helm releases from their Secrets', () => {
  it('decodes helm 3’s encoding and keeps the highest revision of each release', () => {
    const secrets = [
      releaseSecret(manager(1, {}), 'superseded'),
      releaseSecret(manager(2, { secrets: { defaultPassword: 'hunter2' }, replicas: 2 })),
      { metadata: { name: 'other' }, type: 'Opaque', data: {} },
    ];
    const [release, ...rest] = currentReleases(secrets);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [
        release!.name,
        release!.revision,
        release!.status,
        release!.chart,
        release!.chartVersion,
        release!.lastDeployed,
      ],
      ['gateway-manager', 2, 'deployed', 'gateway-manager', '0.9.6', Date.parse('2026-01-01T10:00:00Z')],
    );
    assert.deepEqual(release!.values, { 'secrets.defaultPassword': MASK, replicas: '2' });
    assert.doesNotMatch(JSON.stringify(release), /hunter2/);
  });

  it('masks every value under a secret-looking key, nested or listed', () => {
    assert.deepEqual(
      flattenValues({
        nfs: { server: '10.0.0.1' },
        auth: { token: 't0k', apiKey: 'k' },
        tls: { cert: 'PEM' },
        list: ['a'],
      }),
      { 'nfs.server': '10.0.0.1', 'auth.token': MASK, 'auth.apiKey': MASK, 'tls.cert': MASK, 'list.0': 'a' },
    );
    assert.equal(
      decodeReleaseSecret({ type: 'helm.sh/release.v1', data: { release: 'not base64 gzip' } }),
      undefined,
    );
  });

  it('says what differs from the spec: the chart version and each value, a secret never in clear', () => {
    const release = decodeReleaseSecret(
      releaseSecret({
        ...manager(2, { nfs: { path: '/a' } }),
        chart: { metadata: { name: 'x', version: '0.9.5' } },
      }),
    )!;
    assert.deepEqual(
      releaseDrift(release, { version: '0.9.6', values: { 'nfs.path': '/b', 'nfs.server': '1.2.3.4' } }),
      [
        'chart 0.9.5, the spec says 0.9.6',
        'nfs.path = /a, the spec says /b',
        'nfs.server not set, the spec says 1.2.3.4',
      ],
    );
    assert.deepEqual(releaseDrift(release, undefined), []);
  });
});

describe('workload actions', () => {
  it('restarts as kubectl rollout restart does: the pod template’s restartedAt annotation', () => {
    assert.deepEqual(restartPatch(new Date('2026-01-01T00:00:00Z')), {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00.000Z' } },
        },
      },
    });
  });

  it('reports a rollout’s progress in kubectl rollout status’s words', () => {
    const deployment = (status: Record<string, unknown>, generation = 2) => ({
      metadata: { name: 'web', generation },
      spec: { replicas: 3 },
      status: { observedGeneration: 2, ...status },
    });
    assert.equal(
      rolloutProgress('Deployment', deployment({}, 3)).message,
      'Waiting for deployment spec update to be observed...',
    );
    assert.equal(
      rolloutProgress('Deployment', deployment({ updatedReplicas: 1, replicas: 3 })).message,
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    assert.equal(
      rolloutProgress('Deployment', deployment({ updatedReplicas: 3, replicas: 4, availableReplicas: 3 }))
        .message,
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    assert.equal(
      rolloutProgress('Deployment', deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 }))
        .message,
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    );
    assert.deepEqual(
      rolloutProgress('Deployment', deployment({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 })),
      {
        done: true,
        message: 'deployment "web" successfully rolled out',
      },
    );
    assert.equal(
      rolloutProgress('StatefulSet', {
        metadata: { generation: 1 },
        spec: { replicas: 1 },
        status: { observedGeneration: 1, readyReplicas: 0 },
      }).message,
      'Waiting for 1 pods to be ready...',
    );
  });
});
