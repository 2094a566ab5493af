// The SPEC argument: read, validated exactly as `validate` does, one GatewayCluster document picked (by
// --cluster when the file holds several). A spec with errors ends the command before anything connects.
import * as path from 'node:path';
import type { Finding } from '../cluster-spec/types';
import { validateText } from '../cluster-spec/validate';
import { findingsOfDocument, type ClusterSpec } from '../clusters';
import { CliError, EXIT } from './exit';
import { findingLine, sortFindings, type FileFinding } from './findings';

export interface LoadedSpec {
  spec: ClusterSpec;
  /** The chosen document's warnings and infos, as `validate` prints them. */
  notes: string[];
}

export function loadSpec(
  file: string,
  cluster: string | undefined,
  readFile: (f: string) => string,
): LoadedSpec {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(EXIT.usage, `cannot read ${file}: ${reason}`);
  }
  const result = validateText(text, file, { requireKind: true });
  const documents = result.documents.filter((d) => d.model);
  const names = documents.map((d) => d.model!.name);
  const chosen = cluster === undefined ? documents : documents.filter((d) => d.model!.name === cluster);
  const withFile = (findings: readonly Finding[]): FileFinding[] =>
    sortFindings(findings.map((f) => ({ ...f, file })));
  if (chosen.length === 0) {
    if (cluster !== undefined && documents.length > 0)
      throw new CliError(
        EXIT.usage,
        `${file} has no cluster named "${cluster}" (it has ${names.join(', ')})`,
      );
    const lines = withFile(result.findings.filter((f) => f.severity === 'error')).map(findingLine);
    throw new CliError(
      EXIT.usage,
      [`${file} holds no usable GatewayCluster document; nothing was run.`, ...lines].join('\n'),
    );
  }
  if (chosen.length > 1) {
    throw new CliError(
      EXIT.usage,
      `${file} holds ${chosen.length} clusters (${names.join(', ')}): pick one with --cluster NAME`,
    );
  }
  const doc = chosen[0]!;
  const findings = findingsOfDocument(result, doc.index);
  const errors = withFile(findings.filter((f) => f.severity === 'error'));
  if (errors.length) {
    throw new CliError(
      EXIT.usage,
      [
        `${file}: cluster ${doc.model!.name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was run.`,
        ...errors.map(findingLine),
      ].join('\n'),
    );
  }
  return {
    spec: { specPath: path.resolve(file), documentIndex: doc.index, model: doc.model!, findings },
    notes: withFile(findings).map(findingLine),
  };
}
