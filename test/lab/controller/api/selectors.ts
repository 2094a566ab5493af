// Label and field selectors as the API server parses them. Field selectors are limited to the labels a
// kind supports (metadata.name, metadata.namespace and the kind's own, see resources.ts): any other is a
// 400 "field label not supported". Operators =, == and !=; `\,` escapes a comma in a value.
import type { Resource } from '../resources';
import type { Json } from '../types';
import { metaOf } from '../types';
import { ApiError } from './http';

export type Selector = (object: Json) => boolean;

function splitUnescaped(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) current += c + (text[++i] ?? '');
    else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const unescape = (value: string): string => value.replace(/\\(.)/g, '$1');

/** The value of a field label on an object, as the kind's field set renders it ("" when absent). */
export function fieldValue(object: Json, label: string): string {
  if (label === 'source') return String(((object.source ?? {}) as Json).component ?? '');
  if (label === 'status.podIPs')
    return String((((object.status as Json | undefined)?.podIPs ?? []) as Json[])[0]?.ip ?? '');
  let current: unknown = object;
  for (const part of label.split('.')) current = (current as Json | undefined)?.[part];
  if (current === undefined || current === null) {
    if (label === 'spec.unschedulable' || label === 'spec.hostNetwork') return 'false';
    return '';
  }
  return String(current);
}

export function fieldSelector(resource: Resource, text: string | null): Selector {
  if (!text || !text.trim()) return () => true;
  const allowed = new Set([
    'metadata.name',
    ...(resource.namespaced ? ['metadata.namespace'] : []),
    ...(resource.fields ?? []),
  ]);
  const clauses = splitUnescaped(text).map((clause) => {
    const match = /^\s*([^=!\s]+)\s*(!=|==|=)(.*)$/.exec(clause);
    if (!match)
      throw new ApiError(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${clause}'`);
    const [, label = '', op = '', raw = ''] = match;
    if (!allowed.has(label)) throw new ApiError(400, 'BadRequest', `field label not supported: ${label}`);
    const value = unescape(raw);
    return (object: Json): boolean => (fieldValue(object, label) === value) === (op !== '!=');
  });
  return (object) => clauses.every((c) => c(object));
}

const labelsOf = (o: Json): Record<string, string> => (metaOf(o).labels ?? {}) as Record<string, string>;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function checkKey(key: string, text: string): string {
  if (!LABEL_KEY.test(key))
    throw new ApiError(
      400,
      'BadRequest',
      `unable to parse requested label selector "${text}": invalid label key "${key}"`,
    );
  return key;
}

export function labelSelector(text: string | null): Selector {
  if (!text || !text.trim()) return () => true;
  // Commas inside (…) belong to a set.
  const clauses = text.match(/[^,(]+(\([^)]*\))?[^,]*/g) ?? [];
  const tests = clauses.map((clause): Selector => {
    const set = /^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$/.exec(clause);
    if (set) {
      const key = checkKey(set[1] ?? '', text);
      const values = (set[3] ?? '').split(',').map((v) => v.trim());
      const inSet = set[2] === 'in';
      return (o) => {
        const labels = labelsOf(o);
        return inSet
          ? key in labels && values.includes(labels[key] ?? '')
          : !(key in labels) || !values.includes(labels[key] ?? '');
      };
    }
    const eq = /^\s*([^\s!=]+)\s*(!=|==|=)\s*([^\s]*)\s*$/.exec(clause);
    if (eq) {
      const key = checkKey(eq[1] ?? '', text);
      const value = eq[3] ?? '';
      return eq[2] === '!=' ? (o) => labelsOf(o)[key] !== value : (o) => labelsOf(o)[key] === value;
    }
    const not = /^\s*!\s*(\S+)\s*$/.exec(clause);
    if (not) {
      const key = checkKey(not[1] ?? '', text);
      return (o) => !(key in labelsOf(o));
    }
    const key = checkKey(clause.trim(), text);
    return (o) => key in labelsOf(o);
  });
  return (object) => tests.every((t) => t(object));
}
