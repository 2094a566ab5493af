// The Gateway Manager probe verifies the certificate: a server whose certificate this machine does not trust is
// reported as answering the handshake, and no request reaches it; trusted through its CA, it is asked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { httpsProbe } from '../../../src/clusters/https-probe';

describe('clusters: the HTTPS probe of the Gateway Manager', function () {
  this.timeout(20_000);
  let dir: string;
  let server: https.Server;
  let url: string;
  let cert: string;
  const requests: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gc-https-probe-'));
    // A self-signed certificate for 127.0.0.1, as a Gateway Manager serves one.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=gateway-manager',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      requests.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an untrusted certificate as a handshake only, and sends it no request', async () => {
    const reply = await httpsProbe().get(url, new AbortController().signal);
    assert.deepEqual(reply, { status: 0, untrusted: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    assert.deepEqual(requests, [], 'nothing is asked of a server this machine cannot verify');
  });

  it('asks a server whose certificate it trusts (its CA given), and returns the status', async () => {
    const reply = await httpsProbe([cert]).get(url, new AbortController().signal);
    assert.deepEqual(reply, { status: 200 });
    assert.deepEqual(requests, ['/']);
  });

  it('rejects when nothing answers', async () => {
    const closed = https.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(
      httpsProbe().get(`https://127.0.0.1:${port}/`, new AbortController().signal),
      /ECONNREFUSED/,
    );
  });
});
