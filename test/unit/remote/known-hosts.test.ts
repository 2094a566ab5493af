import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  KnownHostsStore,
  checkHostKey,
  entriesFor,
  fingerprintOf,
  hostFieldMatches,
  keyTypeOf,
  knownHostsName,
} from '../../../src/remote/known-hosts';
import { preferredHostKeyAlgorithms } from '../../../src/remote/host-key';

// Made with ssh-keygen: two ed25519 host keys, their `ssh-keygen -l` fingerprints, and a `ssh-keygen -H`
// hashed file holding key 1 for 10.9.8.7 and key 2 for [10.9.8.7]:2222.
const KEY1 = 'AAAAC3NzaC1lZDI1NTE5AAAAII5Ite8jNkYJmadJzL9Og1RDWYuuQ5xJw6lpCkZWmGUT';
const KEY2 = 'AAAAC3NzaC1lZDI1NTE5AAAAILVvWhdMPrwfQDmTh806/2OcJBxPjjBfiSFaySNanUg3';
const FP1 = 'SHA256:AfwjUz8NO8cME+LIzfFiSX3u80v06egxp/gBLao1rUA';
const FP2 = 'SHA256:HX98Gk2dX4/HlVtsNJgw3J9h2CxuuJJpA9JJ2/3v5u0';
const HASHED = [
  `|1|/NTJ9KSw0+ecy74hbUFm7EFy8zE=|3ANo5TKalSc37kTgi9V5zWrlBEs= ssh-ed25519 ${KEY1}`,
  `|1|C+YBoUD53+/sgBH73/WHwoLMizY=|HyMb5eJYqAx28xqqN00a3jY/2ko= ssh-ed25519 ${KEY2}`,
].join('\n');
const blob = (b64: string) => Buffer.from(b64, 'base64');

