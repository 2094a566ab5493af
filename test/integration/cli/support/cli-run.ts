// Runs the CLI as a subprocess, as a pipeline would: its stdout, stderr and exit status, its JSON events as
// they arrive (a test reacts to them: a fault, a signal), and every byte it printed kept for the secrets search.
import { spawn, type ChildProcess } from 'node:child_process';

export type CliEvent = Record<string, unknown> & { event: string };

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines (with --format json). */
  events: CliEvent[];
}

export interface CliRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (default: closed at once, no terminal). */
  stdin?: string;
  /** Each JSON event as it arrives. */
  onEvent?: (event: CliEvent, child: ChildProcess) => void;
  /** Gets everything printed, for the secrets search. */
  transcript?: string[];
}

export function startCli(
  cli: string,
  args: readonly string[],
  options: CliRunOptions,
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const events: CliEvent[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as CliEvent;
      events.push(event);
      options.onEvent?.(event, child);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.end(options.stdin ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      options.transcript?.push(stdout, stderr);
      resolve({ status, signal, stdout, stderr, events });
    });
  });
  return { child, done };
}

export function runCli(cli: string, args: readonly string[], options: CliRunOptions): Promise<CliResult> {
  return startCli(cli, args, options).done;
}

/** The step events of a run: step → node ('' for the step itself) → status. */
export function stepStatuses(events: readonly CliEvent[]): Record<string, Record<string, string>> {
  const states: Record<string, Record<string, string>> = {};
  for (const e of events) {
    if (e.event !== 'step') continue;
    (states[e.step as string] ??= {})[(e.node as string | null) ?? ''] = e.status as string;
  }
  return states;
}

/** Commands a run sent, as `node$ command` (masked, as the CLI printed them). */
export function commandsOf(events: readonly CliEvent[]): string[] {
  return events
    .filter((e) => e.event === 'command')
    .map((e) => `${e.node as string}$ ${e.command as string}`);
}

export interface TerminalRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Typed (then Enter) once the output matches `prompt`. */
  answer?: { prompt: RegExp; keys: string };
  transcript?: string[];
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would: stdin and
 * stdout are a terminal. Keys are typed only once the question shows, as a person would type them.
 */
export function runCliOnTerminal(
  cli: string,
  args: readonly string[],
  options: TerminalRunOptions,
): Promise<{ status: number | null; output: string }> {
  const command = [process.execPath, cli, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...options.env, TERM: 'xterm', COLUMNS: '100' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  const onData = (chunk: string) => {
    output += chunk;
    if (options.answer && !answered && options.answer.prompt.test(output)) {
      answered = true;
      child.stdin!.write(options.answer.keys);
    }
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      options.transcript?.push(output);
      resolve({ status, output });
    });
  });
}
