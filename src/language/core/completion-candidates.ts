// Completion candidates from the schema at the cursor: keys not yet present, enum values, booleans, secret
// names, and a whole node for `spec.nodes`. Pure: the editor adapter turns these into CompletionItems.
import type { CursorContext } from './yaml-locate';
import {
  defaultOf,
  descriptionOf,
  enumOf,
  propertiesOf,
  requiredAtPath,
  schemaAtPath,
  typesOf,
  type JsonSchema,
} from './schema-walk';

export interface CompletionCandidate {
  label: string;
  kind: 'property' | 'value' | 'snippet' | 'secret';
  /** Snippet syntax when `snippet` is true; lines after the first carry absolute indentation. */
  insertText: string;
  snippet: boolean;
  detail?: string;
  documentation?: string;
  /** Sorts required keys first. */
  sortText?: string;
  /** Re-open the suggest widget after inserting (a key whose value has choices). */
  retrigger?: boolean;
}

export interface CompletionInputs {
  schema: JsonSchema;
  context: CursorContext;
  /** Names already in this extension's secret storage. */
  secretNames: readonly string[];
  /** Free values computed from the current model (spec core). */
  nextFreeAddress?: string;
  nextFreeHostname?: string;
  /** A host no node runs on, when the other nodes name theirs (a node without one would raise GC123). */
  nextFreeHost?: string;
  /** Leading whitespace of the cursor line, to indent multi-line inserts. */
  lineIndent: number;
  /** The document's values the schema's conditions read (spec.topology); undefined when unknown. */
  valueAt?: (path: readonly (string | number)[]) => unknown;
}

function formatScalar(value: unknown): string {
  if (typeof value === 'string')
    return /^[\w./:@-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (ch) => `\\${ch}`);
}

function detailOf(root: JsonSchema, schema: JsonSchema): string | undefined {
  const def = defaultOf(root, schema);
  if (def !== undefined) return `default: ${formatScalar(def)}`;
  const types = [...typesOf(root, schema)];
  return types.length > 0 ? types.join(' | ') : undefined;
}

function keyInsertText(root: JsonSchema, name: string, schema: JsonSchema, keyColumn: number): string {
  const types = typesOf(root, schema);
  const indent = ' '.repeat(keyColumn + 2);
  if (types.has('object') && !types.has('string')) return `${name}:\n${indent}$0`;
  if (types.has('array') && !types.has('string')) return `${name}:\n${indent}- $0`;
  const choices = enumOf(root, schema);
  if (choices.length > 0)
    return `${name}: \${1|${choices.map((c) => escapeSnippet(formatScalar(c)).replace(/[,|]/g, '\\$&')).join(',')}|}`;
  if (types.has('boolean') && types.size === 1) return `${name}: \${1|true,false|}`;
  return `${name}: $0`;
}

/** The node snippet: hostname, address (and host, when the others have one) prefilled with free ones. */
export function nodeSnippet(
  node: { hostname: string; address: string; host?: string },
  keyColumn: number,
  withDash: boolean,
): string {
  const head = withDash ? '- ' : '';
  const indent = ' '.repeat(keyColumn + (withDash ? 2 : 0));
  const host = node.host === undefined ? '' : `\n${indent}host: \${3:${escapeSnippet(node.host)}}`;
  return `${head}hostname: \${1:${escapeSnippet(node.hostname)}}\n${indent}address: \${2:${escapeSnippet(node.address)}}${host}$0`;
}

function isNodesList(path: readonly (string | number)[]): boolean {
  return path.length === 2 && path[0] === 'spec' && path[1] === 'nodes';
}