describe('remote/known-hosts', () => {
  it('computes fingerprints and key types as ssh-keygen does', () => {
    assert.equal(fingerprintOf(blob(KEY1)), FP1);
    assert.equal(fingerprintOf(blob(KEY2)), FP2);
    assert.equal(keyTypeOf(blob(KEY1)), 'ssh-ed25519');
  });

  it('matches hashed, bracketed-port, plain, comma-list, wildcard and negated host fields', () => {
    assert.equal(knownHostsName('10.9.8.7', 22), '10.9.8.7');
    assert.equal(knownHostsName('10.9.8.7', 2222), '[10.9.8.7]:2222');
    assert.deepEqual(
      entriesFor(HASHED, '10.9.8.7', 'f').map((e) => e.keyBase64),
      [KEY1],
    );
    assert.deepEqual(
      entriesFor(HASHED, '[10.9.8.7]:2222', 'f').map((e) => e.keyBase64),
      [KEY2],
    );
    assert.equal(entriesFor(HASHED, '10.9.8.8', 'f').length, 0);
    assert.ok(hostFieldMatches('gw-1,10.0.0.11', '10.0.0.11'));
    assert.ok(hostFieldMatches('GW-1', 'gw-1'));
    assert.ok(hostFieldMatches('10.0.0.*,!10.0.0.13', '10.0.0.12'));
    assert.ok(!hostFieldMatches('10.0.0.*,!10.0.0.13', '10.0.0.13'));
    assert.ok(!hostFieldMatches('10.0.0.1', '10.0.0.11'));
    assert.ok(hostFieldMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222'));
  });

  it('skips comments, blank lines and cert authorities; honours @revoked', () => {
    const text = `# comment\n\n@cert-authority *.lab ssh-ed25519 ${KEY2}\n@revoked 10.0.0.1 ssh-ed25519 ${KEY1}\n`;
    assert.deepEqual(checkHostKey(entriesFor(text, '10.0.0.1', 'f'), blob(KEY1)), { status: 'revoked' });
    assert.deepEqual(checkHostKey(entriesFor(text, 'x.lab', 'f'), blob(KEY2)), { status: 'unknown' });
  });

  it('skips lines with a marker it does not know, as OpenSSH does, instead of trusting them', () => {
    const text = `@trusted 10.0.0.1 ssh-ed25519 ${KEY1}\n@future-marker 10.0.0.1 ssh-ed25519 ${KEY2}\n`;
    assert.deepEqual(entriesFor(text, '10.0.0.1', 'f'), []);
    assert.deepEqual(checkHostKey(entriesFor(text, '10.0.0.1', 'f'), blob(KEY1)), { status: 'unknown' });
  });

  it('decides trusted, unknown and changed (naming the known fingerprint)', () => {
    const entries = entriesFor(`10.0.0.1 ssh-ed25519 ${KEY1}`, '10.0.0.1', 'f');
    assert.deepEqual(checkHostKey(entries, blob(KEY1)), { status: 'trusted' });
    assert.deepEqual(checkHostKey([], blob(KEY1)), { status: 'unknown' });
    assert.deepEqual(checkHostKey(entries, blob(KEY2)), { status: 'changed', knownFingerprints: [FP1] });
  });

  it('reads the user file read-only and stores accepted keys in its own file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-kh-'));
    try {
      const userFile = path.join(dir, 'known_hosts');
      await fs.writeFile(userFile, HASHED + '\n');
      const ownFile = path.join(dir, 'own', 'known_hosts');
      const store = new KnownHostsStore({ userFile, ownFile });
      assert.equal((await store.check('10.9.8.7', 22, blob(KEY1))).status, 'trusted');
      assert.equal((await store.check('10.9.8.7', 2222, blob(KEY1))).status, 'changed');
      assert.equal((await store.check('10.1.1.1', 22, blob(KEY1))).status, 'unknown');
      await store.add('10.1.1.1', 22, blob(KEY1));
      await store.add('10.1.1.1', 2200, blob(KEY2));
      assert.equal((await store.check('10.1.1.1', 22, blob(KEY1))).status, 'trusted');
      assert.equal((await store.check('10.1.1.1', 2200, blob(KEY2))).status, 'trusted');
      assert.equal(await fs.readFile(userFile, 'utf8'), HASHED + '\n');
      assert.equal((await fs.stat(ownFile)).mode & 0o777, 0o600);
      assert.match(
        await fs.readFile(ownFile, 'utf8'),
        /^10\.1\.1\.1 ssh-ed25519 AAAA.*\n\[10\.1\.1\.1\]:2200 ssh-ed25519 /,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('records a key trusted by several connections at once (one shared answer) in one line', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-kh-'));
    try {
      const ownFile = path.join(dir, 'own', 'known_hosts');
      const store = new KnownHostsStore({ userFile: null, ownFile });
      const other = new KnownHostsStore({ userFile: null, ownFile });
      await Promise.all([
        store.add('10.1.1.1', 22, blob(KEY1)),
        store.add('10.1.1.1', 22, blob(KEY1)),
        other.add('10.1.1.1', 22, blob(KEY1)),
        store.add('10.1.1.1', 2200, blob(KEY1)),
      ]);
      assert.deepEqual((await fs.readFile(ownFile, 'utf8')).trim().split('\n'), [
        `10.1.1.1 ssh-ed25519 ${KEY1}`,
        `[10.1.1.1]:2200 ssh-ed25519 ${KEY1}`,
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('reads several user files in order, then its own; a key on record in any of them counts', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-kh-'));
    try {
      const first = path.join(dir, 'first');
      const second = path.join(dir, 'second');
      const ownFile = path.join(dir, 'own');
      await fs.writeFile(first, `10.0.0.1 ssh-ed25519 ${KEY1}\n`);
      await fs.writeFile(second, `10.0.0.2 ssh-ed25519 ${KEY2}\n`);
      await fs.writeFile(ownFile, `10.0.0.3 ssh-ed25519 ${KEY1}\n`);
      const store = new KnownHostsStore({ userFile: [first, second, path.join(dir, 'missing')], ownFile });
      assert.deepEqual(store.userFiles, [first, second, path.join(dir, 'missing')]);
      assert.equal((await store.check('10.0.0.1', 22, blob(KEY1))).status, 'trusted');
      assert.equal((await store.check('10.0.0.2', 22, blob(KEY2))).status, 'trusted');
      assert.equal((await store.check('10.0.0.3', 22, blob(KEY1))).status, 'trusted');
      assert.deepEqual(await store.check('10.0.0.2', 22, blob(KEY1)), {
        status: 'changed',
        knownFingerprints: [FP2],
      });
      assert.deepEqual(
        (await store.lookup('10.0.0.1', 22)).map((e) => e.source),
        [first],
      );
      assert.deepEqual(new KnownHostsStore({ userFile: null, ownFile }).userFiles, []);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("replaces a swapped VM's key: the new one trusted, the old one revoked in either file, the user's untouched", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-kh-'));
    try {
      // The user's file knows 10.9.8.7 by KEY1 (hashed); our own file knows 10.1.1.1 by KEY1 as well.
      const userFile = path.join(dir, 'known_hosts');
      await fs.writeFile(userFile, HASHED + '\n');
      const ownFile = path.join(dir, 'own_known_hosts');
      const store = new KnownHostsStore({ userFile, ownFile });
      await store.add('10.1.1.1', 22, blob(KEY1));
      await store.add('10.2.2.2', 22, blob(KEY1));
      for (const host of ['10.9.8.7', '10.1.1.1']) {
        await store.replace(host, 22, blob(KEY2));
        assert.equal((await store.check(host, 22, blob(KEY2))).status, 'trusted', host);
        assert.equal((await store.check(host, 22, blob(KEY1))).status, 'revoked', host);
      }
      // Another host with the same key is left alone; the user's file is never written.
      assert.equal((await store.check('10.2.2.2', 22, blob(KEY1))).status, 'trusted');
      assert.equal(await fs.readFile(userFile, 'utf8'), HASHED + '\n');
      const own = await fs.readFile(ownFile, 'utf8');
      assert.equal(own.match(/^10\.1\.1\.1 /gm)?.length, 1);
      assert.match(
        own,
        new RegExp(`^@revoked 10\\.9\\.8\\.7 ssh-ed25519 ${KEY1.replace(/[+/]/g, '\\$&')}$`, 'm'),
      );
      // Replacing again with the key already trusted changes nothing.
      await store.replace('10.1.1.1', 22, blob(KEY2));
      assert.equal(await fs.readFile(ownFile, 'utf8'), own);
      assert.equal((await fs.stat(ownFile)).mode & 0o777, 0o600);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('asks a known host for the key type on record first', () => {
    assert.equal(preferredHostKeyAlgorithms([])[0], 'ssh-ed25519');
    assert.deepEqual(preferredHostKeyAlgorithms(['ssh-rsa']).slice(0, 3), [
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    assert.equal(preferredHostKeyAlgorithms(['ecdsa-sha2-nistp256'])[0], 'ecdsa-sha2-nistp256');
  });
});
