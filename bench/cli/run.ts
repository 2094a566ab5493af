// The CLI's benchmarks, printed (none asserts):
// 1. start-up: `gateway-cluster --version`, `validate --offline` and `plan join` on a 3-node spec, each a
//    whole process, against `node -e 0` (interleaved rounds, medians);
// 2. join + deploy + register from fresh on a 3-node lab: the CLI (three processes, as a pipeline runs
//    them) against the same plans through the editor's engine in one process, in the same lab, and each
//    against the sum of its remote commands' times.
// The CLI is built as the package ships it (dist/cli.js and dist/vendor/, minified). Part 2 needs root (the
// lab `gclabclib` on 10.250.52.0/24); `SKIP_LAB=1` runs part 1 only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { cliBuild } from '../../scripts/node-bundles';
import { vendorBuild, vendorEntries, type VendorModule } from '../../scripts/vendor-entries/vendor-builds';
import { EXAMPLE_HA_SPEC } from '../../src/cluster-spec';
import type { RunResult, TranscriptRecord } from '../../src/ops';
import { startOpsLab } from '../../test/integration/ops/support/ops-lab';

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const LAB_NAME = 'gclabclib';
const LAB_SUBNET = '10.250.52';
const root = path.resolve(__dirname, '../..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

async function buildCli(dir: string): Promise<string> {
  const cli = path.join(dir, 'dist', 'cli.js');
  await Promise.all([
    build(cliBuild(cli, { minify: true })),
    ...(Object.keys(vendorEntries) as VendorModule[]).map((name) =>
      build({
        ...vendorBuild(name, path.join(dir, 'dist', 'vendor'), { minify: true, logLevel: 'error' }),
        absWorkingDir: root,
      }),
    ),
  ]);
  return cli;
}

function startup(cli: string, dir: string): void {
  const spec = path.join(dir, 'cluster.yaml');
  writeFileSync(spec, EXAMPLE_HA_SPEC);
  const subjects: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    'gateway-cluster --version': [cli, '--version'],
    'gateway-cluster validate --offline': [cli, 'validate', '--offline', spec],
    'gateway-cluster plan join': [cli, 'plan', 'join', spec],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const [name, args] of Object.entries(subjects)) {
      const started = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: dir, env: { ...process.env, HOME: dir } });
      const elapsed = performance.now() - started;
      if (r.status !== 0) throw new Error(`${name} failed: ${String(r.stderr)}`);
      if (round >= 2) times[name]!.push(elapsed); // two warm-up rounds (disk cache)
    }
  }
  const bare = median(times['node -e 0']!);
  console.log(`CLI start-up, whole process (median of ${ROUNDS} interleaved rounds):`);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    const versus = name === 'node -e 0' ? '' : `  (+${ms(m - bare)}, ${(m / bare).toFixed(2)}x node -e 0)`;
    console.log(`  ${name.padEnd(36)} ${ms(m).padStart(7)}${versus}`);
  }
}

interface Timing {
  /** Whole time: the process from spawn to exit (CLI), the run (engine). */
  wall: number;
  /** The run itself as its transcript records it. */
  run: number;
  remote: number;
  commands: number;
  /** The kubeconfig step (the CLI fetches it in every process; the editor keeps it stored). */
  kubeconfig: number;
}

function timingOf(t: TranscriptRecord, wall: number): Timing {
  return {
    wall,
    run: t.durationMs ?? 0,
    remote: t.commands.reduce((sum, c) => sum + (c.durationMs ?? 0), 0),
    commands: t.commands.length,
    kubeconfig: t.steps.find((step) => step.id === 'kubeconfig')?.durationMs ?? 0,
  };
}

function runCli(
  cli: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) =>
    child.on('close', (status) =>
      status === 0
        ? resolve({ ms: performance.now() - started, stdout })
        : reject(new Error(`gateway-cluster ${args.join(' ')} exited ${status}: ${stderr}`)),
    ),
  );
}

