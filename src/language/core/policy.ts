// Small decisions shared by the editor adapters, kept here so they are unit-tested without VS Code.

/**
 * With Red Hat's YAML extension validating an open document, it already reports YAML syntax errors: our GC001
 * would show each of them twice. Everything else is ours alone (Red Hat gets an empty schema for specs).
 */
export function keepFinding(code: string, redHatValidatesOpenYaml: boolean, isOpen: boolean): boolean {
  return !(code === 'GC001' && redHatValidatesOpenYaml && isOpen);
}

/** The anchor of a code's entry in docs/cluster-spec.md. */
export function codeAnchor(code: string): string {
  return code.toLowerCase();
}

export interface FindingCounts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(findings: ReadonlyArray<{ severity: string }>): FindingCounts {
  const counts: FindingCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/** "2 errors, 1 warning, 0 infos", as the CLI's summary line says it. */
export function formatCounts(counts: FindingCounts): string {
  const word = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return `${word(counts.errors, 'error')}, ${word(counts.warnings, 'warning')}, ${word(counts.infos, 'info')}`;
}
