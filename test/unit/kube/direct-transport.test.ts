// The direct transport against a loopback HTTPS server that demands a client certificate, with every
// request's agent replaced as the editor's proxy support does: API calls, a ListWatch over it (410 relist,
// bookmarks, end and loss of the stream) and pod logs (errors, follow until abort).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { DirectTransport } from '../../../src/kube/direct-transport';
import { loadK8s } from '../../../src/kube';
import type { K8sModule } from '../../../src/kube';
import { makePki } from '../../lab/pki';
import { overrideAgents } from '../../integration/kube/support/agent-override';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what} within ${ms} ms`);
    await sleep(10);
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

const node = (name: string, rv: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, resourceVersion: rv },
});
const event = (type: string, object: unknown) => JSON.stringify({ type, object }) + '\n';

describe('kube: direct transport (credentials on each request)', function () {
  this.timeout(30_000);
  let k8s: K8sModule;
  let tmp: string;
  let server: https.Server;
  let kubeconfig: string;
  let handler: Handler;
  let unauthorized = 0;
  const openResponses = new Set<ServerResponse>();
  let override: ReturnType<typeof overrideAgents> | undefined;

  before(async function () {
    this.timeout(60_000);
    k8s = await loadK8s();
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-direct-transport-'));
    const pki = await makePki(tmp, []);
    const read = (f: string) => fs.readFile(f);
    const [ca, cert, key, clientCert, clientKey] = await Promise.all(
      [pki.caCert, pki.serverCert, pki.serverKey, pki.clientCert, pki.clientKey].map(read),
    );
    server = https.createServer(
      { ca, cert, key, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        if (!(req.socket as TLSSocket).authorized) {
          unauthorized++;
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', code: 401, message: 'Unauthorized' }));
          return;
        }
        openResponses.add(res);
        res.on('close', () => openResponses.delete(res));
        handler(req, res, new URL(req.url ?? '/', 'https://127.0.0.1'));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const b64 = (b: Buffer) => b.toString('base64');
    kubeconfig = [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${b64(ca!)}`,
      `    server: https://127.0.0.1:${port}`,
      '  name: c',
      'contexts:',
      '- context: {cluster: c, user: admin}',
      '  name: ctx',
      'current-context: ctx',
      'kind: Config',
      'users:',
      '- name: admin',
      '  user:',
      `    client-certificate-data: ${b64(clientCert!)}`,
      `    client-key-data: ${b64(clientKey!)}`,
      '',
    ].join('\n');
    override = overrideAgents();
  });

  after(async () => {
    override?.restore();
    for (const res of openResponses) res.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    unauthorized = 0;
  });

  it('gives up on a server that accepts and never answers: each call times out, and a cancel ends it at once', async () => {
    handler = () => undefined; // accepted, never answered
    const transport = new DirectTransport(k8s, kubeconfig, { requestMs: 300, streamOpenMs: 300 });
    await assert.rejects(transport.api(k8s.CoreV1Api).listNode(), /did not answer within 300 ms/);
    const controller = new AbortController();
    const listing = transport.api(k8s.CoreV1Api, { signal: controller.signal, timeoutMs: 60_000 }).listNode();
    controller.abort();
    await assert.rejects(listing, /abort/i);
    let watchError: unknown;
    await transport.watch(
      '/api/v1/nodes',
      {},
      () => undefined,
      (err) => (watchError = err),
    );
    assert.match(String(watchError), /did not answer/);
  });

  it('sends API calls with the client certificate although the agent is replaced', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'NodeList', metadata: {}, items: [node('a', '1')] }));
    };
    const core = new DirectTransport(k8s, kubeconfig).api(k8s.CoreV1Api);
    const before = override!.requests;
    const list = await core.listNode();
    assert.deepEqual(
      list.items.map((n) => n.metadata?.name),
      ['a'],
    );
    assert.equal(unauthorized, 0);
    assert.ok(override!.requests > before, 'the request bypassed the overridden https module');
    // Control: the library's own client (credentials on its agent) is refused under the same override.
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig);
    await assert.rejects(kc.makeApiClient(k8s.CoreV1Api).listNode());
  });

  it('drives a ListWatch: relists on 410, follows bookmarks, resumes after the server ends the watch', async () => {
    const lists: string[] = [];
    const watches: Array<{ rv: string; res: ServerResponse }> = [];
    handler = (_req, res, url) => {
      if (url.searchParams.get('watch') !== 'true') {
        const rv = String(lists.length + 1);
        lists.push(rv);
        const items = lists.length === 1 ? [node('a', '1')] : [node('a', '1'), node('b', '5')];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'NodeList',
            metadata: { resourceVersion: rv === '1' ? '1' : '5' },
            items,
          }),
        );
        return;
      }
      const rv = url.searchParams.get('resourceVersion') ?? '';
      watches.push({ rv, res });
      if (watches.length === 1) {
        // Too old: the informer must list again from scratch.
        res.writeHead(410, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    };
    const transport = new DirectTransport(k8s, kubeconfig);
    const core = transport.api(k8s.CoreV1Api);
    const errors: unknown[] = [];
    const informer = new k8s.ListWatch<K8s.V1Node>(
      '/api/v1/nodes',
      transport.asWatch(),
      () => core.listNode() as unknown as Promise<K8s.KubernetesListObject<K8s.V1Node>>,
      false,
    );
    informer.on('error', (err) => errors.push(err));
    try {
      await informer.start();
      // Like k8s.Watch, watch() reports the 410 through done() (which relists) before it resolves.
      await waitFor('a relist and a second watch after 410', () => watches.length === 2);
      assert.equal(lists.length, 2);
      assert.deepEqual(
        watches.map((w) => w.rv),
        ['1', '5'],
      );
      assert.deepEqual(
        informer
          .list()
          .map((n) => n.metadata?.name)
          .sort(),
        ['a', 'b'],
      );
      const open = watches[1]!.res;
      open.write(event('ADDED', node('c', '6')));
      open.write(event('BOOKMARK', { kind: 'Node', metadata: { resourceVersion: '9' } }));
      await waitFor('c and the bookmark', () => informer.latestResourceVersion() === '9');
      assert.ok(informer.get('c'));
      // The server ends the watch (its timeout): the informer resumes from the bookmark, no relist.
      open.end();
      await waitFor('a third watch', () => watches.length === 3);
      assert.equal(watches[2]!.rv, '9');
      assert.equal(lists.length, 2);
      assert.deepEqual(errors, []);
      // A connection lost mid-stream is an error for the caller (WatchCache restarts with backoff).
      watches[2]!.res.socket?.destroy();
      await waitFor('the error', () => errors.length === 1);
      assert.match(String(errors[0]), /connection lost|aborted|socket hang up|ECONNRESET/);
      assert.equal(unauthorized, 0);
    } finally {
      await informer.stop();
    }
  });

  it('stops a watch on abort without calling done, and reports HTTP errors with their status', async () => {
    let served: 'no' | 'open' | 'closed' = 'no';
    handler = (_req, res) => {
      served = 'open';
      res.on('close', () => (served = 'closed'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    };
    const transport = new DirectTransport(k8s, kubeconfig);
    const done: unknown[] = [];
    const controller = await transport.watch(
      '/api/v1/pods',
      {},
      () => undefined,
      (err) => done.push(err),
    );
    assert.equal(served, 'open', 'watch() resolved before the server answered');
    controller.abort();
    await waitFor('the server to see the watch go', () => served === 'closed');
    await sleep(50);
    assert.equal(done.length, 0, 'done() was called after abort()');

    handler = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{}');
    };
    await transport.watch(
      '/api/v1/pods',
      {},
      () => undefined,
      (err) => done.push(err),
    );
    // watch() resolves only after done() has said why the watch did not open.
    assert.equal(done.length, 1);
    assert.equal((done[0] as { statusCode?: number }).statusCode, 403);
  });

  it('streams a followed pod log until aborted, and rejects a missing pod with its status', async () => {
    let logClosed = false;
    handler = (_req, res, url) => {
      if (url.pathname.includes('/missing/')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 404, message: 'pods "missing" not found' }));
        return;
      }
      assert.equal(url.searchParams.get('container'), 'main');
      assert.equal(url.searchParams.get('follow'), 'true');
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const timer = setInterval(() => res.write(`line ${n++}\n`), 20);
      res.on('close', () => {
        clearInterval(timer);
        logClosed = true;
      });
    };
    const transport = new DirectTransport(k8s, kubeconfig);
    await assert.rejects(
      transport.log('default', 'missing', 'main', new PassThrough(), {}),
      (err: { code?: number; message?: string }) => err.code === 404 && /not found/.test(err.message ?? ''),
    );
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const controller = await transport.log('default', 'p', 'main', stream, { follow: true });
    await waitFor('three lines', () => text.split('\n').length > 3);
    assert.match(text, /^line 0\nline 1\nline 2\n/);
    controller.abort();
    await waitFor('the server to see the log go', () => logClosed);
    assert.equal(unauthorized, 0);
  });
});
