// Environment files that a POSIX shell sources (MicroK8s reads containerd's with `set -a; . FILE`): every
// value is written as one single-quoted word, so whatever got past validation is read back as exactly itself
// and never runs.
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `NAME='value'`, which `sh` reads back as exactly `value` (control characters are refused). */
export function shellAssignment(name: string, value: string): string {
  if (!NAME.test(name)) throw new Error(`"${name}" is not an environment variable name.`);
  // A line break would split the assignment for line-based tools (and the managed-line edit below).
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new Error(`The value of ${name} contains a control character.`);
  return `${name}='${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The text of an env file with the given variables set: earlier lines that set any of `managed` (with or
 * without `export`) are removed, everything else is kept in order, and the assignments are appended. Applying
 * it twice gives the same text.
 */
export function withAssignments(
  text: string,
  assignments: ReadonlyArray<readonly [string, string]>,
  managed: readonly string[],
): string {
  const sets = new RegExp(`^\\s*(?:export\\s+)?(?:${managed.join('|')})=`);
  const kept = text.split('\n').filter((line) => !sets.test(line));
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  const lines = [...kept, ...assignments.map(([name, value]) => shellAssignment(name, value))];
  return lines.join('\n') + '\n';
}
