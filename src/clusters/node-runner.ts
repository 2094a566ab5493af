// The operations' NodeRunner over the cluster's SSH pool: one reused connection per node; sudo, cancel and
// masking are handled by the SSH layer.
import type { NodeModel } from '../cluster-spec/types';
import type { NodeCommand, NodeExecOptions, NodeExecResult, NodeRunner } from '../ops';
import type { SshAccess } from '../remote';
import { remoteNodeOf } from '../remote/node';
import { SUDO_PASSWORD_REF } from './secrets';

/** Commands whose output is a credential: it must never reach the SSH layer's log. */
function printsCredentials(command: NodeCommand): boolean {
  return 'argv' in command && command.argv[0] === 'microk8s' && command.argv[1] === 'config';
}

export class SshNodeRunner implements NodeRunner {
  constructor(private readonly pool: () => SshAccess) {}

  async exec(node: NodeModel, command: NodeCommand, options: NodeExecOptions): Promise<NodeExecResult> {
    const result = await this.pool().exec(
      remoteNodeOf(node, SUDO_PASSWORD_REF),
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
