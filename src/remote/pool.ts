// One reusable SSH connection per node, opened on demand and closed when idle.
import { SshConnection } from './connection';
import type { ShellChannel, ShellSize } from './shell';
import type { DownloadOptions } from './sftp';
import type { Fetched } from './sftp-fetch';
import type { ConnectionDeps, ExecOptions, ExecResult, RemoteCommand, RemoteNode } from './types';
import { realClock } from '../timing';

export interface PoolOptions {
  /** Close a connection nobody has used for this long (default 60 s). */
  idleMs?: number;
}

export class SshPool {
  private readonly connections = new Map<string, Promise<SshConnection>>();
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly deps: ConnectionDeps,
    options: PoolOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(50, Math.min(this.idleMs / 2, 10_000)));
    this.sweeper.unref();
  }

  private keyOf(node: RemoteNode): string {
    return `${node.user ?? ''}@${node.address}:${node.port ?? 22}/${node.identityFile ?? ''}`;
  }

  /** The node's live connection, connecting (once, even for concurrent callers) when there is none. */
  connection(node: RemoteNode): Promise<SshConnection> {
    const key = this.keyOf(node);
    const existing = this.connections.get(key);
    if (existing) {
      return existing.then(
        (s) => (s.alive ? s : this.replace(key, node)),
        () => this.replace(key, node),
      );
    }
    return this.replace(key, node);
  }

  private replace(key: string, node: RemoteNode): Promise<SshConnection> {
    const current = this.connections.get(key);
    const opening = (async () => {
      const old = await current?.catch(() => undefined);
      if (old?.alive) return old;
      const connection = new SshConnection(node, this.deps);
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
