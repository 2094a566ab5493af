// A ValidationResult that crosses a worker boundary: plain data only. `rangeOf` cannot be cloned, so the
// worker tabulates the ranges the editor asks for (outline sections, every node, the paths of findings and
// the one fixes re-target to) and the receiving side answers from that table, or from a fallback. The nodes'
// ranges, thousands in a large spec, travel as one transferable Int32Array: cloning as many Range objects
// cost more than the validation saved.
import type { Range, SpecDocumentInfo, SpecPath, ValidationResult } from '../cluster-spec/types';

type Part = 'key' | 'value' | 'node';

export interface PortableDocument {
  index: number;
  range: Range;
  model: SpecDocumentInfo['model'];
  /** [tableKey(path, part), range] for every tabulated path other than a node (null: the path is absent). */
  ranges: Array<[string, Range | null]>;
  /**
   * The range of spec.nodes[i] at [4i, 4i + 4): start line and character, end line and character; -1 when
   * absent. A list item has no key, so its key, value and node ranges are the same.
   */
  nodeRanges: Int32Array;
}

export interface PortableResult {
  isSpec: boolean;
  findings: ValidationResult['findings'];
  documents: PortableDocument[];
}

export function tableKey(path: SpecPath, part: Part): string {
  return `${part}\u0001${path.join('\u0000')}`;
}

const SECTIONS: SpecPath[] = [
  ['spec', 'nodes'],
  ['spec', 'network'],
  ['spec', 'storage'],
  ['spec', 'charts'],
  ['spec', 'loadBalancer'],
  ['spec', 'gateway'],
  ['spec', 'agents'],
];
const PARTS: Part[] = ['key', 'value', 'node'];

/** The paths besides the nodes that the editor's outline and quick fixes ask `rangeOf` for. */
function wantedPaths(result: ValidationResult): SpecPath[] {
  const paths: SpecPath[] = [...SECTIONS, ['metadata', 'name'], ['spec', 'network', 'metallbRange']];
  for (const finding of result.findings) if (finding.path) paths.push(finding.path);
  // The outline's load balancer lists its frontends.
  const frontends = Math.max(0, ...result.documents.map((d) => d.model?.loadBalancer?.frontends.length ?? 0));
  for (let i = 0; i < frontends; i++) paths.push(['spec', 'loadBalancer', 'frontends', i]);
  return paths;
}

export function toPortable(result: ValidationResult): PortableResult {
  return {
    isSpec: result.isSpec,
    findings: result.findings,
    documents: result.documents.map((doc) => {
      const ranges: Array<[string, Range | null]> = [];
      for (const path of wantedPaths(result)) {
        for (const part of PARTS) ranges.push([tableKey(path, part), doc.rangeOf(path, part) ?? null]);
      }
      const nodes = doc.model?.nodes.length ?? 0;
      const nodeRanges = new Int32Array(nodes * 4).fill(-1);
      for (let i = 0; i < nodes; i++) {
        const range = doc.rangeOf(['spec', 'nodes', i], 'node');
        if (range)
          nodeRanges.set(
            [range.start.line, range.start.character, range.end.line, range.end.character],
            i * 4,
          );
      }
      return { index: doc.index, range: doc.range, model: doc.model, ranges, nodeRanges };
    }),
  };
}

/** The buffers to transfer (not copy) with a portable result. */
export function transferList(portable: PortableResult): ArrayBuffer[] {
  return portable.documents.map((doc) => doc.nodeRanges.buffer as ArrayBuffer);
}

function isNodePath(path: SpecPath): path is readonly ['spec', 'nodes', number] {
  return path.length === 3 && path[0] === 'spec' && path[1] === 'nodes' && typeof path[2] === 'number';
}

function nodeRange(ranges: Int32Array, index: number): Range | undefined {
  const at = index * 4;
  if (index < 0 || at + 4 > ranges.length || (ranges[at] as number) < 0) return undefined;
  return {
    start: { line: ranges[at] as number, character: ranges[at + 1] as number },
    end: { line: ranges[at + 2] as number, character: ranges[at + 3] as number },
  };
}

/**
 * Rebuilds a ValidationResult. A path outside the table is answered by `fallback` (a parse of the same text
 * on this side, without validation, done once, when first needed), so any `rangeOf` gives the answer it
 * would have.
 */
export function fromPortable(
  portable: PortableResult,
  fallback: () => { documents: ReadonlyArray<Pick<SpecDocumentInfo, 'index' | 'rangeOf'>> },
): ValidationResult {
  let full: { documents: ReadonlyArray<Pick<SpecDocumentInfo, 'index' | 'rangeOf'>> } | undefined;
  return {
    isSpec: portable.isSpec,
    findings: portable.findings,
    documents: portable.documents.map((doc): SpecDocumentInfo => {
      const table = new Map(doc.ranges);
      return {
        index: doc.index,
        range: doc.range,
        model: doc.model,
        rangeOf(path, part = 'node') {
          if (isNodePath(path) && path[2] * 4 < doc.nodeRanges.length)
            return nodeRange(doc.nodeRanges, path[2]);
          const key = tableKey(path, part);
          if (table.has(key)) return table.get(key) ?? undefined;
          full ??= fallback();
          return full.documents.find((d) => d.index === doc.index)?.rangeOf(path, part);
        },
      };
    }),
  };
}
