// The SSH layer against the lab: real sshd per node, real host keys, faults injected by the lab.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../lab/index';
import type { LabInfo } from '../../lab/api';
import { KnownHostsStore } from '../../../src/remote/known-hosts';
import { MASK } from '../../../src/remote/masker';
import { parseMicrok8sStatus } from '../../../src/remote/microk8s-status';
import { RemoteError } from '../../../src/remote/errors';
import { SshPool } from '../../../src/remote/pool';
import type { ConnectionDeps } from '../../../src/remote/types';
import type { HostKeyQuestion, RemoteNode } from '../../../src/remote/types';
import { processRunning } from './support/private-sshd';
import { waitFor } from '../../support/wait-for';
import { labRemoteNode, labConnectionDeps } from '../support/lab-remote';

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 500 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('remote: SSH layer against the lab', function () {
  this.timeout(60_000);
  const lab = createLab(process.env.GC_LAB_NAME ?? 'gclabit');
  let info: LabInfo;
  let tmp: string;
  let pools: SshPool[] = [];
  let logs: string[];
  let questions: HostKeyQuestion[];
  let secrets: Map<string, string>;

  before(async function () {
    this.timeout(120_000);
    info = await lab.up({ nodes: 3, state: 'joined', subnetPrefix: process.env.GC_LAB_SUBNET ?? '10.250.1' });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-lab-ssh-'));
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
    await lab.down();
    await fs.rm(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    logs = [];
    questions = [];
    secrets = new Map([['lab-password', info.password]]);
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
    pools = [];
  });

  function makePool(overrides: Partial<ConnectionDeps> = {}, answer = true): SshPool {
    const pool = new SshPool(
      labConnectionDeps(info, tmp, {
        prompts: {
          confirmHostKey: async (q) => {
            questions.push(q);
            return answer;
          },
        },
        secrets: { get: async (key) => secrets.get(key) },
        log: (line) => logs.push(line),
        ...overrides,
      }),
    );
    pools.push(pool);
    return pool;
  }

  /**
   * Injects a fault that restarts a node's sshd and returns once sshd listens again. (The lab's startSshd
   * can stay pending while sshd runs: its helper waits for the pipes sshd inherits.)
   */
  async function restartSshd(fault: Parameters<typeof lab.inject>[0], index: number): Promise<void> {
    const done = lab.inject(fault);
    done.catch(() => undefined);
    const address = info.nodes[index - 1]!.address;
    let settled = false;
    void done.finally(() => (settled = true));
    let listening = false;
    await waitFor(async () => settled || (listening = await portOpen(address, 22)), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: `sshd on ${address} to listen`,
    }).catch(() => undefined);
    if (!listening) await done;
  }

  const node = (index: number, extra: Partial<RemoteNode> = {}): RemoteNode =>
    labRemoteNode(info, index, extra);

  it('connects to 3 nodes in parallel and parses `microk8s status` from each', async () => {
    const pool = makePool();
    const results = await Promise.all([1, 2, 3].map((i) => pool.exec(node(i), ['microk8s', 'status'])));
    for (const r of results) {
      assert.equal(r.code, 0, r.stderr);
      const status = parseMicrok8sStatus(r.stdout);
      assert.equal(status.running, true);
      assert.equal(status.highAvailability, true);
      assert.equal(status.datastoreMasters.length, 3);
      assert.ok(status.enabled.includes('dns'), r.stdout);
    }
    assert.equal(pool.size, 3);
    const hostnames = await Promise.all([1, 2, 3].map((i) => pool.exec(node(i), ['hostname'])));
    assert.deepEqual(
      hostnames.map((h) => h.stdout.trim()),
      ['gw-1', 'gw-2', 'gw-3'],
    );
    assert.equal(questions.length, 0);
  });

  it('asks about an unknown host key with its SHA256 fingerprint, and honours accept and refuse', async () => {
    const refusing = makePool(
      { knownHosts: new KnownHostsStore({ userFile: null, ownFile: path.join(tmp, 'kh-refuse') }) },
      false,
    );
    await assert.rejects(refusing.exec(node(2), ['true']), (e: RemoteError) => e.kind === 'hostKeyRefused');
    assert.equal(questions[0]?.fingerprint, info.nodes[1]!.hostKeyFingerprint);
    assert.equal(questions[0]?.node, 'gw-2');
    await assert.rejects(fs.readFile(path.join(tmp, 'kh-refuse')));
    const ownFile = path.join(tmp, 'kh-accept');
    const accepting = makePool({ knownHosts: new KnownHostsStore({ userFile: null, ownFile }) }, true);
    assert.equal((await accepting.exec(node(2), ['hostname'])).stdout.trim(), 'gw-2');
    assert.equal(questions.length, 2);
    assert.equal(questions[1]?.keyType, 'ssh-ed25519');
    assert.match(
      await fs.readFile(ownFile, 'utf8'),
      new RegExp(`^${info.nodes[1]!.address.replace(/\./g, '\\.')} ssh-ed25519 `),
    );
  });

  it('gives clear errors for a wrong key and a wrong password, and logs in with the right password', async () => {
    const wrongKey = path.join(tmp, 'wrong_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', wrongKey]);
    const pool = makePool();
    await assert.rejects(pool.exec(node(1, { identityFile: wrongKey }), ['true']), (e: RemoteError) => {
      assert.equal(e.kind, 'auth');
      for (const part of ['gw-1', info.nodes[0]!.address, info.user, `publickey (${wrongKey})`]) {
        assert.ok(e.message.includes(part), e.message);
      }
      return true;
    });
    secrets.set('wrong-password', 'not-the-password');
    const byPassword = (key: string) => node(1, { identityFile: undefined, passwordSecret: key });
    await assert.rejects(pool.exec(byPassword('wrong-password'), ['true']), (e: RemoteError) => {
      assert.equal(e.kind, 'auth');
      for (const part of ['gw-1', info.nodes[0]!.address, info.user, 'password'])
        assert.ok(e.message.includes(part), e.message);
      assert.ok(!e.message.includes('not-the-password'));
      return true;
    });
    assert.equal((await pool.exec(byPassword('lab-password'), ['whoami'])).stdout.trim(), info.user);
    assert.ok(logs.every((l) => !l.includes(info.password)));
  });

  it('cuts a hanging command at its timeout with node, command and output so far', async () => {
    await lab.inject({ kind: 'hangCommand', node: 1, command: 'status' });
    try {
      const pool = makePool();
      const t0 = Date.now();
      await assert.rejects(
        pool.exec(node(1), { script: 'echo checking; microk8s status' }, { timeoutMs: 800 }),
        (e: RemoteError) => {
          assert.equal(e.kind, 'timeout');
          assert.match(e.message, /gw-1/);
          assert.match(e.message, /microk8s status/);
          assert.match(e.message, /checking/);
          return true;
        },
      );
      // Ends at the timeout rather than hanging (the command would never return); generous for CI load.
      assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
      // The session still works after the kill.
      assert.equal((await pool.exec(node(1), ['echo', 'alive'])).stdout, 'alive\n');
    } finally {
      await lab.inject({ kind: 'clearHang', node: 1 });
    }
  });

  it('kills the remote process when cancelled', async () => {
    const pool = makePool();
    const marker = 'sleep 53.535';
    const controller = new AbortController();
    const running = pool.exec(node(2), { script: `${marker}; echo never` }, { signal: controller.signal });
    await waitFor(() => processRunning(marker), { timeoutMs: 5000, what: 'the remote command to start' });
    controller.abort();
    await assert.rejects(running, (e: RemoteError) => e.kind === 'cancelled');
    await waitFor(() => !processRunning(marker), { timeoutMs: 3000, what: 'the remote process to end' });
    const check = await pool.exec(node(2), { script: `pgrep -f '^${marker}$' || echo none` });
    assert.equal(check.stdout.trim(), 'none');
  });

  it('reports a clear error when sshd dies mid-command and works again once it is back', async () => {
    const pool = makePool();
    const lines: string[] = [];
    const running = pool.exec(
      node(3),
      { script: 'echo begun; sleep 30' },
      { onStdoutLine: (l) => lines.push(l) },
    );
    running.catch(() => undefined);
    await waitFor(() => lines.includes('begun'), { what: 'the command to start' });
    await lab.inject({ kind: 'killSshd', node: 3 });
    try {
      await assert.rejects(running, (e: RemoteError) => {
        assert.equal(e.kind, 'connectionLost');
        assert.match(e.message, /gw-3/);
        assert.match(e.message, /begun/);
        return true;
      });
    } finally {
      await restartSshd({ kind: 'startSshd', node: 3 }, 3);
    }
    assert.equal((await pool.exec(node(3), ['hostname'])).stdout.trim(), 'gw-3');
  });

  it('never shows a secret given on stdin in any log line', async () => {
    const pool = makePool();
    const secret = 'lab-stdin-secret-7f3a9';
    pool.deps.masker.register(secret);
    const streamed: string[] = [];
    const r = await pool.exec(
      node(1),
      { script: 'cat; echo done >&2' },
      {
        stdin: `password=${secret}\n`,
        onStdoutLine: (l) => streamed.push(l),
      },
    );
    assert.equal(r.stdout, `password=${secret}\n`);
    assert.deepEqual(streamed, [`password=${MASK}`]);
    assert.ok(logs.some((l) => l.includes(`password=${MASK}`)));
    assert.ok(
      logs.every((l) => !l.includes(secret)),
      logs.join('\n'),
    );
  });

  it('keeps secretOutput out of every log line and out of timeout errors, but returns it', async () => {
    const pool = makePool();
    // Computed remotely, so the command line itself (which is logged) does not contain it.
    const print = 'echo lab-printed-$((6*7))-credential';
    const secret = 'lab-printed-42-credential';
    const streamed: string[] = [];
    const r = await pool.exec(
      node(1),
      { script: `${print}; ${print}-err >&2` },
      { secretOutput: true, onStdoutLine: (l) => streamed.push(l) },
    );
    assert.equal(r.stdout, `${secret}\n`);
    assert.equal(r.stderr, `${secret}-err\n`);
    assert.deepEqual(streamed, [secret], 'the caller still gets the lines it asked for');
    assert.ok(
      logs.some((l) => /exit 0 \(output withheld/.test(l)),
      logs.join('\n'),
    );
    await assert.rejects(
      pool.exec(node(1), { script: `${print}; sleep 20` }, { secretOutput: true, timeoutMs: 600 }),
      (e: RemoteError) => {
        assert.equal(e.kind, 'timeout');
        assert.ok(!e.message.includes(secret), e.message);
        assert.match(e.message, /output withheld/);
        assert.deepEqual(e.partialOutput, { stdout: '', stderr: '' });
        return true;
      },
    );
    assert.ok(
      logs.every((l) => !l.includes(secret)),
      logs.join('\n'),
    );
    // Without the option the same output is logged: the check above can fail.
    await pool.exec(node(1), { script: print });
    assert.ok(logs.some((l) => l.includes(`out: ${secret}`)));
  });

  it('runs sudo with the password from the secret store over stdin', async () => {
    await lab.inject({ kind: 'sudoPassword', node: 1, required: true });
    try {
      const pool = makePool();
      const r = await pool.exec(node(1), ['id', '-u'], { sudo: { passwordSecret: 'lab-password' } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), '0');
      assert.ok(logs.every((l) => !l.includes(info.password)));
      await assert.rejects(
        makePool().exec(node(1), ['true'], { sudo: true }),
        (e: RemoteError) => e.kind === 'sudo',
      );
    } finally {
      await lab.inject({ kind: 'sudoPassword', node: 1, required: false });
    }
  });

  it('uploads and downloads a file over SFTP', async () => {
    const pool = makePool();
    const payload = Buffer.concat([Buffer.from('diagnostics\n'), Buffer.alloc(100_000, 0xab)]);
    const remote = `/tmp/gc-sftp-${process.pid}.bin`;
    await pool.upload(node(2), payload, remote);
    const local = path.join(tmp, 'down.bin');
    await pool.download(node(2), remote, local);
    assert.ok((await fs.readFile(local)).equals(payload));
    await pool.exec(node(2), ['rm', '-f', remote]);
  });

  it('refuses a changed host key, naming node, address and both fingerprints', async () => {
    const knownBefore = path.join(tmp, 'known_before');
    await fs.copyFile(info.knownHostsPath, knownBefore);
    const oldFingerprint = info.nodes[2]!.hostKeyFingerprint;
    const changing = lab.inject({ kind: 'changeHostKey', node: 3 });
    changing.catch(() => undefined);
    // The new key's fingerprint, as presented to a client that knows nothing (and refuses).
    let newFingerprint = oldFingerprint;
    await waitFor(
      async () => {
        const probe = makePool(
          { knownHosts: new KnownHostsStore({ userFile: null, ownFile: path.join(tmp, 'kh-probe') }) },
          false,
        );
        await probe.exec(node(3), ['true']).catch(() => undefined);
        await probe.dispose();
        newFingerprint = questions.pop()?.fingerprint ?? oldFingerprint;
        return newFingerprint !== oldFingerprint;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'node 3 to present its new host key' },
    );
    const pool = makePool({
      knownHosts: new KnownHostsStore({ userFile: knownBefore, ownFile: path.join(tmp, 'kh-x') }),
    });
    await assert.rejects(pool.exec(node(3), ['true']), (e: RemoteError) => {
      assert.equal(e.kind, 'hostKeyChanged', e.message);
      for (const part of ['gw-3', info.nodes[2]!.address, oldFingerprint, newFingerprint]) {
        assert.ok(e.message.includes(part), e.message);
      }
      return true;
    });
    assert.equal(questions.length, 0, 'a changed key must never be offered for acceptance');
  });
});