function table(title: string, rows: Array<[string, Timing]>): Timing {
  const total = rows.reduce(
    (a, [, x]) => ({
      wall: a.wall + x.wall,
      run: a.run + x.run,
      remote: a.remote + x.remote,
      commands: a.commands + x.commands,
      kubeconfig: a.kubeconfig + x.kubeconfig,
    }),
    { wall: 0, run: 0, remote: 0, commands: 0, kubeconfig: 0 },
  );
  console.log(title);
  for (const [name, x] of [...rows, ['total', total] as [string, Timing]]) {
    console.log(
      `  ${name.padEnd(9)} wall ${s(x.wall).padStart(8)}   run ${s(x.run).padStart(8)}   remote commands ${s(x.remote).padStart(8)} (${x.commands})   kubeconfig step ${s(x.kubeconfig)}`,
    );
  }
  return total;
}

async function procedure(cli: string): Promise<void> {
  const t = await startOpsLab(LAB_NAME, { nodes: 3, state: 'fresh', subnetPrefix: LAB_SUBNET });
  const dir = await fs.mkdtemp(path.join(tmpdir(), 'gc-bench-cli-'));
  try {
    // The engine as the editor runs it: one process, the Kubernetes client already loaded by the tree.
    await import('@kubernetes/client-node');
    const engineRows: Array<[string, Timing]> = [];
    for (const plan of [t.engine.join(t.model), t.engine.deploy(t.model), t.engine.register(t.model)]) {
      const started = performance.now();
      const r: RunResult = await t.run(plan);
      const wall = performance.now() - started;
      if (r.outcome !== 'succeeded') throw new Error(`engine ${plan.operation} failed: ${r.error?.message}`);
      engineRows.push([plan.operation, timingOf(r.transcript, wall)]);
    }

    // The CLI in the same lab, from fresh again: three processes, as a pipeline runs them.
    await t.lab.reset('fresh');
    const spec = path.join(dir, 'cluster.yaml');
    await fs.writeFile(spec, t.info.specYaml);
    const secrets = path.join(dir, 'secrets.json');
    await fs.writeFile(
      secrets,
      JSON.stringify({
        'lab-manager-password': 'bench-Password-1',
        'lab-activation-token': 'act-bench-token',
      }),
      { mode: 0o600 },
    );
    const env = { ...process.env, HOME: dir };
    const cliRows: Array<[string, Timing]> = [];
    for (const operation of ['join', 'deploy', 'register']) {
      const args = [
        'run',
        operation,
        spec,
        '--secrets-file',
        secrets,
        '--known-hosts',
        t.info.knownHostsPath,
        '--format',
        'json',
      ];
      const r = await runCli(cli, args, dir, env);
      const finished = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { transcript: string };
      const transcript = JSON.parse(await fs.readFile(finished.transcript, 'utf8')) as TranscriptRecord;
      cliRows.push([operation, timingOf(transcript, r.ms)]);
    }

    const engine = table(
      'join + deploy + register from fresh, 3 lab nodes, through the engine (one process):',
      engineRows,
    );
    const cliTotal = table('the same through the CLI (three processes; wall = spawn to exit):', cliRows);
    console.log(
      `  CLI / engine wall: ${(cliTotal.wall / engine.wall).toFixed(2)}x (+${s(cliTotal.wall - engine.wall)}); ` +
        `CLI wall / its remote commands' sum: ${(cliTotal.wall / cliTotal.remote).toFixed(2)}x; ` +
        `outside the runs (process start, spec, secrets, lock, exit): ${s(cliTotal.wall - cliTotal.run)}`,
    );
  } finally {
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gc-bench-cli-build-'));
  try {
    const cli = await buildCli(dir);
    startup(cli, dir);
    if (process.env.SKIP_LAB) return;
    if (process.getuid?.() !== 0) {
      console.log('lab benchmark skipped: it needs root');
      return;
    }
    await procedure(cli);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
