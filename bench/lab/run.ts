// Lab up/down benchmark. Prints only. For 3 and 50 `joined` nodes it brings up this checkout's lab and, as
// the reference measured in the same run, the lab of another revision (default `main`: its test/lab is
// exported from git into node_modules/.cache, so it runs against the same dependencies), interleaved
// round by round; and the bare network plumbing any netns lab pays (namespaces, veths, a bridge, with `ip`).
// Run as root: npx tsx bench/lab/run.ts [rounds3] [rounds50] [revision]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LabApi } from '../../test/lab/api';
import { createLab } from '../../test/lab/index';

const LAB_NAME = process.env.GC_LAB_NAME ?? 'gclabup';
const LAB_SUBNET = process.env.GC_LAB_SUBNET ?? '10.250.30';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/** Namespaces, veths and a bridge only: what any netns lab pays before it starts a process. */
function plumbing(nodes: number): { upMs: number; downMs: number } {
  const bridge = 'gcbenchbr0';
  const started = performance.now();
  ip('link', 'add', bridge, 'type', 'bridge');
  for (let i = 1; i <= nodes; i++) {
    ip('netns', 'add', `gcbench-${i}`);
    ip('link', 'add', `gcbv${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', `gcbench-${i}`);
    ip('link', 'set', `gcbv${i}`, 'master', bridge, 'up');
    ip('-n', `gcbench-${i}`, 'link', 'set', 'eth0', 'up');
  }
  const upMs = performance.now() - started;
  const downStarted = performance.now();
  for (let i = 1; i <= nodes; i++) ip('netns', 'del', `gcbench-${i}`);
  ip('link', 'del', bridge);
  return { upMs, downMs: performance.now() - downStarted };
}

/** The reference revision's lab (its own controller, fakes and bring-up), from git. */
async function referenceLab(revision: string): Promise<LabApi> {
  const root = resolve(__dirname, '..', '..');
  const dir = join(root, 'node_modules', '.cache', 'gc-bench-lab-reference');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['-C', root, 'archive', revision, 'test/lab']);
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  const module = (await import(join(dir, 'test', 'lab', 'index.ts'))) as { createLab(name: string): LabApi };
  return module.createLab(LAB_NAME);
}

interface Sample {
  up: number[];
  down: number[];
  pods: number;
}

async function measure(lab: LabApi, nodes: number, into: Sample): Promise<void> {
  const started = performance.now();
  await lab.up({ nodes, state: 'joined', subnetPrefix: LAB_SUBNET });
  into.up.push(performance.now() - started);
  into.pods = (await lab.snapshot()).pods.length;
  const downStarted = performance.now();
  await lab.down();
  into.down.push(performance.now() - downStarted);
}

async function main(): Promise<void> {
  const rounds = { 3: Number(process.argv[2] ?? 5), 50: Number(process.argv[3] ?? 2) };
  const revision = process.argv[4] ?? 'main';
  const current = createLab(LAB_NAME);
  const reference = await referenceLab(revision);
  await current.down().catch(() => undefined);
  const load = () => execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ');
  const loadBefore = load();
  const rowsOut: string[] = [];
  for (const nodes of [3, 50] as const) {
    const ours: Sample = { up: [], down: [], pods: 0 };
    const theirs: Sample = { up: [], down: [], pods: 0 };
    const bare: Sample = { up: [], down: [], pods: 0 };
    for (let round = 0; round < rounds[nodes]; round++) {
      // Alternate who goes first, so a load spike does not always hit the same one.
      const order = round % 2 === 0 ? [current, reference] : [reference, current];
      for (const lab of order) await measure(lab, nodes, lab === current ? ours : theirs);
      const ref = plumbing(nodes);
      bare.up.push(ref.upMs);
      bare.down.push(ref.downMs);
    }
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    rowsOut.push(
      `| up, ${nodes} nodes (${ours.pods} / ${theirs.pods} pods) | ${ms(median(ours.up))} | ${ms(median(theirs.up))} | ` +
        `${(median(ours.up) / median(theirs.up)).toFixed(2)}× | ${ms(median(bare.up))} | ${(median(ours.up) / median(bare.up)).toFixed(1)}× |`,
      `| down, ${nodes} nodes | ${ms(median(ours.down))} | ${ms(median(theirs.down))} | ` +
        `${(median(ours.down) / median(theirs.down)).toFixed(2)}× | ${ms(median(bare.down))} | ${(median(ours.down) / median(bare.down)).toFixed(1)}× |`,
    );
  }
  console.log(
    `lab ${LAB_NAME}, state joined, rounds ${rounds[3]} (3 nodes) / ${rounds[50]} (50 nodes), reference ${revision}, load ${loadBefore} → ${load()}`,
  );
  console.log(
    `| measure | this lab (median) | ${revision}'s lab (median) | this / ${revision} | plumbing only | this / plumbing |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rowsOut) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
