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
    options?: { timeoutMs?: number; signal?: AbortSignal; secretOutput?: boolean },
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Scrubs registered values from logs and messages (the SSH layer's Masker fits). */
export interface SecretRegistry {
  register(secret: string | undefined): void;
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

/**
 * The credentials in a kubeconfig (client key and certificate data, tokens, passwords), and each line of
 * the decoded client key, for the masker: whatever prints them by mistake shows a mask instead.
 */
export function kubeconfigSecrets(kubeconfigText: string): string[] {
  let config: KubeconfigJson;
  try {
    config = parseDocument(kubeconfigText).toJS() as KubeconfigJson;
  } catch {
    return [];
  }
  const secrets: string[] = [];
  for (const entry of config?.users ?? []) {
    const user = entry?.user ?? {};
    for (const field of ['client-key-data', 'client-certificate-data', 'token', 'password']) {
      const value = user[field];
      if (typeof value === 'string' && value) secrets.push(value);
    }
    const key = user['client-key-data'];
    if (typeof key === 'string') {
      const pem = Buffer.from(key, 'base64').toString('utf8');
      for (const line of pem.split(/\r?\n/))
        if (line.length >= 16 && !line.startsWith('-----')) secrets.push(line);
    }
  }
  return secrets;
}

/** Registers every credential of the kubeconfig with the masker. */
export function registerKubeconfigSecrets(masker: SecretRegistry | undefined, kubeconfigText: string): void {
  if (!masker) return;
  for (const secret of kubeconfigSecrets(kubeconfigText)) masker.register(secret);
}

/** The server and the credentials of the kubeconfig's current context, as https.request options. */
export interface ApiAccess {
  server: string;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  headers: Record<string, string>;
}

/**
 * Credentials go on each request's own options, never only on an https.Agent: the editor's extension host
 * (VS Code's proxy support) replaces a request's agent with its own, and a client certificate that lived
 * only in the replaced agent is then never sent (the API answers 401).
 */
export function apiAccessOf(kubeconfigText: string): ApiAccess {
  const config = parseDocument(kubeconfigText).toJS() as KubeconfigJson;
  const cluster = pickCluster(config)?.cluster ?? {};
  const user = pickUser(config)?.user ?? {};
  const server = cluster.server;
  if (!server) throw new Error('no server in the kubeconfig');
  const b64 = (v: string | undefined) => (v ? Buffer.from(v, 'base64') : undefined);
  return {
    server,
    tls: {
      ca: b64(cluster['certificate-authority-data']),
      cert: b64(user['client-certificate-data']),
      key: b64(user['client-key-data']),
    },
    headers: user.token ? { authorization: `Bearer ${user.token}` } : {},
  };
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export interface ApiReply {
  status: number;
  body: string;
}

/**
 * A GET on the kubeconfig's server with its credentials: the API's own JSON, untouched by the client's
 * models (for Describe and probes). Rejects when the server does not answer within timeoutMs.
 */
export function apiGet(kubeconfigText: string, path: string, timeoutMs = 10_000): Promise<ApiReply> {
  let access: ApiAccess;
  try {
    access = apiAccessOf(kubeconfigText);
  } catch (err) {
    return Promise.reject(err as Error);
  }
  const url = new URL(path, access.server);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        ...access.tls,
        method: 'GET',
        headers: { accept: 'application/json', ...access.headers },
        timeout: timeoutMs,
      },
      (res) => {
        res.setEncoding('utf8');
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Asks a server's /readyz with the kubeconfig's credentials; a short timeout counts as not answering. */
export async function probeServer(kubeconfigText: string, timeoutMs = 2000): Promise<ProbeResult> {
  try {
    const { status } = await apiGet(kubeconfigText, '/readyz', timeoutMs);
    return status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${status}` };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
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
  options: {
    timeoutMs?: number;
    signal?: AbortSignal;
    /** Receives the kubeconfig's credentials before anyone else sees the text. */
    masker?: SecretRegistry;
    /** Stops at once on these errors (e.g. a refused host key: the user's answer, not a node's fault). */
    isFatal?: (err: unknown) => boolean;
  } = {},
): Promise<{ kubeconfig: string; from: N }> {
  const failures: string[] = [];
  for (const node of nodes) {
    try {
      const result = await runner.exec(node, ['microk8s', 'config'], {
        timeoutMs: options.timeoutMs ?? 20_000,
        signal: options.signal,
        secretOutput: true,
      });
      if (result.code === 0 && /clusters:/.test(result.stdout)) {
        registerKubeconfigSecrets(options.masker, result.stdout);
        return { kubeconfig: result.stdout, from: node };
      }
      failures.push(
        `${node.name}: microk8s config exited ${result.code}: ${result.stderr.trim().split('\n')[0] ?? ''}`,
      );
    } catch (err) {
      if (options.signal?.aborted || options.isFatal?.(err)) throw err;
      failures.push(`${node.name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`Could not fetch the kubeconfig over SSH: ${failures.join('; ')}`);
}
