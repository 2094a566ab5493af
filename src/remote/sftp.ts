// File transfer over SFTP: one channel per transfer, closed when it ends.
import type { Client, SFTPWrapper } from 'ssh2';
import { fetchFile, type Fetched } from './sftp-fetch';
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

/**
 * Downloads `remotePath` into `localPath` (see sftp-fetch.ts: large reads in flight, hashed as they arrive);
 * its size and SHA-256.
 */
export async function download(
  client: Client,
  scope: NodeScope,
  remotePath: string,
  localPath: string,
  options: DownloadOptions = {},
): Promise<Fetched> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw scope.error('cancelled', `Download of ${remotePath} cancelled.`);
  const sftp = await openSftp(client, scope);
  // The channel's end (cancelled, or the connection lost) stops the fetch: reads on it are never answered.
  const closed = new AbortController();
  const close = () => closed.abort();
  sftp.once('end', close).once('close', close).on('error', close);
  const onAbort = () => sftp.end();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await fetchFile(sftp, remotePath, localPath, { signal: closed.signal, onProgress });
  } catch (err) {
    if (signal?.aborted)
      throw scope.error('cancelled', `Download of ${remotePath} from ${scope.where()} cancelled.`);
    const message = err instanceof Error ? err.message : String(err);
    throw scope.error('sftp', `Download of ${remotePath} from ${scope.where()} failed: ${message}`);
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
