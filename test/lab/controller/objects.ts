// Writes to the fake API's stored objects (Secrets, ConfigMaps, Services): validation, defaults and the
// API server's answers (201/200, 404, 409, 422, 400) for create, replace, patch and delete, as
// @kubernetes/client-node sends them (JSON bodies). Every failure is an ApiError, never a crash.
import { randomUUID } from 'node:crypto';
import { KIND_NAMES, type Cluster, type Json, type LabModel, type StoredKind } from './model';
import { nodePort, serviceIp } from './metallb';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Json,
  ) {
    super(message);
  }
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(kind: StoredKind, name: string, field: string, value: unknown, why: string): ApiError {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return new ApiError(
    422,
    'Invalid',
    `${KIND_NAMES[kind]} "${name}" is invalid: ${field}: Invalid value: ${text}: ${why}`,
    { name, kind, causes: [{ reason: 'FieldValueInvalid', message: why, field }] },
  );
}

function badRequest(kind: StoredKind, why: string): ApiError {
  return new ApiError(
    400,
    'BadRequest',
    `${KIND_NAMES[kind]} in version "v1" cannot be handled as a ${KIND_NAMES[kind]}: ${why}`,
  );
}

export function notFound(kind: StoredKind, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${kind} "${name}" not found`, { name, kind });
}

/** Parses a request body as the API server would: JSON, an object. */
export function parseBody(kind: StoredKind, text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(kind, `json: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(value)) throw badRequest(kind, 'the body must be a JSON object');
  if (value.kind !== undefined && value.kind !== KIND_NAMES[kind])
    throw badRequest(kind, `kind "${String(value.kind)}" does not match ${KIND_NAMES[kind]}`);
  return value;
}

function stringMap(kind: StoredKind, name: string, field: string, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badRequest(kind, `${field} must be an object of strings`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw badRequest(
        kind,
        `json: cannot unmarshal ${typeof v} into Go struct field of type string (${field}.${key})`,
      );
  }
  void name;
  return value as Record<string, string>;
}

function checkKeys(kind: StoredKind, name: string, field: string, map: Record<string, string>): void {
  for (const key of Object.keys(map)) {
    if (!DATA_KEY.test(key) || key.length > 253)
      throw invalid(
        kind,
        name,
        `${field}[${key}]`,
        key,
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      );
  }
}

/**
 * Validates and completes an object for storage. `existing` is the stored version on replace/patch: what
 * the API server keeps (uid, creationTimestamp, a Service's cluster IP, node ports and status).
 */
