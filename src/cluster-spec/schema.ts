// The published JSON Schema and lookups into it (for completion, hover and "did you mean").
import schemaJson from '../../schemas/cluster.schema.json';
import type { SpecPath } from './types';

type SchemaNode = Record<string, unknown>;

export const clusterSchema: object = schemaJson;

function isObject(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a local `$ref`; sibling keywords (description, default) win over the target's, as in 2020-12. */
function resolveRef(node: SchemaNode): SchemaNode {
  let current = node;
  for (let depth = 0; depth < 10 && typeof current.$ref === 'string'; depth++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) break;
    let target: unknown = schemaJson;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    if (!isObject(target)) break;
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

/** The schema node that governs `path` ($ref and `items` resolved), or undefined outside the schema. */
export function schemaForPath(path: SpecPath): object | undefined {
  let node: SchemaNode = resolveRef(schemaJson as SchemaNode);
  for (const segment of path) {
    let next: unknown;
    if (typeof segment === 'number') next = node.items;
    else if (isObject(node.properties))
      next = Object.hasOwn(node.properties, segment) ? node.properties[segment] : undefined;
    if (!isObject(next)) return undefined;
    node = resolveRef(next);
  }
  return node;
}

/** The property names the schema allows in the mapping at `path`. */
export function knownKeys(path: SpecPath): string[] {
  const node = schemaForPath(path) as SchemaNode | undefined;
  return node && isObject(node.properties) ? Object.keys(node.properties) : [];
}

/** A value to put in place of a missing field: the schema's first example, its default, or an empty shape. */
export function placeholderFor(path: SpecPath): string {
  const node = schemaForPath(path) as SchemaNode | undefined;
  if (!node) return '';
  const example = Array.isArray(node.examples) ? (node.examples[0] as unknown) : node.default;
  if (typeof example === 'string' || typeof example === 'number') return String(example);
  if (Array.isArray(example)) return `[${example.join(', ')}]`;
  if (node.type === 'object') return '{}';
  if (node.type === 'array') return '[]';
  return '';
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const above = rows[i - 1] as number[];
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The closest of `candidates` within edit distance 2 (ties: the first in schema order), if any. */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = Math.min(
      editDistance(key, candidate),
      editDistance(key.toLowerCase(), candidate.toLowerCase()) + 0.5,
    );
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 ? best : undefined;
}
