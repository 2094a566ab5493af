// One reusable SSH connection per node, opened on demand and closed when idle; a run's view of the pool
// (forRun) asks about each unknown host key once for the whole run.
import { SshConnection } from './connection';
import { HostKeyAnswers } from './host-key-answers';
import type { ShellChannel, ShellSize } from './shell';
import type { DownloadOptions } from './sftp';
import type { Fetched } from './sftp-fetch';
import type { ConnectionDeps, ExecOptions, ExecResult, RemoteCommand, RemoteNode } from './types';
import { realClock } from '../timing';

export interface PoolOptions {
  /** Close a connection nobody has used for this long (default 60 s). */
  idleMs?: number;
}

/** What the pool's users call: the pool itself, or one run's view of it (SshPool.forRun). */
export interface SshAccess {
  readonly deps: ConnectionDeps;
  /** The node's live connection, connecting (once, even for concurrent callers) when there is none. */
  connection(node: RemoteNode): Promise<SshConnection>;
  exec(node: RemoteNode, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult>;
  download(
    node: RemoteNode,
    remotePath: string,
    localPath: string,
    options?: DownloadOptions,
  ): Promise<Fetched>;
  upload(node: RemoteNode, source: string | Buffer, remotePath: string, mode?: number): Promise<void>;
  openShell(node: RemoteNode, size?: ShellSize): Promise<ShellChannel>;
  /** Closes every connection of the pool. */
  closeAll(): Promise<void>;
}

/** The calls made over a node's connection, whoever provides it. */
abstract class OverConnections implements SshAccess {
  abstract readonly deps: ConnectionDeps;
  abstract connection(node: RemoteNode): Promise<SshConnection>;
  abstract closeAll(): Promise<void>;

  async exec(node: RemoteNode, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult> {
    const connection = await this.connection(node);
    return connection.exec(command, options);
  }

  async download(
    node: RemoteNode,
    remotePath: string,
    localPath: string,
    options?: DownloadOptions,
  ): Promise<Fetched> {
    return (await this.connection(node)).download(remotePath, localPath, options);
  }

  async upload(node: RemoteNode, source: string | Buffer, remotePath: string, mode?: number): Promise<void> {
    return (await this.connection(node)).upload(source, remotePath, mode);
  }

  async openShell(node: RemoteNode, size?: ShellSize): Promise<ShellChannel> {
    return (await this.connection(node)).shell(size);
  }
}

export class SshPool extends OverConnections {
  private readonly connections = new Map<string, Promise<SshConnection>>();
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  /** Concurrent questions about the same key share one answer, whichever run or view asked. */
  private readonly hostKeys: HostKeyAnswers;

  constructor(
    readonly deps: ConnectionDeps,
    options: PoolOptions = {},
  ) {
    super();
    this.hostKeys = new HostKeyAnswers((question) => deps.prompts.confirmHostKey(question), false);
    this.idleMs = options.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(50, Math.min(this.idleMs / 2, 10_000)));
    this.sweeper.unref();
  }

  private keyOf(node: RemoteNode): string {
    return `${node.user ?? ''}@${node.address}:${node.port ?? 22}/${node.identityFile ?? ''}`;
  }

  /**
   * One run's view of the pool: the same connections, but each unknown host key is asked about once for the
   * whole run — a declined key is refused to every later connection of the run without asking again, a
   * trusted one is trusted by all. The next run asks again.
   */
  forRun(): SshAccess {
    return new RunView(this, new HostKeyAnswers((question) => this.hostKeys.confirmHostKey(question), true));
  }

  /** The node's live connection; `hostKeys` answers for an unknown host key (a run's view passes its own). */
  connection(node: RemoteNode, hostKeys: HostKeyAnswers = this.hostKeys): Promise<SshConnection> {
    const key = this.keyOf(node);
    const existing = this.connections.get(key);
    if (existing) {
      return existing.then(
        (s) => (s.alive ? s : this.replace(key, node, hostKeys)),
        () => this.replace(key, node, hostKeys),
      );
    }
    return this.replace(key, node, hostKeys);
  }

  private replace(key: string, node: RemoteNode, hostKeys: HostKeyAnswers): Promise<SshConnection> {
    const current = this.connections.get(key);
    const opening = (async () => {
      const old = await current?.catch(() => undefined);
      if (old?.alive) return old;
      const connection = new SshConnection(node, this.deps, hostKeys);
      await connection.connect();
      connection.onClose(() => {
        if (this.connections.get(key) === opening) this.connections.delete(key);
      });
      return connection;
    })();
    this.connections.set(key, opening);
    opening.catch(() => {
      if (this.connections.get(key) === opening) this.connections.delete(key);
    });
    return opening;
  }

  /** Closes connections that have been idle longer than idleMs (`now` on the deps' clock). */
  closeIdle(now = (this.deps.clock ?? realClock).now()): void {
    for (const [key, opening] of this.connections) {
      opening.then(
        (s) => {
          if (s.busy === 0 && now - s.lastUsed >= this.idleMs && this.connections.get(key) === opening) {
            this.connections.delete(key);
            s.close();
          }
        },
        () => undefined,
      );
    }
  }

  /** Number of connections open or opening. */
  get size(): number {
    return this.connections.size;
  }

  /** Closes every connection; the pool can still open new ones afterwards. */
  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (s) => s.close(),
          () => undefined,
        ),
      ),
    );
  }

  /** Closes every connection and stops the idle sweeper. */
  async dispose(): Promise<void> {
    clearInterval(this.sweeper);
    await this.closeAll();
  }
}

/** One run's view of a pool (SshPool.forRun): its connections answer unknown host keys with the run's answers. */
class RunView extends OverConnections {
  constructor(
    private readonly pool: SshPool,
    private readonly hostKeys: HostKeyAnswers,
  ) {
    super();
  }

  get deps(): ConnectionDeps {
    return this.pool.deps;
  }

  connection(node: RemoteNode): Promise<SshConnection> {
    return this.pool.connection(node, this.hostKeys);
  }

  closeAll(): Promise<void> {
    return this.pool.closeAll();
  }
}
