// One SSH connection to one node: host-key trust, authentication, exec with quoting/sudo/timeout/cancel,
// SFTP and an interactive shell.
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Client, utils as sshUtils } from 'ssh2';
import type { ClientChannel, ConnectConfig, ParsedKey, SFTPWrapper } from 'ssh2';
import { RemoteError } from './errors';
import { fingerprintOf, keyTypeOf } from './known-hosts';
import type { KnownHostsStore } from './known-hosts';
import type { Masker } from './masker';
import { joinArgv, shellQuote } from './quote';
import type {
  ExecOptions,
  ExecResult,
  LogSink,
  RemoteCommand,
  RemoteNode,
  RemotePrompts,
  SecretStore,
} from './types';

export interface SessionDeps {
  knownHosts: KnownHostsStore;
  prompts: RemotePrompts;
  secrets: SecretStore;
  masker: Masker;
  log?: LogSink;
  /** Default process.env.SSH_AUTH_SOCK. Null disables the agent. */
  agentSocket?: string | null;
  /** Home directory for `~` and the default keys; default os.homedir(). */
  homeDir?: string;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

type AuthAttempt =
  | { type: 'agent'; username: string; agent: string }
  | { type: 'publickey'; username: string; key: ParsedKey }
  | { type: 'password'; username: string; password: string };

const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** Grace between SIGTERM and SIGKILL when a remote command is cancelled. */
const KILL_GRACE_STEPS = 5;

interface ShellChannel {
  /** The pty stream: write keystrokes, read output. */
  stream: ClientChannel;
  resize(cols: number, rows: number): void;
  close(): void;
}

export class SshSession {
  private client: Client | undefined;
  private closed = false;
  private readonly openChannels = new Set<() => void>();
  private sudoNeedsPassword: boolean | undefined;
  /** How many callers use the session right now (the pool closes idle ones). */
  busy = 0;
  lastUsed = Date.now();
  /** Milliseconds spent connecting (TCP + handshake + auth). */
  connectMs = 0;
  /** Whether TCP_NODELAY was set on the socket (measured in tests and benchmarks). */
  noDelay = false;
  private readonly closeListeners = new Set<() => void>();

  constructor(
    readonly node: RemoteNode,
    private readonly deps: SessionDeps,
  ) {}

  get port(): number {
    return this.node.port ?? 22;
  }

  get user(): string {
    return this.node.user ?? os.userInfo().username;
  }

  get alive(): boolean {
    return this.client !== undefined && !this.closed;
  }

  onClose(listener: () => void): void {
    this.closeListeners.add(listener);
  }

  private log(line: string): void {
    this.deps.log?.(this.deps.masker.mask(`[ssh ${this.node.name}] ${line}`));
  }

  private error(kind: RemoteError['kind'], message: string, partial?: { stdout: string; stderr: string }) {
    const mask = (s: string) => this.deps.masker.mask(s);
    return new RemoteError(
      kind,
      this.node.name,
      this.node.address,
      mask(message),
      partial && { stdout: mask(partial.stdout), stderr: mask(partial.stderr) },
    );
  }

  private where(): string {
    return `node ${this.node.name} (${this.user}@${this.node.address}:${this.port})`;
  }

