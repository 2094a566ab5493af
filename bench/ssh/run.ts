// SSH layer benchmark against the lab: connect time, command round trip, fan-out to 1/3/10 nodes. Prints only.
// Run as root: npx tsx bench/ssh/run.ts
import { labRemoteNodes } from '../../test/integration/support/lab-remote';
import { timeRoundTrips } from '../../test/integration/remote/support/timing';
import { withLabPool } from '../support/lab-bench';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  await withLabPool({ nodes: 10, state: 'joined' }, async (_lab, info, pool) => {
    const nodes = labRemoteNodes(info);
    // Connect time: one node at a time, so each number is one handshake.
    const connects: number[] = [];
    for (const node of nodes) connects.push((await pool.session(node)).connectMs);
    connects.sort((a, b) => a - b);
    console.log(`connect (10 nodes, sequential): p50 ${ms(pct(connects, 50))}, max ${ms(connects.at(-1)!)}`);

    const session = await pool.session(nodes[0]!);
    console.log(`TCP_NODELAY set: ${session.noDelay}`);
    const trips = await timeRoundTrips(session, 300, 20);
    console.log(`round trip \`true\` (300 runs): p50 ${ms(pct(trips, 50))}, p99 ${ms(pct(trips, 99))}`);

    const fanOut = async (count: number) => {
      const times: number[] = [];
      for (let rep = 0; rep < 30; rep++) {
        const t0 = performance.now();
        await Promise.all(nodes.slice(0, count).map((n) => pool.exec(n, ['hostname'])));
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return pct(times, 50);
    };
    const one = await fanOut(1);
    const three = await fanOut(3);
    const ten = await fanOut(10);
    console.log(
      `fan-out \`hostname\` (p50 of 30): 1 node ${ms(one)}, 3 nodes ${ms(three)}, 10 nodes ${ms(ten)} ` +
        `(10/1 = ${(ten / one).toFixed(2)}x)`,
    );
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
