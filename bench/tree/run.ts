/**
 * `npx tsx bench/tree/run.ts [nodes] [podsPerNode]` (root; default 50 nodes × 100 pods, about 5,100 pods with
 * the DaemonSets): the Clusters tree inside code-server's real extension host against a big lab —
 * Connect → first full render, expanding nodes of about 100 pods, pod change → tree item change, the host's
 * memory before and after — then, in this process against the same lab, a node's pods listed with
 * `fieldSelector=spec.nodeName` against listing every pod and filtering (as Microsoft's Kubernetes extension
 * does). Prints the numbers; asserts nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTempDir } from '../../scripts/code-server';
import { ensureTools } from '../../scripts/ensure-tools';
import {
  KubeClient,
  describeNode,
  describePod,
  eventFromKube,
  fetchKubeconfig,
  listPods,
} from '../../src/kube';
import { buildTestSeams, ensureBuilt } from '../../test/e2e/support';
import { createLab, type LabInfo } from '../../test/lab/index';
import { labPool, labRemoteNodes } from '../../test/integration/support/lab-remote';
import { buildHostBench, runHostBench } from '../support/host-bench';
import { kubeconfigIn } from '../../test/support/kubeconfig-source';

const LAB = { name: 'gclabbench', subnetPrefix: '10.250.13' } as const;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Per-node listing against list-all-and-filter, from this process (plain Node, the product's kube layer). */
async function compareListing(info: LabInfo): Promise<Record<string, unknown>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gc-bench-tree-'));
  const pool = labPool(info, tmp);
  try {
    const secrets = new Map<string, string>();
    const nodes = info.nodes.slice(0, 3);
    const client = await KubeClient.connect({
      endpoints: nodes.map((n) => ({ name: n.specHostname, address: n.address })),
      kubeconfig: kubeconfigIn(
        secrets,
        async () => (await fetchKubeconfig(pool, labRemoteNodes(info, 3))).kubeconfig,
      ),
    });
    const targets = info.nodes.slice(-10).map((n) => n.specHostname);
    const selected: number[] = [];
    const all: number[] = [];
    let selectedBytes = 0;
    let allBytes = 0;
    let podsOnNode = 0;
    let podsInCluster = 0;
    for (const node of targets) {
      let t = performance.now();
      const mine = await listPods(client, node);
      selected.push(performance.now() - t);
      selectedBytes = JSON.stringify(mine).length;
      t = performance.now();
      const every = await listPods(client);
      const filtered = every.filter((p) => p.spec?.nodeName === node);
      all.push(performance.now() - t);
      allBytes = JSON.stringify(every).length;
      podsOnNode = filtered.length;
      podsInCluster = every.length;
      if (filtered.length !== mine.length) throw new Error(`listings disagree for ${node}`);
    }
    // Describe and Events as the views open them (ClusterViews: the object, its events, for a node also its
    // pods and lease), against a bare GET of the object in the same run.
    const get = (p: string) => client.getRaw(p);
    const q = encodeURIComponent;
    const somePod = (await listPods(client, targets[0])).find((p) =>
      p.metadata?.name?.startsWith('sample-'),
    )!;
    const ns = somePod.metadata!.namespace!;
    const name = somePod.metadata!.name!;
    const bare: number[] = [];
    const podDescribe: number[] = [];
    const nodeDescribe: number[] = [];
    const clusterEvents: number[] = [];
    for (let i = 0; i < 10; i++) {
      let t = performance.now();
      await get(`/api/v1/namespaces/${ns}/pods/${name}`);
      bare.push(performance.now() - t);
      t = performance.now();
      const [pod, events] = await Promise.all([
        get(`/api/v1/namespaces/${ns}/pods/${name}`),
        get(`/api/v1/namespaces/${ns}/events?fieldSelector=${q(`involvedObject.name=${name}`)}`),
      ]);
      describePod(pod, events.items as unknown[], { now: Date.now() });
      podDescribe.push(performance.now() - t);
      const nodeName = targets[i % targets.length]!;
      t = performance.now();
      const [node, onNode, nodeEvents] = await Promise.all([
        get(`/api/v1/nodes/${nodeName}`),
        get(
          `/api/v1/pods?fieldSelector=${q(`spec.nodeName=${nodeName},status.phase!=Succeeded,status.phase!=Failed`)}`,
        ),
        get(`/api/v1/events?fieldSelector=${q(`involvedObject.kind=Node,involvedObject.name=${nodeName}`)}`),
      ]);
      describeNode(
        { node, pods: onNode.items as unknown[], events: nodeEvents.items as unknown[] },
        { now: Date.now() },
      );
      nodeDescribe.push(performance.now() - t);
      t = performance.now();
      const all = await get('/api/v1/events');
      (all.items as unknown[]).map((e) => eventFromKube(e));
      clusterEvents.push(performance.now() - t);
    }
    const views = {
      bareGetMedianMs: Math.round(median(bare)),
      describePodMedianMs: Math.round(median(podDescribe)),
      describeNodeMedianMs: Math.round(median(nodeDescribe)),
      clusterEventsMedianMs: Math.round(median(clusterEvents)),
      goal: 'Events and Describe < 300 ms',
    };
    return {
      views,
      samples: targets.length,
      podsOnNode,
      podsInCluster,
      fieldSelectorMedianMs: Math.round(median(selected)),
      listAllAndFilterMedianMs: Math.round(median(all)),
      fieldSelectorPayloadKiB: Math.round(selectedBytes / 1024),
      listAllPayloadKiB: Math.round(allBytes / 1024),
    };
  } finally {
    await pool.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const nodes = Number(process.argv[2] ?? 50);
  const podsPerNode = Number(process.argv[3] ?? 100);
  const tools = await ensureTools();
  ensureBuilt();
  await buildTestSeams();
  // esbuild stays out: the lab module imports it for `up`, which this process does.
  const outDir = await buildHostBench('tree', ['esbuild']);

  const lab = createLab(LAB.name);
  const workspace = makeTempDir('gc-tree-bench');
  try {
    // The largest lab that comes up: a loaded 2-core machine may not start 50 nodes in the lab's time limit.
    let size = nodes;
    let info: LabInfo | undefined;
    let upMs = 0;
    for (let attempt = 1; !info; attempt++) {
      const t0 = performance.now();
      try {
        info = await lab.up({ nodes: size, state: 'joined', podsPerNode, subnetPrefix: LAB.subnetPrefix });
        upMs = Math.round(performance.now() - t0);
      } catch (error) {
        console.log(`lab with ${size} nodes did not come up: ${String(error)}`);
        if (size <= 3) throw error;
        if (attempt % 2 === 0) size = Math.max(3, Math.floor(size / 2));
      }
    }
    const pods = (await lab.snapshot()).pods.length;
    console.log(
      `lab ${lab.name}: ${size} nodes, ${pods} pods, up in ${(upMs / 1000).toFixed(1)} s` +
        (size < nodes ? ` (asked for ${nodes} nodes: the largest that came up)` : ''),
    );
    fs.writeFileSync(path.join(workspace, 'cluster.yaml'), info.specYaml);

    const host = await runHostBench<Record<string, unknown>>(tools, outDir, workspace, {
      // GC_TEST_HOOKS: activate() waits for the features and returns the testing exports (src/extension.ts).
      env: { GC_BENCH_LAB: lab.name, GC_TEST_HOOKS: '1' },
      timeoutMs: 600_000,
    });
    const listing = await compareListing(info);
    console.log(
      JSON.stringify({ lab: { nodes: size, pods, upMs }, extensionHost: host.results, listing }, null, 2),
    );
    if (host.failed > 0) process.exitCode = 1;
  } finally {
    await lab.down();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
