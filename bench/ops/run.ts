// Operations engine benchmarks, printed (none asserts):
// 1. the engine's own overhead per step: a plan of many one-command steps on a runner that answers at once,
//    against the same commands called directly (goal: under 5 ms);
// 2. preflight wall time on 3 and 10 lab nodes (goal: 10 nodes within 1.5x of 3), cold (new SSH sessions)
//    and warm (sessions open);
// 3. join + deploy + register from fresh on a 3-node lab, next to the sum of its remote commands' times.
// Parts 2 and 3 need root (the lab, `gclabop2` on 10.250.6.0/24); `SKIP_LAB=1` runs part 1 only.
import { Masker } from '../../src/remote/masker';
import { MemoryTranscriptSink, runPlan } from '../../src/ops';
import type { NodeRunner, Plan, RunEvent, RunResult, Step } from '../../src/ops';
import { FakeCluster, labModel } from '../../test/unit/ops/fake-cluster';
import { OperationsEngine } from '../../src/ops';
import { startOpsLab } from '../../test/integration/ops/support/ops-lab';
import type { OpsLab } from '../../test/integration/ops/support/ops-lab';

const STEPS = Number(process.env.STEPS ?? 500);
const LAB_NAME = 'gclabop2';
const LAB_SUBNET = '10.250.6';

async function engineOverhead(): Promise<void> {
  const model = labModel(3);
  const node = model.nodes[0]!;
  const output = 'line one\nline two\nline three\n';
  const runner: NodeRunner = {
    exec: async (_n, _c, o) => {
      for (const line of output.split('\n')) if (line) o.onLine?.(line, 'stdout');
      return { code: 0, stdout: output, stderr: '' };
    },
  };
  const plan = (): Plan => {
    const steps: Step[] = Array.from({ length: STEPS }, (_, i) => ({
      id: `step-${i}`,
      title: `Step ${i}`,
      check: async () => undefined,
      run: async (ctx) => void (await ctx.exec(node, { argv: ['microk8s', 'status'] })),
      preview: () => [],
    }));
    return { operation: 'deploy', cluster: 'bench', model, steps };
  };
  // Baseline: the same commands without the engine.
  const signal = new AbortController().signal;
  let t = performance.now();
  for (let i = 0; i < STEPS; i++)
    await runner.exec(node, { argv: ['microk8s', 'status'] }, { timeoutMs: 1000, signal });
  const direct = performance.now() - t;
  const results: number[] = [];
  for (let round = 0; round < 5; round++) {
    const events: RunEvent[] = [];
    const sink = new MemoryTranscriptSink();
    t = performance.now();
    const r = await runPlan(plan(), {
      nodes: runner,
      secrets: { get: async () => undefined },
      kubeconfig: { read: async () => undefined, store: async () => undefined },
      api: { connect: () => Promise.reject(new Error('no cluster in this bench')) },
      masker: new Masker(),
      sink,
      onEvent: (e) => events.push(e),
    });
    const total = performance.now() - t;
    if (r.outcome !== 'succeeded') throw new Error('bench run failed');
    results.push((total - direct) / STEPS);
  }
  results.sort((a, b) => a - b);
  console.log(`ops engine overhead per step (${STEPS} steps, 1 command each, events + transcript on):`);
  console.log(
    `  median ${results[2]!.toFixed(3)} ms, best ${results[0]!.toFixed(3)} ms, worst ${results[4]!.toFixed(3)} ms (goal < 5 ms)`,
  );
}

/**
 * Preflight on 3 and 10 simulated nodes whose every command takes the same fixed time: how the engine's
 * fan-out scales when each node has its own CPU (as real VMs do, unlike the lab's nodes, which share this
 * machine's cores).
 */
