// NodeRunner over the SSH layer: one pooled connection per node, sudo and cancellation handled there.
import type { SshPool } from '../../remote';
// The leaf module, not the index: the wizards import this file at activation, and the index loads ssh2.
import { remoteNodeOf } from '../../remote/node';
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import type { NodeCommand, NodeExecOptions, NodeExecResult, NodeRunner } from '../ports';

export { remoteNodeOf };

/** Commands whose output is a credential: it must never reach the SSH layer's log. */
function printsCredentials(command: NodeCommand): boolean {
  return 'argv' in command && command.argv[0] === 'microk8s' && command.argv[1] === 'config';
}

/** The secret-storage key of a cluster's sudo password (asked for once by the wizard). */
export function sudoPasswordSecretKey(model: ClusterModel): string {
  return `gatewayCluster.sudoPassword.${model.name}`;
}

export class SshNodeRunner implements NodeRunner {
  constructor(
    private readonly pool: SshPool,
    private readonly sudoPasswordSecret?: string,
  ) {}

  async exec(node: NodeModel, command: NodeCommand, options: NodeExecOptions): Promise<NodeExecResult> {
    const result = await this.pool.exec(
      remoteNodeOf(node, this.sudoPasswordSecret),
      'argv' in command ? command.argv : command,
      {
        stdin: options.stdin,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        sudo: options.sudo,
        onStdoutLine: options.onLine && ((line) => options.onLine!(line, 'stdout')),
        onStderrLine: options.onLine && ((line) => options.onLine!(line, 'stderr')),
        secretOutput: printsCredentials(command),
      },
    );
    return { code: result.code, stdout: result.stdout, stderr: result.stderr };
  }
}
