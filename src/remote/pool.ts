// One reusable SSH session per node, opened on demand and closed when idle.
import { SshSession } from './session';
import type { SessionDeps, ShellChannel } from './session';
import type { ExecOptions, ExecResult, RemoteCommand, RemoteNode } from './types';

export interface PoolOptions {
  /** Close a session nobody has used for this long (default 60 s). */
  idleMs?: number;
}

export class SshPool {
  private readonly sessions = new Map<string, Promise<SshSession>>();
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly deps: SessionDeps,
    options: PoolOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(50, Math.min(this.idleMs / 2, 10_000)));
    this.sweeper.unref();
  }

  private keyOf(node: RemoteNode): string {
    return `${node.user ?? ''}@${node.address}:${node.port ?? 22}/${node.identityFile ?? ''}`;
  }

  /** The node's live session, connecting (once, even for concurrent callers) when there is none. */
  session(node: RemoteNode): Promise<SshSession> {
    const key = this.keyOf(node);
    const existing = this.sessions.get(key);
    if (existing) {
      return existing.then(
        (s) => (s.alive ? s : this.replace(key, node)),
        () => this.replace(key, node),
      );
    }
    return this.replace(key, node);
  }

  private replace(key: string, node: RemoteNode): Promise<SshSession> {
    const current = this.sessions.get(key);
    const opening = (async () => {
      const old = await current?.catch(() => undefined);
      if (old?.alive) return old;
      const session = new SshSession(node, this.deps);
      await session.connect();
      session.onClose(() => {
        if (this.sessions.get(key) === opening) this.sessions.delete(key);
      });
      return session;
    })();
    this.sessions.set(key, opening);
    opening.catch(() => {
      if (this.sessions.get(key) === opening) this.sessions.delete(key);
    });
    return opening;
  }

  async exec(node: RemoteNode, command: RemoteCommand, options?: ExecOptions): Promise<ExecResult> {
    const session = await this.session(node);
    return session.exec(command, options);
  }

  async download(node: RemoteNode, remotePath: string, localPath: string): Promise<void> {
    return (await this.session(node)).download(remotePath, localPath);
  }

  async upload(node: RemoteNode, source: string | Buffer, remotePath: string, mode?: number): Promise<void> {
    return (await this.session(node)).upload(source, remotePath, mode);
  }

  async openShell(
    node: RemoteNode,
    size?: { cols: number; rows: number; term?: string },
  ): Promise<ShellChannel> {
    return (await this.session(node)).shell(size);
  }

  /** Closes sessions that have been idle longer than idleMs. */
  closeIdle(now = Date.now()): void {
    for (const [key, opening] of this.sessions) {
      opening.then(
        (s) => {
          if (s.busy === 0 && now - s.lastUsed >= this.idleMs && this.sessions.get(key) === opening) {
            this.sessions.delete(key);
            s.close();
          }
        },
        () => undefined,
      );
    }
  }

  /** Number of sessions open or opening. */
  get size(): number {
    return this.sessions.size;
  }

  /** Closes every session; the pool can still open new ones afterwards. */
  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(
      all.map((p) =>
        p.then(
          (s) => s.close(),
          () => undefined,
        ),
      ),
    );
  }

  /** Closes every session and stops the idle sweeper. */
  async dispose(): Promise<void> {
    clearInterval(this.sweeper);
    await this.closeAll();
  }
}
