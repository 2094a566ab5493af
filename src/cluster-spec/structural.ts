// Structural checks GC010-GC013 (and GC002's apiVersion), all from the JSON Schema: ajv's errors are
// mapped to the contract's codes and ranges. Nothing here knows the shape of a spec.
import type { ErrorObject } from 'ajv';
import { quote } from './codes';
import type { RuleContext } from './context';
import { validate as generatedValidate } from './generated/schema-validator';
import { closestKey, knownKeys, placeholderFor, schemaForPath } from './schema';
import type { SpecPath } from './types';

type SchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The schema, precompiled by ajv's standalone mode (see scripts/generate-validator.ts): no compile at startup. */
const validateSchema = generatedValidate as unknown as SchemaValidator;

function toPath(pointer: string, data: unknown): SpecPath {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}

function rawValue(data: unknown, path: SpecPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty value';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  if (typeof value === 'number') return 'number';
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

function describeField(path: SpecPath): string {
  return path.length === 0
    ? 'the document'
    : path
        .map((s) => (typeof s === 'number' ? `[${s}]` : s))
        .join('.')
        .replace(/\.\[/g, '[');
}

// When one value has several errors, the most basic one speaks for it.
const PRIORITY: Record<string, number> = { type: 0, const: 1, enum: 1 };

export function checkStructure(ctx: RuleContext): void {
  if (validateSchema(ctx.data)) return;
  const errors = (validateSchema.errors ?? []).filter((error) => error.keyword !== 'if');
  const byValue = new Map<string, ErrorObject>();
  const others: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword === 'required' || error.keyword === 'additionalProperties') {
      others.push(error);
      continue;
    }
    const previous = byValue.get(error.instancePath);
    if (!previous || (PRIORITY[error.keyword] ?? 2) < (PRIORITY[previous.keyword] ?? 2))
      byValue.set(error.instancePath, error);
  }
  // A misspelt key explains the missing one it was meant to be: report the misspelling alone.
  // Errors about one mapping share its path (10,000 unknown keys of `spec` are one path): resolved once.
  const paths = new Map<string, SpecPath>();
  const pathOf = (error: ErrorObject): SpecPath => {
    let path = paths.get(error.instancePath);
    if (!path) paths.set(error.instancePath, (path = toPath(error.instancePath, ctx.data)));
    return path;
  };
  const suggestions = new KeySuggestions(ctx.data, pathOf);
  const suggested = new Set<string>();
  for (const error of others) {
    if (error.keyword !== 'additionalProperties') continue;
    const suggestion = suggestions.for(error);
    if (suggestion) suggested.add(`${error.instancePath}\u0000${suggestion}`);
  }
  const reported = others.filter(
    (error) =>
      error.keyword !== 'required' ||
      !suggested.has(
        `${error.instancePath}\u0000${String((error.params as Record<string, unknown>).missingProperty)}`,
      ),
  );
  for (const error of [...byValue.values(), ...reported]) reportError(ctx, error, pathOf(error), suggestions);
}

/**
 * "Did you mean" for unknown keys: the known keys of the mapping that it does not have yet, computed once per
 * mapping (not once per unknown key, which made 10,000 unknown keys quadratic), and each key's answer once.
 */
class KeySuggestions {
  private readonly candidates = new Map<string, string[]>();
  private readonly answers = new Map<ErrorObject, string | undefined>();

  constructor(
    private readonly data: unknown,
    private readonly pathOf: (error: ErrorObject) => SpecPath,
  ) {}

  for(error: ErrorObject): string | undefined {
    if (this.answers.has(error)) return this.answers.get(error);
    let candidates = this.candidates.get(error.instancePath);
    if (!candidates) {
      const path = this.pathOf(error);
      const present = rawValue(this.data, path);
      candidates = knownKeys(path).filter(
        (known) => !(present !== null && typeof present === 'object' && Object.hasOwn(present, known)),
      );
      this.candidates.set(error.instancePath, candidates);
    }
    const key = String((error.params as Record<string, unknown>).additionalProperty);
    const answer = closestKey(key, candidates);
    this.answers.set(error, answer);
    return answer;
  }
}

