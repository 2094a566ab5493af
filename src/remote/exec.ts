// One command's run on an open connection: PID line, streamed and masked output, exit, timeout, cancellation
// (which kills the remote process group) and a connection lost mid-run.
import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel } from 'ssh2';
import type { RemoteError } from './errors';
import type { NodeScope } from './scope';
import type { ExecOptions, ExecResult } from './types';
import type { Clock, TimerHandle } from '../timing';

/** How long a cancelled run waits for the PID line that may still be in flight. */
const PID_WAIT_MS = 5_000;
/** How much of each stream an error message quotes (its end). */
const OUTPUT_TAIL_CHARS = 2_000;

export interface ExecRequest {
  /** The command as the log and errors show it. */
  shown: string;
  /** What the login shell becomes: the command, wrapped for sudo if needed. */
  inner: string;
  /** Written to stdin before the caller's input (the sudo password line). */
  stdinPrefix?: string;
  options: ExecOptions;
  /** The command runs as root, so killing it needs sudo too. */
  asRoot: boolean;
}

/** What a run needs from its connection. */
export interface ExecHost {
  scope: NodeScope;
  clock: Clock;
  /** Registers the run's handler for a lost connection; returns its removal. */
  track(onLost: () => void): () => void;
  /** Kills the remote process group `pid` (the leader of the command's session). */
  killGroup(pid: number | undefined, asRoot: boolean, stdinPrefix?: string): Promise<void>;
}

export class RemoteExec {
  private stdout = '';
  private stderr = '';
  private pidLine = '';
  private pid: number | undefined;
  private pidKnown: () => void = () => undefined;
  private readonly pidArrived = new Promise<void>((resolve) => (this.pidKnown = resolve));
  private settled = false;
  /** Set once a kill is under way: from then on the channel's own close does not settle the run. */
  private stopping = false;
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  private sawExit = false;
  private channel: ClientChannel | undefined;
  private timer: TimerHandle | undefined;
  private untrack: () => void = () => undefined;
  private resolve: (result: ExecResult) => void = () => undefined;
  private reject: (err: RemoteError) => void = () => undefined;
  private readonly outDecoder = new StringDecoder('utf8');
  private readonly errDecoder = new StringDecoder('utf8');
  /** Credentials must not depend on the masker knowing them yet: secret output is never logged at all. */
  private readonly logOutput: boolean;
  private readonly outLines: LineSplitter;
  private readonly errLines: LineSplitter;

  constructor(
    private readonly client: Client,
    private readonly host: ExecHost,
    private readonly request: ExecRequest,
  ) {
    const { options } = request;
    const { scope } = host;
    this.logOutput = !options.secretOutput;
    this.outLines = new LineSplitter((line) => {
      if (this.logOutput) scope.log(`out: ${line}`);
      options.onStdoutLine?.(scope.mask(line));
    });
    this.errLines = new LineSplitter((line) => {
      if (this.logOutput) scope.log(`err: ${line}`);
      options.onStderrLine?.(scope.mask(line));
    });
  }

