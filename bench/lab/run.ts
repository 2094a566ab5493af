// Lab up/down benchmark (issue 5's goals: 3 nodes up in under 5 s, down in under 1 s). Prints only.
// The reference, measured in the same run, is the bare network plumbing the lab cannot avoid: three
// namespaces with a veth pair each into a bridge, created and deleted with `ip`. Run as root:
// npx tsx bench/lab/run.ts [rounds]
import { execFileSync } from 'node:child_process';
import { createLab } from '../../test/lab/index';

const LAB_NAME = process.env.GC_LAB_NAME ?? 'gclabup';
const LAB_SUBNET = process.env.GC_LAB_SUBNET ?? '10.250.30';
const NODES = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/** Namespaces, veths and a bridge only: what any netns lab pays before it starts a process. */
function plumbing(): { upMs: number; downMs: number } {
  const bridge = 'gcbenchbr0';
  const started = performance.now();
  ip('link', 'add', bridge, 'type', 'bridge');
  for (let i = 1; i <= NODES; i++) {
    ip('netns', 'add', `gcbench-${i}`);
    ip('link', 'add', `gcbv${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', `gcbench-${i}`);
    ip('link', 'set', `gcbv${i}`, 'master', bridge, 'up');
    ip('-n', `gcbench-${i}`, 'link', 'set', 'eth0', 'up');
  }
  const upMs = performance.now() - started;
  const downStarted = performance.now();
  for (let i = 1; i <= NODES; i++) ip('netns', 'del', `gcbench-${i}`);
  ip('link', 'del', bridge);
  return { upMs, downMs: performance.now() - downStarted };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const lab = createLab(LAB_NAME);
  const ups: number[] = [];
  const downs: number[] = [];
  const refUps: number[] = [];
  const refDowns: number[] = [];
  // The first up also makes the lab's keys (kept across ups): reported apart, as a fresh CI machine sees it.
  await lab.down().catch(() => {});
  for (let round = 0; round < rounds; round++) {
    const ref = plumbing();
    refUps.push(ref.upMs);
    refDowns.push(ref.downMs);
    const started = performance.now();
    await lab.up({ nodes: NODES, state: 'joined', subnetPrefix: LAB_SUBNET });
    ups.push(performance.now() - started);
    const downStarted = performance.now();
    await lab.down();
    downs.push(performance.now() - downStarted);
  }
  const load = execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ');
  console.log(`lab ${LAB_NAME}, ${NODES} nodes, state joined, ${rounds} rounds, load ${load}`);
  console.log(`| measure | lab (median) | first round | plumbing only (median) | lab / plumbing | goal |`);
  console.log(`| --- | --- | --- | --- | --- | --- |`);
  const row = (name: string, lab: number[], ref: number[], goal: string) =>
    console.log(
      `| ${name} | ${median(lab).toFixed(0)} ms | ${lab[0]!.toFixed(0)} ms | ${median(ref).toFixed(0)} ms | ` +
        `${(median(lab) / median(ref)).toFixed(1)}× | ${goal} |`,
    );
  row('up', ups, refUps, 'under 5,000 ms');
  row('down', downs, refDowns, 'under 1,000 ms');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
