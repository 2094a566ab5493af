// Diagnostics benchmarks against the lab (root), printed (none asserts):
// 1. SFTP download throughput of a node's report tarball as the operation downloads it (ClusterArtifacts'
//    download over the cluster's pool, the file's SHA-256 included) against OpenSSH's `sftp -b` fetching the
//    same file from the same node, alternated in the same run (goal: product ≥ 0.8× OpenSSH). The reference
//    goes over a ControlMaster connection opened beforehand: the same reuse the pool gives, so neither pays a
//    handshake per file; `sftp` connecting anew each time, as typed by hand, is printed too. Measured on the
//    tarball the lab's `microk8s inspect` wrote and on a 64 MiB random file the bench puts at the report path
//    (the lab's tarballs are a few MB: too small to measure throughput on alone);
// 2. the whole diagnostics operation through the engine on 3 and on 10 nodes (inspect + download in parallel,
//    then events, logs, summary), against one node's `microk8s inspect` + download alone (N nodes against
//    N × one node: the parallel speed-up) and against every node's inspect + download started at once by hand
//    over the pool (what the lab can give in parallel: its stand-in inspect runs in its controller process).
// Labs `gcdiag3` (10.250.81, 3 nodes) and `gcdiag10` (10.250.82, 10 nodes). REPS=N (default 7).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ClusterArtifacts } from '../../src/clusters/artifacts';
import { stateDirOf } from '../../src/clusters/identity';
import { remoteNodeOf } from '../../src/remote/node';
import { SUDO_PASSWORD_REF } from '../../src/clusters/secrets';
import { Masker } from '../../src/remote';
import type { NodeModel } from '../../src/cluster-spec';
import { openSshOptions } from '../support/lab-bench';
import type { ArtifactFolder } from '../../src/ops';
import { cmd } from '../../src/ops/node-commands';
import { SNAP_REVISION } from '../../test/lab/controller/cli/inspect';
import { startOpsLab, type OpsLab } from '../../test/integration/ops/support/ops-lab';

const REPS = Number(process.env.REPS ?? 7);
const BIG_BYTES = 64 * 1024 * 1024;
/** Journal lines of the lab's inspect (its default, 20,000, makes a tarball of about 0.9 MB). */
const INSPECT_LOG_LINES = 100_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const run = promisify(execFile);
/** The machine's load while it ran: the lab, both clients and anything else share its cores. */
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;

/** Where node `index` keeps /var/snap/microk8s/REVISION (the lab binds it there in the node's namespace). */
function snapDir(t: OpsLab, index: number): string {
  return path.join(t.info.dir, 'nodes', String(index), 'snap', SNAP_REVISION);
}

/** The download's options as the inspect step passes them: a signal, and progress after every chunk. */
function asTheOperation(): { signal: AbortSignal; onProgress: (bytes: number, total: number) => void } {
  let last = 0;
  return {
    signal: new AbortController().signal,
    onProgress: () => {
      const now = Date.now();
      if (now - last >= 1000) last = now;
    },
  };
}

function inspectArgv(): readonly string[] {
  const command = cmd.inspect();
  if (!('argv' in command)) throw new Error('microk8s inspect is no longer an argv');
  return command.argv;
}

/** `sudo microk8s inspect` on a node over the cluster's pool; the report path it prints. */
async function inspectOn(t: OpsLab, node: NodeModel): Promise<string> {
  const r = await t.context.ssh().exec(remoteNodeOf(node, SUDO_PASSWORD_REF), inspectArgv(), { sudo: true });
  const found = /Report tarball is at (\S+)/.exec(r.stdout);
  if (!found) throw new Error(`inspect on ${node.hostname} named no tarball: ${r.stdout}${r.stderr}`);
  return found[1]!;
}

/** OpenSSH's sftp in batch mode over one ControlMaster connection per node, opened by `open`. */
class OpenSshSftp {
  private readonly controlDir = mkdtempSync(path.join(tmpdir(), 'gc-bench-diag-mux-'));
  private readonly opened: string[] = [];

  constructor(private readonly t: OpsLab) {}

  private options(reuse = true): string[] {
    return openSshOptions(this.t.info, reuse ? `${this.controlDir}/%h` : 'none');
  }