function valueCandidates(
  inputs: CompletionInputs,
  path: readonly (string | number)[],
): CompletionCandidate[] {
  const { schema: root } = inputs;
  const schema = schemaAtPath(root, path);
  const out: CompletionCandidate[] = [];
  const seen = new Set<string>();
  const add = (candidate: CompletionCandidate): void => {
    if (seen.has(candidate.label)) return;
    seen.add(candidate.label);
    out.push(candidate);
  };
  const key = path[path.length - 1];
  const documentation = schema ? descriptionOf(root, schema) : undefined;
  if (schema) {
    for (const value of enumOf(root, schema)) {
      add({
        label: formatScalar(value),
        kind: 'value',
        insertText: formatScalar(value),
        snippet: false,
        documentation,
      });
    }
    const types = typesOf(root, schema);
    if (types.has('boolean')) {
      for (const b of ['true', 'false'])
        add({ label: b, kind: 'value', insertText: b, snippet: false, documentation });
    }
    const def = defaultOf(root, schema);
    if (def !== undefined && (typeof def !== 'object' || def === null)) {
      const text = formatScalar(def);
      add({ label: text, kind: 'value', insertText: text, snippet: false, detail: 'default', documentation });
    }
  }
  if (typeof key === 'string' && key.endsWith('Secret')) {
    for (const name of inputs.secretNames) {
      add({
        label: name,
        kind: 'secret',
        insertText: name,
        snippet: false,
        detail: 'in secret storage',
        documentation:
          "A secret this extension keeps in the editor's secret storage (the value never appears here).",
      });
    }
  }
  const inNode =
    path.length === 4 && path[0] === 'spec' && path[1] === 'nodes' && typeof path[2] === 'number';
  if (inNode && key === 'address' && inputs.nextFreeAddress) {
    add({
      label: inputs.nextFreeAddress,
      kind: 'value',
      insertText: inputs.nextFreeAddress,
      snippet: false,
      detail: 'next free address in the subnet',
    });
  }
  if (inNode && key === 'hostname' && inputs.nextFreeHostname) {
    add({
      label: inputs.nextFreeHostname,
      kind: 'value',
      insertText: inputs.nextFreeHostname,
      snippet: false,
      detail: 'next free hostname',
    });
  }
  return out;
}

export function completionCandidates(inputs: CompletionInputs): CompletionCandidate[] {
  const { schema: root, context } = inputs;
  if (context.kind === 'value') return valueCandidates(inputs, context.path);
  const here = schemaAtPath(root, context.path);
  const out: CompletionCandidate[] = [];
  const address = inputs.nextFreeAddress ?? '192.0.2.10';
  const hostname = inputs.nextFreeHostname ?? 'gw-1';
  const node = { hostname, address, host: inputs.nextFreeHost };
  const nodeDetail = `${hostname} at ${address}${node.host ? ` on ${node.host}` : ''}`;
  const nodeDocumentation = `A new node with the next free hostname and the next free address in \`network.subnet\`${node.host ? ', on a host no other node uses' : ''}.`;
  // A blank line inside `nodes:` (no dash typed yet): offer a whole node.
  if (isNodesList(context.path)) {
    out.push({
      label: 'node',
      kind: 'snippet',
      insertText: nodeSnippet(node, context.keyColumn, true),
      snippet: true,
      detail: nodeDetail,
      documentation: nodeDocumentation,
    });
    return out;
  }
  if (!here) return out;
  const types = typesOf(root, here);
  if (!types.has('object')) {
    // A scalar list item (`- ` in nameservers…): value candidates.
    return typeof context.path[context.path.length - 1] === 'number'
      ? valueCandidates(inputs, context.path)
      : out;
  }
  const parent = context.path.slice(0, -1);
  if (context.newListItem && isNodesList(parent)) {
    out.push({
      label: 'node',
      kind: 'snippet',
      insertText: nodeSnippet(node, context.keyColumn, false),
      snippet: true,
      detail: nodeDetail,
      documentation: nodeDocumentation,
    });
  }
  const required = new Set(requiredAtPath(root, context.path, inputs.valueAt ?? (() => undefined)));
  const present = new Set(context.existingKeys);
  for (const [name, schema] of propertiesOf(root, here)) {
    if (present.has(name)) continue;
    const enumValues = enumOf(root, schema);
    out.push({
      label: name,
      kind: 'property',
      insertText: keyInsertText(root, name, schema, context.keyColumn),
      snippet: true,
      detail: detailOf(root, schema),
      documentation: descriptionOf(root, schema),
      sortText: `${required.has(name) ? '0' : '1'}-${name}`,
      retrigger: enumValues.length === 0 && name.endsWith('Secret'),
    });
  }
  return out;
}
