// NodeRunner over the SSH layer: one pooled connection per node, sudo and cancellation handled there.
import type { SshPool } from '../../remote/pool';
import type { RemoteNode } from '../../remote/types';
import type { ClusterModel, NodeModel } from '../../spec/types';
import type { NodeCommand, NodeExecOptions, NodeExecResult, NodeRunner } from '../ports';

/** How a spec node is reached: its address and merged ssh block; the sudo password key is optional. */
export function remoteNodeOf(node: NodeModel, sudoPasswordSecret?: string): RemoteNode {
  return {
    name: node.hostname,
    address: node.address,
    port: node.ssh.port,
    user: node.ssh.user,
    identityFile: node.ssh.identityFile,
    passwordSecret: node.ssh.passwordSecret,
    sudoPasswordSecret,
  };
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
      },
    );
    return { code: result.code, stdout: result.stdout, stderr: result.stderr };
  }
}
