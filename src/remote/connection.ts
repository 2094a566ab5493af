// One SSH connection to one node: connect (host-key trust, authentication) and close; runs commands, SFTP
// transfers and shells over it, each done by its own module.
import * as net from 'node:net';
import { Client } from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { authAttempts } from './auth';
import type { RemoteError } from './errors';
import { RemoteExec } from './exec';
import type { ExecHost, ExecRequest } from './exec';
import { preferredHostKeyAlgorithms, verifyHostKey } from './host-key';
import { killablePid, killGroupCommand } from './kill';
import { joinArgv, shellQuote } from './quote';
import { NodeScope } from './scope';
import { download, openSftp, upload, type DownloadOptions } from './sftp';
import type { Fetched } from './sftp-fetch';
import { openShell } from './shell';
import type { ShellChannel, ShellSize } from './shell';
import { Sudo } from './sudo';
import type {
  ConnectionDeps,
  ExecOptions,
  ExecResult,
  RemoteCommand,
  RemoteNode,
  RemotePrompts,
} from './types';
import { PausableTimer, realClock } from '../timing';
import type { Clock } from '../timing';

/** ssh2's own handshake timeout, effectively off: our PausableTimer does the job (ssh2 treats 0 as default). */
const HANDSHAKE_TIMEOUT_DISABLED_MS = 2_147_483_647;

export class SshConnection {
  private client: Client | undefined;
  private closed = false;
  private readonly openRuns = new Set<() => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly scope: NodeScope;
  private readonly clock: Clock;
  private readonly sudo: Sudo;
  private readonly execHost: ExecHost;
  /** How many callers use the connection right now (the pool closes idle ones). */
  busy = 0;
  /** When it was last used, on `clock`. */
  lastUsed: number;
  /** Milliseconds spent connecting (TCP + handshake + auth). */
  connectMs = 0;
  /** Whether TCP_NODELAY was set on the socket (measured in tests and benchmarks). */
  noDelay = false;

  constructor(
    readonly node: RemoteNode,
    private readonly deps: ConnectionDeps,
    /** Who answers for an unknown host key (the pool passes its run's shared answers); default the prompts. */
    private readonly hostKeys: Pick<RemotePrompts, 'confirmHostKey'> = deps.prompts,
  ) {
    this.scope = new NodeScope(node, deps.masker, deps.log);
    this.clock = deps.clock ?? realClock;
    this.lastUsed = this.clock.now();
    this.execHost = {
      scope: this.scope,
      clock: this.clock,
      track: (onLost) => {
        this.openRuns.add(onLost);
        return () => void this.openRuns.delete(onLost);
      },
      killGroup: (pid, asRoot, stdinPrefix) => this.killGroup(pid, asRoot, stdinPrefix),
    };
    this.sudo = new Sudo(this.scope, deps.secrets, () =>
      this.run({
        shown: 'sudo -n true',
        inner: 'sudo -n true',
        options: { timeoutMs: 10_000 },
        asRoot: false,
      }),
    );
  }

  get port(): number {
    return this.scope.port;
  }

  get user(): string {
    return this.scope.user;
  }

  get alive(): boolean {
    return this.client !== undefined && !this.closed;
  }

  onClose(listener: () => void): void {
    this.closeListeners.add(listener);
  }

  private get timeoutMs(): number {
    return this.deps.connectTimeoutMs ?? 10_000;
  }

