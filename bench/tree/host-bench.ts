// Runs inside code-server's extension host (loaded as extensionTestsPath by bench/tree/run.ts) against the
// big lab named in GC_BENCH_LAB, whose spec is already in the workspace: Connect → first full render,
// expanding nodes of about 100 pods, pod change → tree item change, and the host's memory before and after.
// Writes the numbers as JSON to GC_HOST_RESULTS.
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestingHooks } from '../../test/e2e/seams/test-features';
import { createLab } from '../../test/lab/index';

const CLUSTER = 'lab-gateways';

interface Item {
  depth: number;
  kind: string;
  label: string;
  description: string;
}
interface Snapshot {
  items: Item[];
  stats: { fires: number; wholeTree: number; items: number };
  activePodWatches: number;
}

async function snapshot(options: object = {}): Promise<Snapshot> {
  return (await vscode.commands.executeCommand('gatewayCluster.test.snapshot', options)) as Snapshot;
}

/** Pod labels under one node of the snapshot. */
function podsUnder(items: Item[], node: string): string[] {
  const start = items.findIndex((i) => i.depth === 1 && i.kind === 'node' && i.label === node);
  const pods: string[] = [];
  for (const item of items.slice(start + 1)) {
    if (item.depth <= 1) break;
    if (item.kind === 'pod') pods.push(item.label);
  }
  return start < 0 ? [] : pods;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function memory(): { rssMiB: number; heapUsedMiB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed) };
}

