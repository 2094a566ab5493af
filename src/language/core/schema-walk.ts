// Reads the published JSON Schema (draft 2020-12) for completion and hover: follows $ref, properties, items
// and the combinators. It interprets no rule: what is valid is decided by src/spec.

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  then?: JsonSchema;
  else?: JsonSchema;
  examples?: unknown[];
  deprecated?: boolean;
  [key: string]: unknown;
}

type Segment = string | number;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a local `$ref` (`#/$defs/x`) against the root, repeatedly. */
export function resolveRef(
  root: JsonSchema,
  schema: JsonSchema | undefined,
  depth = 0,
): JsonSchema | undefined {
  if (!schema || depth > 20) return schema;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
    const parts = schema.$ref
      .slice(1)
      .split('/')
      .filter(Boolean)
      .map((p) => decodeURIComponent(p.replace(/~1/g, '/').replace(/~0/g, '~')));
    let target: unknown = root;
    for (const part of parts) target = isSchema(target) ? target[part] : undefined;
    if (!isSchema(target)) return undefined;
    const { $ref: _ignored, ...rest } = schema;
    return resolveRef(root, { ...target, ...rest }, depth + 1);
  }
  return schema;
}

/** The schema and its combinator branches, refs resolved (the branches a value may match). */
function branches(root: JsonSchema, schema: JsonSchema | undefined, depth = 0): JsonSchema[] {
  const resolved = resolveRef(root, schema);
  if (!resolved || depth > 10) return [];
  const out = [resolved];
  for (const list of [resolved.allOf, resolved.anyOf, resolved.oneOf]) {
    for (const sub of list ?? []) out.push(...branches(root, sub, depth + 1));
  }
  for (const sub of [resolved.then, resolved.else]) if (sub) out.push(...branches(root, sub, depth + 1));
  return out;
}

/** Every property a mapping at this schema may hold, first description wins. */
export function propertiesOf(root: JsonSchema, schema: JsonSchema | undefined): Map<string, JsonSchema> {
  const props = new Map<string, JsonSchema>();
  for (const branch of branches(root, schema)) {
    for (const [name, sub] of Object.entries(branch.properties ?? {})) {
      const resolved = resolveRef(root, sub) ?? sub;
      const existing = props.get(name);
      props.set(name, existing ? { ...resolved, ...existing } : resolved);
    }
  }
  return props;
}

export function requiredOf(root: JsonSchema, schema: JsonSchema | undefined): string[] {
  const resolved = resolveRef(root, schema);
  return resolved?.required ?? [];
}

/**
 * The keys required at `path`, with those of `if`/`then`/`else` branches (on the path's mappings) whose `if`
 * holds for the document, read through `valueAt`: the MicroK8s topologies require `network.floatingIp`, the
 * load-balanced one `loadBalancer`. An `if` is read as its `required` keys and `const` properties only.
 */
export function requiredAtPath(
  root: JsonSchema,
  path: readonly Segment[],
  valueAt: (path: readonly Segment[]) => unknown,
): string[] {
  const out = new Set(requiredOf(root, schemaAtPath(root, path)));
  let schema: JsonSchema | undefined = resolveRef(root, root);
  for (let depth = 0; depth <= path.length && schema; depth++) {
    const base = path.slice(0, depth);
    for (const conditional of schema.allOf ?? []) {
      if (!conditional.if) continue;
      let branch: JsonSchema | undefined = ifHolds(conditional.if as JsonSchema, base, valueAt)
        ? conditional.then
        : conditional.else;
      for (const segment of path.slice(depth)) {
        branch = resolveRef(
          root,
          typeof segment === 'number' ? branch?.items : branch?.properties?.[segment],
        );
      }
      for (const key of branch?.required ?? []) out.add(key);
    }
    const next = path[depth];
    if (next !== undefined) schema = childSchema(root, schema, next);
  }
  return [...out];
}

function ifHolds(
  condition: JsonSchema,
  base: readonly Segment[],
  valueAt: (path: readonly Segment[]) => unknown,
): boolean {
  for (const key of condition.required ?? []) if (valueAt([...base, key]) === undefined) return false;
  for (const [key, sub] of Object.entries(condition.properties ?? {})) {
    const value = valueAt([...base, key]);
    if (value !== undefined && 'const' in sub && value !== sub.const) return false;
  }
  return true;
}

export function childSchema(
  root: JsonSchema,
  schema: JsonSchema | undefined,
  segment: Segment,
): JsonSchema | undefined {
  if (typeof segment === 'number') {
    for (const branch of branches(root, schema)) {
      const item = branch.prefixItems?.[segment] ?? branch.items;
      if (item) return resolveRef(root, item);
    }
    return undefined;
  }
  return propertiesOf(root, schema).get(segment);
}

export function schemaAtPath(root: JsonSchema, path: readonly Segment[]): JsonSchema | undefined {
  let schema: JsonSchema | undefined = resolveRef(root, root);
  for (const segment of path) {
    schema = childSchema(root, schema, segment);
    if (!schema) return undefined;
  }
  return schema;
}

export function typesOf(root: JsonSchema, schema: JsonSchema | undefined): Set<string> {
  const types = new Set<string>();
  for (const branch of branches(root, schema)) {
    const t = branch.type;
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) types.add(x);
    if (branch.properties) types.add('object');
    if (branch.items || branch.prefixItems) types.add('array');
  }
  return types;
}

export function enumOf(root: JsonSchema, schema: JsonSchema | undefined): unknown[] {
  const values: unknown[] = [];
  for (const branch of branches(root, schema)) {
    if (branch.enum) values.push(...branch.enum);
    if ('const' in branch && branch.const !== undefined) values.push(branch.const);
  }
  return [...new Set(values)];
}

export function descriptionOf(root: JsonSchema, schema: JsonSchema | undefined): string | undefined {
  for (const branch of branches(root, schema)) {
    const text = branch.markdownDescription ?? branch.description;
    if (typeof text === 'string' && text.trim()) return text;
  }
  return undefined;
}

export function defaultOf(root: JsonSchema, schema: JsonSchema | undefined): unknown {
  for (const branch of branches(root, schema)) if (branch.default !== undefined) return branch.default;
  return undefined;
}
