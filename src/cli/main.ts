// gateway-cluster validate [--format text|json] [--offline] FILE...
// Exit status: 0 no errors, 1 at least one error, 2 usage error or unreadable file.
import { readFileSync } from 'node:fs';
import type { Finding } from '../cluster-spec/types';

const USAGE = 'usage: gateway-cluster validate [--format text|json] [--offline] FILE...';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (file: string) => string;
}

interface FileFinding extends Finding {
  file: string;
}

interface Parsed {
  format: 'text' | 'json';
  offline: boolean;
  files: string[];
}

function parseArgs(args: string[]): Parsed | string {
  const [command, ...rest] = args;
  if (command !== 'validate')
    return command === undefined ? 'missing command' : `unknown command "${command}"`;
  const parsed: Parsed = { format: 'text', offline: false, files: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--') {
      parsed.files.push(...rest.slice(i + 1));
      break;
    }
    if (arg === '--offline') parsed.offline = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? rest[++i] : arg.slice('--format='.length);
      if (value !== 'text' && value !== 'json')
        return `--format must be "text" or "json"${value === undefined ? '' : `, not "${value}"`}`;
      parsed.format = value;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option "${arg}"`;
    else parsed.files.push(arg);
  }
  if (parsed.files.length === 0) return 'no FILE given';
  return parsed;
}

/** Runs the CLI and returns its exit status (kept apart from process for tests). */
export function run(args: string[], io: CliIo): number {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`gateway-cluster: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  // Loaded here, not at the top, so that a usage error costs nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { validateText } = require('../cluster-spec/validate') as typeof import('../cluster-spec/validate');
  let unreadable = false;
  const findings: FileFinding[] = [];
  for (const file of parsed.files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      io.stderr(`gateway-cluster: cannot read ${file}: ${reason}\n`);
      unreadable = true;
      continue;
    }
    const result = validateText(text, file, { offline: parsed.offline, requireKind: true });
    for (const finding of result.findings) findings.push({ ...finding, file });
  }
  findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
  if (parsed.format === 'json') {
    const out = findings.map(({ file, code, severity, message, range }) => ({
      file,
      code,
      severity,
      message,
      range,
    }));
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = findings.map(
      (f) =>
        `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`,
    );
    const count = (severity: string): number => findings.filter((f) => f.severity === severity).length;
    lines.push(`${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  if (unreadable) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

if (require.main === module) {
  const status = run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: (file) => readFileSync(file, 'utf8'),
  });
  process.exitCode = status;
}
