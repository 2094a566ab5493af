// The operations' FileTransfer over the cluster's SSH pool (SFTP on the node's connection). Local paths are
// the spec's: `~` is the home folder and a relative path is relative to the spec file, as for identityFile.
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { NodeModel } from '../cluster-spec/types';
import type { FileTransfer } from '../ops';
import type { SshAccess } from '../remote';
import { remoteNodeOf } from '../remote/node';
import { SUDO_PASSWORD_REF } from './secrets';

export function localPathOf(file: string, specPath: string, home = homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return path.isAbsolute(file) ? file : path.join(path.dirname(specPath), file);
}

export class SshFileTransfer implements FileTransfer {
  constructor(
    private readonly pool: () => SshAccess,
    private readonly specPath: () => string,
    private readonly home?: string,
  ) {}

  async upload(
    node: NodeModel,
    localPath: string,
    remotePath: string,
    options: { mode: number; signal: AbortSignal; timeoutMs: number },
  ): Promise<void> {
    const local = localPathOf(localPath, this.specPath(), this.home);
    const transfer = this.pool().upload(
      remoteNodeOf(node, SUDO_PASSWORD_REF),
      local,
      remotePath,
      options.mode,
    );
    // SFTP has no cancel of its own here: the run stops waiting (and the step ends) when it is cancelled.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The upload to ${node.hostname} took longer than ${options.timeoutMs} ms.`)),
        options.timeoutMs,
      );
      const abort = () => reject(new Error('cancelled'));
      options.signal.addEventListener('abort', abort, { once: true });
      transfer.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', abort);
      });
    });
  }
}
