// One SFTP upload inside a run: recorded in the transcript and streamed like a command
// (`sftp put LOCAL HOST:REMOTE (mode 0644)`), stopped by the run's cancel, a failure named with its node.
import type { NodeModel } from '../../cluster-spec/types';
import { StepFailure } from '../errors';
import type { FileTransfer } from '../ports';
import { CancelledError } from './deps';
import { startCommandEntry, type NodeExecScope } from './node-exec';

/** How the transcript and the dry run show an upload. */
export function showUpload(node: NodeModel, localPath: string, remotePath: string, mode: number): string {
  return `sftp put ${localPath} ${node.hostname}:${remotePath} (mode ${mode.toString(8).padStart(4, '0')})`;
}

export async function uploadToNode(
  scope: NodeExecScope & { files?: FileTransfer },
  stepId: string,
  node: NodeModel,
  localPath: string,
  remotePath: string,
  mode: number,
): Promise<void> {
  const { masker, clock, signal } = scope;
  if (signal.aborted) throw new CancelledError();
  const shown = masker.mask(showUpload(node, localPath, remotePath, mode));
  const entry = startCommandEntry(scope, stepId, node, shown, { sudo: false });
  const started = clock.monotonic();
  if (!scope.files) {
    entry.error = 'no file transfer';
    throw new StepFailure(
      'This host cannot copy files to the nodes.',
      'Run the operation from the editor or the gateway-cluster CLI.',
      { node: node.hostname, command: shown },
    );
  }
  try {
    await scope.files.upload(node, localPath, remotePath, {
      mode,
      signal,
      timeoutMs: scope.timeouts.long,
    });
    entry.exitCode = 0;
  } catch (err) {
    if (signal.aborted) {
      entry.error = 'cancelled';
      throw new CancelledError();
    }
    const message = masker.mask(err instanceof Error ? err.message : String(err));
    entry.error = message;
    throw new StepFailure(
      message,
      `Check that ${localPath} is readable here and that ${node.hostname} has room for it, then resume.`,
      { node: node.hostname, command: shown },
    );
  } finally {
    entry.durationMs = clock.monotonic() - started;
  }
}