async function simulatedPreflight(): Promise<void> {
  const LATENCY_MS = 40;
  const wall: Record<number, number> = {};
  for (const nodes of [3, 10]) {
    const model = labModel(nodes);
    const fake = new FakeCluster(model, 'joined');
    const runner: NodeRunner = {
      exec: async (node, command, options) => {
        await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
        return fake.exec(node, command, options);
      },
    };
    const masker = new Masker();
    const engine = new OperationsEngine({
      nodes: runner,
      secrets: fake,
      kubeconfig: fake.kubeconfigStore(masker),
      api: fake.apiSource(),
      masker,
    });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const r = await engine.run(engine.preflight(model));
      if (r.outcome !== 'succeeded') throw new Error(`simulated preflight failed: ${r.error?.message}`);
      times.push(performance.now() - started);
    }
    wall[nodes] = median(times);
  }
  console.log(`preflight on simulated nodes (every command ${LATENCY_MS} ms, median of 5):`);
  console.log(
    `  3 nodes ${wall[3]!.toFixed(0)} ms, 10 nodes ${wall[10]!.toFixed(0)} ms: ${(wall[10]! / wall[3]!).toFixed(2)}x (goal <= 1.5x)`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Preflight wall times on a joined lab of `nodes`: the first run (SSH connects) and the median of 5 more. */
async function preflightTimes(nodes: number): Promise<{ cold: number; warm: number; commands: number }> {
  const t = await startOpsLab(LAB_NAME, { nodes, state: 'joined', subnetPrefix: LAB_SUBNET });
  try {
    const once = async () => {
      const started = performance.now();
      const r = await t.engine.run(t.engine.preflight(t.model));
      if (r.outcome !== 'succeeded') throw new Error(`preflight failed: ${r.error?.message}`);
      return { ms: performance.now() - started, commands: r.transcript.commands.length };
    };
    const cold = await once();
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await once()).ms);
    return { cold: cold.ms, warm: median(warm), commands: cold.commands };
  } finally {
    await t.close();
  }
}

/** Wall time of a run and the sum of its remote commands' times (from the transcript). */
function timing(r: RunResult): { wall: number; remote: number; commands: number } {
  const remote = r.transcript.commands.reduce((sum, c) => sum + (c.durationMs ?? 0), 0);
  return { wall: r.transcript.durationMs ?? 0, remote, commands: r.transcript.commands.length };
}

async function wholeProcedure(): Promise<void> {
  const t: OpsLab = await startOpsLab(LAB_NAME, { nodes: 3, state: 'fresh', subnetPrefix: LAB_SUBNET });
  try {
    // @kubernetes/client-node's first load (seconds on a loaded machine) is a one-off per editor session:
    // load it before the clock starts, as the Clusters view would have.
    await import('@kubernetes/client-node');
    const rows: Array<[string, ReturnType<typeof timing>]> = [];
    for (const plan of [t.engine.join(t.model), t.engine.deploy(t.model), t.engine.register(t.model)]) {
      const r = await t.run(plan);
      if (r.outcome !== 'succeeded') throw new Error(`${plan.operation} failed: ${r.error?.message}`);
      rows.push([plan.operation, timing(r)]);
    }
    const total = rows.reduce(
      (a, [, x]) => ({
        wall: a.wall + x.wall,
        remote: a.remote + x.remote,
        commands: a.commands + x.commands,
      }),
      { wall: 0, remote: 0, commands: 0 },
    );
    console.log(
      'join + deploy + register from fresh, 3 lab nodes (wall time vs sum of remote command times):',
    );
    for (const [name, x] of [...rows, ['total', total] as const]) {
      console.log(
        `  ${name.padEnd(9)} wall ${fmt(x.wall).padStart(8)}   remote commands ${fmt(x.remote).padStart(8)} (${x.commands} commands)`,
      );
    }
    console.log(
      '  (remote commands overlap where steps run per node in parallel; API waits are not commands)',
    );
  } finally {
    await t.close();
  }
}

async function main(): Promise<void> {
  await engineOverhead();
  await simulatedPreflight();
  if (process.env.SKIP_LAB) return;
  if (process.getuid?.() !== 0) {
    console.log('lab benchmarks skipped: they need root');
    return;
  }
  const three = await preflightTimes(3);
  const ten = await preflightTimes(10);
  console.log(
    'preflight wall time on a joined lab (cold = first run with SSH connects; warm = median of 5):',
  );
  console.log(`  3 nodes:  cold ${fmt(three.cold)}, warm ${fmt(three.warm)} (${three.commands} commands)`);
  console.log(`  10 nodes: cold ${fmt(ten.cold)}, warm ${fmt(ten.warm)} (${ten.commands} commands)`);
  console.log(
    `  10 / 3: cold ${(ten.cold / three.cold).toFixed(2)}x, warm ${(ten.warm / three.warm).toFixed(2)}x (goal <= 1.5x)`,
  );
  await wholeProcedure();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
