// Document symbols: cluster → nodes (hostname + address) → network, storage, charts.
import type { Range, SpecDocumentInfo } from '../../cluster-spec/types';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: 'cluster' | 'nodes' | 'node' | 'network' | 'storage' | 'charts';
  range: Range;
  selectionRange: Range;
  children: OutlineSymbol[];
}

function contains(outer: Range, inner: Range): boolean {
  const before = (a: Range['start'], b: Range['start']): boolean =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function outlineOf(
  doc: Pick<SpecDocumentInfo, 'model' | 'range' | 'rangeOf'>,
): OutlineSymbol | undefined {
  const model = doc.model;
  const section = (
    path: (string | number)[],
    name: string,
    detail: string,
    kind: OutlineSymbol['kind'],
    children: OutlineSymbol[] = [],
  ): OutlineSymbol | undefined => {
    const range = doc.rangeOf(path, 'node');
    if (!range) return undefined;
    const key = doc.rangeOf(path, 'key') ?? range;
    return { name, detail, kind, range, selectionRange: contains(range, key) ? key : range, children };
  };
  const nodes: OutlineSymbol[] = [];
  for (const node of model?.nodes ?? []) {
    const symbol = section(
      ['spec', 'nodes', node.index],
      node.hostname || `node ${node.index + 1}`,
      node.address,
      'node',
    );
    if (symbol) nodes.push(symbol);
  }
  const children = [
    section(
      ['spec', 'nodes'],
      'nodes',
      `${nodes.length} node${nodes.length === 1 ? '' : 's'}`,
      'nodes',
      nodes,
    ),
    section(['spec', 'network'], 'network', model?.network.subnet ?? '', 'network'),
    section(
      ['spec', 'storage'],
      'storage',
      model?.storage.nfs ? `nfs ${model.storage.nfs.server}:${model.storage.nfs.path}` : '',
      'storage',
    ),
    section(['spec', 'charts'], 'charts', model?.charts.version ?? '', 'charts'),
  ].filter((s): s is OutlineSymbol => s !== undefined);
  const nameRange = doc.rangeOf(['metadata', 'name'], 'value');
  const selection = nameRange && contains(doc.range, nameRange) ? nameRange : doc.range;
  return {
    name: model?.name || 'cluster',
    detail: model?.topology ?? '',
    kind: 'cluster',
    range: doc.range,
    selectionRange: selection,
    children,
  };
}