export async function run(): Promise<void> {
  const resultsFile = process.env.GC_HOST_RESULTS;
  const results: Record<string, unknown> = {};
  let failed = 0;
  const note = (line: string) => {
    console.log(line);
    if (resultsFile) fs.appendFileSync(`${resultsFile}.log`, `${line}\n`);
  };
  try {
    const lab = createLab(process.env.GC_BENCH_LAB);
    const info = await lab.info();
    if (!info) throw new Error(`lab ${lab.name} is not up`);
    const extension = vscode.extensions.getExtension<{ testing?: TestingHooks } | undefined>(
      'gateway-clusters.gateway-cluster',
    );
    const testing = (await extension?.activate())?.testing;
    if (!testing) throw new Error('no testing exports: not an extension test run?');
    testing.prompts.testAnswer = (q) =>
      info.nodes.some((n) => n.address === q.address && n.hostKeyFingerprint === q.fingerprint);

    await vscode.commands.executeCommand('gatewayCluster.clusters.focus');
    await until(
      'the lab cluster in the tree',
      async () => ((await snapshot()).items.some((i) => i.label === CLUSTER) ? true : undefined),
      60_000,
    );
    // Again once the workbench has settled: pods are listed only while the view is visible.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await vscode.commands.executeCommand('gatewayCluster.clusters.focus');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    results.memoryBefore = memory();
    note(`memory before: ${JSON.stringify(results.memoryBefore)}`);

    // Connect → every node listed Ready (the tree item of the cluster and its nodes).
    const total = info.nodes.length;
    const t0 = performance.now();
    const ok = await vscode.commands.executeCommand('gatewayCluster.cluster.connect', CLUSTER);
    if (ok !== true) throw new Error('Connect failed');
    const connectedMs = performance.now() - t0;
    await until(
      'the first full render',
      async () => {
        const items = (await snapshot({ flush: false })).items;
        const cluster = items.find((i) => i.depth === 0 && i.label === CLUSTER);
        const ready = items.filter((i) => i.kind === 'node' && i.description.startsWith('Ready')).length;
        return cluster?.description.startsWith(`${total}/${total} Ready`) && ready === total
          ? true
          : undefined;
      },
      60_000,
    );
    results.connectMs = Math.round(connectedMs);
    results.firstFullRenderMs = Math.round(performance.now() - t0);
    note(`connect: ${results.connectMs} ms, first full render: ${results.firstFullRenderMs} ms`);

    // Expand nodes one by one (once the view has drawn them expandable); each has podsPerNode sample pods
    // plus its DaemonSet pods.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const expandTimes: number[] = [];
    // What the user waits for: expand → the provider hands VS Code the node's pods (seams/expand-timing.ts).
    const seenTimes: number[] = [];
    const askedTimes: number[] = [];
    const expanded: string[] = [];
    let podsPerExpandedNode = 0;
    for (const node of info.nodes.slice(-10)) {
      const name = node.specHostname;
      const inLab = (await lab.snapshot()).pods.filter((p) => p.nodeName === name).length;
      const t = performance.now();
      const expand = { expand: [{ cluster: CLUSTER, node: name }] };
      const seen = (await vscode.commands.executeCommand('gatewayCluster.test.timeExpand', {
        cluster: CLUSTER,
        node: name,
        pods: inLab,
      })) as { askedMs: number; shownMs: number };
      seenTimes.push(seen.shownMs);
      askedTimes.push(seen.askedMs);
      await snapshot(expand);
      let asked = performance.now();
      await until(
        `the pods of ${name}`,
        async () => {
          // Asked again if the view had not redrawn the node as expandable yet (right after Connect).
          const again = performance.now() - asked > 1000;
          if (again) asked = performance.now();
          const items = (await snapshot(again ? expand : {})).items;
          return podsUnder(items, name).length === inLab ? true : undefined;
        },
        30_000,
      ).catch(async (error: unknown) => {
        const items = (await snapshot()).items;
        const at = items.findIndex((i) => i.label === name);
        const watches = (await snapshot()).activePodWatches;
        note(
          `expected ${inLab} pods (${watches} pod watches); the tree shows: ${JSON.stringify(items.slice(at, at + 3))}`,
        );
        throw error;
      });
      expandTimes.push(performance.now() - t);
      expanded.push(name);
      podsPerExpandedNode = inLab;
    }
    results.expand = {
      nodes: expandTimes.length,
      podsPerNode: podsPerExpandedNode,
      // The pods handed to VS Code (what it paints), measured inside the extension host.
      shownMedianMs: Math.round(median(seenTimes)),
      shownMaxMs: Math.round(Math.max(...seenTimes)),
      // Of that, until VS Code first asked for the node's children (its reveal, through the renderer).
      askedMedianMs: Math.round(median(askedTimes)),
      // The bench's own round trip: the snapshot command polled until every pod is listed.
      roundTripMedianMs: Math.round(median(expandTimes)),
      roundTripMaxMs: Math.round(Math.max(...expandTimes)),
    };
    note(`expand: ${JSON.stringify(results.expand)}`);

    // A pod deleted in the lab → the tree fires a refresh without it (coalescing included, no flush).
    const changeTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const node = expanded[i % expanded.length]!;
      const before = await snapshot();
      const victim = podsUnder(before.items, node).find((p) => p.startsWith('sample-'));
      if (!victim) throw new Error(`no sample pod on ${node}`);
      const t = performance.now();
      await lab.deletePod('default', victim);
      await until(
        `${victim} gone from the tree`,
        async () => {
          const snap = await snapshot();
          return snap.stats.fires > before.stats.fires && !podsUnder(snap.items, node).includes(victim)
            ? true
            : undefined;
        },
        10_000,
      );
      changeTimes.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    results.podChange = {
      samples: changeTimes.length,
      medianMs: Math.round(median(changeTimes)),
      maxMs: Math.round(Math.max(...changeTimes)),
    };
    note(`pod change → tree: ${JSON.stringify(results.podChange)}`);

    const snap = await snapshot();
    results.itemsShown = snap.items.length;
    results.activePodWatches = snap.activePodWatches;
    results.memoryAfter = memory();
    note(`memory after: ${JSON.stringify(results.memoryAfter)} (${snap.items.length} items shown)`);

    await vscode.commands.executeCommand('gatewayCluster.cluster.disconnect', CLUSTER);
    testing.prompts.testAnswer = undefined;
  } catch (error) {
    failed = 1;
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    note(`bench failed: ${String(results.error)}`);
  }
  if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify({ failed, results }));
}
