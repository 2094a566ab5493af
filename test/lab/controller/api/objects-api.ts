// Stored kinds through the API (Secrets, ConfigMaps, Services, Events, the apps/v1 workloads, PDBs): list,
// watch, create, get, replace, patch, delete, deletecollection, and the status and scale subresources.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LabModel } from '../model';
import { type Resource, withKind } from '../resources';
import type { Cluster, Json, StoredKind } from '../types';
import { metaOf } from '../types';
import { ApiError, methodNotAllowed, notFound, notFoundPath, readBody, send } from './http';
import { applyPatch } from './patch';
import { fieldSelector, labelSelector } from './selectors';
import { listOrWatch, one, present } from './watch';
import { createObject, deleteObject, parseBody, patchObject, replaceObject } from './writes';

export async function objectsRequest(
  model: LabModel,
  cluster: Cluster,
  r: Resource,
  namespace: string | null,
  name: string | undefined,
  sub: string | undefined,
  method: string,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const kind = r.kind as StoredKind;
  const dryRun = q.getAll('dryRun').includes('All');
  // events.k8s.io/v1 shows core events in its own shape; the lab takes writes through core/v1 only.
  const readOnly = r.group === 'events.k8s.io';
  if (sub !== undefined && !(r.subresources ?? []).some((s) => s.name === sub)) throw notFoundPath();
  if (name === undefined) {
    if (method === 'GET') return listOrWatch(model, cluster, r, namespace, q, req, res);
    if (readOnly || namespace === null) throw methodNotAllowed();
    if (method === 'POST') {
      const result = createObject(
        model,
        cluster,
        kind,
        namespace,
        parseBody(kind, await readBody(req)),
        dryRun,
      );
      return send(res, result.code, result.body);
    }
    if (method === 'DELETE') {
      // deletecollection: the labelSelector/fieldSelector pick what goes.
      await readBody(req);
      const byLabel = labelSelector(q.get('labelSelector'));
      const byField = fieldSelector(r, q.get('fieldSelector'));
      const doomed = [...cluster.objects[kind].values()].filter(
        (o) => metaOf(o).namespace === namespace && byLabel(o) && byField(o),
      );
      if (!dryRun)
        for (const o of doomed) model.removeObject(cluster, kind, namespace, String(metaOf(o).name), true);
      return send(res, 200, {
        kind: `${r.kindName}List`,
        apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
        metadata: { resourceVersion: String(model.rv) },
        items: doomed.map((o) => structuredClone(o)),
      });
    }
    throw methodNotAllowed();
  }
  const ns = namespace ?? '';
  const existing = (): Json => {
    const object = model.getObject(cluster, kind, ns, name);
    if (!object) throw notFound(r.plural, name, r.group);
    return object;
  };
  if (method === 'GET') {
    const object = existing();
    if (sub === 'scale') return send(res, 200, scaleOf(object));
    return send(res, 200, one(r, req, present(r, structuredClone(object))));
  }
  if (readOnly) throw methodNotAllowed();
  if (sub === 'status' || sub === 'scale') {
    if (method !== 'PUT' && method !== 'PATCH') throw methodNotAllowed();
    const object = existing();
    const text = await readBody(req);
    const base = sub === 'scale' ? scaleOf(object) : withKind(r, structuredClone(object));
    const changed =
      method === 'PUT'
        ? (JSON.parse(text || '{}') as Json)
        : applyPatch(base, String(req.headers['content-type'] ?? ''), text);
    if (!changed)
      throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format');
    const updated = structuredClone(object);
    if (sub === 'status') updated.status = (changed.status ?? {}) as Json;
    else {
      (updated.spec as Json).replicas = Number(((changed.spec ?? {}) as Json).replicas ?? 0);
      const meta = metaOf(updated);
      meta.generation = Number(meta.generation ?? 1) + 1;
    }
    if (dryRun) return send(res, 200, sub === 'scale' ? scaleOf(updated) : withKind(r, updated));
    const stored = model.putObject(cluster, kind, updated, true);
    return send(res, 200, sub === 'scale' ? scaleOf(stored) : withKind(r, structuredClone(stored)));
  }
  if (method === 'PUT') {
    const result = replaceObject(
      model,
      cluster,
      kind,
      ns,
      name,
      parseBody(kind, await readBody(req)),
      dryRun,
    );
    return send(res, result.code, result.body);
  }
  if (method === 'PATCH') {
    const text = await readBody(req);
    const result = patchObject(
      model,
      cluster,
      kind,
      ns,
      name,
      String(req.headers['content-type'] ?? ''),
      text,
      dryRun,
    );
    return send(res, result.code, result.body);
  }
  if (method === 'DELETE') {
    await readBody(req);
    const result = deleteObject(model, cluster, kind, ns, name, dryRun);
    return send(res, result.code, result.body);
  }
  throw methodNotAllowed();
}

/** autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet. */
function scaleOf(object: Json): Json {
  const meta = metaOf(object);
  const spec = (object.spec ?? {}) as Json;
  const selector = Object.entries(
    ((spec.selector as Json | undefined)?.matchLabels ?? {}) as Record<string, string>,
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: Number(spec.replicas ?? 1) },
    status: { replicas: Number(((object.status ?? {}) as Json).replicas ?? 0), selector },
  };
}
