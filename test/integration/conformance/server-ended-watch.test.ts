// Conformance: a real API server ends every watch (after --min-request-timeout, 30-60 min by default) and
// the client must resume it. Against a lab that ends them after 1-2 s, the product's pod cache (the tree's
// WatchCache) keeps every change and stays in step with the cluster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { KubeClient, WatchCache, resources } from '../../../src/kube';
import { kubeconfigIn } from '../../support/kubeconfig-source';
import type { CacheChange } from '../../../src/kube';
import { createLab, type LabInfo } from '../../lab/index';
import { kubeconfigText } from '../../lab/kubeconfig';
import { eventually } from './support/kubectl-lab';

describe('conformance: watches the server ends', function () {
  this.timeout(120_000);
  const lab = createLab('gclabch');
  let info: LabInfo;
  let cache: WatchCache<K8s.V1Pod> | undefined;

  before(async function () {
    this.timeout(180_000);
    info = await lab.up({
      nodes: 3,
      state: 'joined',
      subnetPrefix: '10.250.43',
      minRequestTimeoutSeconds: 1,
    });
  });

  after(async function () {
    this.timeout(60_000);
    await cache?.stop();
    await lab.down();
  });

  it("the product's pod cache resumes them and misses no change", async () => {
    const b64 = (path: string) => readFileSync(path).toString('base64');
    const secrets = new Map<string, string>();
    const logs: string[] = [];
    const client = await KubeClient.connect({
      endpoints: info.nodes.map((n) => ({ name: n.specHostname, address: n.address, port: n.apiPort })),
      kubeconfig: kubeconfigIn(secrets, async () =>
        kubeconfigText(info.nodes[0]?.address ?? '', {
          caB64: b64(info.kube.caCertPath),
          clientCertB64: b64(info.kube.clientCertPath),
          clientKeyB64: b64(info.kube.clientKeyPath),
        }),
      ),
      log: (line) => logs.push(line),
    });
    cache = new WatchCache<K8s.V1Pod>(client, resources.pods(), { log: (line) => logs.push(line) });
    await cache.start();
    const events: CacheChange<K8s.V1Pod>[] = [];
    cache.onEvent((e) => events.push(e));
    // Deletions spread over more than twice the longest watch (2 s): each lands on a resumed watch.
    const started = Date.now();
    let rounds = 0;
    while (Date.now() - started < 5000 || rounds < 3) {
      const victim = cache.list().find((p) => p.metadata?.namespace === 'default');
      assert.ok(victim, 'a pod to delete');
      const uid = victim.metadata?.uid;
      await lab.deletePod('default', victim.metadata?.name ?? '');
      await eventually(`the cache sees ${victim.metadata?.name} go`, () =>
        events.some((e) => e.type === 'delete' && e.object.metadata?.uid === uid) ? true : undefined,
      );
      rounds++;
    }
    await eventually('the cache in step with the lab', async () => {
      const snapshot = await lab.snapshot();
      const names = (list: string[]) => list.sort().join(' ');
      return names(cache!.list().map((p) => p.metadata?.name ?? '')) ===
        names(snapshot.pods.map((p) => p.name))
        ? true
        : undefined;
    });
    assert.equal(cache.error, undefined, `the cache reports no error: ${logs.join('\n')}`);
    assert.equal(cache.errors, 0, `no watch failed: ${logs.join('\n')}`);
  });
});
