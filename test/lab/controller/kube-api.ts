// The fake Kubernetes API server: what @kubernetes/client-node needs (lab.md), served per node from the
// cluster that node belongs to. Never throws out of a request handler: every failure becomes a Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  KUBELET_VERSION,
  LabModel,
  withKind,
  type Cluster,
  type Json,
  type PodRecord,
  type ResourceKind,
  type Watcher,
} from './model';

export interface ApiContext {
  model: LabModel;
  token: string;
  log(line: string): void;
}

function status(res: ServerResponse, code: number, reason: string, message: string, details?: Json): void {
  send(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });
}

function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 4_000_000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

type Selector = (object: Json) => boolean;

function fieldSelector(text: string | null): Selector {
  if (!text) return () => true;
  const clauses = text.split(',').map((clause) => {
    const negate = clause.includes('!=');
    const [path = '', value = ''] = clause.split(/!=|==|=/);
    return (object: Json): boolean => {
      let current: unknown = object;
      for (const part of path.split('.')) current = (current as Json | undefined)?.[part];
      const actual = current === undefined ? '' : String(current);
      return negate ? actual !== value : actual === value;
    };
  });
  return (object) => clauses.every((c) => c(object));
}

function labelSelector(text: string | null): Selector {
  if (!text) return () => true;
  const clauses = text.split(',').map((clause) => {
    const labelsOf = (o: Json): Record<string, string> =>
      ((o.metadata as Json).labels as Record<string, string>) ?? {};
    const set = /^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$/.exec(clause);
    if (set) {
      const values = (set[3] ?? '').split(/\s*,\s*/);
      return (o: Json) => values.includes(labelsOf(o)[set[1] ?? ''] ?? '\0') === (set[2] === 'in');
    }
    const eq = /^\s*([^\s!=]+)\s*(!=|==|=)\s*(\S*)\s*$/.exec(clause);
    if (eq) return (o: Json) => (labelsOf(o)[eq[1] ?? ''] === eq[3]) === (eq[2] !== '!=');
    const not = /^\s*!(\S+)\s*$/.exec(clause);
    if (not) return (o: Json) => !((not[1] ?? '') in labelsOf(o));
    return (o: Json) => clause.trim() in labelsOf(o);
  });
  return (object) => clauses.every((c) => c(object));
}

const DISCOVERY_V1 = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'nodes',
      singularName: 'node',
      namespaced: false,
      kind: 'Node',
      verbs: ['delete', 'get', 'list', 'patch', 'watch'],
      shortNames: ['no'],
    },
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['delete', 'get', 'list', 'watch'],
      shortNames: ['po'],
    },
    {
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    },
    { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    {
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['get', 'list'],
      shortNames: ['ns'],
    },
  ],
};

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) return true;
  const header = req.headers.authorization ?? '';
  return header === `Bearer ${token}`;
}

