// Writes to stored objects through the API (create, replace, patch, delete) with the API server's answers:
// 201/200, 404, 409 AlreadyExists or Conflict, 422, 400, and `dryRun=All`.
import type { LabModel } from '../model';
import { resourceOf, withKind } from '../resources';
import type { Cluster, Json, StoredKind } from '../types';
import { ApiError, notFound } from './http';
import { applyPatch } from './patch';
import { badRequest, normalize } from './validate';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a request body as the API server would: JSON, an object, of this kind. */
export function parseBody(kind: StoredKind, text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(kind, `json: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(value)) throw badRequest(kind, 'the body must be a JSON object');
  const kindName = resourceOf(kind).kindName;
  if (value.kind !== undefined && value.kind !== kindName)
    throw badRequest(kind, `kind "${String(value.kind)}" does not match ${kindName}`);
  return value;
}

const missing = (kind: StoredKind, name: string): ApiError => notFound(kind, name, resourceOf(kind).group);

export interface WriteResult {
  code: number;
  body: Json;
}

function stored(model: LabModel, cluster: Cluster, kind: StoredKind, namespace: string, name: string): Json {
  const object = model.getObject(cluster, kind, namespace, name);
  if (!object) throw missing(kind, name);
  return object;
}

function requireNamespace(model: LabModel, cluster: Cluster, namespace: string): void {
  if (!model.namespaces(cluster).has(namespace))
    throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: 'namespaces',
    });
}

const view = (kind: StoredKind, object: Json): Json => withKind(resourceOf(kind), structuredClone(object));

/** POST: 201 with the stored object; 409 when the name is taken. */
export function createObject(
  model: LabModel,
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  body: Json,
  dryRun: boolean,
): WriteResult {
  requireNamespace(model, cluster, namespace);
  const object = normalize(cluster, kind, namespace, body);
  const name = String((object.metadata as Json).name);
  if (model.getObject(cluster, kind, namespace, name)) {
    const group = resourceOf(kind).group;
    throw new ApiError(409, 'AlreadyExists', `${kind}${group ? `.${group}` : ''} "${name}" already exists`, {
      name,
      group: group || undefined,
      kind,
    });
  }
  if (dryRun) return { code: 201, body: view(kind, object) };
  return { code: 201, body: view(kind, model.putObject(cluster, kind, object, true)) };
}

/** PUT: 200; 404 when absent; 409 when the body's resourceVersion is not the current one. */
export function replaceObject(
  model: LabModel,
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  name: string,
  body: Json,
  dryRun: boolean,
): WriteResult {
  const bodyName = isObject(body.metadata) ? body.metadata.name : undefined;
  if (bodyName !== undefined && bodyName !== name)
    throw new ApiError(
      400,
      'BadRequest',
      `the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`,
    );
  const existing = stored(model, cluster, kind, namespace, name);
  const wantedRv = isObject(body.metadata) ? body.metadata.resourceVersion : undefined;
  if (wantedRv !== undefined && wantedRv !== '' && wantedRv !== (existing.metadata as Json).resourceVersion)
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${kind} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, kind },
    );
  const object = normalize(
    cluster,
    kind,
    namespace,
    { ...body, metadata: { ...(body.metadata as Json), name } },
    existing,
  );
  if (dryRun) return { code: 200, body: view(kind, object) };
  return { code: 200, body: view(kind, model.putObject(cluster, kind, object, true)) };
}

/** PATCH (JSON patch, merge, strategic merge or apply): 200; apply creates (201). */
export function patchObject(
  model: LabModel,
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  name: string,
  contentType: string,
  text: string,
  dryRun: boolean,
): WriteResult {
  const existing = model.getObject(cluster, kind, namespace, name);
  const isApply = contentType.startsWith('application/apply-patch');
  if (!existing && !isApply) throw missing(kind, name);
  const base: Json = existing ? view(kind, existing) : { metadata: { name, namespace } };
  let patched: Json | undefined;
  try {
    patched = applyPatch(base, contentType, text);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(422, 'Invalid', `the patch could not be applied: ${String(error)}`);
  }
  if (!patched)
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format`);
  if (!existing) {
    requireNamespace(model, cluster, namespace);
    return createObject(model, cluster, kind, namespace, patched, dryRun);
  }
  const meta = (patched.metadata ?? {}) as Json;
  if (meta.name !== name)
    throw new ApiError(
      400,
      'BadRequest',
      `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
    );
  // A patch works on the current version: its resourceVersion is not a precondition unless it changed it.
  const object = normalize(cluster, kind, namespace, patched, existing);
  if (dryRun) return { code: 200, body: view(kind, object) };
  return { code: 200, body: view(kind, model.putObject(cluster, kind, object, true)) };
}

/** DELETE: a Status Success with the object's uid (these kinds have no graceful deletion). */
export function deleteObject(
  model: LabModel,
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  name: string,
  dryRun: boolean,
): WriteResult {
  const existing = stored(model, cluster, kind, namespace, name);
  const uid = (existing.metadata as Json).uid;
  if (!dryRun) model.removeObject(cluster, kind, namespace, name, true);
  return {
    code: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind, uid } },
  };
}
