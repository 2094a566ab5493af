// Keys and certificates for the lab, made with the ssh-keygen and openssl CLIs at `up`.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './sys';

export interface HostKey {
  publicKey: string;
  fingerprint: string;
}

/** Generates an ed25519 key pair (no passphrase); replaces an existing one. */
export async function sshKeygen(path: string, comment: string): Promise<void> {
  rmSync(path, { force: true });
  rmSync(path + '.pub', { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

export function readHostKey(path: string): HostKey {
  const publicKey = readFileSync(path + '.pub', 'utf8')
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  const blob = Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
  const fingerprint = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { publicKey, fingerprint };
}

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export function pkiPaths(dir: string): Pki {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'admin.crt'),
    clientKey: join(dir, 'admin.key'),
  };
}

/**
 * A CA, one API server certificate whose SANs cover every node address (and the floating IP), and an
 * admin client certificate (CN=admin, O=system:masters), as MicroK8s' own PKI has. EC keys: fast to make.
 */
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** The lab's CA (kept across `up`s): it signs the API server's and the gateways' certificates. */
export async function ensureCa(dir: string): Promise<{ caCert: string; caKey: string }> {
  mkdirSync(dir, { recursive: true });
  const caCert = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  if (!existsSync(caKey) || !existsSync(caCert)) {
    await run('openssl', [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      caKey,
      '-out',
      caCert,
      '-days',
      '3650',
      '-subj',
      '/CN=10.152.183.1',
    ]);
  }
  return { caCert, caKey };
}

/** A key and a certificate signed by the lab's CA, with the given subject and extensions. */
export async function signLeaf(
  dir: string,
  key: string,
  cert: string,
  subj: string,
  ext: string,
): Promise<void> {
  const { caCert, caKey } = await ensureCa(dir);
  const extFile = cert + '.ext';
  writeFileSync(extFile, ext);
  const csr = await run('openssl', ['req', ...EC, '-keyout', key, '-subj', subj]);
  await run(
    'openssl',
    [
      'x509',
      '-req',
      '-CA',
      caCert,
      '-CAkey',
      caKey,
      '-set_serial',
      '0x' + randomBytes(8).toString('hex'),
      '-days',
      '3650',
      '-extfile',
      extFile,
      '-out',
      cert,
    ],
    csr,
  );
}

/**
 * A CA, one API server certificate whose SANs cover every node address (and the floating IP), and an
 * admin client certificate (CN=admin, O=system:masters), as MicroK8s' own PKI has. EC keys: fast to make.
 */
export async function makePki(dir: string, sanIps: string[]): Promise<Pki> {
  const pki = pkiPaths(dir);
  await ensureCa(dir);
  const sans = ['DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:localhost']
    .concat(
      ['IP:127.0.0.1', 'IP:10.152.183.1'],
      sanIps.map((ip) => `IP:${ip}`),
    )
    .join(',');
  // Certificates for the same addresses are reused: openssl is most of a warm `up`'s time otherwise.
  const sansFile = join(dir, 'sans.txt');
  const fresh = [pki.serverCert, pki.serverKey, pki.clientCert, pki.clientKey, sansFile].every((f) =>
    existsSync(f),
  );
  if (fresh && readFileSync(sansFile, 'utf8') === sans) return pki;
  rmSync(sansFile, { force: true });
  await Promise.all([
    signLeaf(
      dir,
      pki.serverKey,
      pki.serverCert,
      '/CN=127.0.0.1',
      `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
    ),
    signLeaf(
      dir,
      pki.clientKey,
      pki.clientCert,
      '/CN=admin/O=system:masters',
      'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
    ),
  ]);
  writeFileSync(sansFile, sans);
  return pki;
}

/** MicroK8s' join "check": the first 12 hex digits of the SHA-256 of the API server certificate (DER). */
export function certCheck(certPem: string): string {
  const der = new X509Certificate(certPem).raw;
  return createHash('sha256').update(der).digest('hex').slice(0, 12);
}