/** Serves one request for the cluster that lab node `index` belongs to. */
export async function handleApi(
  ctx: ApiContext,
  index: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://lab');
  const method = req.method ?? 'GET';
  if (!isAuthorized(req, ctx.token)) {
    status(res, 401, 'Unauthorized', 'Unauthorized');
    return;
  }
  const node = ctx.model.node(index);
  if (!node.running) {
    status(res, 503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    return;
  }
  const cluster = ctx.model.clusterOf(index);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  const q = url.searchParams;

  if (path === '/version') {
    send(res, 200, {
      major: '1',
      minor: '32',
      gitVersion: KUBELET_VERSION,
      gitCommit: '32cc146f75aad04beaaa245a7157eb35063a9f99',
      gitTreeState: 'clean',
      buildDate: '2025-03-11T19:52:21Z',
      goVersion: 'go1.23.6',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
    return;
  }
  if (path === '/api') {
    send(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${node.address}:16443` }],
    });
    return;
  }
  if (path === '/apis') {
    send(res, 200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [
        {
          name: 'policy',
          versions: [{ groupVersion: 'policy/v1', version: 'v1' }],
          preferredVersion: { groupVersion: 'policy/v1', version: 'v1' },
        },
      ],
    });
    return;
  }
  if (path === '/api/v1') {
    send(res, 200, DISCOVERY_V1);
    return;
  }
  if (path === '/healthz' || path === '/readyz' || path === '/livez') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (parts[0] !== 'api' || parts[1] !== 'v1') {
    status(res, 404, 'NotFound', 'the server could not find the requested resource');
    return;
  }
  const rest = parts.slice(2);
  // /api/v1/nodes[/NAME]
  if (rest[0] === 'nodes') {
    const name = rest[1];
    if (!name) {
      if (method !== 'GET') return status(res, 405, 'MethodNotAllowed', `method ${method} not allowed`);
      return listOrWatch(ctx, cluster, 'nodes', null, q, req, res);
    }
    const k8sNode = cluster.k8sNodes.get(name);
    if (!k8sNode) return status(res, 404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' });
    if (method === 'GET') return send(res, 200, withKind('nodes', ctx.model.nodeJson(k8sNode)));
    if (method === 'DELETE') {
      ctx.model.deleteK8sNode(cluster, name);
      return send(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, kind: 'nodes', uid: k8sNode.uid },
      });
    }
    if (method === 'PATCH') {
      const body = await readBody(req);
      const patched = applyPatch(
        ctx.model.nodeJson(k8sNode),
        String(req.headers['content-type'] ?? ''),
        body,
      );
      if (!patched)
        return status(res, 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format');
      const spec = (patched.spec as Json | undefined) ?? {};
      const meta = (patched.metadata as Json | undefined) ?? {};
      k8sNode.unschedulable = spec.unschedulable === true;
      if (meta.labels && typeof meta.labels === 'object')
        k8sNode.labels = { ...(meta.labels as Record<string, string>) };
      if (meta.annotations && typeof meta.annotations === 'object')
        k8sNode.annotations = { ...(meta.annotations as Record<string, string>) };
      ctx.model.touchNode(cluster, k8sNode);
      ctx.model.reconcile(cluster);
      return send(res, 200, withKind('nodes', ctx.model.nodeJson(k8sNode)));
    }
    return status(res, 405, 'MethodNotAllowed', `method ${method} not allowed`);
  }
  if (rest[0] === 'pods' && rest.length === 1) {
    return listOrWatch(ctx, cluster, 'pods', null, q, req, res);
  }
  if (rest[0] === 'namespaces' && rest.length === 1) {
    const names = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    for (const pod of cluster.pods.values()) names.add((pod.object.metadata as Json).namespace as string);
    return send(res, 200, {
      kind: 'NamespaceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(ctx.model.rv) },
      items: [...names].map((n) => ({
        metadata: { name: n, uid: n, creationTimestamp: cluster.created },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      })),
    });
  }
  if (rest[0] === 'namespaces' && rest[2] === 'pods') {
    const namespace = rest[1] ?? '';
    const name = rest[3];
    if (!name) return listOrWatch(ctx, cluster, 'pods', namespace, q, req, res);
    const pod = ctx.model.findPod(cluster, namespace, name);
    if (!pod) return status(res, 404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const sub = rest[4];
    if (!sub) {
      if (method === 'GET') return send(res, 200, withKind('pods', pod.object));
      if (method === 'DELETE') {
        const body = await readBody(req);
        let grace = q.has('gracePeriodSeconds') ? Number(q.get('gracePeriodSeconds')) : undefined;
        try {
          const options = body ? (JSON.parse(body) as Json) : {};
          if (typeof options.gracePeriodSeconds === 'number') grace = options.gracePeriodSeconds;
        } catch {
          return status(res, 400, 'BadRequest', 'invalid DeleteOptions');
        }
        ctx.model.deletePod(cluster, pod, grace);
        return send(res, 200, withKind('pods', pod.object));
      }
      return status(res, 405, 'MethodNotAllowed', `method ${method} not allowed`);
    }
    if (sub === 'eviction' && method === 'POST') {
      const body = await readBody(req);
      let grace: number | undefined;
      try {
        const eviction = body ? (JSON.parse(body) as Json) : {};
        const options = eviction.deleteOptions as Json | undefined;
        if (typeof options?.gracePeriodSeconds === 'number') grace = options.gracePeriodSeconds;
      } catch {
        return status(res, 400, 'BadRequest', 'invalid Eviction');
      }
      ctx.model.deletePod(cluster, pod, grace);
      return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    }
    if (sub === 'log' && method === 'GET') return podLog(cluster, pod, q, req, res);
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  status(res, 404, 'NotFound', 'the server could not find the requested resource');
}

function applyPatch(target: Json, contentType: string, body: string): Json | undefined {
  let patch: unknown;
  try {
    patch = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (contentType.startsWith('application/json-patch+json')) {
    if (!Array.isArray(patch)) return undefined;
    for (const op of patch as Array<{ op: string; path: string; value?: unknown }>) {
      const keys = String(op.path)
        .split('/')
        .slice(1)
        .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      const last = keys.pop();
      if (last === undefined) continue;
      let parent: Json = target;
      for (const key of keys) {
        if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
        parent = parent[key] as Json;
      }
      if (op.op === 'remove') delete parent[last];
      else if (op.op === 'add' || op.op === 'replace') parent[last] = op.value;
    }
    return target;
  }
  if (
    contentType.startsWith('application/merge-patch+json') ||
    contentType.startsWith('application/strategic-merge-patch+json') ||
    contentType.startsWith('application/apply-patch')
  ) {
    return merge(target, patch) as Json;
  }
  return undefined;
}

function merge(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Json =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

function listOrWatch(
  ctx: ApiContext,
  cluster: Cluster,
  kind: ResourceKind,
  namespace: string | null,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const byField = fieldSelector(q.get('fieldSelector'));
  const byLabel = labelSelector(q.get('labelSelector'));
  const matches = (object: Json): boolean =>
    (namespace === null || (object.metadata as Json).namespace === namespace) &&
    byField(object) &&
    byLabel(object);
  const current = (): Json[] =>
    kind === 'nodes'
      ? [...cluster.k8sNodes.values()].map((n) => ctx.model.nodeJson(n))
      : [...cluster.pods.values()].map((p: PodRecord) => structuredClone(p.object));
  if (q.get('watch') !== 'true' && q.get('watch') !== '1') {
    send(res, 200, {
      kind: kind === 'nodes' ? 'NodeList' : 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(ctx.model.rv) },
      items: current().filter(matches),
    });
    return;
  }
  const rvText = q.get('resourceVersion');
  const sinceRv = rvText && rvText !== '0' ? Number(rvText) : null;
  if (sinceRv !== null && !Number.isFinite(sinceRv))
    return status(res, 400, 'BadRequest', `invalid resourceVersion "${rvText}"`);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (event: { type: string; object: Json }): void => {
    if (!res.writableEnded) res.write(JSON.stringify(event) + '\n');
  };
  if (sinceRv !== null) {
    const oldest = cluster.history[0]?.rv;
    if (oldest !== undefined && sinceRv < oldest - 1 && sinceRv < ctx.model.rv) {
      write({
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${sinceRv} (${oldest - 1})`,
          reason: 'Expired',
          code: 410,
        },
      });
      res.end();
      return;
    }
    for (const event of cluster.history) {
      if (event.rv > sinceRv && event.kind === kind && matches(event.object))
        write({ type: event.type, object: withKind(kind, event.object) });
    }
  } else {
    for (const object of current().filter(matches)) write({ type: 'ADDED', object: withKind(kind, object) });
  }
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  const watcher: Watcher = {
    kind,
    matches,
    send: write,
    close: () => {
      cluster.watchers.delete(watcher);
      clearInterval(bookmarkTimer);
      clearTimeout(timeoutTimer);
      if (!res.writableEnded) res.end();
    },
  };
  cluster.watchers.add(watcher);
  if (q.get('allowWatchBookmarks') === 'true') {
    bookmarkTimer = setInterval(
      () =>
        write({
          type: 'BOOKMARK',
          object: {
            kind: kind === 'nodes' ? 'Node' : 'Pod',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(ctx.model.rv) },
          },
        }),
      1000,
    );
  }
  const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '0');
  if (timeoutSeconds > 0) timeoutTimer = setTimeout(() => watcher.close(), timeoutSeconds * 1000);
  req.on('close', () => watcher.close());
  res.on('close', () => watcher.close());
}

function podLog(
  cluster: Cluster,
  pod: PodRecord,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const meta = pod.object.metadata as Json;
  const container = q.get('container') ?? pod.workload.containers[0]?.name ?? 'main';
  const start = Date.parse(String(meta.creationTimestamp));
  const line = (n: number): string =>
    `${new Date(start + n * 1000).toISOString()} INFO [${container}] ${String(meta.name)} handled request ${n} ok\n`;
  const total = 20;
  const tail = q.has('tailLines') ? Math.max(0, Number(q.get('tailLines'))) : total;
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    ...(q.get('follow') === 'true' ? { 'Transfer-Encoding': 'chunked' } : {}),
  });
  const lines: string[] = [];
  for (let n = Math.max(0, total - tail); n < total; n++) lines.push(line(n));
  res.write(lines.join(''));
  if (q.get('follow') !== 'true') {
    res.end();
    return;
  }
  res.flushHeaders();
  let n = total;
  const timer = setInterval(() => {
    if (!cluster.pods.has(`${String(meta.namespace)}/${String(meta.name)}`)) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(line(n++));
  }, 200);
  const stop = (): void => clearInterval(timer);
  req.on('close', stop);
  res.on('close', stop);
}
