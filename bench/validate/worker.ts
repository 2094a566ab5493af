// Editor validation of a large spec on the extension host's thread versus in the worker thread the editor
// always uses: `npx tsx bench/validate/worker.ts [nodes] [runs]`. Prints the latency
// and the longest stall of this thread's event loop during each (what typing and other extensions feel).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { specWorkerBuild } from '../../scripts/node-bundles';
import { fromPortable } from '../../src/spec-service/portable-result';
import { SpecWorkerClient } from '../../src/spec-service/worker-client';
import { validateText } from '../../src/cluster-spec';
import { generateSpec } from './spec-generator';

const nodes = Number(process.argv[2] ?? 3000);
const runs = Number(process.argv[3] ?? 20);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

async function timed(task: () => Promise<unknown>): Promise<{ latency: number; stall: number }> {
  // A 1 ms ticker: the longest gap between its ticks is the longest time this thread could not respond.
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 10));
  stall = 0;
  last = performance.now();
  const started = performance.now();
  await task();
  const latency = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 10));
  clearInterval(ticker);
  return { latency, stall };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gc-worker-bench-'));
  const script = path.join(dir, 'spec-worker.js');
  buildSync(specWorkerBuild(script));
  const client = new SpecWorkerClient(script);
  try {
    const text = generateSpec(nodes);
    const fileName = 'bench.cluster.yaml';
    const subjects: Record<string, () => Promise<unknown>> = {
      'this thread': async () => validateText(text, fileName),
      worker: async () => {
        const answer = await client.validate('bench', 1, { text, fileName, options: {} });
        return fromPortable(answer.result, () => validateText(text, fileName));
      },
    };
    const samples: Record<string, Array<{ latency: number; stall: number }>> = {};
    for (let round = -3; round < runs; round++) {
      for (const [name, task] of Object.entries(subjects)) {
        const sample = await timed(task);
        if (round >= 0) (samples[name] ??= []).push(sample);
      }
    }
    console.log(`${nodes} nodes, ${text.length.toLocaleString('en')} chars; median of ${runs}, interleaved`);
    console.log('| where | latency ms | longest event-loop stall ms |');
    console.log('| --- | --- | --- |');
    for (const [name, list] of Object.entries(samples)) {
      console.log(
        `| ${name} | ${median(list.map((s) => s.latency)).toFixed(0)} | ${median(list.map((s) => s.stall)).toFixed(0)} |`,
      );
    }
  } finally {
    client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
