// Patches as the API server applies them: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic
// merge patch, whose lists merge by their Go types' patchMergeKey (containers by name, service ports by
// port, taints by key, conditions by type, …) instead of being replaced, with the $patch,
// $deleteFromPrimitiveList and $setElementOrder directives. Server-side apply is treated as a merge.
import type { Json } from '../types';
import { ApiError } from './http';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Lists that merge (path without indices → merge key); every other list is replaced, as in the Go types. */
const MERGE_KEYS: Array<[RegExp, string]> = [
  [/(^|\.)(initContainers|containers|ephemeralContainers)$/, 'name'],
  [/(^|\.)(volumes|env|imagePullSecrets)$/, 'name'],
  [/(^|\.)volumeMounts$/, 'mountPath'],
  [/(^|\.)volumeDevices$/, 'devicePath'],
  [/[cC]ontainers\.ports$/, 'containerPort'],
  [/(^|\.)hostAliases$/, 'ip'],
  [/^spec\.ports$/, 'port'],
  [/^spec\.taints$/, 'key'],
  [/(^|\.)conditions$/, 'type'],
  [/^status\.addresses$/, 'type'],
  [/^metadata\.ownerReferences$/, 'uid'],
];
/** Lists of primitives that merge as sets. */
const MERGED_PRIMITIVES = [/^metadata\.finalizers$/];

const mergeKeyOf = (path: string): string | undefined => MERGE_KEYS.find(([re]) => re.test(path))?.[1];

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
    contentType.startsWith('application/apply-patch')
  ) {
    const merged = merge(target, patch);
    return isObject(merged) ? merged : undefined;
  }
  if (contentType.startsWith('application/strategic-merge-patch+json')) {
    if (!isObject(patch))
      throw new ApiError(400, 'BadRequest', 'a strategic merge patch must be a JSON object');
    const merged = strategicMerge(structuredClone(target), patch, '');
    return isObject(merged) ? merged : undefined;
  }
  return undefined;
}

/** RFC 7386: objects merge, null deletes, everything else (lists included) replaces. */
export function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

function strategicMerge(target: unknown, patch: Json, path: string): unknown {
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$retainKeys' || key === '$patch') continue;
    if (key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const doomed = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      if (Array.isArray(out[field]))
        out[field] = (out[field] as unknown[]).filter((v) => !doomed.has(JSON.stringify(v)));
      continue;
    }
    const childPath = path ? `${path}.${key}` : key;
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = mergeList(out[key], value, childPath);
    else if (isObject(value)) {
      const merged = strategicMerge(out[key], value, childPath);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

function mergeList(target: unknown, patch: unknown[], path: string): unknown[] {
  const current = Array.isArray(target) ? [...(target as unknown[])] : [];
  if (MERGED_PRIMITIVES.some((re) => re.test(path))) {
    for (const value of patch)
      if (!current.some((v) => JSON.stringify(v) === JSON.stringify(value))) current.push(value);
    return current;
  }
  const key = mergeKeyOf(path);
  if (!key) return patch.filter((item) => !(isObject(item) && item.$patch !== undefined));
  if (patch.some((item) => isObject(item) && item.$patch === 'replace'))
    return patch.filter((item) => !(isObject(item) && item.$patch === 'replace'));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = current.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) current.splice(index, 1);
      continue;
    }
    if (index >= 0) current[index] = strategicMerge(current[index], item, path);
    else current.push(strategicMerge({}, item, path));
  }
  return current;
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