  run(): Promise<ExecResult> {
    const { scope } = this.host;
    const { options, shown } = this.request;
    // The login shell prints its PID (sshd made it a session and process-group leader), then becomes the
    // command; cancelling kills that whole group.
    const wire = `printf '%s\\n' "$$"; exec ${this.request.inner}`;
    scope.log(`$ ${shown}`);
    return new Promise<ExecResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      if (options.signal?.aborted) {
        reject(scope.error('cancelled', `Cancelled before start on ${scope.where()}: ${shown}`));
        return;
      }
      options.signal?.addEventListener('abort', this.onAbort, { once: true });
      this.untrack = this.host.track(this.onLost);
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        this.timer = this.host.clock.setTimeout(
          () => this.killAndFail('timeout', `Timed out after ${ms} ms on ${scope.where()}: ${shown}`),
          ms,
        );
      }
      this.client.exec(wire, (err, ch) => {
        if (err) {
          this.finish(
            scope.error('connectionLost', `Cannot start a command on ${scope.where()}: ${err.message}`),
          );
          return;
        }
        if (this.settled) {
          ch.close();
          return;
        }
        this.attach(ch);
      });
    });
  }

  private attach(ch: ClientChannel): void {
    this.channel = ch;
    ch.on('data', (chunk: Buffer) => this.onStdout(this.outDecoder.write(chunk)));
    ch.stderr.on('data', (chunk: Buffer) => this.onStderr(this.errDecoder.write(chunk)));
    ch.on('exit', (code: number | null, signal?: string) => {
      this.sawExit = true;
      this.exitCode = code;
      this.exitSignal = signal ?? null;
    });
    ch.on('close', () => this.onChannelClose());
    const { stdinPrefix, options } = this.request;
    if (stdinPrefix !== undefined) ch.write(stdinPrefix);
    if (options.stdin !== undefined) ch.write(options.stdin);
    ch.end();
  }

  private onStdout(text: string): void {
    if (this.pid === undefined) {
      this.pidLine += text;
      const nl = this.pidLine.indexOf('\n');
      if (nl < 0) return;
      this.pid = Number(this.pidLine.slice(0, nl));
      this.pidKnown();
      text = this.pidLine.slice(nl + 1);
    }
    this.stdout += text;
    this.outLines.push(text);
  }

  private onStderr(text: string): void {
    this.stderr += text;
    this.errLines.push(text);
  }

  private onChannelClose(): void {
    this.pidKnown();
    if (this.settled || this.stopping) return;
    const outTail = this.outDecoder.end();
    this.stdout += outTail;
    this.outLines.push(outTail);
    this.onStderr(this.errDecoder.end());
    if (!this.sawExit) {
      this.onLost();
      return;
    }
    const { stdout, stderr } = this;
    this.host.scope.log(
      `exit ${this.exitCode ?? this.exitSignal}` +
        (this.logOutput ? '' : ` (output withheld from the log: ${stdout.length + stderr.length} chars)`),
    );
    this.finish(undefined, { code: this.exitCode, signal: this.exitSignal, stdout, stderr });
  }

  private readonly onAbort = (): void =>
    this.killAndFail('cancelled', `Cancelled on ${this.host.scope.where()}: ${this.request.shown}`);

  private readonly onLost = (): void =>
    this.finish(
      this.host.scope.error(
        'connectionLost',
        `The connection to ${this.host.scope.where()} was lost while running: ${this.request.shown}` +
          this.describeOutput(),
        this.partialOutput(),
      ),
    );

  private killAndFail(kind: 'timeout' | 'cancelled', message: string): void {
    if (this.stopping || this.settled) return;
    this.stopping = true;
    const partial = this.partialOutput();
    const shown = this.describeOutput();
    const fail = () => {
      this.finish(this.host.scope.error(kind, message + shown, partial));
      this.channel?.close();
    };
    const { asRoot, stdinPrefix } = this.request;
    void this.waitForPid()
      .then(() => this.host.killGroup(this.pid, asRoot, stdinPrefix))
      .then(fail, fail);
  }

  /** The PID line may still be in flight when an abort comes: wait for it briefly. */
  private waitForPid(): Promise<void> {
    if (this.pid !== undefined) return Promise.resolve();
    const { clock } = this.host;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(resolve, PID_WAIT_MS);
      void this.pidArrived.then(() => {
        clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  private finish(err: RemoteError | undefined, result?: ExecResult): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) this.host.clock.clearTimeout(this.timer);
    this.request.options.signal?.removeEventListener('abort', this.onAbort);
    this.untrack();
    this.outLines.flush();
    this.errLines.flush();
    if (err) {
      this.host.scope.log(err.message);
      this.reject(err);
    } else this.resolve(result!);
  }

  /** What an error may carry of the output so far. */
  private partialOutput(): { stdout: string; stderr: string } {
    return this.logOutput ? { stdout: this.stdout, stderr: this.stderr } : { stdout: '', stderr: '' };
  }

  private describeOutput(): string {
    if (!this.logOutput) return ' (output withheld: it holds credentials)';
    const mask = (s: string) => this.host.scope.mask(s);
    return outputSoFar({ stdout: mask(this.stdout), stderr: mask(this.stderr) });
  }
}

/**
 * The end of the output for an error message. Give it masked text: cut first, a secret straddling the cut
 * would lose its head and its tail would no longer match the masker.
 */
export function outputSoFar(masked: { stdout: string; stderr: string }): string {
  const tail = (s: string) => (s.length > OUTPUT_TAIL_CHARS ? '…' + s.slice(-OUTPUT_TAIL_CHARS) : s);
  if (!masked.stdout && !masked.stderr) return ' (no output)';
  return (
    (masked.stdout ? `\n--- stdout so far ---\n${tail(masked.stdout)}` : '') +
    (masked.stderr ? `\n--- stderr so far ---\n${tail(masked.stderr)}` : '')
  );
}

/** Cuts streamed text into lines (without \r\n's \r); flush() hands out an unfinished last line. */
class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    this.pending += text;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      this.onLine(this.pending.slice(0, nl).replace(/\r$/, ''));
      this.pending = this.pending.slice(nl + 1);
    }
  }

  flush(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}