function reportError(
  ctx: RuleContext,
  error: ErrorObject,
  path: SpecPath,
  suggestions: KeySuggestions,
): void {
  const field = describeField(path);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const keyPath = [...path, key];
      const suggestion = suggestions.for(error);
      const where = path.length === 0 ? 'at the top level' : `in ${field}`;
      const advice = suggestion ? `did you mean "${suggestion}"?` : 'remove it or check its indentation.';
      ctx.markFailed(keyPath);
      ctx.report(
        'GC010',
        keyPath,
        'key',
        `Unknown key ${quote(key)} ${where}; ${advice}`,
        suggestion ? { fix: { kind: 'renameKey', to: suggestion } } : {},
      );
      return;
    }
    case 'required': {
      const key = String(params.missingProperty);
      const where = path.length === 0 ? 'the document' : field;
      ctx.reportMissing('GC012', path, `Required field ${quote(key)} is missing from ${where}; add it.`, {
        fix: { kind: 'insertField', key, placeholder: placeholderFor([...path, key]) },
      });
      return;
    }
    case 'type': {
      const value = rawValue(ctx.data, path);
      const expected = String(params.type)
        .split(',')
        .map((t) => EXPECTED[t] ?? t)
        .join(' or ');
      const source = ctx.document.scalarSource(path);
      const shown =
        value === null || typeof value === 'object'
          ? `a ${typeName(value)}`
          : `the ${typeName(value)} ${typeof value === 'string' ? quote(value) : (source ?? quote(value))}`;
      const hint =
        expected === 'a string' && (typeof value === 'number' || typeof value === 'boolean')
          ? ' (quote it)'
          : '';
      ctx.fail('GC011', path, `${field} must be ${expected}${hint}, not ${shown}.`);
      return;
    }
    case 'const': {
      const value = rawValue(ctx.data, path);
      const allowed = String(params.allowedValue);
      if (path.length === 1 && path[0] === 'apiVersion') {
        ctx.fail('GC002', path, `apiVersion ${quote(value)} is not supported; use "${allowed}".`, {
          fix: { kind: 'replaceValue', value: allowed },
        });
      } else {
        ctx.fail('GC013', path, `${field} must be "${allowed}", not ${quote(value)}.`, {
          fix: { kind: 'replaceValue', value: allowed },
        });
      }
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => `"${String(v)}"`).join(' or ');
      const value = rawValue(ctx.data, path);
      const suggestion =
        typeof value === 'string'
          ? closestKey(value, (params.allowedValues as unknown[]).map(String))
          : undefined;
      ctx.fail(
        'GC013',
        path,
        `${field} ${quote(value)} is not allowed; use ${allowed}.`,
        suggestion ? { fix: { kind: 'replaceValue', value: suggestion } } : {},
      );
      return;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const schema = schemaForPath(path) as Record<string, unknown> | undefined;
      const bounds = describeBounds(schema);
      ctx.fail(
        'GC013',
        path,
        `${field} ${quote(rawValue(ctx.data, path))} is out of range; it must be ${bounds}.`,
      );
      return;
    }
    case 'minItems':
      ctx.fail('GC013', path, `${field} is empty; it needs at least ${String(params.limit)} item.`);
      return;
    default:
      ctx.fail(
        'GC013',
        path,
        `${field} ${quote(rawValue(ctx.data, path))} is not allowed: ${error.message ?? 'invalid value'}.`,
      );
  }
}

function describeBounds(schema: Record<string, unknown> | undefined): string {
  if (!schema) return 'in range';
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number')
    return `between ${schema.minimum} and ${schema.maximum}`;
  if (typeof schema.exclusiveMinimum === 'number') return `greater than ${schema.exclusiveMinimum}`;
  if (typeof schema.minimum === 'number') return `at least ${schema.minimum}`;
  return 'in range';
}