  open(address: string): void {
    const target = `${this.t.info.user}@${address}`;
    execFileSync('ssh', [
      '-o',
      'ControlMaster=yes',
      '-o',
      'ControlPersist=300',
      '-f',
      '-N',
      ...this.options(),
      target,
    ]);
    this.opened.push(target);
  }

  /** Over the master connection; with `reuse` false, a connection of its own, as typed by hand. */
  async get(address: string, remotePath: string, localPath: string, reuse = true): Promise<void> {
    const batch = path.join(this.controlDir, 'batch');
    await fs.writeFile(batch, `get ${remotePath} ${localPath}\n`);
    await run('sftp', ['-q', '-b', batch, ...this.options(reuse), `${this.t.info.user}@${address}`]);
  }

  close(): void {
    for (const target of this.opened) {
      try {
        execFileSync('ssh', ['-O', 'exit', ...this.options(), target], { stdio: 'ignore' });
      } catch {
        // the master is gone already
      }
    }
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}

interface Timed {
  label: string;
  ms: number[];
}

async function throughputOf(
  t: OpsLab,
  node: NodeModel,
  remotePath: string,
  bytes: number,
  what: string,
): Promise<void> {
  const artifacts = new ClusterArtifacts(stateDirOf(t.context.specPath), () => t.context.ssh(), new Masker());
  const local = mkdtempSync(path.join(tmpdir(), 'gc-bench-diag-'));
  const sftp = new OpenSshSftp(t);
  sftp.open(node.address);
  const base = path.basename(remotePath);
  const product: Timed = { label: 'product, as the operation downloads (with its SHA-256)', ms: [] };
  const openssh: Timed = { label: 'OpenSSH sftp -b over its master connection (reference)', ms: [] };
  const fresh: Timed = { label: 'OpenSSH sftp -b connecting anew, as typed by hand', ms: [] };
  const folders: ArtifactFolder[] = [];
  try {
    for (let rep = 0; rep < REPS; rep++) {
      const folder = await artifacts.open('diagnostics', `bench-${rep}`);
      folders.push(folder);
      let t0 = performance.now();
      const saved = await folder.download(node, remotePath, `${node.hostname}/${base}`, asTheOperation());
      product.ms.push(performance.now() - t0);
      if (saved.bytes !== bytes) throw new Error(`downloaded ${saved.bytes} bytes, not ${bytes}`);

      for (const [timed, reuse] of [
        [openssh, true],
        [fresh, false],
      ] as const) {
        const theirs = path.join(local, `openssh-${rep}`);
        t0 = performance.now();
        await sftp.get(node.address, remotePath, theirs, reuse);
        timed.ms.push(performance.now() - t0);
        if ((await fs.stat(theirs)).size !== bytes) throw new Error('OpenSSH fetched a different size');
        // Keep the disk's share equal: each copy is written once and removed before the next.
        await fs.rm(theirs);
      }
      await fs.rm(folder.path, { recursive: true });
    }
  } finally {
    sftp.close();
    rmSync(local, { recursive: true, force: true });
    for (const f of folders) rmSync(f.path, { recursive: true, force: true });
  }
  const ref = mbps(bytes, median(openssh.ms));
  console.log(`  ${what} (${(bytes / 1024 / 1024).toFixed(1)} MiB, ${REPS} rounds, median; ${load()}):`);
  for (const timed of [product, openssh, fresh]) {
    const rate = mbps(bytes, median(timed.ms));
    const goal = timed === product ? ' (goal ≥ 0.8×)' : '';
    const ratio = timed === openssh ? '' : `  = ${(rate / ref).toFixed(2)}× the reference${goal}`;
    console.log(`    ${timed.label.padEnd(58)} ${rate.toFixed(1).padStart(6)} MB/s${ratio}`);
  }
}

async function throughput(t: OpsLab): Promise<void> {
  const node = t.model.nodes[0]!;
  console.log(`1. SFTP download of a report tarball from ${node.hostname} (MB = 10^6 bytes)`);
  const tarball = await inspectOn(t, node);
  const size = (await fs.stat(path.join(snapDir(t, 1), path.basename(tarball)))).size;
  await throughputOf(t, node, tarball, size, `the tarball the lab's microk8s inspect wrote`);
  // A large file at the report path, under a report's name: random bytes, so nothing compresses them.
  const big = `/var/snap/microk8s/${SNAP_REVISION}/inspection-report-20000101_000000.tar.gz`;
  await fs.writeFile(path.join(snapDir(t, 1), path.basename(big)), randomBytes(BIG_BYTES), { mode: 0o644 });
  await throughputOf(t, node, big, BIG_BYTES, 'a 64 MiB random file the bench put at the report path');
}

/** One node's inspect + download, as the inspect step does them; its time and the tarball's size. */
async function inspectAndDownload(
  t: OpsLab,
  artifacts: ClusterArtifacts,
  node: NodeModel,
  name: string,
): Promise<{ ms: number; bytes: number }> {
  const folder = await artifacts.open('diagnostics', name);
  const t0 = performance.now();
  const remotePath = await inspectOn(t, node);
  const relative = `${node.hostname}/${path.basename(remotePath)}`;
  const { bytes } = await folder.download(node, remotePath, relative, asTheOperation());
  const ms = performance.now() - t0;
  await fs.rm(folder.path, { recursive: true });
  return { ms, bytes };
}

async function diagnosticsTimes(t: OpsLab): Promise<void> {
  const nodes = t.model.nodes;
  const count = nodes.length;
  const artifacts = new ClusterArtifacts(stateDirOf(t.context.specPath), () => t.context.ssh(), new Masker());
  const single: number[] = [];
  const byHand: number[] = [];
  const walls: number[] = [];
  const inspects: number[] = [];
  let bytes = 0;
  for (let rep = 0; rep < 3; rep++) {
    // The references: one node alone, and every node at once by hand (the pool, no engine).
    const one = await inspectAndDownload(t, artifacts, nodes[0]!, `single-${rep}`);
    single.push(one.ms);
    bytes = one.bytes;
    const t0 = performance.now();
    await Promise.all(nodes.map((n, i) => inspectAndDownload(t, artifacts, n, `all-${rep}-${i}`)));
    byHand.push(performance.now() - t0);
    const r = await t.engine.run(t.engine.plan('diagnostics', t.model));
    if (r.outcome !== 'succeeded') throw new Error(`diagnostics failed: ${r.error?.message}`);
    walls.push(r.transcript.durationMs ?? 0);
    inspects.push(r.transcript.steps.find((s) => s.id === 'inspect')?.durationMs ?? 0);
  }
  const one = median(single);
  const inspect = median(inspects);
  const hand = median(byHand);
  console.log(`  ${count} nodes (tarballs of ${(bytes / 1e6).toFixed(1)} MB; ${load()}):`);
  console.log(
    `    diagnostics through the engine ${sec(median(walls))}, of which inspect + download on every node ${sec(inspect)}`,
  );
  console.log(
    `    one node's inspect + download alone ${sec(one)}; × ${count} = ${sec(one * count)} → parallel speed-up ${((one * count) / inspect).toFixed(1)}×`,
  );
  console.log(
    `    every node's inspect + download at once by hand (the pool, no engine) ${sec(hand)} → the engine's step = ${(inspect / hand).toFixed(2)}× that`,
  );
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('bench/diagnostics needs root (the lab); skipped');
    return;
  }
  const options = { state: 'deployed', timeScale: 0.01, inspectLogLines: INSPECT_LOG_LINES } as const;
  const three = await startOpsLab('gcdiag3', { ...options, nodes: 3, subnetPrefix: '10.250.81' });
  try {
    await throughput(three);
    console.log(
      `2. diagnostics through the engine (median of 3 runs each); the lab's stand-in inspect runs in its one\n` +
        `   controller process on this machine's cores, so the nodes' inspects share them (real nodes each have their own)`,
    );
    await diagnosticsTimes(three);
  } finally {
    await three.close();
  }
  const ten = await startOpsLab('gcdiag10', { ...options, nodes: 10, subnetPrefix: '10.250.82' });
  try {
    await diagnosticsTimes(ten);
  } finally {
    await ten.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
