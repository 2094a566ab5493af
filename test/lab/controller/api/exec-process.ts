// The process behind `pods/exec`: the command runs inside the pod's node namespaces (network, mount, UTS) as
// the lab user, with HOSTNAME set to the pod's name; with a TTY it runs under `script`, whose pseudo
// terminal the resize channel sizes (stty on the terminal sends the shell its SIGWINCH). Images without
// bash (busybox, alpine) refuse `bash` as containerd does when the executable is missing.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import type { WsConnection } from './websocket';

export interface ExecRequest {
  holderPid: number;
  uid: number;
  pod: string;
  image: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
}

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

const WITHOUT_BASH = /busybox|alpine|distroless/;
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

function status(ws: WsConnection, body: Record<string, unknown>): void {
  ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify({ metadata: {}, ...body }))]));
  ws.close();
}

export function startExec(ws: WsConnection, request: ExecRequest): void {
  const program = request.command[0] ?? '';
  if (WITHOUT_BASH.test(request.image) && /(^|\/)bash$/.test(program)) {
    const id = randomBytes(32).toString('hex');
    return status(ws, {
      status: 'Failure',
      message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
      reason: 'InternalError',
      details: { causes: [{ message: `exec: "${program}": executable file not found in $PATH` }] },
      code: 500,
    });
  }
  const env = [
    `HOME=/tmp`,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${request.pod}`,
    `TERM=${request.tty ? 'xterm-256color' : 'dumb'}`,
    `PS1=${request.pod}:\\w\\$ `,
  ];
  const inner = request.tty
    ? ['script', '-qfec', request.command.map(quote).join(' '), '/dev/null']
    : request.command;
  const child = spawn(
    'nsenter',
    [
      '-t',
      String(request.holderPid),
      '-n',
      '-m',
      '-u',
      '-S',
      String(request.uid),
      '-G',
      String(request.uid),
      '--',
      'env',
      '-i',
      ...env,
      ...inner,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: '/' },
  );
  let ended = false;
  const send = (channel: number, data: Buffer) => ws.send(Buffer.concat([Buffer.from([channel]), data]));
  child.stdout.on('data', (d: Buffer) => send(STDOUT, d));
  child.stderr.on('data', (d: Buffer) => send(request.tty ? STDOUT : STDERR, d));
  child.stdin.on('error', () => undefined);
  child.on('error', (error) => {
    ended = true;
    status(ws, { status: 'Failure', message: error.message, reason: 'InternalError', code: 500 });
  });
  child.on('close', (code, signal) => {
    if (ended) return;
    ended = true;
    const exit = code ?? (signal ? 128 + 9 : 1);
    if (exit === 0) return status(ws, { status: 'Success' });
    status(ws, {
      status: 'Failure',
      message: `command terminated with non-zero exit code: error executing command [${request.command.join(' ')}], exit code ${exit}`,
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(exit) }] },
    });
  });
  ws.onMessage((message) => {
    const channel = message[0];
    const data = message.subarray(1);
    if (channel === STDIN && request.stdin) child.stdin.write(data);
    else if (channel === CLOSE && data[0] === STDIN) child.stdin.end();
    else if (channel === RESIZE && request.tty) resize(child.pid, data);
  });
  ws.onClose(() => {
    if (!ended) child.kill('SIGKILL');
  });
}

/** Sizes the terminal of the command that `script` runs (`{"Width":W,"Height":H}`). */
function resize(scriptPid: number | undefined, data: Buffer, attempt = 0): void {
  let size: { Width?: number; Height?: number };
  try {
    size = JSON.parse(data.toString('utf8')) as typeof size;
  } catch {
    return;
  }
  const terminal = scriptPid === undefined ? undefined : terminalOf(scriptPid);
  if (!terminal) {
    // `script` may not have started its command yet.
    if (attempt < 20) setTimeout(() => resize(scriptPid, data, attempt + 1), 25);
    return;
  }
  execFile(
    'stty',
    ['-F', terminal, 'cols', String(size.Width ?? 80), 'rows', String(size.Height ?? 24)],
    () => undefined,
  );
}

function terminalOf(pid: number): string | undefined {
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (!child) continue;
      const target = readlinkSync(`/proc/${child}/fd/0`);
      if (target.startsWith('/dev/pts/')) return target;
    }
  } catch {
    // gone, or not started yet
  }
  return undefined;
}
