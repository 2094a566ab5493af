// The SSH layer against a private sshd on 127.0.0.1: exec plumbing, host keys, auth, sudo, cancel, SFTP, pty.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Masker, MASK } from '../../../src/remote/masker';
import { KnownHostsStore, fingerprintOf } from '../../../src/remote/known-hosts';
import { RemoteError } from '../../../src/remote/errors';
import { SshPool } from '../../../src/remote/pool';
import type { ConnectionDeps } from '../../../src/remote/types';
import type { HostKeyQuestion, RemoteNode } from '../../../src/remote/types';
import { createPrivateSshd, processRunning } from './support/private-sshd';
import type { PrivateSshd } from './support/private-sshd';
import { sleep, timeRoundTrips, waitUntil } from './support/timing';

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
    const session = await pool.connection(node());
    assert.equal(session.noDelay, true);
    assert.equal(pool.size, 1);
    const times = await timeRoundTrips(session, 15);
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

  it('does not count the time the user spends on the host-key prompt against the handshake timeout', async () => {
    await fs.writeFile(knownHostsFile, '');
    const pool = makePool({
      connectTimeoutMs: 1000,
      prompts: {
        confirmHostKey: async (q) => {
          questions.push(q);
          await sleep(1500);
          return true;
        },
        askPassphrase: async () => sshd.passphrase,
      },
    });
    const r = await pool.exec(node(), ['echo', 'ok']);
    assert.deepEqual([r.code, r.stdout], [0, 'ok\n']);
    assert.equal(questions.length, 1);
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
    assert.ok(await waitUntil(() => !processRunning(marker), 2000), 'remote sleep still running');
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
    assert.ok(await waitUntil(() => processRunning(marker), 3000), 'remote sleep never started');
    controller.abort();
    await assert.rejects(running, (e: RemoteError) => e.kind === 'cancelled');
    assert.ok(await waitUntil(() => !processRunning(marker), 2000), 'remote sleeps still running');
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
    const running = pool.exec(node(), { script: 'echo begun; sleep 20' });
    running.catch(() => undefined);
    await sleep(300);
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

  it('uploads and downloads over SFTP byte-exactly', async () => {
    const pool = makePool();
    const payload = Buffer.from([...Array(70_000).keys()].map((i) => (i * 7) % 256));
    const remote = path.join(sshd.dir, 'remote.bin');
    await pool.upload(node(), payload, remote);
    assert.equal((await fs.stat(remote)).mode & 0o777, 0o600);
    const local = path.join(sshd.dir, 'local.bin');
    await pool.download(node(), remote, local);
    assert.ok((await fs.readFile(local)).equals(payload));
  });

  it('opens an interactive shell on a pty that follows resizes', async () => {
    const pool = makePool();
    const shell = await pool.openShell(node(), { cols: 80, rows: 24 });
    let output = '';
    shell.stream.on('data', (d: Buffer) => (output += d.toString()));
    shell.resize(101, 41);
    await sleep(100);
    shell.stream.write('stty size; echo "sum=$((40+2))"\n');
    assert.ok(await waitUntil(() => /sum=42/.test(output), 5000), output);
    assert.match(output, /41 101/);
    shell.close();
  });

  it('closes idle sessions', async () => {
    const pool = makePool({}, 150);
    await pool.exec(node(), ['true']);
    const session = await pool.connection(node());
    assert.equal(pool.size, 1);
    assert.ok(await waitUntil(() => pool.size === 0, 2000));
    assert.equal(session.alive, false);
  });
});
