// A ValidationResult that crosses a worker boundary: plain data only. `rangeOf` cannot be cloned, so the
// worker tabulates the ranges the editor asks for (outline sections, every node, the paths of findings and
// the one fixes re-target to) and the receiving side answers from that table, or from a fallback.
import type { Range, SpecDocumentInfo, SpecPath, ValidationResult } from '../../spec/types';

type Part = 'key' | 'value' | 'node';

export interface PortableDocument {
  index: number;
  range: Range;
  model: SpecDocumentInfo['model'];
  /** [tableKey(path, part), range] for every tabulated path. */
  ranges: Array<[string, Range]>;
}

export interface PortableResult {
  isSpec: boolean;
  findings: ValidationResult['findings'];
  documents: PortableDocument[];
}

export function tableKey(path: SpecPath, part: Part): string {
  return `${part}\u0001${path.join('\u0000')}`;
}

const SECTIONS: SpecPath[] = [['spec', 'nodes'], ['spec', 'network'], ['spec', 'storage'], ['spec', 'charts']];
const PARTS: Part[] = ['key', 'value', 'node'];

/** The paths the editor's outline and quick fixes ask `rangeOf` for. */
function wantedPaths(result: ValidationResult, doc: SpecDocumentInfo): SpecPath[] {
  const paths: SpecPath[] = [
    ...SECTIONS,
    ['metadata', 'name'],
    ['spec', 'network', 'metallbRange'],
  ];
  for (const node of doc.model?.nodes ?? []) paths.push(['spec', 'nodes', node.index]);
  for (const finding of result.findings) if (finding.path) paths.push(finding.path);
  return paths;
}

export function toPortable(result: ValidationResult): PortableResult {
  return {
    isSpec: result.isSpec,
    findings: result.findings,
    documents: result.documents.map((doc) => {
      const ranges: Array<[string, Range]> = [];
      for (const path of wantedPaths(result, doc)) {
        for (const part of PARTS) {
          const range = doc.rangeOf(path, part);
          if (range) ranges.push([tableKey(path, part), range]);
        }
      }
      return { index: doc.index, range: doc.range, model: doc.model, ranges };
    }),
  };
}

/**
 * Rebuilds a ValidationResult. A path outside the table is answered by `fallback` (validation of the same
 * text on this side, computed once, when first needed), so any `rangeOf` gives the answer it would have.
 */
export function fromPortable(portable: PortableResult, fallback: () => ValidationResult): ValidationResult {
  let full: ValidationResult | undefined;
  return {
    isSpec: portable.isSpec,
    findings: portable.findings,
    documents: portable.documents.map((doc, position): SpecDocumentInfo => {
      const table = new Map(doc.ranges);
      return {
        index: doc.index,
        range: doc.range,
        model: doc.model,
        rangeOf(path, part = 'node') {
          const key = tableKey(path, part);
          if (table.has(key)) return table.get(key);
          full ??= fallback();
          return full.documents[position]?.rangeOf(path, part);
        },
      };
    }),
  };
}
