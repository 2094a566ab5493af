// One operation per cluster at a time, across wizards, tree actions and processes (the editor and the CLI on
// one machine): a lock file beside the spec that names its holder. A lock whose process is gone is taken over.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LockHolder {
  pid: number;
  host: string;
  /** The operation running, e.g. "join". */
  operation: string;
  /** Where it runs, e.g. "VS Code" or "the gateway-cluster CLI". */
  by: string;
  /** Epoch ms. */
  since: number;
  /** Tells this holder's file from a later one (release removes only its own). */
  token: string;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly holder: LockHolder,
    cluster: string,
  ) {
    super(
      `${holder.operation} is already running on cluster ${cluster} (started ${new Date(holder.since).toLocaleTimeString()} by ${holder.by}, process ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`}); wait for it to end or cancel it there.`,
    );
  }
}

export interface LockLease {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

/** How old an unreadable lock file must be before it counts as abandoned (a crash mid-write). */
const UNREADABLE_GRACE_MS = 10_000;

export class OperationLock {
  constructor(
    readonly file: string,
    private readonly cluster: string,
    private readonly by: string,
  ) {}

  /** Takes the lock for `operation`, or throws LockHeldError naming the running one. */
  async acquire(operation: string): Promise<LockLease> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const holder: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      operation,
      by: this.by,
      since: Date.now(),
      token: randomBytes(8).toString('hex'),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await fs.writeFile(this.file, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
        return { holder, release: () => this.release(holder.token) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const current = await this.holder();
      if (current && isAlive(current)) throw new LockHeldError(current, this.cluster);
      if (!current && !(await this.olderThan(UNREADABLE_GRACE_MS))) {
        throw new Error(`The lock ${this.file} is being written; try again in a moment.`);
      }
      // Its process is gone (or the file was left half-written): take it over.
      await fs.rm(this.file, { force: true });
    }
    throw new Error(`Could not take the lock ${this.file}.`);
  }

  /** Who holds the lock now (a holder whose process is gone still shows until it is taken over). */
  async holder(): Promise<LockHolder | undefined> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<LockHolder>;
      return typeof parsed.pid === 'number' && typeof parsed.operation === 'string'
        ? (parsed as LockHolder)
        : undefined;
    } catch {
      return undefined;
    }
  }

  private async release(token: string): Promise<void> {
    const current = await this.holder();
    if (current?.token === token) await fs.rm(this.file, { force: true });
  }

  private async olderThan(ms: number): Promise<boolean> {
    try {
      return Date.now() - (await fs.stat(this.file)).mtimeMs > ms;
    } catch {
      return true;
    }
  }
}

/** Whether the holder's process still runs (only checkable on this machine; elsewhere assume it does). */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
