// File transfer over SFTP: one channel per transfer, closed when it ends.
import type { Client, SFTPWrapper } from 'ssh2';
import type { NodeScope } from './scope';

/** An SFTP channel (closed by the caller with end()). */
export function openSftp(client: Client, scope: NodeScope): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((err, sftp) =>
      err
        ? reject(scope.error('sftp', `SFTP unavailable on ${scope.where()}: ${err.message}`))
        : resolve(sftp),
    ),
  );
}

export interface DownloadOptions {
  /** Aborting closes the channel: the transfer stops and the promise rejects (kind 'cancelled'). */
  signal?: AbortSignal;
  /** Bytes transferred so far and the file's size, after each chunk. */
  onProgress?: (bytes: number, total: number) => void;
}

/** Downloads with ssh2's fastGet: up to 64 reads of 32 KiB in flight, as OpenSSH's sftp keeps 64 requests. */
export async function download(
  client: Client,
  scope: NodeScope,
  remotePath: string,
  localPath: string,
  options: DownloadOptions = {},
): Promise<void> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw scope.error('cancelled', `Download of ${remotePath} cancelled.`);
  const sftp = await openSftp(client, scope);
  const onAbort = () => sftp.end();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) =>
      sftp.fastGet(
        remotePath,
        localPath,
        {
          ...(onProgress
            ? { step: (bytes: number, _chunk: number, total: number) => onProgress(bytes, total) }
            : {}),
        },
        (err) => {
          if (signal?.aborted)
            reject(scope.error('cancelled', `Download of ${remotePath} from ${scope.where()} cancelled.`));
          else if (err)
            reject(
              scope.error('sftp', `Download of ${remotePath} from ${scope.where()} failed: ${err.message}`),
            );
          else resolve();
        },
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
    sftp.end();
  }
}

/** Writes a local file (a path) or bytes to `remotePath` with `mode`. */
export async function upload(
  client: Client,
  scope: NodeScope,
  source: string | Buffer,
  remotePath: string,
  mode: number,
): Promise<void> {
  const sftp = await openSftp(client, scope);
  try {
    await new Promise<void>((resolve, reject) => {
      const done = (err: Error | null | undefined) =>
        err
          ? reject(scope.error('sftp', `Upload to ${remotePath} on ${scope.where()} failed: ${err.message}`))
          : resolve();
      if (typeof source === 'string') sftp.fastPut(source, remotePath, { mode }, done);
      else sftp.writeFile(remotePath, source, { mode }, done);
    });
  } finally {
    sftp.end();
  }
}
