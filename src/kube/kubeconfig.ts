// Kubeconfig: fetched with `microk8s config` over SSH, its server pointed at a node's spec address, failing
// over to the other nodes (each serves :16443). Kept in secret storage only, never written to disk.
import * as https from 'node:https';
import { parseDocument } from 'yaml';

export const API_PORT = 16443;

/** What the kube layer needs from the SSH layer (SshPool fits). */
export interface KubeconfigRunner<N> {
  exec(
    node: N,
    command: string[],
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export interface SecretStorage {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
}

export interface ApiEndpoint {
  /** Node name for messages. */
  name: string;
  address: string;
  port?: number;
}

/** Returns the kubeconfig with every cluster's server set to https://ADDRESS:PORT. */
export function withServer(kubeconfigText: string, address: string, port = API_PORT): string {
  const doc = parseDocument(kubeconfigText);
  const clusters = doc.get('clusters');
  if (!clusters || typeof clusters !== 'object' || !('items' in clusters)) {
    throw new Error('The kubeconfig has no clusters.');
  }
  const host = address.includes(':') ? `[${address}]` : address;
  for (const item of (clusters as { items: unknown[] }).items) {
    const entry = item as { setIn(path: string[], value: unknown): void };
    entry.setIn(['cluster', 'server'], `https://${host}:${port}`);
  }
  return doc.toString();
}

/** The server URL of the kubeconfig's current context (or its first cluster). */
export function serverOf(kubeconfigText: string): string | undefined {
  const config = parseDocument(kubeconfigText).toJS() as KubeconfigJson;
  return pickCluster(config)?.cluster?.server;
}

interface KubeconfigJson {
  'current-context'?: string;
  contexts?: Array<{ name: string; context?: { cluster?: string; user?: string } }>;
  clusters?: Array<{ name: string; cluster?: Record<string, string> }>;
  users?: Array<{ name: string; user?: Record<string, string> }>;
}

function pickCluster(config: KubeconfigJson) {
  const context = config.contexts?.find((c) => c.name === config['current-context']) ?? config.contexts?.[0];
  return config.clusters?.find((c) => c.name === context?.context?.cluster) ?? config.clusters?.[0];
}

function pickUser(config: KubeconfigJson) {
  const context = config.contexts?.find((c) => c.name === config['current-context']) ?? config.contexts?.[0];
  return config.users?.find((u) => u.name === context?.context?.user) ?? config.users?.[0];
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** Asks a server's /readyz with the kubeconfig's credentials; a short timeout counts as not answering. */
export function probeServer(kubeconfigText: string, timeoutMs = 2000): Promise<ProbeResult> {
  const config = parseDocument(kubeconfigText).toJS() as KubeconfigJson;
  const cluster = pickCluster(config)?.cluster ?? {};
  const user = pickUser(config)?.user ?? {};
  const server = cluster.server;
  if (!server) return Promise.resolve({ ok: false, reason: 'no server in the kubeconfig' });
  const b64 = (v: string | undefined) => (v ? Buffer.from(v, 'base64') : undefined);
  const url = new URL('/readyz', server);
  return new Promise((resolve) => {
    const req = https.request(
      url,
      {
        method: 'GET',
        ca: b64(cluster['certificate-authority-data']),
        cert: b64(user['client-certificate-data']),
        key: b64(user['client-key-data']),
        headers: user.token ? { authorization: `Bearer ${user.token}` } : {},
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 300 ? { ok: true } : { ok: false, reason: `HTTP ${code}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ ok: false, reason: err.message }));
    req.end();
  });
}

/**
 * Of the given API endpoints (node 1 first), the first that answers; its rewritten kubeconfig is returned.
 * Errors name every endpoint tried and why it failed.
 */
export async function firstAnsweringServer(
  kubeconfigText: string,
  endpoints: ApiEndpoint[],
  timeoutMs = 2000,
): Promise<{ kubeconfig: string; endpoint: ApiEndpoint }> {
  const failures: string[] = [];
  for (const endpoint of endpoints) {
    const candidate = withServer(kubeconfigText, endpoint.address, endpoint.port ?? API_PORT);
    const probe = await probeServer(candidate, timeoutMs);
    if (probe.ok) return { kubeconfig: candidate, endpoint };
    failures.push(`${endpoint.name} (${endpoint.address}:${endpoint.port ?? API_PORT}): ${probe.reason}`);
  }
  throw new Error(`No Kubernetes API server answers: ${failures.join('; ')}`);
}

/**
 * `microk8s config` on the first node that answers over SSH; the text only ever lives in memory and in the
 * secret store.
 */
export async function fetchKubeconfig<N extends { name: string }>(
  runner: KubeconfigRunner<N>,
  nodes: N[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ kubeconfig: string; from: N }> {
  const failures: string[] = [];
  for (const node of nodes) {
    try {
      const result = await runner.exec(node, ['microk8s', 'config'], {
        timeoutMs: options.timeoutMs ?? 20_000,
        signal: options.signal,
      });
      if (result.code === 0 && /clusters:/.test(result.stdout))
        return { kubeconfig: result.stdout, from: node };
      failures.push(
        `${node.name}: microk8s config exited ${result.code}: ${result.stderr.trim().split('\n')[0] ?? ''}`,
      );
    } catch (err) {
      if (options.signal?.aborted) throw err;
      failures.push(`${node.name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`Could not fetch the kubeconfig over SSH: ${failures.join('; ')}`);
}
