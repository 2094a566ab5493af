// The tree's Kubernetes traffic under the editor's proxy override: VS Code's extension host (http.proxySupport
// "override") swaps every request's https.Agent for its own, so a client certificate that lives only on the
// agent never reaches the API server (401). Simulated here by wrapping https.request/https.get so that every
// request gets a plain agent; KubeClient, WatchCache, pod logs and the node/pod actions must still work.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { KnownHostsStore, Masker, SshPool } from '../../../src/remote';
import type { RemoteNode } from '../../../src/remote';
import {
  KubeClient,
  WatchCache,
  resources,
  cordon,
  deletePod,
  fetchKubeconfig,
  loadK8s,
  openPodLog,
  uncordon,
} from '../../../src/kube';
import type { CacheChange } from '../../../src/kube';
import { overrideAgents } from './support/agent-override';
import { useKubeLab } from './support/kube-lab';
import { labRemoteNodes } from '../support/lab-remote';
import { kubeconfigIn } from '../../support/kubeconfig-source';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once check() holds; fails with `what` (and why, if given) after ms. */
async function waitFor(what: string, check: () => boolean, ms = 20_000, why?: () => unknown): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what} within ${ms} ms (${String(why?.() ?? 'no detail')})`);
    await sleep(25);
  }
}

async function within<T>(what: string, p: Promise<T>, ms: number, why?: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what}: not within ${ms} ms (${String(why?.() ?? 'no detail')})`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('kube: the tree traffic carries its credentials when the editor replaces https agents', function () {
  this.timeout(90_000);
  const k = useKubeLab('gc-lab-kube-tx-');
  let pool: SshPool;
  let override: ReturnType<typeof overrideAgents> | undefined;

  const remoteNodes = (): RemoteNode[] => labRemoteNodes(k.info);

  const connect = () =>
    KubeClient.connect({
      endpoints: k.info.nodes.map((n) => ({ name: n.specHostname, address: n.address, port: n.apiPort })),
      kubeconfig: kubeconfigIn(
        k.secrets,
        async () => (await fetchKubeconfig(pool, remoteNodes())).kubeconfig,
      ),
      probeTimeoutMs: 2000,
      log: (l) => k.logs.push(l),
    });

  before(() => {
    pool = new SshPool({
      knownHosts: new KnownHostsStore({ userFile: k.info.knownHostsPath, ownFile: path.join(k.tmp, 'kh') }),
      prompts: { confirmHostKey: async () => false },
      secrets: { get: async () => undefined },
      masker: new Masker(),
      agentSocket: null,
      homeDir: k.tmp,
    });
    k.cleanUp(() => pool.dispose(), 'file');
    override = overrideAgents();
  });

  after(() => {
    override?.restore();
    override = undefined;
  });

  it("the simulated override strips the library's agent-borne credentials (its own client fails)", async () => {
    const client = await connect();
    const k8s = await loadK8s();
    const kc = new k8s.KubeConfig();
    kc.loadFromString(client.kubeconfig);
    const viaAgent = kc.makeApiClient(k8s.CoreV1Api);
    // The library's agent holds the CA too: without it the TLS check fails first; with only the CA, 401.
    await assert.rejects(viaAgent.listNode(), (err: { code?: number; message?: string }) => {
      return err.code === 401 || /certificate/.test(err.message ?? '');
    });
  });

  it('KubeClient lists nodes and cordons, uncordons and deletes through the API', async () => {
    const before = override!.requests;
    const client = await connect();
    const nodes = await client.core.listNode();
    assert.deepEqual(nodes.items.map((n) => n.metadata?.name).sort(), ['gw-1', 'gw-2', 'gw-3']);
    await cordon(client, 'gw-3');
    k.cleanUp(() => uncordon(client, 'gw-3'));
    assert.equal((await client.core.readNode({ name: 'gw-3' })).spec?.unschedulable, true);
    await uncordon(client, 'gw-3');
    assert.notEqual((await client.core.readNode({ name: 'gw-3' })).spec?.unschedulable, true);
    const pod = (await client.core.listNamespacedPod({ namespace: 'default' })).items[0]!;
    await deletePod(client, 'default', pod.metadata!.name!, { force: true });
    const snapshot = await k.lab.snapshot();
    assert.ok(!snapshot.pods.some((p) => p.uid === pod.metadata!.uid), 'the pod was not deleted');
    // Every request above went through the overridden https module.
    assert.ok(override!.requests > before + 5, `only ${override!.requests - before} requests overridden`);
  });

  it('a WatchCache syncs and sees a change', async () => {
    const client = await connect();
    const cache = new WatchCache<K8s.V1Pod>(client, resources.pods(), { log: (l) => k.logs.push(l) });
    k.cleanUp(() => cache.stop());
    await within('the pod watch to sync', cache.start(), 30_000, () => cache.lastError);
    const victim = cache.list().find((p) => p.metadata?.namespace === 'default');
    assert.ok(victim, 'no pod in default');
    const events: CacheChange<K8s.V1Pod>[] = [];
    cache.onEvent((e) => events.push(e));
    // A change made by the lab itself, so only the watch's own requests are under test here.
    await k.lab.deletePod('default', victim.metadata!.name!);
    await waitFor(
      'the watch to see the deleted pod go',
      () => events.some((e) => e.type === 'delete' && e.object.metadata?.uid === victim.metadata?.uid),
      20_000,
      () => cache.lastError,
    );
    assert.equal(cache.get(victim.metadata!.name!, 'default')?.metadata?.uid === victim.metadata?.uid, false);
    assert.equal(cache.errors, 0, `watch errors: ${String(cache.lastError)}`);
  });

  it('a followed pod log streams until stopped', async () => {
    const client = await connect();
    const pod = (await client.core.listNamespacedPod({ namespace: 'default' })).items[0]!;
    const lines: string[] = [];
    const log = await openPodLog(client, 'default', pod.metadata!.name!, {
      // Named, so that only the log request itself is under test here.
      container: pod.spec!.containers[0]!.name,
      follow: true,
      tailLines: 1,
      onLine: (l) => lines.push(l),
    });
    k.cleanUp(() => log.stop());
    // Lines beyond the one tail line arrive only while the followed stream stays open.
    await waitFor('three log lines while following', () => lines.length >= 3);
    assert.match(lines[0]!, new RegExp(`${pod.metadata!.name!} handled request`));
    log.stop();
    await within('the followed log to end after stop', log.done, 10_000);
  });
});
