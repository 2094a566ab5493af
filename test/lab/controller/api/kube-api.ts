// The fake Kubernetes API server, served per node from the cluster that node belongs to: routes a request to
// discovery, nodes, pods, namespaces, stored kinds or metallb's pools. Never throws out of a request
// handler: every failure becomes a Status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { LabModel } from '../model';
import { findResource, resourceOf, withKind } from '../resources';
import type { Cluster, Json } from '../types';
import { metaOf } from '../types';
import { VERSION_INFO, apiGroup, apiGroupList, apiVersions, resourceList } from './discovery';
import {
  ApiError,
  methodNotAllowed,
  notFound,
  notFoundPath,
  parseJson,
  readBody,
  send,
  sendStatus,
  successStatus,
} from './http';
import { metallbPools } from './metallb-api';
import { objectsRequest } from './objects-api';
import { openApiV3 } from './openapi';
import { applyPatch } from './patch';
import { podRequest } from './pods-api';
import { toTable, wantsTable } from './tables';
import { listOrWatch, one } from './watch';

export interface ApiContext {
  model: LabModel;
  token: string;
  log(line: string): void;
}

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const socket = req.socket as TLSSocket;
  if (socket.authorized) return true;
  return (req.headers.authorization ?? '') === `Bearer ${token}`;
}

/** Serves one request for the cluster that lab node `index` belongs to. */
export async function handleApi(
  ctx: ApiContext,
  index: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!isAuthorized(req, ctx.token)) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
  const node = ctx.model.node(index);
  if (!node.running)
    return sendStatus(res, 503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
  try {
    await route(ctx.model, ctx.model.clusterOf(index), node.address, req, res);
  } catch (error) {
    if (error instanceof ApiError)
      return sendStatus(res, error.code, error.reason, error.message, error.details);
    throw error;
  }
}

async function route(
  model: LabModel,
  cluster: Cluster,
  address: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://lab');
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const parts = path.split('/').filter(Boolean);
  const q = url.searchParams;
  if (path === '/version') return send(res, 200, VERSION_INFO);
  if (path === '/healthz' || path === '/readyz' || path === '/livez') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (path.startsWith('/openapi/v3')) {
    const doc = openApiV3(path);
    if (!doc) throw notFoundPath();
    return send(res, 200, doc);
  }
  if (['POST', 'PUT', 'PATCH'].includes(method) && /protobuf/.test(String(req.headers['content-type'] ?? '')))
    // The lab decodes JSON only; kubectl's typed generators (`kubectl create pdb …`) send protobuf.
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
    );
  if (path === '/api') return send(res, 200, apiVersions(address));
  if (path === '/apis') return send(res, 200, apiGroupList(cluster));
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) [group, version, rest] = ['', parts[1] ?? '', parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 2) {
    if (parts[1] === 'metallb.io' && cluster.addons.has('metallb'))
      return metallbPools(
        model,
        cluster,
        parts.slice(2),
        method,
        res,
        method === 'PUT' ? parseJson(await readBody(req), 'IPAddressPool') : undefined,
      );
    if (parts.length === 2) {
      const found = apiGroup(cluster, parts[1] ?? '');
      if (!found) throw notFoundPath();
      return send(res, 200, found);
    }
    [group, version, rest] = [parts[1] ?? '', parts[2] ?? '', parts.slice(3)];
  } else throw notFoundPath();
  if (rest.length === 0) {
    const list = resourceList(cluster, group, version);
    if (!list) throw notFoundPath();
    return send(res, 200, list);
  }
  if (group === '' && version === 'v1' && rest[0] === 'namespaces' && rest.length <= 2)
    return namespaces(model, cluster, rest[1], method, req, res);
  let namespace: string | null = null;
  let plural: string;
  let name: string | undefined;
  let sub: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3)
    [namespace, plural, name, sub] = [rest[1] ?? '', rest[2] ?? '', rest[3], rest[4]];
  else [plural, name, sub] = [rest[0] ?? '', rest[1], rest[2]];
  const r = findResource(group, version, plural);
  if (
    !r ||
    (namespace !== null && !r.namespaced) ||
    (r.namespaced && namespace === null && name !== undefined)
  )
    throw notFoundPath();
  if (r.kind === 'nodes') return nodeRequest(model, cluster, name, sub, method, q, req, res);
  if (r.kind === 'pods') {
    if (name === undefined) {
      if (method === 'GET') return listOrWatch(model, cluster, r, namespace, q, req, res);
      throw methodNotAllowed();
    }
    const pod = model.findPod(cluster, namespace ?? '', name);
    if (!pod) throw notFound('pods', name);
    return podRequest(model, cluster, pod, sub, method, q, req, res);
  }
  return objectsRequest(model, cluster, r, namespace, name, sub, method, q, req, res);
}

