// The fake Kubernetes API server: what @kubernetes/client-node needs (lab.md), served per node from the
// cluster that node belongs to. Never throws out of a request handler: every failure becomes a Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  KIND_NAMES,
  KUBELET_VERSION,
  LabModel,
  STORED_KINDS,
  withKind,
  type Cluster,
  type Json,
  type PodRecord,
  type ResourceKind,
  type StoredKind,
  type Watcher,
} from './model';
import {
  ApiError,
  applyPatch,
  createObject,
  deleteObject,
  notFound,
  parseBody,
  patchObject,
  replaceObject,
} from './objects';

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
      if (body.length > 4_000_000) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const resource = (
  name: string,
  kind: string,
  shortNames: string[],
  verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
): Json => ({ name, singularName: kind.toLowerCase(), namespaced: true, kind, verbs, shortNames });

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
    resource('secrets', 'Secret', []),
    resource('configmaps', 'ConfigMap', ['cm']),
    resource('services', 'Service', ['svc']),
    {
      name: 'services/status',
      singularName: '',
      namespaced: true,
      kind: 'Service',
      verbs: ['get', 'patch', 'update'],
    },
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
        ...(cluster.addons.has('metallb')
          ? [
              {
                name: 'metallb.io',
                versions: [{ groupVersion: 'metallb.io/v1beta1', version: 'v1beta1' }],
                preferredVersion: { groupVersion: 'metallb.io/v1beta1', version: 'v1beta1' },
              },
            ]
          : []),
      ],
    });
    return;
  }
  if (parts[0] === 'apis' && parts[1] === 'metallb.io' && cluster.addons.has('metallb')) {
    return metallbPools(ctx, cluster, parts.slice(2), method, res);
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
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  try {
    if (await storedObjects(ctx, cluster, parts.slice(2), method, q, req, res)) return;
  } catch (error) {
    if (error instanceof ApiError) return status(res, error.code, error.reason, error.message, error.details);
    throw error;
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
      let patched: Json | undefined;
      try {
        patched = applyPatch(ctx.model.nodeJson(k8sNode), String(req.headers['content-type'] ?? ''), body);
      } catch (error) {
        if (error instanceof ApiError) return status(res, error.code, error.reason, error.message);
        throw error;
      }
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
  if (rest[0] === 'namespaces' && rest.length <= 2) {
    const names = ctx.model.namespaces(cluster);
    for (const pod of cluster.pods.values()) names.add((pod.object.metadata as Json).namespace as string);
    const namespaceJson = (n: string): Json => ({
      metadata: {
        name: n,
        uid: n,
        creationTimestamp: cluster.created,
        labels: { 'kubernetes.io/metadata.name': n },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    if (rest[1] !== undefined) {
      if (!names.has(rest[1]))
        return status(res, 404, 'NotFound', `namespaces "${rest[1]}" not found`, {
          name: rest[1],
          kind: 'namespaces',
        });
      return send(res, 200, { kind: 'Namespace', apiVersion: 'v1', ...namespaceJson(rest[1]) });
    }
    return send(res, 200, {
      kind: 'NamespaceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(ctx.model.rv) },
      items: [...names].map(namespaceJson),
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
      : kind === 'pods'
        ? [...cluster.pods.values()].map((p: PodRecord) => structuredClone(p.object))
        : [...cluster.objects[kind].values()].map((o) => structuredClone(o));
  if (q.get('watch') !== 'true' && q.get('watch') !== '1') {
    send(res, 200, {
      kind: `${KIND_NAMES[kind]}List`,
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
            kind: KIND_NAMES[kind],
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

/**
 * /api/v1/{secrets,configmaps,services} and /api/v1/namespaces/NS/{kind}[/NAME[/status]]: list, watch,
 * create, get, replace, patch, delete, deletecollection. Returns false for any other path.
 */
async function storedObjects(
  ctx: ApiContext,
  cluster: Cluster,
  rest: string[],
  method: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const isStored = (word: string | undefined): word is StoredKind =>
    word !== undefined && (STORED_KINDS as readonly string[]).includes(word);
  let kind: StoredKind;
  let namespace: string | null = null;
  let name: string | undefined;
  let sub: string | undefined;
  if (rest.length === 1 && isStored(rest[0])) {
    kind = rest[0];
  } else if (rest[0] === 'namespaces' && isStored(rest[2]) && rest.length <= 5) {
    kind = rest[2];
    namespace = rest[1] ?? '';
    name = rest[3];
    sub = rest[4];
  } else {
    return false;
  }
  const { model } = ctx;
  const dryRun = q.getAll('dryRun').includes('All');
  const notAllowed = (): void =>
    status(res, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  if (sub !== undefined && !(sub === 'status' && kind === 'services')) {
    status(res, 404, 'NotFound', 'the server could not find the requested resource');
    return true;
  }
  if (name === undefined) {
    if (method === 'GET') {
      listOrWatch(ctx, cluster, kind, namespace, q, req, res);
    } else if (method === 'POST' && namespace !== null) {
      const result = createObject(
        model,
        cluster,
        kind,
        namespace,
        parseBody(kind, await readBody(req)),
        dryRun,
      );
      send(res, result.code, result.body);
    } else if (method === 'DELETE' && namespace !== null) {
      // deletecollection: the labelSelector/fieldSelector pick what goes.
      await readBody(req);
      const byLabel = labelSelector(q.get('labelSelector'));
      const byField = fieldSelector(q.get('fieldSelector'));
      const doomed = [...cluster.objects[kind].values()].filter(
        (o) => (o.metadata as Json).namespace === namespace && byLabel(o) && byField(o),
      );
      for (const object of doomed)
        if (!dryRun)
          model.removeObject(cluster, kind, namespace, String((object.metadata as Json).name), true);
      send(res, 200, {
        kind: `${KIND_NAMES[kind]}List`,
        apiVersion: 'v1',
        metadata: { resourceVersion: String(model.rv) },
        items: doomed.map((o) => structuredClone(o)),
      });
    } else notAllowed();
    return true;
  }
  const ns = namespace ?? '';
  switch (method) {
    case 'GET': {
      const object = model.getObject(cluster, kind, ns, name);
      if (!object) throw notFound(kind, name);
      send(res, 200, withKind(kind, structuredClone(object)));
      return true;
    }
    case 'PUT': {
      const body = parseBody(kind, await readBody(req));
      if (sub === 'status') {
        const object = model.getObject(cluster, kind, ns, name);
        if (!object) throw notFound(kind, name);
        const updated = structuredClone(object);
        updated.status = (body.status ?? {}) as Json;
        send(res, 200, withKind(kind, structuredClone(model.putObject(cluster, kind, updated))));
        return true;
      }
      const result = replaceObject(model, cluster, kind, ns, name, body, dryRun);
      send(res, result.code, result.body);
      return true;
    }
    case 'PATCH': {
      const text = await readBody(req);
      const contentType = String(req.headers['content-type'] ?? '');
      if (sub === 'status') {
        const object = model.getObject(cluster, kind, ns, name);
        if (!object) throw notFound(kind, name);
        const patched = applyPatch(withKind(kind, structuredClone(object)), contentType, text);
        if (!patched)
          throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format');
        const updated = structuredClone(object);
        updated.status = (patched.status ?? {}) as Json;
        send(res, 200, withKind(kind, structuredClone(model.putObject(cluster, kind, updated))));
        return true;
      }
      const result = patchObject(model, cluster, kind, ns, name, contentType, text, dryRun);
      send(res, result.code, result.body);
      return true;
    }
    case 'DELETE': {
      await readBody(req);
      const result = deleteObject(model, cluster, kind, ns, name, dryRun);
      send(res, result.code, result.body);
      return true;
    }
    default:
      notAllowed();
      return true;
  }
}

/** /apis/metallb.io/v1beta1[/namespaces/metallb-system]/ipaddresspools: the add-on's pool, read-only. */
function metallbPools(
  ctx: ApiContext,
  cluster: Cluster,
  rest: string[],
  method: string,
  res: ServerResponse,
): void {
  const pool = (): Json => ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: {
      name: 'default-addresspool',
      namespace: 'metallb-system',
      uid: `${cluster.id.slice(0, 24)}metallbpool`,
      creationTimestamp: cluster.created,
      resourceVersion: String(ctx.model.rv),
    },
    spec: {
      addresses: (cluster.metallbRange ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
      autoAssign: true,
      avoidBuggyIPs: false,
    },
  });
  const [version, a, b, c, d] = rest;
  if (version !== 'v1beta1')
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  if (rest.length === 1) {
    return send(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'metallb.io/v1beta1',
      resources: [
        {
          name: 'ipaddresspools',
          singularName: 'ipaddresspool',
          namespaced: true,
          kind: 'IPAddressPool',
          verbs: ['get', 'list'],
        },
      ],
    });
  }
  if (method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'the lab serves metallb pools read-only');
  const all = a === 'ipaddresspools' && rest.length === 2;
  const inNamespace = a === 'namespaces' && c === 'ipaddresspools';
  if (!all && !inNamespace)
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  const items = inNamespace && b !== 'metallb-system' ? [] : [pool()];
  if (d !== undefined) {
    const item = items.find((p) => (p.metadata as Json).name === d);
    if (!item) return status(res, 404, 'NotFound', `ipaddresspools.metallb.io "${d}" not found`);
    return send(res, 200, item);
  }
  send(res, 200, {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPoolList',
    metadata: { resourceVersion: String(ctx.model.rv) },
    items,
  });
}
