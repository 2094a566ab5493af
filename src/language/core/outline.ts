// Document symbols: cluster → nodes (hostname + address) → network, storage, charts; a load-balanced cluster's
// load balancer (its frontends) and gateway install, and its agents.
import type { Range, SpecDocumentInfo } from '../../cluster-spec/types';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind:
    | 'cluster'
    | 'nodes'
    | 'node'
    | 'network'
    | 'storage'
    | 'charts'
    | 'loadBalancer'
    | 'frontend'
    | 'gateway'
    | 'agents';
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
    ...loadBalancedSections(model, section),
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

type Section = (
  path: (string | number)[],
  name: string,
  detail: string,
  kind: OutlineSymbol['kind'],
  children?: OutlineSymbol[],
) => OutlineSymbol | undefined;

/** The load balancer with one symbol per frontend, the gateway install, and the agents. */
function loadBalancedSections(
  model: SpecDocumentInfo['model'],
  section: Section,
): Array<OutlineSymbol | undefined> {
  const lb = model?.loadBalancer;
  const frontends = (lb?.frontends ?? []).map((f, i) =>
    section(['spec', 'loadBalancer', 'frontends', i], f.name, `${f.bind ?? '*'}:${f.port}`, 'frontend'),
  );
  return [
    section(
      ['spec', 'loadBalancer'],
      'loadBalancer',
      lb ? `${lb.hostname} ${lb.address}` : '',
      'loadBalancer',
      frontends.filter((s): s is OutlineSymbol => s !== undefined),
    ),
    section(['spec', 'gateway'], 'gateway', model?.gateway ? `group ${model.gateway.group}` : '', 'gateway'),
    section(
      ['spec', 'agents'],
      'agents',
      model?.agents ? `${model.agents.hosts.length} host${model.agents.hosts.length === 1 ? '' : 's'}` : '',
      'agents',
    ),
  ];
}
