// The engine's own overhead per step: a plan of many one-command steps on a runner that answers at once,
// against the same commands called directly. Prints ms per step (goal: under 5 ms).
import { MemoryTranscriptSink, runPlan } from '../../src/ops';
import type { NodeRunner, Plan, RunEvent, Step } from '../../src/ops';
import { labModel } from '../../test/unit/ops/fake-cluster';

const STEPS = Number(process.env.STEPS ?? 500);
const model = labModel(3);
const node = model.nodes[0]!;
const output = 'line one\nline two\nline three\n';
const runner: NodeRunner = {
  exec: async (_n, _c, o) => {
    for (const line of output.split('\n')) if (line) o.onLine?.(line, 'stdout');
    return { code: 0, stdout: output, stderr: '' };
  },
};

function plan(): Plan {
  const steps: Step[] = Array.from({ length: STEPS }, (_, i) => ({
    id: `step-${i}`,
    title: `Step ${i}`,
    check: async () => undefined,
    run: async (ctx) => void (await ctx.exec(node, { argv: ['microk8s', 'status'] })),
    preview: () => [],
  }));
  return { operation: 'deploy', cluster: 'bench', model, steps };
}

async function main() {
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
      secrets: { get: async () => undefined, store: async () => undefined },
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

void main();