  async connect(): Promise<void> {
    const started = performance.now();
    const { scope } = this;
    const { knownHosts } = this.deps;
    const prompts = this.hostKeys;
    if (scope.userProblem) throw scope.error('auth', scope.userProblem);
    const known = await knownHosts.lookup(this.node.address, this.port);
    const sock = await this.openSocket();
    sock.setNoDelay(true);
    // ssh2 only sees an already connected socket, so Nagle is off from the first packet.
    this.noDelay = true;
    let hostKeyFailure: RemoteError | undefined;
    let linkDown = false;
    const triedMethods: string[] = [];
    // Our own handshake timer, paused while the user answers a prompt (a host key's fingerprint, a key's
    // passphrase): ssh2's readyTimeout would count that time too and fail a user who reads carefully.
    const handshake = new PausableTimer(this.timeoutMs, this.clock);
    const auth = authAttempts(
      { ...this.deps, scope, whilePrompting: (prompt) => handshake.pausedWhile(prompt) },
      triedMethods,
    );
    const client = new Client();
    const config: ConnectConfig = {
      sock,
      username: this.user,
      readyTimeout: HANDSHAKE_TIMEOUT_DISABLED_MS,
      keepaliveInterval: this.deps.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(known.map((e) => e.keyType)) as never },
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        verifyHostKey(key, { scope, knownHosts, prompts, handshake, linkDown: () => linkDown }).then(
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
      const onError = (err: Error & { level?: string }) => {
        if (linkDown) return;
        linkDown = true;
        client.removeListener('ready', onReady);
        sock.destroy();
        if (hostKeyFailure) return reject(hostKeyFailure);
        if (err.level === 'client-authentication') {
          const methods = triedMethods.length ? triedMethods.join(', ') : 'none available';
          return reject(
            scope.error(
              'auth',
              `Authentication failed for ${scope.where()}; methods tried: ${methods}. ` +
                `Check the identity file or the password for this user.`,
            ),
          );
        }
        reject(scope.error('connect', `Cannot connect to ${scope.where()}: ${err.message}`));
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
        onError(new Error(`Timed out while waiting for handshake (${this.timeoutMs} ms)`));
        client.end();
      });
      client.connect(config);
    }).finally(() => handshake.stop());
    this.client = client;
    this.connectMs = performance.now() - started;
    scope.log(`connected in ${this.connectMs.toFixed(0)} ms`);
    client.on('error', (err) => scope.log(`connection error: ${err.message}`));
    client.on('close', () => this.markClosed());
  }

  private openSocket(): Promise<net.Socket> {
    const { scope, clock, timeoutMs } = this;
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: this.node.address, port: this.port });
      const timer = clock.setTimeout(() => {
        sock.destroy();
        reject(
          scope.error('connect', `Cannot connect to ${scope.where()}: no answer within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      sock.once('connect', () => {
        clock.clearTimeout(timer);
        sock.removeAllListeners('error');
        resolve(sock);
      });
      sock.once('error', (err) => {
        clock.clearTimeout(timer);
        reject(scope.error('connect', `Cannot connect to ${scope.where()}: ${err.message}`));
      });
    });
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const onLost of [...this.openRuns]) onLost();
    for (const listener of this.closeListeners) listener();
  }

  private requireClient(): Client {
    if (!this.client || this.closed) {
      throw this.scope.error('connectionLost', `The connection to ${this.scope.where()} is closed.`);
    }
    return this.client;
  }

  /** Marks the connection in use until the returned function is called. */
  private use(): () => void {
    this.busy++;
    this.lastUsed = this.clock.now();
    return () => {
      this.busy--;
      this.lastUsed = this.clock.now();
    };
  }

  /** Runs a command; see ExecOptions. Rejects with RemoteError on timeout, cancellation or a lost link. */
  async exec(command: RemoteCommand, options: ExecOptions = {}): Promise<ExecResult> {
    const commandText = 'script' in command ? command.script : joinArgv(command);
    let inner = 'script' in command ? `sh -c ${shellQuote(command.script)}` : commandText;
    let stdinPrefix: string | undefined;
    if (options.sudo) {
      const wrapped = await this.sudo.wrap(commandText, options.sudo);
      inner = wrapped.command;
      stdinPrefix = wrapped.stdinPrefix;
    }
    const done = this.use();
    try {
      return await this.run({
        shown: commandText,
        inner,
        stdinPrefix,
        options,
        asRoot: Boolean(options.sudo),
      });
    } finally {
      done();
    }
  }

  private run(request: ExecRequest): Promise<ExecResult> {
    const client = this.requireClient();
    return new RemoteExec(client, this.execHost, request).run();
  }

  /** Kills the remote process group: SIGTERM, then SIGKILL if it is still there after a short grace. */
  private async killGroup(pid: number | undefined, asRoot: boolean, stdinPrefix?: string): Promise<void> {
    if (!killablePid(pid) || !this.alive) return;
    const inner = killGroupCommand(pid, asRoot, stdinPrefix !== undefined);
    try {
      await this.run({
        shown: `kill process group ${pid}`,
        inner,
        stdinPrefix,
        options: { timeoutMs: 5_000 },
        asRoot: false,
      });
    } catch (err) {
      this.scope.log(`could not kill process group ${pid}: ${(err as Error).message}`);
    }
  }

  /** An SFTP channel (closed by the caller with end()). */
  sftp(): ReturnType<typeof openSftp> {
    return openSftp(this.requireClient(), this.scope);
  }

  async download(remotePath: string, localPath: string, options?: DownloadOptions): Promise<Fetched> {
    // Busy while it runs: the pool must not close a connection mid-transfer as idle.
    const done = this.use();
    try {
      return await download(this.requireClient(), this.scope, remotePath, localPath, options);
    } finally {
      done();
    }
  }

  async upload(source: string | Buffer, remotePath: string, mode = 0o600): Promise<void> {
    return upload(this.requireClient(), this.scope, source, remotePath, mode);
  }

  /** An interactive login shell on a pty, for a terminal. */
  async shell(size: ShellSize = { cols: 80, rows: 24 }): Promise<ShellChannel> {
    return openShell(this.requireClient(), this.scope, size, () => this.use());
  }

  close(): void {
    if (!this.client) return;
    this.client.end();
    this.markClosed();
  }
}
