// Node lifecycle benchmarks against the lab (root), printed (none asserts):
// 1. the drill's reporting delays, against the lab's own times for the events: NotReady reported vs the Ready
//    condition's change, recovery reported vs the last replacement pod's Ready (goal: both within 1 s), next
//    to a bare watch of the nodes started before the drill (the reference: what any watch sees);
// 2. add-node of 1 node and of 7 nodes onto a 1-node cluster, with where the time goes (per step, and the
//    join's part per node: add-node, join, waiting Ready).
// Labs `gclabnb1` (10.250.20) and `gclabnb2` (10.250.21), time scale 0.01. ROUNDS=N drills (default 5).
import { DRILL_TIMELINE } from '../../src/ops';
import type { DrillTimeline, RunEvent } from '../../src/ops';
import type { ClusterModel } from '../../src/cluster-spec';
import { KubeClusterApi } from '../../src/clusters/cluster-api';
import { startOpsLab } from '../../test/integration/ops/support/ops-lab';

const ROUNDS = Number(process.env.ROUNDS ?? 5);

const at = (t: DrillTimeline, kind: string) => t.entries.find((e) => e.kind === kind)?.at;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function drillDelays(): Promise<void> {
  const t = await startOpsLab('gclabnb1', {
    nodes: 3,
    state: 'deployed',
    subnetPrefix: '10.250.20',
    timeScale: 0.01,
  });
  const detect: number[] = [];
  const recover: number[] = [];
  const bare: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const snap = await t.lab.snapshot();
      const node = snap.pods.find(
        (p) => p.name.startsWith('gateway-manager-') && !p.name.includes('redis'),
      )!.nodeName;
      const before = new Set(snap.pods.map((p) => p.name));
      // The reference: a plain watch of the nodes (the same client, no engine), started before the drill.
      const client = await t.context.kubeClient({ fetch: true });
      const api = new KubeClusterApi(client, new AbortController().signal, () => undefined);
      let bareSeen: number | undefined;
      const sub = api.watchNodes((nodes) => {
        if (bareSeen === undefined && nodes.some((n) => n.name === node && n.readyStatus !== 'True'))
          bareSeen = Date.now();
      });
      // The lab's times: read right after each report (the node's NotReady transition, the pods' Ready).
      let labNotReady: number | undefined;
      let labLastReady: number | undefined;
      const pending: Array<Promise<void>> = [];
      const off = t.onEvent((e: RunEvent) => {
        if (e.type !== 'report' || e.key !== DRILL_TIMELINE) return;
        const timeline = e.value as DrillTimeline;
        if (at(timeline, 'notReady') && labNotReady === undefined)
          pending.push(
            t.lab.snapshot().then((s) => {
              labNotReady ??= s.nodes.find((n) => n.name === node)?.readySinceMs;
            }),
          );
        if (at(timeline, 'recovered') && labLastReady === undefined)
          pending.push(
            t.lab.snapshot().then((s) => {
              const fresh = s.pods.filter(
                (p) =>
                  !before.has(p.name) && p.ready && p.namespace === 'default' && !p.name.includes('redis'),
              );
              labLastReady ??= Math.max(...fresh.map((p) => p.readySinceMs ?? 0));
            }),
          );
      });
      const r = await t.run(t.engine.plan('drill', t.model, { node }));
      off();
      sub.stop();
      api.close();
      await Promise.all(pending);
      if (r.outcome !== 'succeeded') throw new Error(`drill failed: ${r.error?.message}`);
      const timeline = r.shared.get(DRILL_TIMELINE) as DrillTimeline;
      detect.push(at(timeline, 'notReady')! - labNotReady!);
      recover.push(at(timeline, 'recovered')! - labLastReady!);
      bare.push(bareSeen! - labNotReady!);
    }
  } finally {
    await t.close();
  }
  console.log(`drill reporting delay after the lab's event (${ROUNDS} drills, time scale 0.01):`);
  console.log(
    `  NotReady: median ${fmt(median(detect))}, worst ${fmt(Math.max(...detect))} (goal < 1000 ms); a bare watch: median ${fmt(median(bare))} — ratio ${(median(detect) / Math.max(1, median(bare))).toFixed(2)}`,
  );
  console.log(
    `  recovery (last replacement Ready): median ${fmt(median(recover))}, worst ${fmt(Math.max(...recover))} (goal < 1000 ms)`,
  );
}

async function addNodes(count: number): Promise<void> {
  const t = await startOpsLab('gclabnb2', {
    nodes: count + 1,
    state: 'fresh',
    subnetPrefix: '10.250.21',
    timeScale: 0.01,
  });
  try {
    const single: ClusterModel = {
      ...t.model,
      topology: 'single-node',
      nodes: [t.model.nodes[0]!],
      storage: {},
    };
    const base = await t.run(t.engine.join(single));
    if (base.outcome !== 'succeeded') throw new Error(`join failed: ${base.error?.message}`);
    // Two nodes are neither topology (the validator would say so; the engine joins them all the same).
    const target: ClusterModel = { ...t.model, topology: count + 1 >= 3 ? 'ha' : undefined };
    const started = performance.now();
    const r = await t.run(t.engine.plan('add-node', target));
    const total = performance.now() - started;
    if (r.outcome !== 'succeeded') throw new Error(`add-node failed: ${r.error?.message}`);
    const steps = r.transcript.steps.map((s) => `${s.id} ${fmt(s.durationMs ?? 0)}`).join(', ');
    const join = r.transcript.steps.find((s) => s.id === 'join');
    const perNode = Object.values(join?.nodes ?? {})
      .map((n) => n.durationMs ?? 0)
      .filter((ms) => ms > 0);
    const commands = (re: RegExp) =>
      r.transcript.commands
        .filter((c) => re.test(c.command))
        .reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
    const addNode = commands(/^microk8s add-node/);
    const joins = commands(/^microk8s join/);
    console.log(`add-node of ${count} node${count === 1 ? '' : 's'}: ${fmt(total)}`);
    console.log(`  steps: ${steps}`);
    console.log(
      `  join, per node: median ${fmt(median(perNode))} — of which microk8s add-node ${fmt(addNode / perNode.length)}, microk8s join ${fmt(joins / perNode.length)}, the rest waiting Ready and the token's bookkeeping`,
    );
  } finally {
    await t.close();
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('bench/lifecycle needs root (the lab); skipped');
    return;
  }
  await drillDelays();
  await addNodes(1);
  await addNodes(7);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
