// The contract's recognition rule: which files, and which documents in them, are cluster specs.
import { isMap, isPair, isScalar, type Document } from 'yaml';

export const SPEC_KIND = 'GatewayCluster';

/** `cluster.yaml` or `*.cluster.yaml` (the file name alone decides, whatever the folder). */
export function hasSpecFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base === 'cluster.yaml' || base.endsWith('.cluster.yaml');
}

/**
 * The `kind` a document declares: undefined when it has none (or an empty one, as while typing), the
 * scalar's text otherwise, and a placeholder for a non-scalar kind (which is some other kind, not ours).
 */
export function declaredKind(doc: Document.Parsed): string | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  for (const pair of root.items) {
    if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'kind') continue;
    const value = pair.value;
    if (value === null || value === undefined) return undefined;
    if (isScalar(value)) return value.value === null ? undefined : String(value.value);
    return '<not a scalar>';
  }
  return undefined;
}

export interface Recognition {
  isSpec: boolean;
  /** Indexes of the documents that are clusters. */
  selected: number[];
}

export function recognize(
  kinds: ReadonlyArray<string | undefined>,
  fileName: string,
  requireKind: boolean,
): Recognition {
  const declared = kinds.flatMap((kind, index) => (kind === SPEC_KIND ? [index] : []));
  if (declared.length > 0) return { isSpec: true, selected: declared };
  if (!requireKind && hasSpecFileName(fileName) && kinds.every((kind) => kind === undefined)) {
    return { isSpec: true, selected: kinds.map((_, index) => index) };
  }
  return { isSpec: false, selected: [] };
}

/** Recognition without parsing, for files too large to parse: top-level `kind:` lines only. */
export function recognizeByScan(text: string, fileName: string): boolean {
  const kinds = [
    ...text.matchAll(/^kind:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#][^#\n]*?))?[ \t]*(?:#.*)?$/gm),
  ].map((match) => match[1] ?? match[2] ?? match[3]);
  if (kinds.includes(SPEC_KIND)) return true;
  return hasSpecFileName(fileName) && kinds.every((kind) => kind === undefined || kind === '');
}
