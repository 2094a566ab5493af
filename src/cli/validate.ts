// gateway-cluster validate [--format text|json] [--offline] FILE...
// Exit status: 0 no errors, 1 at least one error, 2 usage error or unreadable file.
import { countFindings, formatCounts } from '../cluster-spec/counts';
import { CliError, EXIT, type ExitStatus } from './exit';
import { findingJson, findingLine, sortFindings, type FileFinding } from './findings';
import { flagOf, formatOf, parseOptions } from './options';

export interface ValidateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (file: string) => string;
}

export function validateCommand(args: readonly string[], io: ValidateIo): ExitStatus {
  const parsed = parseOptions(args, { format: { value: true }, offline: {} });
  if (typeof parsed === 'string') throw new CliError(EXIT.usage, parsed);
  const format = formatOf(parsed);
  if (format !== 'text' && format !== 'json') throw new CliError(EXIT.usage, format);
  if (parsed.positionals.length === 0) throw new CliError(EXIT.usage, 'no FILE given');
  // Loaded here, not at the top, so that a usage error costs nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateText } = require('../cluster-spec/validate') as typeof import('../cluster-spec/validate');
  let unreadable = false;
  let read = 0;
  const findings: FileFinding[] = [];
  for (const file of parsed.positionals) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      io.stderr(`gateway-cluster: cannot read ${file}: ${reason}\n`);
      unreadable = true;
      continue;
    }
    read++;
    const result = validateText(text, file, { offline: flagOf(parsed, 'offline'), requireKind: true });
    for (const finding of result.findings) findings.push({ ...finding, file });
  }
  sortFindings(findings);
  if (format === 'json') {
    io.stdout(`${JSON.stringify(findings.map(findingJson), null, 2)}\n`);
  } else {
    const lines = findings.map(findingLine);
    // A summary of what was read: none when no file could be (its error says all there is).
    if (read > 0) lines.push(formatCounts(countFindings(findings)));
    if (lines.length) io.stdout(`${lines.join('\n')}\n`);
  }
  if (unreadable) return EXIT.usage;
  return findings.some((f) => f.severity === 'error') ? EXIT.failed : EXIT.ok;
}
