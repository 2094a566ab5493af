// Reading a remote file over SFTP the way OpenSSH's sftp does: several reads in flight, each as large as the
// server allows, each written where it belongs as it arrives, while a SHA-256 follows the bytes in order, so
// the file is never read a second time to hash it. (ssh2's fastGet asks for 32 KiB per read and gives no
// bytes to hash: with the hash after it, a 64 MiB file came at 0.4–0.6× OpenSSH's sftp on the lab; see
// docs/performance.md.)
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { SFTPWrapper } from 'ssh2';

/** OpenSSH's read limit (limits@openssh.com: 256 KiB less 1 KiB); ssh2 splits a read for a server with less. */
export const READ_SIZE = 255 * 1024;
/** Reads in flight: past a few MiB the channel's window, not the requests, bounds what is on the way. */
export const IN_FLIGHT = 16;

/** What a download wrote: its size and SHA-256. */
export interface Fetched {
  bytes: number;
  sha256: string;
}

export interface FetchOptions {
  /** Aborted when the channel closes or the caller cancels: no more reads, and the fetch rejects. */
  signal?: AbortSignal;
  onProgress?: (bytes: number, total: number) => void;
}

type Sftp = Pick<SFTPWrapper, 'open' | 'fstat' | 'read' | 'close'>;

function call<T>(start: (done: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}

/** Rejects when `signal` aborts: a read sent on a closed channel is never answered, so never wait on one alone. */
const CLOSED = 'the SFTP channel closed';

function stopped(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const stop = () => reject(new Error(CLOSED));
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Fills `buffer` from `offset`: a server may answer a read with fewer bytes than asked, so ask for the rest. */
async function readAt(
  sftp: Sftp,
  handle: Buffer,
  buffer: Buffer,
  offset: number,
  path: string,
): Promise<Buffer> {
  const length = buffer.length;
  let got = 0;
  while (got < length) {
    const n = await call<number>((done) => sftp.read(handle, buffer, got, length - got, offset + got, done));
    if (n === 0)
      throw new Error(`${path} ended at ${offset + got} bytes, shorter than when the download began`);
    got += n;
  }
  return buffer;
}

/** Copies `remotePath` to `localPath` (created or truncated); its size and SHA-256. */
export async function fetchFile(
  sftp: Sftp,
  remotePath: string,
  localPath: string,
  options: FetchOptions = {},
): Promise<Fetched> {
  const { signal, onProgress } = options;
  const stop = stopped(signal);
  stop.catch(() => undefined);
  const handle = await Promise.race([call<Buffer>((done) => sftp.open(remotePath, 'r', done)), stop]);
  let complete = false;
  try {
    const { size } = await Promise.race([call<{ size: number }>((done) => sftp.fstat(handle, done)), stop]);
    const local = await fs.open(localPath, 'w');
    const hash = createHash('sha256');
    // Reads in file order; the server answers them in order, so waiting for the head costs nothing.
    const reads: Array<{ offset: number; data: Promise<Buffer> }> = [];
    const writes = new Set<Promise<void>>();
    let next = 0;
    let written = 0;
    let writeError: unknown;
    // Buffers whose bytes are on disk, for the next reads.
    const spare: Buffer[] = [];
    const issue = () => {
      if (next >= size || signal?.aborted) return;
      const offset = next;
      const length = Math.min(READ_SIZE, size - offset);
      const buffer = (spare.pop() ?? Buffer.allocUnsafe(READ_SIZE)).subarray(0, length);
      const data = readAt(sftp, handle, buffer, offset, remotePath);
      data.catch(() => undefined); // awaited in order below; a later one may fail first
      reads.push({ offset, data });
      next += length;
    };
    try {
      for (let i = 0; i < IN_FLIGHT; i++) issue();
      while (reads.length > 0) {
        const head = reads.shift()!;
        const data = await Promise.race([head.data, stop]);
        // Reads that arrived before the channel closed are not the whole file.
        if (signal?.aborted) throw new Error(CLOSED);
        issue();
        const write = local.write(data, 0, data.length, head.offset).then(
          () => {
            spare.push(data);
            written += data.length;
            onProgress?.(written, size);
          },
          (error: unknown) => void (writeError ??= error),
        );
        // Hashed while the disk writes the same bytes.
        hash.update(data);
        writes.add(write);
        void write.then(() => writes.delete(write));
        if (writeError !== undefined) throw writeError;
        // Keep the buffers waiting for the disk bounded too.
        if (writes.size >= IN_FLIGHT) await Promise.race(writes);
      }
      await Promise.all(writes);
      if (writeError !== undefined) throw writeError;
    } finally {
      await Promise.allSettled(writes);
      await local.close();
    }
    complete = true;
    return { bytes: size, sha256: hash.digest('hex') };
  } finally {
    // A close sent on a closed channel is never answered.
    const closing = call<void>((done) => sftp.close(handle, (err) => done(err, undefined)));
    closing.catch(() => undefined);
    if (complete) await Promise.race([closing, stop]).catch(() => undefined);
  }
}
