// Adopting a cluster built by hand: one SSH connection to the node the operator names (its host key verified
// as every other connection's), `microk8s config` there for a kubeconfig kept in memory only, the Kubernetes
// API through it, and the discovery (ops/adopt.ts) written as a cluster.yaml (cluster-spec/adopted.ts). The
// CLI's `adopt` and the editor's "Adopt Existing Cluster…" both come here. A password login is named in the
// spec (`ssh.passwordSecret`), never written; the editor keeps the typed password under that name.
import { adoptedSpecText, type AdoptedCluster } from '../cluster-spec/adopted';
import { validateText } from '../cluster-spec/validate';
import type { ValidateOptions } from '../cluster-spec/types';
import type { KubeClient } from '../kube';
import { AdoptRefusal, NOT_BUILT_HINT, discoverCluster, type NodeCommand, type NodeExecResult } from '../ops';
import { cmd, isRunning } from '../ops/node-commands';
import type { KnownHostsOptions, RemoteNode, RemotePrompts, SshPool } from '../remote';
import { KubeClusterApi } from './cluster-api';
import { clusterIdentity } from './identity';
import { ClusterSecrets, type SecretBackend } from './secrets';

type RemoteLayer = typeof import('../remote');
type KubeLayer = typeof import('../kube');
/* eslint-disable @typescript-eslint/no-require-imports -- ssh2 and the Kubernetes client load on first use */
const remoteLayer = (): RemoteLayer => require('../remote') as RemoteLayer;
const kubeLayer = (): KubeLayer => require('../kube') as KubeLayer;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The secret key adopt's SSH password goes under (no spec exists yet to name it; no spec name can be this). */
export const ADOPT_SSH_PASSWORD = '@ssh-password';

export interface AdoptTarget {
  address: string;
  user?: string;
  port?: number;
  identityFile?: string;
  /** metadata.name; default: the hostnames' stem (`gw-cluster`). */
  name?: string;
  /** Where the spec will be written: it is validated as that file before anything is written. */
  specPath?: string;
}

export interface AdoptEnvironment {
  prompts: RemotePrompts;
  knownHosts: KnownHostsOptions;
  /** The SSH password (key ADOPT_SSH_PASSWORD) when key authentication is not what the VMs take. */
  secret(key: string): Promise<string | undefined>;
  homeDir?: string;
  log(line: string): void;
  signal?: AbortSignal;
}

export interface Adopted {
  cluster: AdoptedCluster;
  /** The cluster.yaml text. */
  text: string;
}

export async function adoptCluster(target: AdoptTarget, env: AdoptEnvironment): Promise<Adopted> {
  const remote = remoteLayer();
  const masker = new remote.Masker();
  const pool: SshPool = new remote.SshPool(
    {
      knownHosts: new remote.KnownHostsStore(env.knownHosts),
      prompts: env.prompts,
      secrets: { get: (key) => env.secret(key) },
      masker,
      // Command output stays out of the log (`microk8s config` prints keys).
      log: (line) => {
        if (!/\] (out|err): /.test(line)) env.log(line);
      },
      homeDir: env.homeDir,
    },
    { idleMs: 60_000 },
  );
  const node: RemoteNode = {
    name: target.address,
    address: target.address,
    port: target.port,
    user: target.user,
    identityFile: target.identityFile,
    passwordSecret: (await env.secret(ADOPT_SSH_PASSWORD)) ? ADOPT_SSH_PASSWORD : undefined,
  };
  let client: KubeClient | undefined;
  let api: KubeClusterApi | undefined;
  try {
    const exec = async (command: NodeCommand): Promise<NodeExecResult> => {
      const r = await pool.exec(node, 'argv' in command ? command.argv : command, {
        timeoutMs: 60_000,
        signal: env.signal,
      });
      return { code: r.code, stdout: r.stdout, stderr: r.stderr };
    };
    // One command first: an SSH failure keeps its kind (what to do follows it), and a node without a
    // running MicroK8s is named as such rather than as a kubeconfig that could not be fetched.
    const status = await exec(cmd.microk8sStatus()).catch((error: unknown) => {
      throw reachFailure(error, target);
    });
    if (!isRunning(status.stdout))
      throw new AdoptRefusal(
        `${target.address} runs no MicroK8s cluster: microk8s status says "${firstLine(status.stdout || status.stderr) || `exit ${status.code}`}".`,
        `If it should run one, start it there (microk8s start) and adopt again. ${NOT_BUILT_HINT}`,
      );
    const kube = kubeLayer();
    const { kubeconfig } = await kube.fetchKubeconfig(pool, [node], { signal: env.signal, masker });
    client = await kube.KubeClient.connect({
      endpoints: [{ name: target.address, address: target.address }],
      // In memory only: adopt keeps nothing of the cluster's credentials.
      kubeconfig: { read: async () => kubeconfig, store: async () => undefined },
      probeTimeoutMs: 3000,
      masker,
      log: env.log,
    });
    api = new KubeClusterApi(client, env.signal ?? new AbortController().signal, env.log);
    const cluster = await discoverCluster(
      { address: target.address, exec, api },
      {
        name: target.name,
        ssh: { user: target.user, port: target.port, identityFile: target.identityFile },
        sshPassword: node.passwordSecret !== undefined,
      },
    );
    return { cluster, text: checkedSpecText(cluster, target.specPath, { homeDir: env.homeDir }) };
  } finally {
    api?.close();
    await pool.dispose();
  }
}

