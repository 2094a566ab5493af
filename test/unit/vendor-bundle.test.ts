// The vendor files (dist/vendor/*.js) export only what src/ uses (scripts/vendor-entries/): built here exactly
// as the production build does, then loaded with plain require, as the packaged extension loads them.
import assert from 'node:assert/strict';
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import * as esbuild from 'esbuild';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import * as ssh2 from 'ssh2';
import { missingNames, usedVendorNames } from '../../scripts/vendor-entries/used-names';
import { vendorBuild, vendorFile } from '../../scripts/vendor-entries/vendor-builds';

type Ssh2Module = typeof ssh2;

/** What the code around the client relies on even where src/ does not name it today. */
const K8S_KEPT = [
  'KubeConfig',
  'CoreV1Api',
  'CustomObjectsApi',
  'ApiException',
  'ListWatch',
  'Watch',
  'Log',
  'AddOptionsToSearchParams',
  'wrapHttpLibrary',
  'createConfiguration',
  'ServerConfiguration',
  'ResponseContext',
  'setHeaderOptions',
  'PatchStrategy',
];

const listen = (server: HttpServer) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

describe('vendor bundles (dist/vendor)', function () {
  // Bundling and minifying the Kubernetes client takes seconds on a loaded machine.
  this.timeout(180_000);
  let outDir: string;
  let k8s: typeof K8s;
  let ssh: Ssh2Module;
  const used = usedVendorNames('src');

  before(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), 'gc-vendor-'));
    await Promise.all(
      (['ssh2', '@kubernetes/client-node'] as const).map((name) =>
        esbuild.build(vendorBuild(name, outDir, { minify: true, logLevel: 'silent' })),
      ),
    );
    const load = createRequire(path.join(outDir, 'index.js'));
    k8s = load(`./${vendorFile('@kubernetes/client-node')}.js`) as typeof K8s;
    ssh = load(`./${vendorFile('ssh2')}.js`) as Ssh2Module;
  });

  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('finds what src/ uses of both clients', () => {
    for (const name of ['CoreV1Api', 'wrapHttpLibrary', 'createConfiguration'])
      assert.ok(used.k8s.includes(name), name);
    assert.ok(used.ssh2.includes('Client'));
    assert.ok(used.ssh2.includes('utils.parseKey'));
    // Types are erased: K8s.V1Pod and friends in type positions are not runtime names.
    assert.ok(!used.k8s.some((name) => name.startsWith('V1')), used.k8s.join(', '));
  });

  it('exports every name src/ uses, and the kept client API', () => {
    const k8sExports = k8s as unknown as Record<string, unknown>;
    assert.deepEqual(missingNames(used.k8s, k8sExports), []);
    assert.deepEqual(missingNames(K8S_KEPT, k8sExports), []);
    assert.deepEqual(missingNames(used.ssh2, ssh as unknown as Record<string, unknown>), []);
    assert.deepEqual(missingNames(['no-such-name', 'utils.noSuchName'], { utils: {} }), [
      'no-such-name',
      'utils.noSuchName',
    ]);
  });

  it('is far smaller than the whole Kubernetes client: the generated APIs src/ does not use stay out', () => {
    const exports = k8s as unknown as Record<string, unknown>;
    // AppsV1Api (restart, scale, rollout), Exec and PortForward are in: src/kube uses them.
    for (const name of ['BatchV1Api', 'NetworkingV1Api', 'Attach', 'Cp', 'Metrics']) {
      assert.equal(exports[name], undefined, name);
    }
  });

  it('CoreV1Api requests go through a wrapped HTTP library and come back as typed objects', async () => {
    const requests: Array<{ url: string; method: string; headers: Record<string, string>; body: unknown }> =
      [];
    const httpApi = k8s.wrapHttpLibrary({
      send: async (request) => {
        requests.push({
          url: request.getUrl(),
          method: request.getHttpMethod().toString(),
          headers: request.getHeaders(),
          body: request.getBody(),
        });
        const reply = JSON.stringify({
          kind: 'NodeList',
          apiVersion: 'v1',
          metadata: {},
          items: [{ metadata: { name: 'node-1', creationTimestamp: '2026-01-02T03:04:05Z' }, spec: {} }],
        });
        return new k8s.ResponseContext(
          200,
          { 'content-type': 'application/json' },
          { text: async () => reply, binary: async () => Buffer.from(reply) },
        );
      },
    });
    const config = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration('https://10.0.0.1:16443', {}),
      httpApi,
    });
    const core = new k8s.CoreV1Api(config);
    const list = await core.listNode({ labelSelector: 'a=b' });
    assert.equal(list.items[0]?.metadata?.name, 'node-1');
    // The model serializer (ObjectSerializer's type map) came along: dates are Date objects.
    assert.ok(list.items[0]?.metadata?.creationTimestamp instanceof Date);
    assert.equal(requests[0]?.url, 'https://10.0.0.1:16443/api/v1/nodes?labelSelector=a%3Db');
    assert.equal(requests[0]?.method, 'GET');

    await core.patchNode(
      { name: 'node-1', body: { spec: { unschedulable: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(requests[1]?.method, 'PATCH');
    assert.equal(requests[1]?.headers['Content-Type'], 'application/merge-patch+json');
    assert.deepEqual(JSON.parse(String(requests[1]?.body)), { spec: { unschedulable: true } });

    const custom = new k8s.CustomObjectsApi(config);
    assert.equal(typeof custom.listClusterCustomObject, 'function');
    const params = new URLSearchParams();
    k8s.AddOptionsToSearchParams({ follow: true, tailLines: 5 }, params);
    assert.equal(params.get('tailLines'), '5');
  });

  it('KubeConfig, Watch and Log talk to a server over node-fetch (Node URL, no whatwg-url)', async () => {
    const seen: Array<{ url: string; authorization: string | undefined }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url?.startsWith('/api/v1/nodes')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'node-1' } } })}\n`);
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('line one\nline two\n');
      }
    });
    const port = await listen(server);
    try {
      const token = randomBytes(8).toString('hex');
      const kc = new k8s.KubeConfig();
      // Plain HTTP on loopback needs skipTLSVerify in the client library; nothing leaves this process.
      kc.loadFromString(
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{ name: c, cluster: { server: "http://127.0.0.1:' +
            port +
            '", insecure-skip-tls-verify: true } }]',
          `users: [{ name: u, user: { token: "${token}" } }]`,
          'contexts: [{ name: x, context: { cluster: c, user: u } }]',
          'current-context: x',
        ].join('\n'),
      );
      const events: Array<[string, unknown]> = [];
      await new Promise<void>((resolve, reject) => {
        new k8s.Watch(kc)
          .watch(
            '/api/v1/nodes',
            {},
            (type, obj) => events.push([type, obj]),
            (err) => (err ? reject(err) : resolve()),
          )
          .catch(reject);
      });
      assert.deepEqual(events, [['ADDED', { metadata: { name: 'node-1' } }]]);

      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      const ended = new Promise((resolve) => out.on('end', resolve));
      await new k8s.Log(kc).log('default', 'pod-1', 'main', out, { follow: false });
      await ended;
      assert.equal(Buffer.concat(chunks).toString(), 'line one\nline two\n');
      assert.match(seen[0]?.url ?? '', /^\/api\/v1\/nodes\?watch=true/);
      assert.match(
        seen[1]?.url ?? '',
        /^\/api\/v1\/namespaces\/default\/pods\/pod-1\/log\?container=main&follow=false/,
      );
      assert.deepEqual(
        seen.map((s) => s.authorization),
        [`Bearer ${token}`, `Bearer ${token}`],
      );
    } finally {
      server.close();
    }
  });

  it('ssh2: the bundled Client connects, verifies the host key and runs a command (pure-JS crypto)', async () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const parsed = ssh.utils.parseKey(rsa.privateKey);
    assert.ok(!(parsed instanceof Error) && !Array.isArray(parsed), String(parsed));
    assert.equal(parsed.type, 'ssh-rsa');

    // The server is the package's own (not in the bundle); only the client side is under test.
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
    const password = randomBytes(8).toString('hex');
    const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (conn) => {
      conn.on('authentication', (ctx) =>
        ctx.method === 'password' && ctx.password === password ? ctx.accept() : ctx.reject(['password']),
      );
      conn.on('ready', () =>
        conn.on('session', (accept) =>
          accept().once('exec', (acceptExec, _reject, info) => {
            const stream = acceptExec();
            stream.write(`ran ${info.command}`);
            stream.exit(0);
            stream.end();
          }),
        ),
      );
      conn.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const expectedKey = ssh2.utils.parseKey(hostKey.public);
    assert.ok(!(expectedKey instanceof Error) && !Array.isArray(expectedKey));
    const client = new ssh.Client();
    try {
      const output = await new Promise<string>((resolve, reject) => {
        client.on('error', reject);
        client.on('ready', () =>
          client.exec('hostname', (err, stream) => {
            if (err) return reject(err);
            let text = '';
            stream.on('data', (d: Buffer) => (text += d.toString()));
            stream.on('close', () => resolve(text));
          }),
        );
        client.connect({
          host: '127.0.0.1',
          port,
          username: 'test',
          password,
          hostVerifier: (key: Buffer) => key.equals(expectedKey.getPublicSSH()),
        });
      });
      assert.equal(output, 'ran hostname');
    } finally {
      client.end();
      server.close();
    }
  });
});
