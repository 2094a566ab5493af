// What every part of one connection needs to speak about its node: where it is, masked log lines and errors.
import * as os from 'node:os';
import { RemoteError } from './errors';
import type { RemoteErrorKind } from './errors';
import type { Masker } from './masker';
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

  get user(): string {
    return this.node.user ?? os.userInfo().username;
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
