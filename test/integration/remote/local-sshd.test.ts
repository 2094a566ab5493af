// The SSH layer against a private sshd on 127.0.0.1: exec plumbing, host keys, auth, sudo, cancel, SFTP, pty.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Masker, MASK } from '../../../src/remote/masker';
import { KnownHostsStore, fingerprintOf } from '../../../src/remote/known-hosts';
import { RemoteError } from '../../../src/remote/errors';
import { SshPool } from '../../../src/remote/pool';
import { READ_SIZE } from '../../../src/remote/sftp-fetch';
import type { ConnectionDeps } from '../../../src/remote/types';
import type { HostKeyQuestion, RemoteNode } from '../../../src/remote/types';
import { createPrivateSshd, processRunning } from './support/private-sshd';
import type { PrivateSshd } from './support/private-sshd';
import { timeRoundTrips } from './support/timing';
import { FakeClock } from '../../support/fake-clock';
import { waitFor } from '../../support/wait-for';

describe('remote: SSH layer against a private sshd', function () {
  this.timeout(30_000);
  let sshd: PrivateSshd;
  let pools: SshPool[] = [];
  let logs: string[];
  let questions: HostKeyQuestion[];
  let answer: boolean;
  let knownHostsFile: string;
  let secrets: Map<string, string>;

  before(async () => {
    sshd = await createPrivateSshd();
  });
  after(async () => {
    await sshd?.stop();
  });
  beforeEach(async () => {
    logs = [];
    questions = [];
    answer = true;
    secrets = new Map();
    knownHostsFile = path.join(sshd.dir, 'own_known_hosts');
    await fs.writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
    pools = [];
  });

  function makePool(overrides: Partial<ConnectionDeps> = {}, idleMs?: number): SshPool {
    const pool = new SshPool(
      {
        knownHosts: new KnownHostsStore({ ownFile: knownHostsFile, userFile: null }),
        prompts: {
          confirmHostKey: async (q) => {
            questions.push(q);
            return answer;
          },
          askPassphrase: async () => sshd.passphrase,
        },
        secrets: { get: async (key) => secrets.get(key) },
        masker: new Masker(),
        log: (line) => logs.push(line),
        agentSocket: null,
        homeDir: sshd.dir,
        ...overrides,
      },
      { idleMs },
    );
    pools.push(pool);
    return pool;
  }

  const node = (extra: Partial<RemoteNode> = {}): RemoteNode => ({
    name: 'gw-local',
    address: '127.0.0.1',
    port: sshd.port,
    user: sshd.user,
    identityFile: sshd.clientKeyPath,
    ...extra,
  });

  it('runs argv and scripts, reuses one connection with TCP_NODELAY, and round-trips fast', async () => {
    const pool = makePool();
    const r = await pool.exec(node(), ['printf', '%s|', 'a b', "it's", '$HOME']);
    assert.deepEqual([r.code, r.stdout], [0, "a b|it's|$HOME|"]);
    const s = await pool.exec(node(), { script: 'echo out; echo err >&2; exit 3' });
    assert.deepEqual([s.code, s.stdout, s.stderr], [3, 'out\n', 'err\n']);
    const connection = await pool.connection(node());
    assert.equal(connection.noDelay, true);
    assert.equal(pool.size, 1);
    const times = await timeRoundTrips(connection, 15);
    // Nagle plus delayed ACKs would put every round trip near 40 ms.
    assert.ok(times[7]! < 30, `median round trip ${times[7]!.toFixed(1)} ms`);
  });

  it('streams stdout and stderr lines as they come', async () => {
    const pool = makePool();
    const out: string[] = [];
    const err: string[] = [];
    await pool.exec(
      node(),
      { script: 'echo one; echo two >&2; printf three' },
      {
        onStdoutLine: (l) => out.push(l),
        onStderrLine: (l) => err.push(l),
      },
    );
    assert.deepEqual(out, ['one', 'three']);
    assert.deepEqual(err, ['two']);
  });

  it('asks about an unknown host key, stores it when accepted and never asks again', async () => {
    await fs.writeFile(knownHostsFile, '');
    const pool = makePool();
    await pool.exec(node(), ['true']);
    assert.equal(questions.length, 1);
    const expected = fingerprintOf(Buffer.from(sshd.hostPublicKey.split(' ')[1]!, 'base64'));
    assert.deepEqual(questions[0], {
      node: 'gw-local',
      address: '127.0.0.1',
      port: sshd.port,
      keyType: 'ssh-ed25519',
      fingerprint: expected,
    });
    assert.match(
      await fs.readFile(knownHostsFile, 'utf8'),
      new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `),
    );
    await pool.closeAll();
    await pool.exec(node(), ['true']);
    assert.equal(questions.length, 1);
  });

  // The user's reading time is simulated on a fake clock: the prompt moves it far past the handshake timeout.
  it('does not count the time the user spends on the host-key prompt against the handshake timeout', async () => {
    await fs.writeFile(knownHostsFile, '');
    const clock = new FakeClock();
    const pool = makePool({
      clock,
      connectTimeoutMs: 1000,
      prompts: {
        confirmHostKey: async (q) => {
          questions.push(q);
          clock.advance(5_000);
          return true;
        },
        askPassphrase: async () => sshd.passphrase,
      },
    });
    const r = await pool.exec(node(), ['echo', 'ok']);
    assert.deepEqual([r.code, r.stdout], [0, 'ok\n']);
    assert.equal(questions.length, 1);
  });

  it('does not count the time the user spends on the passphrase prompt against the handshake timeout', async () => {
    const clock = new FakeClock();
    let asked = 0;
    const pool = makePool({
      clock,
      connectTimeoutMs: 1000,
      prompts: {
        confirmHostKey: async () => false,
        askPassphrase: async () => {
          asked++;
          clock.advance(5_000);
          return sshd.passphrase;
        },
      },
    });
    const r = await pool.exec(node({ identityFile: sshd.encryptedKeyPath }), ['echo', 'ok']);
    assert.deepEqual([r.code, r.stdout], [0, 'ok\n']);
    assert.equal(asked, 1);
  });

  it('records nothing when "Trust" is answered after the server dropped the connection', async () => {
    await fs.writeFile(knownHostsFile, '');
    const proxy = await dropProxy(sshd.port);
    try {
      let answerPrompt: (trust: boolean) => void = () => undefined;
      const pool = makePool({
        prompts: {
          confirmHostKey: (q) => {
            questions.push(q);
            return new Promise((resolve) => (answerPrompt = resolve));
          },
        },
      });
      const connecting = pool.exec(node({ port: proxy.port }), ['true']);
      connecting.catch(() => undefined);
      await waitFor(() => questions.length === 1, { what: 'the host-key question' });
      proxy.dropAll();
      await assert.rejects(connecting, (e: RemoteError) => e.kind === 'connect');
      answerPrompt(true);
      await waitFor(() => logs.some((l) => /host key .* not recorded|trusted new host key/.test(l)), {
        what: 'the answer to be handled',
        detail: () => logs.join('\n'),
      });
      assert.equal(await fs.readFile(knownHostsFile, 'utf8'), '');
      assert.ok(!logs.some((l) => l.includes('trusted new host key')), logs.join('\n'));
    } finally {
      await proxy.close();
    }
  });

  it('still fails a handshake that never completes with a clear connect error', async () => {
    // Accepts TCP but never speaks SSH: only the handshake timer can end the attempt.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const pool = makePool({ connectTimeoutMs: 500 });
      const started = performance.now();
      await assert.rejects(pool.exec(node({ port }), ['true']), (e: RemoteError) => {
        assert.equal(e.kind, 'connect');
        assert.match(e.message, /gw-local/);
        assert.match(e.message, /Timed out while waiting for handshake/);
        return true;
      });
      const elapsed = performance.now() - started;
      // Not before the 500 ms timer (a lower bound holds under any load); the upper bound only says it ended.
      assert.ok(elapsed >= 450 && elapsed < 20_000, `failed after ${elapsed.toFixed(0)} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses an unknown host key the user rejects, and stores nothing', async () => {
    await fs.writeFile(knownHostsFile, '');
    answer = false;
    const pool = makePool();
    await assert.rejects(pool.exec(node(), ['true']), (e: RemoteError) => {
      assert.equal(e.kind, 'hostKeyRefused');
      assert.match(e.message, /gw-local/);
      assert.match(e.message, /SHA256:/);
      return true;
    });
    assert.equal(await fs.readFile(knownHostsFile, 'utf8'), '');
  });

  it('refuses a changed host key, naming node, address and both fingerprints', async () => {
    const other = (await fs.readFile(sshd.wrongKeyPath + '.pub', 'utf8')).trim().split(' ');
    await fs.writeFile(knownHostsFile, `[127.0.0.1]:${sshd.port} ${other[0]} ${other[1]}\n`);
    const pool = makePool();
    const known = fingerprintOf(Buffer.from(other[1]!, 'base64'));
    const presented = fingerprintOf(Buffer.from(sshd.hostPublicKey.split(' ')[1]!, 'base64'));
    await assert.rejects(pool.exec(node(), ['true']), (e: RemoteError) => {
      assert.equal(e.kind, 'hostKeyChanged');
      for (const part of ['gw-local', '127.0.0.1', known, presented])
        assert.ok(e.message.includes(part), e.message);
      return true;
    });
    assert.equal(questions.length, 0);
  });

  it('names node, address, user and the methods tried when the key is wrong', async () => {
    const pool = makePool();
    await assert.rejects(pool.exec(node({ identityFile: sshd.wrongKeyPath }), ['true']), (e: RemoteError) => {
      assert.equal(e.kind, 'auth');
      for (const part of ['gw-local', '127.0.0.1', sshd.user, 'publickey', sshd.wrongKeyPath]) {
        assert.ok(e.message.includes(part), e.message);
      }
      return true;
    });
  });

  it('uses an encrypted identity file with the passphrase from the prompt', async () => {
    const pool = makePool();
    const r = await pool.exec(node({ identityFile: sshd.encryptedKeyPath }), ['echo', 'ok']);
    assert.equal(r.stdout, 'ok\n');
    assert.ok(!logs.join('\n').includes(sshd.passphrase));
  });

  it('expands ~ in the identity file', async () => {
    const pool = makePool();
    const r = await pool.exec(node({ identityFile: '~/client' }), ['echo', 'tilde']);
    assert.equal(r.stdout, 'tilde\n');
  });

  it('cuts a hanging command at its timeout, reports the output so far and kills it', async () => {
    const pool = makePool();
    const marker = 'sleep 31.337';
    await assert.rejects(
      pool.exec(node(), { script: `echo started; ${marker}` }, { timeoutMs: 400 }),
      (e: RemoteError) => {
        assert.equal(e.kind, 'timeout');
        assert.match(e.message, /gw-local/);
        assert.match(e.message, /sleep 31\.337/);
        assert.match(e.message, /started/);
        return true;
      },
    );
    await waitFor(() => !processRunning(marker), { timeoutMs: 2000, what: 'the remote sleep to end' });
  });

  it('kills the remote process group when cancelled', async () => {
    const pool = makePool();
    const marker = 'sleep 42.4242';
    const controller = new AbortController();
    const running = pool.exec(
      node(),
      { script: `${marker} & ${marker}; wait` },
      { signal: controller.signal },
    );
    await waitFor(() => processRunning(marker), { timeoutMs: 3000, what: 'the remote sleep to start' });
    controller.abort();
    await assert.rejects(running, (e: RemoteError) => e.kind === 'cancelled');
    await waitFor(() => !processRunning(marker), { timeoutMs: 2000, what: 'the remote sleeps to end' });
    // The session is still usable afterwards.
    assert.equal((await pool.exec(node(), ['echo', 'after'])).stdout, 'after\n');
  });

  it('never logs a secret sent on stdin, and masks it in streamed lines', async () => {
    const pool = makePool();
    const secret = 'hunter2-very-secret';
    pool.deps.masker.register(secret);
    const lines: string[] = [];
    const r = await pool.exec(node(), ['cat'], {
      stdin: `token=${secret}\n`,
      onStdoutLine: (l) => lines.push(l),
    });
    assert.equal(r.stdout, `token=${secret}\n`);
    assert.deepEqual(lines, [`token=${MASK}`]);
    assert.ok(logs.length > 0);
    assert.ok(
      logs.every((l) => !l.includes(secret)),
      logs.join('\n'),
    );
    assert.ok(logs.some((l) => l.includes(MASK)));
  });

  it('masks a secret in the output an error quotes even where the 2,000-character tail cuts through it', async () => {
    const pool = makePool();
    const secret = 'leaky-7777777777';
    pool.deps.masker.register(secret);
    const controller = new AbortController();
    const lines: string[] = [];
    // Printed remotely (so the command line, which the error quotes, lacks it), then 1,990 characters: the
    // last 2,000 characters of the output begin inside the secret.
    const running = pool.exec(
      node(),
      { script: `printf 'leaky-%s' $((1111111111*7)); head -c 1990 /dev/zero | tr '\\0' x; echo; sleep 30` },
      { signal: controller.signal, onStdoutLine: (l) => lines.push(l) },
    );
    await waitFor(() => lines.length === 1, { what: 'the output line' });
    controller.abort();
    await assert.rejects(running, (e: RemoteError) => {
      assert.equal(e.kind, 'cancelled');
      assert.ok(!e.message.includes('7777777777'), e.message.slice(0, 400));
      assert.ok(e.message.includes(MASK));
      assert.ok(!e.partialOutput?.stdout.includes('7777777777'));
      return true;
    });
    assert.ok(logs.every((l) => !l.includes('7777777777')));
  });

  it('runs sudo with the password on stdin, never on the command line, and keeps the command stdin clean', async () => {
    secrets.set('sudo-pw', sshd.sudoPassword);
    const pool = makePool();
    const r = await pool.exec(node(), ['cat'], { sudo: { passwordSecret: 'sudo-pw' }, stdin: 'payload\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'payload\n');
    const sudoCalls = await fs.readFile(sshd.sudoLog, 'utf8');
    assert.match(sudoCalls, /^-n true$/m);
    assert.match(sudoCalls, /-k -S -p {2}-- sh -c cat/);
    assert.ok(!sudoCalls.includes(sshd.sudoPassword));
    assert.ok(logs.every((l) => !l.includes(sshd.sudoPassword)));
    // Without a stored password the error says so instead of hanging.
    const bare = makePool();
    await assert.rejects(bare.exec(node(), ['true'], { sudo: true }), (e: RemoteError) => e.kind === 'sudo');
  });

  it('reports a dropped connection clearly and reconnects once sshd is back', async () => {
    const pool = makePool();
    const lines: string[] = [];
    const running = pool.exec(
      node(),
      { script: 'echo begun; sleep 20' },
      { onStdoutLine: (l) => lines.push(l) },
    );
    running.catch(() => undefined);
    await waitFor(() => lines.includes('begun'), { what: 'the command to start' });
    await sshd.kill();
    await assert.rejects(running, (e: RemoteError) => {
      assert.equal(e.kind, 'connectionLost');
      assert.match(e.message, /gw-local/);
      assert.match(e.message, /lost/);
      return true;
    });
    await assert.rejects(pool.exec(node(), ['true']), (e: RemoteError) => e.kind === 'connect');
    await sshd.start();
    assert.equal((await pool.exec(node(), ['echo', 'back'])).stdout, 'back\n');
  });

  it('uploads and downloads over SFTP byte-exactly, in several reads, with the SHA-256', async () => {
    const pool = makePool();
    const payload = randomBytes(3 * READ_SIZE + 70_000);
    const remote = path.join(sshd.dir, 'remote.bin');
    await pool.upload(node(), payload, remote);
    assert.equal((await fs.stat(remote)).mode & 0o777, 0o600);
    const local = path.join(sshd.dir, 'local.bin');
    const fetched = await pool.download(node(), remote, local);
    assert.ok((await fs.readFile(local)).equals(payload));
    assert.deepEqual(fetched, {
      bytes: payload.length,
      sha256: createHash('sha256').update(payload).digest('hex'),
    });
  });

  it('opens an interactive shell on a pty that follows resizes', async () => {
    const pool = makePool();
    const shell = await pool.openShell(node(), { cols: 80, rows: 24 });
    let output = '';
    shell.stream.on('data', (d: Buffer) => (output += d.toString()));
    // No wait needed: the window change travels on the channel before the keystrokes, and sshd applies it
    // to the pty as it arrives.
    shell.resize(101, 41);
    shell.stream.write('stty size; echo "sum=$((40+2))"\n');
    await waitFor(() => /sum=42/.test(output), { what: 'the shell output', detail: () => output });
    assert.match(output, /41 101/);
    shell.close();
  });

  it('closes idle connections', async () => {
    const pool = makePool({}, 150);
    await pool.exec(node(), ['true']);
    const connection = await pool.connection(node());
    assert.equal(pool.size, 1);
    await waitFor(() => pool.size === 0, { timeoutMs: 2000, what: 'the idle connection to close' });
    assert.equal(connection.alive, false);
  });
});

/** A TCP proxy to `port` whose connections the test can drop from the server's side. */
async function dropProxy(port: number): Promise<{ port: number; dropAll(): void; close(): Promise<void> }> {
  const upstreams = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port });
    upstreams.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    dropAll: () => {
      for (const upstream of upstreams) upstream.destroy();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