async function nodeRequest(
  model: LabModel,
  cluster: Cluster,
  name: string | undefined,
  sub: string | undefined,
  method: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const r = resourceOf('nodes');
  if (name === undefined) {
    if (method !== 'GET') throw methodNotAllowed();
    return listOrWatch(model, cluster, r, null, q, req, res);
  }
  if (sub !== undefined && sub !== 'status') throw notFoundPath();
  const k8sNode = cluster.k8sNodes.get(name);
  if (!k8sNode) throw notFound('nodes', name);
  if (method === 'GET') return send(res, 200, one(r, req, withKind(r, model.nodeJson(k8sNode))));
  if (method === 'DELETE' && sub === undefined) {
    await readBody(req);
    model.deleteK8sNode(cluster, name);
    return send(res, 200, successStatus({ name, kind: 'nodes', uid: k8sNode.uid }));
  }
  if (method === 'PATCH' || method === 'PUT') {
    const body = await readBody(req);
    const patched =
      method === 'PUT'
        ? parseJson(body, 'Node')
        : applyPatch(withKind(r, model.nodeJson(k8sNode)), String(req.headers['content-type'] ?? ''), body);
    if (!patched)
      throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format');
    if (sub === undefined) {
      const spec = (patched.spec ?? {}) as Json;
      const meta = metaOf(patched);
      k8sNode.unschedulable = spec.unschedulable === true;
      if (meta.labels && typeof meta.labels === 'object')
        k8sNode.labels = { ...(meta.labels as Record<string, string>) };
      if (meta.annotations && typeof meta.annotations === 'object')
        k8sNode.annotations = { ...(meta.annotations as Record<string, string>) };
      model.touchNode(cluster, k8sNode);
      model.reconcile(cluster);
    }
    return send(res, 200, withKind(r, model.nodeJson(k8sNode)));
  }
  throw methodNotAllowed();
}

async function namespaces(
  model: LabModel,
  cluster: Cluster,
  name: string | undefined,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (method !== 'GET') throw methodNotAllowed();
  const names = [...model.namespaces(cluster)].sort();
  const json = (n: string): Json => ({
    metadata: {
      name: n,
      uid: n,
      creationTimestamp: cluster.created,
      labels: { 'kubernetes.io/metadata.name': n },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  const ns = { kindName: 'Namespace', group: '', version: 'v1', plural: 'namespaces' } as Parameters<
    typeof toTable
  >[0];
  if (name !== undefined) {
    if (!names.includes(name)) throw notFound('namespaces', name);
    return send(
      res,
      200,
      one(ns as Parameters<typeof one>[0], req, { kind: 'Namespace', apiVersion: 'v1', ...json(name) }),
    );
  }
  if (wantsTable(req.headers.accept))
    return send(
      res,
      200,
      toTable(
        ns,
        names.map((n) => ({ kind: 'Namespace', apiVersion: 'v1', ...json(n) })),
        String(model.rv),
        null,
      ),
    );
  send(res, 200, {
    kind: 'NamespaceList',
    apiVersion: 'v1',
    metadata: { resourceVersion: String(model.rv) },
    items: names.map(json),
  });
}
