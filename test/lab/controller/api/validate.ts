// Validation and defaults of the objects the API writes (what a real API server answers 400/422 for, and
// what it fills in): names, labels, Secrets' base64 data, ConfigMaps, Services' ports and cluster IPs,
// and the apps/v1 and policy/v1 kinds (generation, selectors). Every failure is an ApiError.
import { randomUUID } from 'node:crypto';
import { nodePort, serviceIp } from '../metallb';
import { resourceOf } from '../resources';
import type { Cluster, Json, StoredKind } from '../types';
import { ApiError } from './http';

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
    `${resourceOf(kind).kindName} "${name}" is invalid: ${field}: Invalid value: ${text}: ${why}`,
    { name, kind, causes: [{ reason: 'FieldValueInvalid', message: why, field }] },
  );
}

export function badRequest(kind: StoredKind, why: string): ApiError {
  return new ApiError(
    400,
    'BadRequest',
    `${resourceOf(kind).kindName} in version "v1" cannot be handled as a ${resourceOf(kind).kindName}: ${why}`,
  );
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
        `${resourceOf(kind).kindName} "" is invalid: metadata.name: Required value: name or generateName is required`,
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
  if (existingMeta.ownerReferences && meta.ownerReferences === undefined)
    meta.ownerReferences = existingMeta.ownerReferences;
  delete meta.resourceVersion;
  delete meta.managedFields;
  delete meta.deletionTimestamp;
  const object: Json = { metadata: meta };
  if (kind === 'secrets') normalizeSecret(name, body, object, existing);
  else if (kind === 'configmaps') normalizeConfigMap(name, body, object, existing);
  else if (kind === 'services') normalizeService(cluster, name, body, object, existing);
  else normalizeWithSpec(kind, name, body, object, existing);
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

/**
 * Kinds with a spec and a controller-written status (apps/v1, policy/v1, events): the main resource keeps
 * the stored status; `metadata.generation` counts spec changes.
 */
function normalizeWithSpec(kind: StoredKind, name: string, body: Json, object: Json, existing?: Json): void {
  const meta = object.metadata as Json;
  if (kind === 'events') {
    Object.assign(object, body, { metadata: meta });
    object.count = object.count ?? 1;
    return;
  }
  const spec: Json = isObject(body.spec) ? structuredClone(body.spec) : {};
  if (kind === 'deployments' || kind === 'replicasets' || kind === 'statefulsets' || kind === 'daemonsets') {
    const selector = spec.selector as Json | undefined;
    if (!isObject(selector)) throw invalid(kind, name, 'spec.selector', null, 'Required value');
    const template = (spec.template ?? {}) as Json;
    const labels = ((template.metadata as Json | undefined)?.labels ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>))
      if (labels[key] !== value)
        throw invalid(
          kind,
          name,
          'spec.template.metadata.labels',
          labels,
          '`selector` does not match template `labels`',
        );
    if (kind !== 'daemonsets') spec.replicas = spec.replicas ?? 1;
    if (
      existing &&
      JSON.stringify((existing.spec as Json | undefined)?.selector) !== JSON.stringify(selector)
    )
      throw invalid(kind, name, 'spec.selector', selector, 'field is immutable');
  }
  if (kind === 'poddisruptionbudgets' && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
    throw invalid(kind, name, 'spec', spec, 'minAvailable and maxUnavailable cannot be both set');
  const before = existing ? (((existing.metadata as Json).generation as number | undefined) ?? 1) : 0;
  const changed = !existing || JSON.stringify(existing.spec ?? {}) !== JSON.stringify(spec);
  meta.generation = changed ? before + 1 : before;
  object.spec = spec;
  object.status = existing?.status ?? {};
}
