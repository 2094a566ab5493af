// What every part of one connection needs to speak about its node: where it is, masked log lines and errors.
import { RemoteError } from './errors';
import type { RemoteErrorKind } from './errors';
import type { Masker } from './masker';
import { defaultUser, thisWorkstation } from './platform';
import type { LogSink, RemoteNode } from './types';

export class NodeScope {
  constructor(
    readonly node: RemoteNode,
    readonly masker: Masker,
    private readonly sink?: LogSink,
  ) {}

  get port(): number {
    return this.node.port ?? 22;
  }

  /** The login user: the spec's, or the local account's name where a VM can have it (as OpenSSH). */
  get user(): string {
    return this.node.user ?? this.defaultUser().user;
  }

  /** Why no user can be chosen (no ssh.user and a local name a VM cannot have), or undefined. */
  get userProblem(): string | undefined {
    return this.node.user ? undefined : this.defaultUser().problem;
  }

  private defaultUser(): { user: string; problem?: string } {
    const workstation = thisWorkstation();
    try {
      return { user: defaultUser(workstation) };
    } catch (error) {
      return { user: workstation.username, problem: (error as Error).message };
    }
  }

  /** `node NAME (user@address:port)`, for messages. */
  where(): string {
    return `node ${this.node.name} (${this.user}@${this.node.address}:${this.port})`;
  }

  mask(text: string): string {
    return this.masker.mask(text);
  }

  log(line: string): void {
    this.sink?.(this.mask(`[ssh ${this.node.name}] ${line}`));
  }

  /** A RemoteError naming the node, with message and output masked. */
  error(kind: RemoteErrorKind, message: string, partial?: { stdout: string; stderr: string }): RemoteError {
    return new RemoteError(
      kind,
      this.node.name,
      this.node.address,
      this.mask(message),
      partial && { stdout: this.mask(partial.stdout), stderr: this.mask(partial.stderr) },
    );
  }
}
