// The process behind `pods/exec`: the command runs inside the pod's node namespaces (network, mount) with a
// UTS namespace of its own named after the pod, as the lab user; with a TTY it runs under `script`, whose pseudo
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

export function startExec(ws: WsConnection, request: ExecRequest, log: (line: string) => void): void {
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
  if (!request.tty) return spawnExec(ws, request, log, undefined, []);
  // The runtime creates the terminal at the client's first size: wait briefly for it (client-node and
  // kubectl send it right after the upgrade), keeping what arrives meanwhile.
  const early: Buffer[] = [];
  let started = false;
  const start = (size: Buffer | undefined) => {
    if (started) return;
    started = true;
    clearTimeout(timer);
    spawnExec(ws, request, log, size ? sizeOf(size) : undefined, early);
  };
  const timer = setTimeout(() => start(undefined), 300);
  ws.onMessage((message) => {
    if (started) return;
    if (message[0] === RESIZE) start(message.subarray(1));
    else early.push(message);
  });
  ws.onClose(() => clearTimeout(timer));
}

function spawnExec(
  ws: WsConnection,
  request: ExecRequest,
  log: (line: string) => void,
  size: { width: number; height: number } | undefined,
  early: Buffer[],
): void {
  const env = [
    `HOME=/tmp`,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${request.pod}`,
    `TERM=${request.tty ? 'xterm-256color' : 'dumb'}`,
  ];
  const sized = size ? `stty cols ${size.width} rows ${size.height} 2>/dev/null; ` : '';
  const inner = request.tty
    ? ['script', '-qfec', `${sized}exec ${request.command.map(quote).join(' ')}`, '/dev/null']
    : request.command;
  const child = spawn(
    'nsenter',
    [
      '-t',
      String(request.holderPid),
      '-n',
      '-m',
      '--',
      // A UTS namespace of its own named after the pod (as a container's), then the lab user.
      'unshare',
      '--uts',
      '--',
      'sh',
      '-c',
      'hostname "$1" && shift && exec setpriv --reuid "$0" --regid "$0" --clear-groups -- "$@"',
      String(request.uid),
      request.pod,
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
  const onMessage = (message: Buffer) => {
    const channel = message[0];
    const data = message.subarray(1);
    if (channel === STDIN && request.stdin) child.stdin.write(data);
    else if (channel === CLOSE && data[0] === STDIN) child.stdin.end();
    else if (channel === RESIZE && request.tty) resize(child.pid, data, log);
  };
  for (const message of early) onMessage(message);
  ws.onMessage(onMessage);
  ws.onClose(() => {
    if (!ended) child.kill('SIGKILL');
  });
}

/** Sizes the terminal of the command that `script` runs (`{"Width":W,"Height":H}`). */
function resize(scriptPid: number | undefined, data: Buffer, log: (line: string) => void, attempt = 0): void {
  const size = sizeOf(data);
  if (!size) return;
  const terminal = scriptPid === undefined ? undefined : terminalOf(scriptPid);
  if (!terminal) {
    // `script` may not have started its command yet.
    if (attempt < 40) setTimeout(() => resize(scriptPid, data, log, attempt + 1), 25);
    else log(`exec: no terminal to resize under ${String(scriptPid)}`);
    return;
  }
  execFile('stty', ['-F', terminal, 'cols', String(size.width), 'rows', String(size.height)], (error) => {
    if (error) log(`exec: resize ${terminal}: ${error.message}`);
  });
}

/** A resize message; Go decodes {"Width","Height"} case-insensitively (kubectl capitalises, client-node not). */
function sizeOf(data: Buffer): { width: number; height: number } | undefined {
  try {
    const size = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    const get = (name: string) =>
      Number(Object.entries(size).find(([key]) => key.toLowerCase() === name)?.[1]) || undefined;
    return { width: get('width') ?? 80, height: get('height') ?? 24 };
  } catch {
    return undefined;
  }
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
