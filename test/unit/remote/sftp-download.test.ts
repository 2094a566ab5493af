// The SFTP download (src/remote/sftp.ts, sftp-fetch.ts) against a fake channel that answers as ssh2's does:
// reads answered later and possibly short, every request pending when the channel ends failed with "No
// response from server", and a request sent on an ended channel never answered.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'ssh2';
import { Masker } from '../../../src/remote/masker';
import { NodeScope } from '../../../src/remote/scope';
import { download } from '../../../src/remote/sftp';
import { IN_FLIGHT, READ_SIZE } from '../../../src/remote/sftp-fetch';
import type { RemoteError } from '../../../src/remote/errors';

type Callback = (err: Error | undefined, ...values: unknown[]) => void;

class FakeSftp extends EventEmitter {
  readonly readLengths: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  ended = false;
  closedHandles = 0;
  private pending = new Set<Callback>();
  /** Answer a read with at most this many bytes (a server may send fewer than asked). */
  shortReadsOf: number | undefined;
  /** Reads are held until answerAllNow() (open, fstat and close are answered at once). */
  holdReads = false;
  private held: Array<() => void> = [];

  constructor(
    private readonly content: Buffer,
    private readonly reportedSize = content.length,
  ) {
    super();
  }

  private answerLater(cb: Callback, answer: () => unknown[], hold = false): void {
    if (this.ended) return; // sent on an ended channel: never answered
    this.pending.add(cb);
    const go = () => {
      if (this.pending.delete(cb)) cb(...(answer() as [Error | undefined, ...unknown[]]));
    };
    if (hold) this.held.push(go);
    else setImmediate(go);
  }

  /** Answers every held read now, one after the other with nothing in between. */
  answerAllNow(): void {
    for (const go of this.held.splice(0)) go();
  }

  open(_path: string, _flags: string, cb: Callback): void {
    this.answerLater(cb, () => [undefined, Buffer.from('h')]);
  }

  fstat(_handle: Buffer, cb: Callback): void {
    this.answerLater(cb, () => [undefined, { size: this.reportedSize }]);
  }

  read(_h: Buffer, buffer: Buffer, offset: number, length: number, position: number, cb: Callback): void {
    this.readLengths.push(length);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.answerLater(
      (err, ...rest) => {
        this.inFlight--;
        cb(err, ...rest);
      },
      () => {
        const n = Math.min(length, this.shortReadsOf ?? length, Math.max(0, this.content.length - position));
        this.content.copy(buffer, offset, position, position + n);
        return [undefined, n];
      },
      this.holdReads,
    );
  }

  close(_handle: Buffer, cb: Callback): void {
    this.closedHandles++;
    this.answerLater(cb, () => [undefined]);
  }

  /** As ssh2's: the pending requests fail, then the channel says it ended. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const pending = [...this.pending];
    this.pending.clear();
    for (const cb of pending) cb(new Error('No response from server'));
    this.emit('end');
    this.emit('close');
  }
}

const clientOf = (sftp: FakeSftp) =>
  ({ sftp: (cb: (err: undefined, s: FakeSftp) => void) => cb(undefined, sftp) }) as unknown as Client;
const scope = new NodeScope({ name: 'gw-1', address: '10.0.0.11', user: 'ops' }, new Masker());
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('remote: SFTP download', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-sftp-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("reads the server's 255 KiB at a time, 16 in flight, and hashes the bytes as they arrive", async () => {
    const content = randomBytes(40 * READ_SIZE + 12_345);
    const sftp = new FakeSftp(content);
    const progress: Array<[number, number]> = [];
    const local = path.join(dir, 'report.tar.gz');
    const fetched = await download(clientOf(sftp), scope, '/var/snap/r.tar.gz', local, {
      onProgress: (bytes, total) => progress.push([bytes, total]),
    });
    assert.ok((await fs.readFile(local)).equals(content));
    assert.deepEqual(fetched, { bytes: content.length, sha256: sha256(content) });
    // ssh2's fastGet asked for 32 KiB at a time: 8× the requests OpenSSH's sftp sends.
    assert.deepEqual(sftp.readLengths, [...Array(40).fill(READ_SIZE), 12_345]);
    assert.equal(sftp.maxInFlight, IN_FLIGHT);
    assert.deepEqual(progress.at(-1), [content.length, content.length]);
    assert.ok(progress.every(([bytes], i) => i === 0 || bytes > progress[i - 1]![0]));
    assert.equal(sftp.closedHandles, 1);
    assert.ok(sftp.ended, 'the channel is closed after the transfer');
  });

  it('asks again for the rest of a short read', async () => {
    const content = randomBytes(3 * READ_SIZE + 7);
    const sftp = new FakeSftp(content);
    sftp.shortReadsOf = 100_000;
    const local = path.join(dir, 'short.bin');
    const fetched = await download(clientOf(sftp), scope, '/r', local);
    assert.ok((await fs.readFile(local)).equals(content));
    assert.equal(fetched.sha256, sha256(content));
  });

  it('downloads an empty file', async () => {
    const local = path.join(dir, 'empty');
    const fetched = await download(clientOf(new FakeSftp(Buffer.alloc(0))), scope, '/r', local);
    assert.deepEqual(fetched, { bytes: 0, sha256: sha256(Buffer.alloc(0)) });
    assert.equal((await fs.stat(local)).size, 0);
  });

  it('fails, naming the node, when the file is shorter than its size said', async () => {
    const sftp = new FakeSftp(randomBytes(READ_SIZE + 10), 2 * READ_SIZE);
    await assert.rejects(download(clientOf(sftp), scope, '/r', path.join(dir, 'x')), (e: RemoteError) => {
      assert.equal(e.kind, 'sftp');
      assert.match(e.message, /gw-1.*\/r ended at 261130 bytes/);
      return true;
    });
  });

  it('is cancelled mid-transfer without waiting on reads the ended channel never answers', async () => {
    const sftp = new FakeSftp(randomBytes(30 * READ_SIZE));
    const controller = new AbortController();
    const started = download(clientOf(sftp), scope, '/r', path.join(dir, 'x'), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(started, (e: RemoteError) => e.kind === 'cancelled');
    assert.ok(sftp.ended);
  });

  it('fails when the channel ends by itself with no read pending (one sent after it is never answered)', async () => {
    const sftp = new FakeSftp(randomBytes((IN_FLIGHT + 4) * READ_SIZE));
    sftp.holdReads = true;
    const started = download(clientOf(sftp), scope, '/r', path.join(dir, 'x'));
    const failed = assert.rejects(started, (e: RemoteError) => {
      assert.equal(e.kind, 'sftp');
      assert.match(e.message, /channel closed/);
      return true;
    });
    while (sftp.readLengths.length < IN_FLIGHT) await new Promise((r) => setImmediate(r));
    // Every read in flight answered, then the channel ends before the download can send the next ones.
    sftp.answerAllNow();
    sftp.end();
    await failed;
  });
});