export function normalize(
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  body: Json,
  existing?: Json,
): Json {
  const meta = isObject(body.metadata) ? { ...body.metadata } : {};
  if (typeof meta.name !== 'string' || meta.name === '') {
    if (!existing && typeof meta.generateName === 'string' && meta.generateName)
      meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
    else
      throw new ApiError(
        422,
        'Invalid',
        `${KIND_NAMES[kind]} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
  }
  const name = String(meta.name);
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace)
    throw new ApiError(
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  const nameRule = kind === 'services' ? LABEL_1035 : SUBDOMAIN;
  const maxLength = kind === 'services' ? 63 : 253;
  if (!nameRule.test(name) || name.length > maxLength)
    throw invalid(
      kind,
      name,
      'metadata.name',
      name,
      kind === 'services'
        ? "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  meta.namespace = namespace;
  meta.labels = stringMap(kind, name, 'metadata.labels', meta.labels);
  meta.annotations = stringMap(kind, name, 'metadata.annotations', meta.annotations);
  if (Object.keys(meta.labels as Json).length === 0) delete meta.labels;
  if (Object.keys(meta.annotations as Json).length === 0) delete meta.annotations;
  const existingMeta = (existing?.metadata ?? {}) as Json;
  meta.uid = existingMeta.uid ?? randomUUID();
  meta.creationTimestamp = existingMeta.creationTimestamp;
  delete meta.resourceVersion;
  delete meta.managedFields;
  delete meta.deletionTimestamp;
  const object: Json = { metadata: meta };
  if (kind === 'secrets') normalizeSecret(name, body, object, existing);
  else if (kind === 'configmaps') normalizeConfigMap(name, body, object, existing);
  else normalizeService(cluster, name, body, object, existing);
  return object;
}

function normalizeSecret(name: string, body: Json, object: Json, existing?: Json): void {
  const data = { ...stringMap('secrets', name, 'data', body.data) };
  for (const [key, value] of Object.entries(data)) {
    if (!BASE64.test(value)) throw badRequest('secrets', `illegal base64 data at input byte 0 (data.${key})`);
  }
  // stringData is write-only: merged into data (base64), never stored.
  const stringData = stringMap('secrets', name, 'stringData', body.stringData);
  for (const [key, value] of Object.entries(stringData))
    data[key] = Buffer.from(value, 'utf8').toString('base64');
  checkKeys('secrets', name, 'data', data);
  const type = typeof body.type === 'string' && body.type ? body.type : 'Opaque';
  if (existing && existing.type !== type) throw invalid('secrets', name, 'type', type, 'field is immutable');
  if (existing?.immutable === true && JSON.stringify(existing.data ?? {}) !== JSON.stringify(data))
    throw invalid('secrets', name, 'data', '', 'field is immutable when `immutable` is set');
  object.type = type;
  if (Object.keys(data).length) object.data = data;
  if (body.immutable === true) object.immutable = true;
}

function normalizeConfigMap(name: string, body: Json, object: Json, existing?: Json): void {
  const data = stringMap('configmaps', name, 'data', body.data);
  const binaryData = stringMap('configmaps', name, 'binaryData', body.binaryData);
  for (const [key, value] of Object.entries(binaryData)) {
    if (!BASE64.test(value))
      throw badRequest('configmaps', `illegal base64 data at input byte 0 (binaryData.${key})`);
    if (key in data) throw invalid('configmaps', name, 'data', key, 'duplicate of key present in binaryData');
  }
  checkKeys('configmaps', name, 'data', { ...data, ...binaryData });
  if (
    existing?.immutable === true &&
    JSON.stringify([existing.data ?? {}, existing.binaryData ?? {}]) !== JSON.stringify([data, binaryData])
  )
    throw invalid('configmaps', name, 'data', '', 'field is immutable when `immutable` is set');
  if (Object.keys(data).length) object.data = { ...data };
  if (Object.keys(binaryData).length) object.binaryData = { ...binaryData };
  if (body.immutable === true) object.immutable = true;
}

function normalizeService(cluster: Cluster, name: string, body: Json, object: Json, existing?: Json): void {
  const spec: Json = isObject(body.spec) ? structuredClone(body.spec) : {};
  const before = (existing?.spec ?? {}) as Json;
  const type = spec.type ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(String(type)))
    throw invalid(
      'services',
      name,
      'spec.type',
      type,
      'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    );
  spec.type = type;
  const headless = spec.clusterIP === 'None';
  if (type !== 'ExternalName') {
    const ports = spec.ports;
    if (!Array.isArray(ports) || (ports.length === 0 && !headless))
      throw invalid('services', name, 'spec.ports', [], 'Required value');
    const beforePorts = (Array.isArray(before.ports) ? before.ports : []) as Json[];
    spec.ports = ports.map((raw: unknown, i: number) => {
      if (!isObject(raw)) throw badRequest('services', `spec.ports[${i}] must be an object`);
      const port = { ...raw };
      if (!Number.isInteger(port.port) || (port.port as number) < 1 || (port.port as number) > 65535)
        throw invalid(
          'services',
          name,
          `spec.ports[${i}].port`,
          port.port,
          'must be between 1 and 65535, inclusive',
        );
      if (ports.length > 1 && typeof port.name !== 'string')
        throw invalid('services', name, `spec.ports[${i}].name`, '', 'Required value');
      port.protocol = port.protocol ?? 'TCP';
      port.targetPort = port.targetPort ?? port.port;
      if (type === 'NodePort' || type === 'LoadBalancer') {
        const kept = beforePorts.find((p) => p.port === port.port && p.protocol === port.protocol)?.nodePort;
        port.nodePort = port.nodePort ?? kept ?? nodePort(cluster);
      } else delete port.nodePort;
      return port;
    });
  }
  const beforeIp = typeof before.clusterIP === 'string' ? before.clusterIP : undefined;
  if (type === 'ExternalName') {
    delete spec.clusterIP;
  } else if (beforeIp && spec.clusterIP && spec.clusterIP !== beforeIp) {
    throw invalid('services', name, 'spec.clusterIPs[0]', spec.clusterIP, 'may not change once set');
  } else {
    spec.clusterIP = spec.clusterIP || beforeIp || serviceIp(cluster);
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies = spec.ipFamilies ?? ['IPv4'];
    spec.ipFamilyPolicy = spec.ipFamilyPolicy ?? 'SingleStack';
  }
  spec.sessionAffinity = spec.sessionAffinity ?? 'None';
  spec.internalTrafficPolicy = spec.internalTrafficPolicy ?? 'Cluster';
  if (type === 'NodePort' || type === 'LoadBalancer')
    spec.externalTrafficPolicy = spec.externalTrafficPolicy ?? 'Cluster';
  if (type === 'LoadBalancer')
    spec.allocateLoadBalancerNodePorts = spec.allocateLoadBalancerNodePorts ?? true;
  object.spec = spec;
  // The main resource never writes status: it is the controllers' (here: metallb's).
  object.status = existing?.status ?? { loadBalancer: {} };
}

export interface WriteResult {
  code: number;
  body: Json;
}

function stored(model: LabModel, cluster: Cluster, kind: StoredKind, namespace: string, name: string): Json {
  const object = model.getObject(cluster, kind, namespace, name);
  if (!object) throw notFound(kind, name);
  return object;
}

function requireNamespace(model: LabModel, cluster: Cluster, namespace: string): void {
  if (!model.namespaces(cluster).has(namespace))
    throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: 'namespaces',
    });
}

const view = (kind: StoredKind, object: Json): Json => ({
  kind: KIND_NAMES[kind],
  apiVersion: 'v1',
  ...structuredClone(object),
});

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
  if (model.getObject(cluster, kind, namespace, name))
    throw new ApiError(409, 'AlreadyExists', `${kind} "${name}" already exists`, { name, kind });
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
  if (!existing && !isApply) throw notFound(kind, name);
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

// ---- patches ----

/** Applies a patch body to `target`; undefined for an unknown content type or a body that is not JSON. */
export function applyPatch(target: Json, contentType: string, body: string): Json | undefined {
  let patch: unknown;
  try {
    patch = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (contentType.startsWith('application/json-patch+json')) {
    if (!Array.isArray(patch)) return undefined;
    let document: unknown = structuredClone(target);
    for (const op of patch as unknown[]) document = jsonPatchOp(document, op);
    return isObject(document) ? document : undefined;
  }
  if (
    contentType.startsWith('application/merge-patch+json') ||
    contentType.startsWith('application/strategic-merge-patch+json') ||
    contentType.startsWith('application/apply-patch')
  ) {
    const merged = merge(target, patch);
    return isObject(merged) ? merged : undefined;
  }
  return undefined;
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/')))
    throw new ApiError(422, 'Invalid', `invalid JSON pointer "${String(path)}"`);
  return path
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function jsonPatchOp(document: unknown, raw: unknown): unknown {
  if (!isObject(raw)) throw new ApiError(422, 'Invalid', 'a JSON patch operation must be an object');
  const op = String(raw.op);
  const keys = pointer(raw.path);
  const read = (doc: unknown, path: string[]): unknown => {
    let current = doc;
    for (const key of path) {
      if (Array.isArray(current)) current = current[Number(key)];
      else if (isObject(current)) current = current[key];
      else return undefined;
    }
    return current;
  };
  if (op === 'test') {
    if (JSON.stringify(read(document, keys)) !== JSON.stringify(raw.value))
      throw new ApiError(422, 'Invalid', `the test of ${String(raw.path)} failed`);
    return document;
  }
  const value =
    op === 'copy' || op === 'move' ? structuredClone(read(document, pointer(raw.from))) : raw.value;
  if (op === 'move') document = jsonPatchOp(document, { op: 'remove', path: raw.from });
  if (keys.length === 0) return op === 'remove' ? {} : value;
  const last = keys[keys.length - 1] ?? '';
  const parent = read(document, keys.slice(0, -1));
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new ApiError(422, 'Invalid', `index ${last} out of range at ${String(raw.path)}`);
    if (op === 'remove') parent.splice(index, 1);
    else if (op === 'replace') parent[index] = value;
    else if (op === 'add' || op === 'copy' || op === 'move') parent.splice(index, 0, value);
    else throw new ApiError(422, 'Invalid', `unknown JSON patch operation "${op}"`);
  } else if (isObject(parent)) {
    if (op === 'remove' || op === 'replace') {
      if (!(last in parent))
        throw new ApiError(422, 'Invalid', `the path ${String(raw.path)} does not exist`);
    }
    if (op === 'remove') delete parent[last];
    else if (op === 'add' || op === 'replace' || op === 'copy' || op === 'move') parent[last] = value;
    else throw new ApiError(422, 'Invalid', `unknown JSON patch operation "${op}"`);
  } else {
    throw new ApiError(422, 'Invalid', `the parent of ${String(raw.path)} does not exist`);
  }
  return document;
}

export function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}
