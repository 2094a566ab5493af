// Load-balanced topology benchmarks against the lab (root; real haproxy 2.6), printed (none asserts):
// 1. connections failed during reloads: a TLS client loop (8 at a time, this machine → the load balancer's
//    frontend) while configure-lb installs a changed file ROUNDS times; references in the same run: the same
//    client with nothing happening, and during as many `systemctl restart haproxy` (stop, then start);
// 2. a gateway's failure to DOWN: HAProxy's own change (the runtime API polled every 25 ms from this machine)
//    against inter × fall, and the tree's data source (LiveLoadBalancer, show stat every 2 s while watched)
//    against HAProxy's change (goal: within one refresh);
// 3. configure-lb's wall time against the time of its remote commands, step by step.
// Lab `gclbbench` (10.250.63), 3 gateways, health checks every 500 ms, fall 3, rise 2. ROUNDS=N (default 5).
import { runtimeApi } from '../../test/lab/lb-hosts';
import { isServing, parseShowStat, serversOf, type RunResult } from '../../src/ops';
import { startClientLoop, type ClientLoopResult } from '../../test/support/tls-client';
import { startLbLab, type LbLab } from '../../test/integration/lb/support/lb-lab';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const sleep = (n: number) => new Promise<void>((r) => setTimeout(r, n));

async function underLoad(
  t: LbLab,
  label: string,
  action: (round: number) => Promise<void>,
): Promise<ClientLoopResult> {
  const client = startClientLoop(t.info.loadBalancer!.address, 443, { concurrency: 8 });
  while (client.count() < 150) await sleep(20);
  for (let round = 0; round < ROUNDS; round++) {
    await action(round);
    const mark = client.count();
    while (client.count() < mark + 150) await sleep(20);
  }
  client.stop();
  const result = await client.result;
  const errors = Object.entries(result.errors)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  console.log(
    `  ${label.padEnd(36)} ${String(result.failed).padStart(4)} of ${String(result.ok + result.failed).padStart(5)} failed${errors ? ` (${errors})` : ''}  ${(((result.ok + result.failed) / result.durationMs) * 1000).toFixed(0)} conn/s`,
  );
  return result;
}

async function reloads(t: LbLab): Promise<void> {
  console.log(`1. Connections through the load balancer while it changes (${ROUNDS} times each)`);
  await underLoad(t, 'nothing happening (reference)', async () => sleep(1500));
  const falls = [4, 5, 3, 4, 5, 3, 4, 5, 3, 4];
  await underLoad(t, 'configure-lb: new file + reload', async (round) => {
    const r = await t.run('configure-lb', {
      model: t.modelWith('      fall: 3', `      fall: ${falls[round % falls.length]}`),
    });
    if (r.outcome !== 'succeeded') throw new Error(`configure-lb failed: ${r.error?.message}`);
  });
  await underLoad(t, 'systemctl restart haproxy (reference)', async () => {
    const r = await t.inHost(0, ['systemctl', 'restart', 'haproxy']);
    if (r.code !== 0) throw new Error(r.stderr);
  });
  const r = await t.run('configure-lb');
  if (r.outcome !== 'succeeded') throw new Error(`configure-lb failed: ${r.error?.message}`);
}

async function haproxyDownAt(t: LbLab, server: string, since: number, down: boolean): Promise<number> {
  for (;;) {
    const rows = serversOf(parseShowStat(await runtimeApi(t.info, 'show stat')), 'gateways');
    const row = rows.find((r) => r.name === server);
    if (row && (down ? row.status.startsWith('DOWN') : isServing(row))) return Date.now();
    if (Date.now() - since > 30_000) throw new Error(`${server} never changed`);
    await sleep(25);
  }
}

