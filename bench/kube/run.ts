// Kubernetes layer benchmark against the lab: time to first synced pod cache and its memory for ~5,000 pods
// on 50 nodes, and the delay from a pod change to the cache's event. Prints only.
// Run as root: npx tsx bench/kube/run.ts [nodes] [podsPerNode]
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { createLab } from '../../test/lab/index';
import { KnownHostsStore, Masker, SshPool } from '../../src/remote';
import { KubeClient, WatchCache, resources, fetchKubeconfig, loadK8s } from '../../src/kube';
import { kubeconfigIn } from '../../test/support/kubeconfig-source';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const nodeCount = Number(process.argv[2] ?? 50);
  const podsPerNode = Number(process.argv[3] ?? 100);
  const lab = createLab(process.env.GC_LAB_NAME ?? 'gclabit');
  const t0 = performance.now();
  const info = await lab.up({
    nodes: nodeCount,
    state: 'joined',
    podsPerNode,
    subnetPrefix: process.env.GC_LAB_SUBNET ?? '10.250.1',
  });
  console.log(`lab up: ${nodeCount} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-bench-kube-'));
  const pool = new SshPool({
    knownHosts: new KnownHostsStore({ userFile: info.knownHostsPath, ownFile: path.join(tmp, 'kh') }),
    prompts: { confirmHostKey: async () => false },
    secrets: { get: async () => undefined },
    masker: new Masker(),
    agentSocket: null,
    homeDir: tmp,
  });
  const secrets = new Map<string, string>();
  let pods: WatchCache<K8s.V1Pod> | undefined;
  try {
    const tLoad = performance.now();
    await loadK8s();
    console.log(`@kubernetes/client-node first load: ${(performance.now() - tLoad).toFixed(0)} ms`);
    const nodes = info.nodes.slice(0, 3).map((n) => ({
      name: n.specHostname,
      address: n.address,
      user: info.user,
      identityFile: info.clientKeyPath,
    }));
    const client = await KubeClient.connect({
      endpoints: info.nodes.slice(0, 3).map((n) => ({ name: n.specHostname, address: n.address })),
      kubeconfig: kubeconfigIn(secrets, async () => (await fetchKubeconfig(pool, nodes)).kubeconfig),
    });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const tSync = performance.now();
    pods = new WatchCache<K8s.V1Pod>(client, resources.pods());
    await pods.start();
    const syncMs = performance.now() - tSync;
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(
      `first synced pod cache: ${pods.list().length} pods in ${syncMs.toFixed(0)} ms; ` +
        `heap +${mb(heapAfter - heapBefore)}${global.gc ? '' : ' (run with --expose-gc for a steadier number)'}`,
    );

    // The change is the API server's: `kubectl delete` first sets deletionTimestamp (MODIFIED), and the lab
    // then simulates the container stopping (~150 ms) before DELETED. So the clock runs from the moment the
    // lab's API server commits the change (its admin reply says when) to the cache's first event for the pod;
    // the admin call's own round trip is shown apart, as "call -> event" (what the earlier runs reported).
    const now = () => performance.timeOrigin + performance.now();
    const fromCommit: number[] = [];
    const fromCall: number[] = [];
    const untilGone: number[] = [];
    for (let i = 0; i < 20; i++) {
      const victim = pods.list()[i * 7]!;
      let firstEvent = 0;
      const gone = new Promise<number>((resolve) => {
        const off = pods!.onEvent((e) => {
          if (e.object.metadata?.uid !== victim.metadata?.uid) return;
          firstEvent ||= now();
          if (e.type === 'delete') {
            off();
            resolve(now());
          }
        });
      });
      const called = now();
      const committed = await lab.deletePod(victim.metadata!.namespace!, victim.metadata!.name!);
      const goneAt = await gone;
      fromCommit.push(firstEvent - committed);
      fromCall.push(firstEvent - called);
      untilGone.push(goneAt - committed);
    }
    const line = (label: string, values: number[]) => {
      values.sort((a, b) => a - b);
      console.log(`${label}: p50 ${pct(values, 50).toFixed(1)} ms, max ${values.at(-1)!.toFixed(1)} ms`);
    };
    line('pod change (committed by the API server) -> cache event, 20 deletes', fromCommit);
    line('admin call -> cache event (includes the lab admin round trip)', fromCall);
    line('pod change -> DELETED event (includes the lab’s simulated ~150 ms container stop)', untilGone);
  } finally {
    await pods?.stop();
    await pool.dispose();
    await lab.down();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
