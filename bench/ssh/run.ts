// SSH layer benchmark against the lab: connect time, command round trip, fan-out to 1/3/10 nodes. Prints only.
// Run as root: npx tsx bench/ssh/run.ts
// The fan-out's reference, measured in the same run: OpenSSH's own client over multiplexed connections
// (ControlMaster, one per node, opened beforehand: the same reuse our pool gives), the tool an operator would
// script this with. Both pay the lab's server side, which shares this machine's two cores across all nodes.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { labRemoteNodes } from '../../test/integration/support/lab-remote';
import { timeRoundTrips } from '../../test/integration/remote/support/timing';
import { openSshOptions, withLabPool } from '../support/lab-bench';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Median of 30 rounds of running `once` on every node at the same time. */
async function fanOutP50<N>(nodes: N[], once: (node: N) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let rep = 0; rep < 30; rep++) {
    const t0 = performance.now();
    await Promise.all(nodes.map(once));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return pct(times, 50);
}

async function main(): Promise<void> {
  await withLabPool({ nodes: 10, state: 'joined' }, async (_lab, info, pool) => {
    const nodes = labRemoteNodes(info);
    // Connect time: one node at a time, so each number is one handshake.
    const connects: number[] = [];
    for (const node of nodes) connects.push((await pool.connection(node)).connectMs);
    connects.sort((a, b) => a - b);
    console.log(`connect (10 nodes, sequential): p50 ${ms(pct(connects, 50))}, max ${ms(connects.at(-1)!)}`);

    const connection = await pool.connection(nodes[0]!);
    console.log(`TCP_NODELAY set: ${connection.noDelay}`);
    const trips = await timeRoundTrips(connection, 300, 20);
    console.log(`round trip \`true\` (300 runs): p50 ${ms(pct(trips, 50))}, p99 ${ms(pct(trips, 99))}`);

    const fanOut = (count: number) =>
      fanOutP50(nodes.slice(0, count), (n) => pool.exec(n, ['hostname']).then(() => undefined));
    const one = await fanOut(1);
    const three = await fanOut(3);
    const ten = await fanOut(10);
    console.log(
      `fan-out \`hostname\` (p50 of 30): 1 node ${ms(one)}, 3 nodes ${ms(three)}, 10 nodes ${ms(ten)} ` +
        `(10/1 = ${(ten / one).toFixed(2)}x)`,
    );

    const controlDir = mkdtempSync(path.join(tmpdir(), 'gc-bench-ssh-mux-'));
    const run = promisify(execFile);
    const sshArgs = (address: string) => [
      ...openSshOptions(info, `${controlDir}/%h`),
      `${info.user}@${address}`,
    ];
    try {
      for (const node of nodes)
        execFileSync('ssh', [
          '-o',
          'ControlMaster=yes',
          '-o',
          'ControlPersist=120',
          '-f',
          '-N',
          ...sshArgs(node.address),
        ]);
      const openSshFanOut = (count: number) =>
        fanOutP50(nodes.slice(0, count), (n) =>
          run('ssh', [...sshArgs(n.address), 'hostname']).then(() => undefined),
        );
      const ref1 = await openSshFanOut(1);
      const ref3 = await openSshFanOut(3);
      const ref10 = await openSshFanOut(10);
      console.log(
        `reference, OpenSSH multiplexed (p50 of 30): 1 node ${ms(ref1)}, 3 nodes ${ms(ref3)}, 10 nodes ${ms(ref10)} ` +
          `(10/1 = ${(ref10 / ref1).toFixed(2)}x); ours / OpenSSH: ${(one / ref1).toFixed(2)} / ` +
          `${(three / ref3).toFixed(2)} / ${(ten / ref10).toFixed(2)}`,
      );
    } finally {
      for (const node of nodes) {
        try {
          execFileSync('ssh', ['-O', 'exit', ...sshArgs(node.address)], { stdio: 'ignore' });
        } catch {
          // master already gone
        }
      }
      rmSync(controlDir, { recursive: true, force: true });
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