const firstLine = (text: string) => text.trim().split('\n')[0]?.trim() ?? '';

/** An SSH failure as adopt reports it: what happened, and what to do about its kind. */
function reachFailure(error: unknown, target: AdoptTarget): unknown {
  const kind = (error as { kind?: unknown }).kind;
  const message = error instanceof Error ? error.message : String(error);
  const ssh = `ssh ${target.user ? `${target.user}@` : ''}${target.address}${target.port ? ` -p ${target.port}` : ''}`;
  switch (kind) {
    case 'connect':
    case 'timeout':
    case 'connectionLost':
      return new AdoptRefusal(
        message,
        `Check the address: it must be a node of the cluster whose VM runs and that this machine reaches over SSH (port ${target.port ?? 22}; try ${ssh}). Then adopt again.`,
      );
    case 'auth':
      return new AdoptRefusal(
        message,
        `Check the SSH user and how you log in (the agent or default keys, a key file, a password): ${ssh} must log in. Then adopt again.`,
      );
    default:
      // Host keys (the caller says what to compare) and a cancel keep their own errors.
      return error;
  }
}

/**
 * The spec's text, validated as the file it becomes: adopt never writes a spec with errors (it would name
 * things the cluster does not have); the refusal lists them. Warnings are written, and the caller says so.
 */
export function checkedSpecText(
  cluster: AdoptedCluster,
  specPath = 'cluster.yaml',
  options: ValidateOptions = {},
): string {
  const text = adoptedSpecText(cluster);
  const errors = validateText(text, specPath, options).findings.filter((f) => f.severity === 'error');
  if (errors.length)
    throw new AdoptRefusal(
      `The spec adopt would write does not validate: ${errors.map((f) => `${f.code} ${f.message}`).join('; ')}.`,
      'Nothing was written. Check that the node belongs to a built gateway cluster (its gateway-manager Service has its floating IP, the releases are installed), or write the cluster.yaml yourself (Create cluster.yaml).',
    );
  return text;
}

/**
 * Keeps the SSH password adopt logged in with as the adopted spec's `ssh.passwordSecret`, in the scope of the
 * cluster the spec at `specPath` is (its file and name): the tree's Connect and the operations then log in as
 * adopt did. The editor's secret storage only; the CLI keeps nothing (the secrets file names it instead).
 */
export async function keepAdoptPassword(
  backend: SecretBackend,
  specPath: string,
  cluster: AdoptedCluster,
  password: string,
): Promise<void> {
  const name = cluster.ssh.passwordSecret;
  if (!name) return;
  // Nothing to mask yet: the cluster's context registers the value with its masker when it reads it.
  await new ClusterSecrets(backend, clusterIdentity(specPath, cluster.name), {
    register: () => undefined,
  }).store(name, password);
}
