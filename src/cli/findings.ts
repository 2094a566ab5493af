// A spec's findings as `validate` prints them: `FILE:LINE:COL: SEVERITY CODE MESSAGE`, 1-based, sorted.
import type { Finding } from '../cluster-spec/types';

export interface FileFinding extends Finding {
  file: string;
}

export function sortFindings(findings: FileFinding[]): FileFinding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
}

export function findingLine(f: FileFinding): string {
  return `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`;
}

/** The contract's JSON fields of a finding, in order. */
export function findingJson({ file, code, severity, message, range }: FileFinding) {
  return { file, code, severity, message, range };
}