async function downTimes(t: LbLab): Promise<void> {
  const { interMs, fall } = t.model.loadBalancer!.healthCheck;
  const live = t.context.loadBalancer;
  const watch = live.watch();
  const toDown: number[] = [];
  const treeLag: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const node = (round % 3) + 1;
      const server = `mgw-${node}`;
      let treeSeen: number | undefined;
      const sub = live.onDidChange(() => {
        const row = live.snapshot()?.rows.find((r) => r.proxy === 'gateways' && r.name === server);
        if (treeSeen === undefined && row?.status.startsWith('DOWN')) treeSeen = Date.now();
      });
      const stopped = Date.now();
      await t.lab.inject({ kind: 'stopGateway', node });
      const down = await haproxyDownAt(t, server, stopped, true);
      while (treeSeen === undefined && Date.now() - down < 10_000) await sleep(10);
      sub.dispose();
      toDown.push(down - stopped);
      treeLag.push((treeSeen ?? NaN) - down);
      await t.lab.inject({ kind: 'startGateway', node });
      await haproxyDownAt(t, server, Date.now(), false);
    }
  } finally {
    watch.dispose();
  }
  console.log(
    `2. A gateway stopped → DOWN (${ROUNDS} rounds; inter ${interMs} ms × fall ${fall} = ${ms(interMs * fall)})`,
  );
  console.log(
    `  HAProxy marks it DOWN after        median ${ms(median(toDown))} (${toDown.map(ms).join(', ')}) = ${(median(toDown) / (interMs * fall)).toFixed(2)}× inter × fall`,
  );
  console.log(
    `  the tree shows DOWN after HAProxy  median ${ms(median(treeLag))} (${treeLag.map(ms).join(', ')}), max ${ms(Math.max(...treeLag))} = ${(Math.max(...treeLag) / live.refreshMs).toFixed(2)}× its ${ms(live.refreshMs)} refresh`,
  );
}

function stepTimes(r: RunResult): Array<{ id: string; wall: number; remote: number }> {
  return r.transcript.steps.map((s) => ({
    id: s.id,
    wall: s.durationMs ?? 0,
    remote: r.transcript.commands
      .filter((c) => c.step === s.id)
      .reduce((sum, c) => sum + (c.durationMs ?? 0), 0),
  }));
}

async function configureLbTimes(t: LbLab): Promise<void> {
  const walls: number[] = [];
  const remotes: number[] = [];
  const perStep = new Map<string, { wall: number[]; remote: number[]; commands: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    const r = await t.run('configure-lb', {
      model: t.modelWith('      rise: 2', `      rise: ${round % 2 === 0 ? 3 : 2}`),
    });
    if (r.outcome !== 'succeeded') throw new Error(`configure-lb failed: ${r.error?.message}`);
    walls.push(r.transcript.durationMs ?? 0);
    remotes.push(r.transcript.commands.reduce((sum, c) => sum + (c.durationMs ?? 0), 0));
    for (const s of stepTimes(r)) {
      const entry = perStep.get(s.id) ?? { wall: [], remote: [], commands: [] };
      entry.wall.push(s.wall);
      entry.remote.push(s.remote);
      entry.commands.push(r.transcript.commands.filter((c) => c.step === s.id).length);
      perStep.set(s.id, entry);
    }
  }
  console.log(`3. configure-lb with a changed file (${ROUNDS} runs): wall time against its remote commands`);
  console.log(
    `  whole run   wall median ${ms(median(walls))}, remote commands ${ms(median(remotes))} = ${(median(walls) / median(remotes)).toFixed(2)}×`,
  );
  for (const [id, e] of perStep)
    console.log(
      `  ${id.padEnd(10)}  wall ${ms(median(e.wall)).padStart(7)}  remote ${ms(median(e.remote)).padStart(7)}  in ${median(e.commands)} command(s)`,
    );
  const { interMs } = t.model.loadBalancer!.healthCheck;
  console.log(
    `  (apply waits for the new file and for each gateway's first check: about one inter, ${ms(interMs)})`,
  );
}

async function main(): Promise<void> {
  const t = await startLbLab('gclbbench', {
    nodes: 3,
    agents: 0,
    state: 'installed',
    subnetPrefix: '10.250.63',
  });
  try {
    const first = await t.run('configure-lb');
    if (first.outcome !== 'succeeded') throw new Error(`configure-lb failed: ${first.error?.message}`);
    await reloads(t);
    await downTimes(t);
    await configureLbTimes(t);
  } finally {
    await t.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
