// One pod through the API: get, delete (graceful or forced), patch of its metadata (labels, annotations),
// the policy/v1 eviction subresource (429 while a disruption budget blocks it) and its log (tail, follow).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { evictionVerdict } from '../disruption';
import type { LabModel } from '../model';
import { resourceOf, withKind } from '../resources';
import type { Cluster, Json, PodRecord } from '../types';
import { metaOf } from '../types';
import { ApiError, methodNotAllowed, notFoundPath, parseJson, readBody, send } from './http';
import { applyPatch } from './patch';
import { emitPod } from '../pods';
import { one } from './watch';

const POD = resourceOf('pods');

export async function podRequest(
  model: LabModel,
  cluster: Cluster,
  pod: PodRecord,
  sub: string | undefined,
  method: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (sub === undefined || sub === 'status') {
    if (method === 'GET') return send(res, 200, one(POD, req, withKind(POD, structuredClone(pod.object))));
    if (method === 'DELETE' && sub === undefined) {
      const options = parseJson(await readBody(req), 'DeleteOptions');
      let grace = q.has('gracePeriodSeconds') ? Number(q.get('gracePeriodSeconds')) : undefined;
      if (typeof options.gracePeriodSeconds === 'number') grace = options.gracePeriodSeconds;
      const dryRun = q.getAll('dryRun').includes('All');
      if (!dryRun) model.deletePod(cluster, pod, grace);
      return send(res, 200, withKind(POD, structuredClone(pod.object)));
    }
    if (method === 'PATCH' && sub === undefined) {
      const patched = applyPatch(
        withKind(POD, structuredClone(pod.object)),
        String(req.headers['content-type'] ?? ''),
        await readBody(req),
      );
      if (!patched)
        throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format');
      // Only metadata changes on a running pod here (the lab's pods' specs are immutable, as they mostly are).
      const meta = metaOf(patched);
      const own = metaOf(pod.object);
      for (const key of ['labels', 'annotations'] as const) {
        if (meta[key] && Object.keys(meta[key] as Json).length) own[key] = meta[key];
        else delete own[key];
      }
      emitPod(cluster, 'MODIFIED', pod);
      return send(res, 200, withKind(POD, structuredClone(pod.object)));
    }
    throw methodNotAllowed();
  }
  if (sub === 'eviction') {
    if (method !== 'POST') throw methodNotAllowed();
    const eviction = parseJson(await readBody(req), 'Eviction');
    const options = eviction.deleteOptions as Json | undefined;
    const grace = typeof options?.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : undefined;
    const verdict = evictionVerdict(cluster, pod);
    if (!verdict.allowed)
      throw new ApiError(
        verdict.code,
        verdict.reason,
        verdict.message,
        verdict.causes ? { causes: verdict.causes } : undefined,
      );
    if (!q.getAll('dryRun').includes('All')) model.deletePod(cluster, pod, grace);
    return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
  if (sub === 'log' && method === 'GET') return podLog(cluster, pod, q, req, res);
  throw notFoundPath();
}

function podLog(
  cluster: Cluster,
  pod: PodRecord,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const meta = metaOf(pod.object);
  const containers = ((pod.object.spec as Json).containers as Json[]).map((c) => String(c.name));
  const container = q.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
  if (container === undefined)
    throw new ApiError(
      400,
      'BadRequest',
      `a container name must be specified for pod ${String(meta.name)}, choose one of: [${containers.join(' ')}]`,
    );
  if (!containers.includes(container))
    throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${String(meta.name)}`);
  const phase = (pod.object.status as Json).phase;
  if (phase === 'Pending')
    throw new ApiError(
      400,
      'BadRequest',
      `container "${container}" in pod "${String(meta.name)}" is waiting to start: ContainerCreating`,
    );
  // The lab's containers never restart: there is no previous instance, as the kubelet says.
  if (q.get('previous') === 'true')
    throw new ApiError(
      400,
      'BadRequest',
      `previous terminated container "${container}" in pod "${String(meta.name)}" not found`,
    );
  const start = Date.parse(String(meta.creationTimestamp));
  // timestamps=true: the kubelet's RFC 3339 (nanoseconds) time before each line.
  const stamp = (at: number) =>
    q.get('timestamps') === 'true' ? `${new Date(at).toISOString().replace(/Z$/, '000000Z')} ` : '';
  const line = (n: number): string =>
    `${stamp(start + n * 1000)}${new Date(start + n * 1000).toISOString()} INFO [${container}] ${String(meta.name)} handled request ${n} ok\n`;
  const total = 20;
  const since = q.has('sinceSeconds') ? Date.now() - Number(q.get('sinceSeconds')) * 1000 : undefined;
  const fromSince = since === undefined ? 0 : Math.max(0, Math.ceil((since - start) / 1000));
  const tail = q.has('tailLines')
    ? Math.max(0, Number(q.get('tailLines')))
    : total - Math.min(total, fromSince);
  const follow = q.get('follow') === 'true';
  res.writeHead(200, { 'Content-Type': 'text/plain', ...(follow ? { 'Transfer-Encoding': 'chunked' } : {}) });
  const lines: string[] = [];
  for (let n = Math.max(0, total - tail); n < total; n++) lines.push(line(n));
  res.write(lines.join(''));
  if (!follow) {
    res.end();
    return;
  }
  res.flushHeaders();
  let n = total;
  const timer = setInterval(() => {
    if (cluster.pods.get(`${String(meta.namespace)}/${String(meta.name)}`) !== pod) {
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
