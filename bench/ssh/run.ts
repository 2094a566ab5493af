// SSH layer benchmark against the lab: connect time, command round trip, fan-out to 1/3/10 nodes. Prints only.
// Run as root: npx tsx bench/ssh/run.ts
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../test/lab/index';
import { KnownHostsStore, Masker, SshPool } from '../../src/remote';
import type { RemoteNode } from '../../src/remote';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const lab = createLab(process.env.GC_LAB_NAME ?? 'gclabit');
  const info = await lab.up({
    nodes: 10,
    state: 'joined',
    subnetPrefix: process.env.GC_LAB_SUBNET ?? '10.250.1',
  });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-bench-ssh-'));
  const nodes: RemoteNode[] = info.nodes.map((n) => ({
    name: n.specHostname,
    address: n.address,
    user: info.user,
    identityFile: info.clientKeyPath,
  }));
  const pool = new SshPool({
    knownHosts: new KnownHostsStore({ userFile: info.knownHostsPath, ownFile: path.join(tmp, 'kh') }),
    prompts: { confirmHostKey: async () => false },
    secrets: { get: async () => undefined },
    masker: new Masker(),
    agentSocket: null,
    homeDir: tmp,
  });
  try {
    // Connect time: one node at a time, so each number is one handshake.
    const connects: number[] = [];
    for (const node of nodes) connects.push((await pool.session(node)).connectMs);
    connects.sort((a, b) => a - b);
    console.log(`connect (10 nodes, sequential): p50 ${ms(pct(connects, 50))}, max ${ms(connects.at(-1)!)}`);

    const session = await pool.session(nodes[0]!);
    console.log(`TCP_NODELAY set: ${session.noDelay}`);
    for (let i = 0; i < 20; i++) await session.exec(['true']);
    const trips: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await session.exec(['true']);
      trips.push(performance.now() - t0);
    }
    trips.sort((a, b) => a - b);
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
  } finally {
    await pool.dispose();
    await lab.down();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
