// Source ranges without validation: the editor asks for the range of a path the worker did not tabulate, and
// parsing alone answers it (validation stays off the editor's thread).
import { parseAllDocuments } from 'yaml';
import { PositionMapper, SpecDocument } from './document';
import type { Range, SpecPath } from './types';
import { MAX_SPEC_CHARS } from './validate';

export interface LocatedDocument {
  index: number;
  rangeOf(path: SpecPath, part?: 'key' | 'value' | 'node'): Range | undefined;
}

/** Every YAML document of `text`, able to say where a path is. */
export function locateDocuments(text: string): LocatedDocument[] {
  if (text.length > MAX_SPEC_CHARS) return [];
  const positions = new PositionMapper(text);
  const docs = parseAllDocuments(text, { prettyErrors: false });
  return (Array.isArray(docs) ? docs : []).map((doc, index) => {
    const located = new SpecDocument(doc, positions);
    return { index, rangeOf: (path, part) => located.rangeOf(path, part) };
  });
}