  async connect(): Promise<void> {
    const started = performance.now();
    const { knownHosts } = this.deps;
    const known = await knownHosts.lookup(this.node.address, this.port);
    const sock = await this.openSocket();
    sock.setNoDelay(true);
    // ssh2 only sees an already connected socket, so Nagle is off from the first packet.
    this.noDelay = true;
    let hostKeyFailure: RemoteError | undefined;
    const triedMethods: string[] = [];
    const auth = this.authAttempts(triedMethods);
    const client = new Client();
    // Our own handshake timer, paused while the user compares a host key's fingerprint: ssh2's readyTimeout
    // would count that time too and fail a user who reads carefully.
    const handshake = new PausableTimer(this.deps.connectTimeoutMs ?? 10_000);
    const config: ConnectConfig = {
      sock,
      username: this.user,
      readyTimeout: HANDSHAKE_TIMEOUT_DISABLED_MS,
      keepaliveInterval: this.deps.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(known.map((e) => e.keyType)) as never },
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        this.verifyHostKey(key, handshake).then(
          () => verify(true),
          (err: RemoteError) => {
            hostKeyFailure = err;
            verify(false);
          },
        );
      },
      authHandler: (_methodsLeft, _partial, next) => {
        auth.next().then(
          (r) => next((r.done ? false : r.value) as never),
          () => next(false as never),
        );
      },
    };
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const onError = (err: Error & { level?: string }) => {
        if (failed) return;
        failed = true;
        client.removeListener('ready', onReady);
        sock.destroy();
        if (hostKeyFailure) return reject(hostKeyFailure);
        if (err.level === 'client-authentication') {
          const methods = triedMethods.length ? triedMethods.join(', ') : 'none available';
          return reject(
            this.error(
              'auth',
              `Authentication failed for ${this.where()}; methods tried: ${methods}. ` +
                `Check the identity file or the password for this user.`,
            ),
          );
        }
        reject(this.error('connect', `Cannot connect to ${this.where()}: ${err.message}`));
      };
      const onReady = () => {
        client.removeListener('error', onError);
        client.removeListener('close', onEarlyClose);
        resolve();
      };
      // The server may drop the link during the handshake without any error (e.g. sshd killed).
      const onEarlyClose = () => onError(new Error('the server closed the connection during the handshake'));
      client.once('ready', onReady);
      // `on`, not `once`: ssh2 can emit a second error after the first (e.g. "Connection lost before
      // handshake" after a refused host key); onError ignores it, an unheard one would crash the host.
      client.on('error', onError);
      client.once('close', onEarlyClose);
      handshake.start(() => {
        const ms = this.deps.connectTimeoutMs ?? 10_000;
        onError(new Error(`Timed out while waiting for handshake (${ms} ms)`));
        client.end();
      });
      client.connect(config);
    }).finally(() => handshake.stop());
    this.client = client;
    this.connectMs = performance.now() - started;
    this.log(`connected in ${this.connectMs.toFixed(0)} ms`);
    client.on('error', (err) => this.log(`connection error: ${err.message}`));
    client.on('close', () => this.markClosed());
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const abort of [...this.openChannels]) abort();
    for (const listener of this.closeListeners) listener();
  }

  private openSocket(): Promise<net.Socket> {
    const timeoutMs = this.deps.connectTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: this.node.address, port: this.port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(this.error('connect', `Cannot connect to ${this.where()}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve(sock);
      });
      sock.once('error', (err) => {
        clearTimeout(timer);
        reject(this.error('connect', `Cannot connect to ${this.where()}: ${err.message}`));
      });
    });
  }

  private async verifyHostKey(key: Buffer, handshake?: PausableTimer): Promise<void> {
    const { knownHosts, prompts } = this.deps;
    const fingerprint = fingerprintOf(key);
    const check = await knownHosts.check(this.node.address, this.port, key);
    if (check.status === 'trusted') return;
    if (check.status === 'revoked') {
      throw this.error('hostKeyRefused', `Host key ${fingerprint} of ${this.where()} is marked @revoked.`);
    }
    if (check.status === 'changed') {
      throw this.error(
        'hostKeyChanged',
        `HOST KEY CHANGED for node ${this.node.name} at ${this.node.address}:${this.port}: ` +
          `known ${check.knownFingerprints.join(', ')}, now presented ${fingerprint}. ` +
          `Connection refused; if the node was really reinstalled, remove the old key from known_hosts.`,
      );
    }
    handshake?.pause();
    let accepted: boolean;
    try {
      accepted = await prompts.confirmHostKey({
        node: this.node.name,
        address: this.node.address,
        port: this.port,
        keyType: keyTypeOf(key),
        fingerprint,
      });
    } finally {
      handshake?.resume();
    }
    if (!accepted) {
      throw this.error(
        'hostKeyRefused',
        `Host key ${fingerprint} of ${this.where()} was not trusted; not connecting.`,
      );
    }
    await knownHosts.add(this.node.address, this.port, key);
    this.log(`trusted new host key ${fingerprint}`);
  }

  /** Authentication attempts in ssh's order: identity file (or agent, then default keys), then password. */
  private async *authAttempts(tried: string[]): AsyncGenerator<AuthAttempt> {
    const username = this.user;
    const home = this.deps.homeDir ?? os.homedir();
    const agent = this.deps.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : this.deps.agentSocket;
    const keyFiles = this.node.identityFile
      ? [expandHome(this.node.identityFile, home)]
      : DEFAULT_KEY_FILES.map((f) => path.join(home, '.ssh', f));
    if (!this.node.identityFile && agent) {
      tried.push('agent');
      yield { type: 'agent' as const, username, agent };
    }
    for (const keyPath of keyFiles) {
      const key = await this.loadKey(keyPath, this.node.identityFile !== undefined);
      if (!key) continue;
      tried.push(`publickey (${keyPath})`);
      yield { type: 'publickey' as const, username, key };
    }
    if (this.node.passwordSecret) {
      const password = await this.deps.secrets.get(this.node.passwordSecret);
      if (password !== undefined) {
        this.deps.masker.register(password);
        tried.push('password');
        yield { type: 'password' as const, username, password };
      } else {
        tried.push(`password (secret "${this.node.passwordSecret}" is not set)`);
      }
    }
  }

  /** Reads and decrypts a private key; undefined when a default key is missing. */
  private async loadKey(keyPath: string, required: boolean): Promise<ParsedKey | undefined> {
    let data: Buffer;
    try {
      data = await fs.readFile(keyPath);
    } catch (err) {
      if (!required) return undefined;
      throw this.error('auth', `Identity file ${keyPath} for ${this.where()} cannot be read: ${String(err)}`);
    }
    let parsed = sshUtils.parseKey(data);
    if (!(parsed instanceof Error)) return firstKey(parsed);
    if (!/passphrase|encrypted/i.test(parsed.message)) {
      throw this.error('auth', `Identity file ${keyPath} is not a usable private key: ${parsed.message}`);
    }
    const passphrase = await this.deps.prompts.askPassphrase?.({ node: this.node.name, keyPath });
    if (passphrase === undefined) return undefined;
    this.deps.masker.register(passphrase);
    parsed = sshUtils.parseKey(data, passphrase);
    if (parsed instanceof Error) {
      throw this.error('auth', `Wrong passphrase for identity file ${keyPath} (${this.where()}).`);
    }
    // The decrypted key goes to ssh2 as is: decrypting costs about half a second, so only once.
    return firstKey(parsed);
  }

  private requireClient(): Client {
    if (!this.client || this.closed) {
      throw this.error('connectionLost', `The connection to ${this.where()} is closed.`);
    }
    return this.client;
  }

  /** Runs a command; see ExecOptions. Rejects with RemoteError on timeout, cancellation or a lost link. */
  async exec(command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const commandText = 'script' in command ? command.script : joinArgv(command);
    let inner = 'script' in command ? `sh -c ${shellQuote(command.script)}` : commandText;
    let stdinPrefix: string | undefined;
    if (options.sudo) {
      const wrapped = await this.sudoWrap(commandText, options.sudo);
      inner = wrapped.command;
      stdinPrefix = wrapped.stdinPrefix;
    }
    this.busy++;
    this.lastUsed = Date.now();
    try {
      return await this.run(commandText, inner, stdinPrefix, options, Boolean(options.sudo));
    } finally {
      this.busy--;
      this.lastUsed = Date.now();
    }
  }

  private async sudoWrap(
    commandText: string,
    sudo: NonNullable<ExecOptions['sudo']>,
  ): Promise<{ command: string; stdinPrefix?: string }> {
    const asRoot = `sh -c ${shellQuote(commandText)}`;
    if (this.sudoNeedsPassword === undefined) {
      const probe = await this.run('sudo -n true', 'sudo -n true', undefined, { timeoutMs: 10_000 });
      this.sudoNeedsPassword = probe.code !== 0;
    }
    if (!this.sudoNeedsPassword) return { command: `sudo -n -- ${asRoot}` };
    const secretKey =
      typeof sudo === 'object'
        ? sudo.passwordSecret
        : (this.node.sudoPasswordSecret ?? this.node.passwordSecret);
    const password = secretKey ? await this.deps.secrets.get(secretKey) : undefined;
    if (password === undefined) {
      throw this.error(
        'sudo',
        `sudo on ${this.where()} needs a password and none is stored` +
          (secretKey ? ` (secret "${secretKey}")` : '') +
          '.',
      );
    }
    this.deps.masker.register(password);
    // -k: always read the password, so it never lands on the command's own stdin; -p '': no prompt text.
    return { command: `sudo -k -S -p '' -- ${asRoot}`, stdinPrefix: password + '\n' };
  }

  private run(
    shownCommand: string,
    inner: string,
    stdinPrefix: string | undefined,
    options: ExecOptions,
    asRoot = false,
  ): Promise<ExecResult> {
    const client = this.requireClient();
    const mask = (s: string) => this.deps.masker.mask(s);
    // The login shell prints its PID (sshd made it a session and process-group leader), then becomes the
    // command; cancelling kills that whole group.
    const wire = `printf '%s\\n' "$$"; exec ${inner}`;
    this.log(`$ ${shownCommand}`);
    return new Promise<ExecResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let pidLine = '';
      let pid: number | undefined;
      let onPid: () => void = () => undefined;
      const pidArrived = new Promise<void>((resolve) => (onPid = resolve));
      let settled = false;
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let sawExit = false;
      let channel: ClientChannel | undefined;
      let timer: NodeJS.Timeout | undefined;
      // Credentials must not depend on the masker knowing them yet: secret output is never logged at all.
      const logOutput = !options.secretOutput;
      const outLines = lineSplitter((line) => {
        if (logOutput) this.log(`out: ${line}`);
        options.onStdoutLine?.(mask(line));
      });
      const errLines = lineSplitter((line) => {
        if (logOutput) this.log(`err: ${line}`);
        options.onStderrLine?.(mask(line));
      });
      /** What an error may carry of the output so far. */
      const partialOutput = () => (logOutput ? { stdout, stderr } : { stdout: '', stderr: '' });
      const describeOutput = () =>
        logOutput ? outputSoFar({ stdout, stderr }) : ' (output withheld: it holds credentials)';
      const outDecoder = new StringDecoder('utf8');
      const errDecoder = new StringDecoder('utf8');

      const finish = (err: RemoteError | undefined, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.openChannels.delete(onLost);
        outLines.flush();
        errLines.flush();
        if (err) {
          this.log(err.message);
          reject(err);
        } else resolve(result!);
      };
      let stopping = false;
      const killAndFail = (kind: 'timeout' | 'cancelled', message: string) => {
        if (stopping || settled) return;
        // From here the channel's own close must not settle the call: the kill below does, once done.
        stopping = true;
        const partial = partialOutput();
        const shown = describeOutput();
        const fail = () => {
          finish(this.error(kind, message + shown, partial));
          channel?.close();
        };
        // The PID line may still be in flight when the abort comes: wait for it briefly.
        const pidKnown = pid !== undefined ? Promise.resolve() : Promise.race([pidArrived, delay(5_000)]);
        void pidKnown.then(() => this.killGroup(pid, asRoot, stdinPrefix)).then(fail, fail);
      };
      const onAbort = () => killAndFail('cancelled', `Cancelled on ${this.where()}: ${shownCommand}`);
      const onLost = () =>
        finish(
          this.error(
            'connectionLost',
            `The connection to ${this.where()} was lost while running: ${shownCommand}` + describeOutput(),
            partialOutput(),
          ),
        );

      if (options.signal?.aborted) {
        reject(this.error('cancelled', `Cancelled before start on ${this.where()}: ${shownCommand}`));
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.openChannels.add(onLost);
      if (options.timeoutMs !== undefined) {
        const ms = options.timeoutMs;
        timer = setTimeout(
          () => killAndFail('timeout', `Timed out after ${ms} ms on ${this.where()}: ${shownCommand}`),
          ms,
        );
      }

      client.exec(wire, (err, ch) => {
        if (err) {
          finish(this.error('connectionLost', `Cannot start a command on ${this.where()}: ${err.message}`));
          return;
        }
        if (settled) {
          ch.close();
          return;
        }
        channel = ch;
        ch.on('data', (chunk: Buffer) => {
          let text = outDecoder.write(chunk);
          if (pid === undefined) {
            pidLine += text;
            const nl = pidLine.indexOf('\n');
            if (nl < 0) return;
            pid = Number(pidLine.slice(0, nl));
            onPid();
            text = pidLine.slice(nl + 1);
          }
          stdout += text;
          outLines.push(text);
        });
        ch.stderr.on('data', (chunk: Buffer) => {
          const text = errDecoder.write(chunk);
          stderr += text;
          errLines.push(text);
        });
        ch.on('exit', (code: number | null, signal?: string) => {
          sawExit = true;
          exitCode = code;
          exitSignal = signal ?? null;
        });
        ch.on('close', () => {
          onPid();
          if (settled || stopping) return;
          const tail = outDecoder.end();
          stdout += tail;
          outLines.push(tail);
          const errTail = errDecoder.end();
          stderr += errTail;
          errLines.push(errTail);
          if (!sawExit) {
            onLost();
            return;
          }
          this.log(
            `exit ${exitCode ?? exitSignal}` +
              (logOutput ? '' : ` (output withheld from the log: ${stdout.length + stderr.length} chars)`),
          );
          finish(undefined, { code: exitCode, signal: exitSignal, stdout, stderr });
        });
        if (stdinPrefix !== undefined) ch.write(stdinPrefix);
        if (options.stdin !== undefined) ch.write(options.stdin);
        ch.end();
      });
    });
  }

  /** Kills the remote process group: SIGTERM, then SIGKILL if it is still there after a short grace. */
  private async killGroup(pid: number | undefined, asRoot: boolean, stdinPrefix?: string): Promise<void> {
    if (pid === undefined || !Number.isInteger(pid) || pid <= 1 || !this.alive) return;
    const g = `-${pid}`;
    const script =
      // `kill -s SIG -- -PGID` is the form both dash and bash accept for a process group.
      `kill -s TERM -- ${g} 2>/dev/null || exit 0; i=0; while [ $i -lt ${KILL_GRACE_STEPS} ]; do ` +
      `kill -s 0 -- ${g} 2>/dev/null || exit 0; sleep 0.1; i=$((i+1)); done; kill -s KILL -- ${g} 2>/dev/null; exit 0`;
    const wrapped = asRoot
      ? stdinPrefix !== undefined
        ? `sudo -k -S -p '' -- sh -c ${shellQuote(script)}`
        : `sudo -n -- sh -c ${shellQuote(script)}`
      : `sh -c ${shellQuote(script)}`;
    try {
      await this.run(`kill process group ${pid}`, wrapped, stdinPrefix, { timeoutMs: 5_000 });
    } catch (err) {
      this.log(`could not kill process group ${pid}: ${(err as Error).message}`);
    }
  }

  /** An SFTP channel (closed by the caller with end()). */
  sftp(): Promise<SFTPWrapper> {
    const client = this.requireClient();
    return new Promise((resolve, reject) =>
      client.sftp((err, sftp) =>
        err
          ? reject(this.error('sftp', `SFTP unavailable on ${this.where()}: ${err.message}`))
          : resolve(sftp),
      ),
    );
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    const sftp = await this.sftp();
    try {
      await new Promise<void>((resolve, reject) =>
        sftp.fastGet(remotePath, localPath, (err) =>
          err
            ? reject(
                this.error('sftp', `Download of ${remotePath} from ${this.where()} failed: ${err.message}`),
              )
            : resolve(),
        ),
      );
    } finally {
      sftp.end();
    }
  }

  async upload(source: string | Buffer, remotePath: string, mode = 0o600): Promise<void> {
    const sftp = await this.sftp();
    try {
      await new Promise<void>((resolve, reject) => {
        const done = (err: Error | null | undefined) =>
          err
            ? reject(this.error('sftp', `Upload to ${remotePath} on ${this.where()} failed: ${err.message}`))
            : resolve();
        if (typeof source === 'string') sftp.fastPut(source, remotePath, { mode }, done);
        else sftp.writeFile(remotePath, source, { mode }, done);
      });
    } finally {
      sftp.end();
    }
  }

  /** An interactive login shell on a pty, for a terminal. */
  shell(size: { cols: number; rows: number; term?: string } = { cols: 80, rows: 24 }): Promise<ShellChannel> {
    const client = this.requireClient();
    return new Promise((resolve, reject) => {
      client.shell(
        { term: size.term ?? 'xterm-256color', cols: size.cols, rows: size.rows },
        (err, stream) => {
          if (err)
            return reject(
              this.error('connectionLost', `Cannot open a shell on ${this.where()}: ${err.message}`),
            );
          this.busy++;
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            this.busy--;
            this.lastUsed = Date.now();
          };
          stream.on('close', release);
          resolve({
            stream,
            resize: (cols, rows) => stream.setWindow(rows, cols, 0, 0),
            close: () => {
              stream.close();
              release();
            },
          });
        },
      );
    });
  }

  close(): void {
    if (!this.client) return;
    this.client.end();
    this.markClosed();
  }
}

export type { ShellChannel };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function firstKey(parsed: ParsedKey | ParsedKey[]): ParsedKey {
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

function expandHome(file: string, home: string): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return file;
}

/** Known key types first, so a host on record is asked for the key we can check. */
export function preferredHostKeyAlgorithms(knownKeyTypes: string[]): string[] {
  const first: string[] = [];
  for (const type of knownKeyTypes) {
    const algorithms = type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
    for (const a of algorithms)
      if (DEFAULT_HOST_KEY_ALGORITHMS.includes(a) && !first.includes(a)) first.push(a);
  }
  return [...first, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a))];
}

function outputSoFar(partial: { stdout: string; stderr: string }): string {
  const tail = (s: string) => (s.length > 2000 ? '…' + s.slice(-2000) : s);
  if (!partial.stdout && !partial.stderr) return ' (no output)';
  return (
    (partial.stdout ? `\n--- stdout so far ---\n${tail(partial.stdout)}` : '') +
    (partial.stderr ? `\n--- stderr so far ---\n${tail(partial.stderr)}` : '')
  );
}

function lineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let pending = '';
  return {
    push(text) {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl).replace(/\r$/, ''));
        pending = pending.slice(nl + 1);
      }
    },
    flush() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

/** ssh2's own handshake timeout, effectively off: PausableTimer does the job (ssh2 treats 0 as its default). */
const HANDSHAKE_TIMEOUT_DISABLED_MS = 2_147_483_647;

/** A one-shot timer whose running time excludes the spans between pause() and resume(). */
class PausableTimer {
  private remainingMs: number;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private onExpire: (() => void) | undefined;
  private stopped = false;

  constructor(totalMs: number) {
    this.remainingMs = totalMs;
  }

  start(onExpire: () => void): void {
    this.onExpire = onExpire;
    this.resume();
  }

  pause(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.remainingMs -= performance.now() - this.startedAt;
  }

  resume(): void {
    if (this.stopped || this.timer || !this.onExpire) return;
    const onExpire = this.onExpire;
    this.startedAt = performance.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.stopped = true;
        onExpire();
      },
      Math.max(0, this.remainingMs),
    );
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
