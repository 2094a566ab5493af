// How many findings of each severity, in words: the CLI's summary line and the editor's messages say it alike.

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

/** "2 errors, 1 warning, 0 infos" (singular for one). */
export function formatCounts(counts: FindingCounts): string {
  const word = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return `${word(counts.errors, 'error')}, ${word(counts.warnings, 'warning')}, ${word(counts.infos, 'info')}`;
}
