// At most MAX_FINDINGS_PER_DOCUMENT findings per YAML document, then one GC003 saying how many more there
// are: a hostile or mangled file (10,000 unknown keys) must not flood the editor, the CLI or a CI log.
import { severityOf } from './codes';
import type { Finding, Range, Severity } from './types';

export const MAX_FINDINGS_PER_DOCUMENT = 100;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function byPosition(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.code.localeCompare(b.code)
  );
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(byPosition);
}

/**
 * The document's findings, capped: the most severe are kept (so a document with errors always shows errors
 * and the CLI's exit status stays right), in source order among equals; the rest become one GC003 at `start`.
 */
export function capFindings(findings: Finding[], start: () => Range): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_DOCUMENT) return findings;
  const ranked = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || byPosition(a, b));
  const shown = ranked.slice(0, MAX_FINDINGS_PER_DOCUMENT);
  const hidden = ranked.slice(MAX_FINDINGS_PER_DOCUMENT);
  const count = (severity: Severity): number => hidden.filter((f) => f.severity === severity).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('info'), 'info'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${(n as number).toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`);
  shown.push({
    code: 'GC003',
    severity: severityOf('GC003'),
    message: `${hidden.length.toLocaleString('en-US')} more findings in this document are not shown (${parts.join(', ')}): only the first ${MAX_FINDINGS_PER_DOCUMENT}, the most severe first; fix those and the rest will show.`,
    range: start(),
  });
  return shown;
}
