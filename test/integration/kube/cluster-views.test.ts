// The cluster views' API work against a deployed lab, through the product's own client (never kubectl):
// events through a watch, exec with a terminal (bash, and the sh fallback's signal on busybox),
// port-forward compared with a direct connection, helm releases from their Secrets with the password
// masked, claims, rollout restart and scale.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import {
  KubeClient,
  WatchCache,
  claimFromKube,
  currentReleases,
  eventFromKube,
  execCollect,
  execInContainer,
  forwardPort,
  releaseDrift,
  resources,
  restartWorkload,
  scaleDeployment,
  waitForRollout,
  HELM_LABEL_SELECTOR,
  MASK,
} from '../../../src/kube';
import { createLab } from '../../lab/index';
import type { LabInfo } from '../../lab/api';
import { kubeconfigText } from '../../lab/kubeconfig';

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('kube: the cluster views against a deployed lab', function () {
  this.timeout(90_000);
  const lab = createLab('gclabviews');
  let info: LabInfo;
  let client: KubeClient;
  const caches: Array<WatchCache<K8s.KubernetesObject>> = [];

  before(async function () {
    this.timeout(120_000);
    info = await lab.up({ nodes: 3, state: 'deployed', subnetPrefix: '10.250.44' });
    const b64 = (p: string) => readFileSync(p).toString('base64');
    const text = kubeconfigText(info.nodes[0]!.address, {
      caB64: b64(info.kube.caCertPath),
      clientCertB64: b64(info.kube.clientCertPath),
      clientKeyB64: b64(info.kube.clientKeyPath),
    });
    client = await KubeClient.connect({
      endpoints: info.nodes.map((n) => ({ name: n.hostname, address: n.address })),
      kubeconfig: { read: async () => text, store: async () => undefined },
    });
  });
  after(async () => {
    for (const cache of caches) await cache.stop();
    await lab.down();
  });

  const podsOf = async (prefix: string) =>
    (await client.core.listNamespacedPod({ namespace: 'default' })).items.filter(
      (p) =>
        p.metadata?.name?.startsWith(prefix) &&
        p.status?.phase === 'Running' &&
        !p.metadata.deletionTimestamp,
    );

  it('watches events: a deleted pod brings Killing, Scheduled and SuccessfulCreate', async () => {
    const cache = new WatchCache<K8s.CoreV1Event>(client, resources.events(), { coalesceMs: 20 });
    caches.push(cache as unknown as WatchCache<K8s.KubernetesObject>);
    await cache.start();
    const victim = (await podsOf('sample-web-'))[0]!;
    await client.core.deleteNamespacedPod({ namespace: 'default', name: victim.metadata!.name! });
    const reasons = await eventually('the controllers’ events', () => {
      const events = cache.list().map(eventFromKube);
      const seen = new Set(events.map((e) => e.reason));
      return ['Killing', 'Scheduled', 'SuccessfulCreate'].every((r) => seen.has(r)) ? events : undefined;
    });
    const killing = reasons.find((e) => e.reason === 'Killing')!;
    assert.equal(killing.object.name, victim.metadata!.name);
    assert.equal(killing.object.kind, 'Pod');
    assert.equal(killing.source, 'kubelet');
    assert.ok(killing.last! <= Date.now() + 1000);
  });

  it('execs with a terminal into bash, and reports bash missing on busybox as exit 127', async () => {
    const web = (await podsOf('sample-web-'))[0]!;
    let output = '';
    let exit: { code: number; message?: string } | undefined;
    const session = await execInContainer(client, {
      namespace: 'default',
      pod: web.metadata!.name!,
      container: 'web',
      command: ['bash'],
      size: { cols: 100, rows: 30 },
      onOutput: (data) => (output += data),
      onExit: (result) => (exit = result),
    });
    session.write('echo "cols=$(tput cols 2>/dev/null || stty size)"; echo "host=$HOSTNAME"; exit 7\n');
    await eventually('the shell to exit', () => exit);
    assert.match(output, new RegExp(`host=${web.metadata!.name!}`));
    assert.match(output, /cols=100|30 100/);
    assert.equal(exit!.code, 7);
    const worker = (await podsOf('sample-worker-'))[0]!;
    const target = { namespace: 'default', pod: worker.metadata!.name!, container: 'worker' };
    const missing = await execCollect(client, target, ['bash', '-c', 'true']);
    assert.equal(missing.code, 127);
    assert.match(missing.message ?? '', /executable file not found/);
    const sh = await execCollect(client, target, ['sh', '-c', 'echo ok; echo err >&2']);
    assert.deepEqual([sh.code, sh.stdout, sh.stderr], [0, 'ok\n', 'err\n']);
  });

  it('forwards a local port to a pod: the same page as a direct connection, connection by connection', async () => {
    const web = (await podsOf('sample-web-'))[0]!;
    const forward = await forwardPort(client, { namespace: 'default', pod: web.metadata!.name!, port: 80 });
    try {
      const node = info.nodes.find((n) => n.hostname === web.spec!.nodeName)!;
      const direct = await get(`http://${node.address}:80/check`);
      for (let i = 0; i < 3; i++) {
        const forwarded = await get(`http://127.0.0.1:${forward.localPort}/check`);
        assert.deepEqual(forwarded, direct);
      }
      assert.match(direct.body, /Welcome to nginx/);
    } finally {
      await forward.close();
    }
  });

  it('reads helm releases from their Secrets: chart, revision, status, values, the password masked', async () => {
    const secrets = (await client.core.listSecretForAllNamespaces({ labelSelector: HELM_LABEL_SELECTOR }))
      .items;
    const releases = currentReleases(secrets);
    assert.deepEqual(
      releases.map((r) => [r.name, r.chart, r.chartVersion, r.revision, r.status]),
      [
        ['gateway-manager', 'gateway-manager', '0.9.6', 1, 'deployed'],
        ['gateway-persistent-storage', 'gateway-persistent-storage', '0.9.6', 1, 'deployed'],
      ],
    );
    const manager = releases[0]!;
    assert.equal(manager.values['secrets.defaultPassword'], MASK);
    assert.doesNotMatch(JSON.stringify(releases), /lab-stand-in-/);
    const storage = releases[1]!;
    assert.equal(storage.values['nfs.server'], `${info.subnetPrefix}.1`);
    assert.deepEqual(
      releaseDrift(storage, {
        version: '0.9.6',
        values: { 'nfs.server': `${info.subnetPrefix}.1`, 'nfs.path': '/srv/other' },
      }),
      ['nfs.path = /srv/gateway-cluster, the spec says /srv/other'],
    );
  });

  it('lists the claims, bound with their capacity and class', async () => {
    const claims = (await client.core.listPersistentVolumeClaimForAllNamespaces()).items.map(claimFromKube);
    const redis = claims.find((c) => c.name === 'data-gateway-manager-redis-0')!;
    assert.equal(redis.phase, 'Bound');
    assert.equal(redis.capacity, '1Gi');
    assert.equal(redis.storageClass, 'nfs-client');
  });

  it('restarts a Deployment (new pods, rollout followed to the end) and scales it', async () => {
    const before = new Set((await podsOf('sample-web-')).map((p) => p.metadata!.name));
    await restartWorkload(client, 'Deployment', 'default', 'sample-web');
    const messages: string[] = [];
    const done = await waitForRollout(client, 'Deployment', 'default', 'sample-web', {
      onProgress: (m) => messages.push(m),
    });
    assert.equal(done.message, 'deployment "sample-web" successfully rolled out');
    const deployment = await client.apps.readNamespacedDeployment({
      namespace: 'default',
      name: 'sample-web',
    });
    assert.ok(deployment.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
    const after = await eventually('the old pods to go', async () => {
      const now = (await podsOf('sample-web-')).filter((p) => !p.metadata?.deletionTimestamp);
      return now.every((p) => !before.has(p.metadata!.name)) ? now : undefined;
    });
    assert.ok(after.length > 0);
    await scaleDeployment(client, 'default', 'sample-web', 2);
    await eventually('two replicas', async () => {
      const d = await client.apps.readNamespacedDeployment({ namespace: 'default', name: 'sample-web' });
      return d.status?.readyReplicas === 2 && d.spec?.replicas === 2;
    });
  });
});
