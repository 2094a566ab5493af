// The lab grown for deploy and register: Secrets, ConfigMaps and Services in the fake API (raw HTTPS and
// @kubernetes/client-node), the fake helm's releases (pods that turn Ready, the gateway-manager Service
// on the floating IP), the fake Gateway Manager's registration states, containerd-env and stop/start.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { createLab, type LabInfo } from '../lab/index';
import { connect, exec } from './support/lab-ssh';

const lab = createLab('gclabdep');
const PREFIX = '10.250.3';
const PASSWORD = 'Lab-Manager-Pa55word-7c1d';
const TOKEN = 'lab-activation-token-5f2e9a';

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  json: Json;
}

function request(
  info: LabInfo,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  node = 1,
): Promise<Reply> {
  const target = info.nodes[node - 1];
  assert.ok(target);
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: target.address,
        port: target.apiPort,
        method,
        path,
        ca: readFileSync(info.kube.caCertPath),
        headers: {
          Authorization: `Bearer ${info.kube.token}`,
          ...(text !== undefined ? { 'Content-Type': contentType } : {}),
        },
        agent: false,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: data ? (JSON.parse(data) as Json) : {} });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

interface WatchEvent {
  type: string;
  object: Json;
}

/** A raw watch: every event line, and a way to wait for one that matches. */
class RawWatch {
  readonly events: WatchEvent[] = [];
  private waiters: Array<() => void> = [];
  private res?: IncomingMessage;
  private req?: ReturnType<typeof https.get>;
  ended = false;

  constructor(
    private readonly info: LabInfo,
    private readonly path: string,
  ) {}

  start(): Promise<this> {
    const node = this.info.nodes[0];
    assert.ok(node);
    return new Promise((resolve, reject) => {
      this.req = https.get(
        {
          host: node.address,
          port: node.apiPort,
          path: this.path,
          ca: readFileSync(this.info.kube.caCertPath),
          headers: { Authorization: `Bearer ${this.info.kube.token}` },
          agent: false,
        },
        (res) => {
          this.res = res;
          assert.equal(res.statusCode, 200);
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let newline: number;
            while ((newline = buffer.indexOf('\n')) >= 0) {
              this.events.push(JSON.parse(buffer.slice(0, newline)) as WatchEvent);
              buffer = buffer.slice(newline + 1);
            }
            this.wake();
          });
          res.on('end', () => {
            this.ended = true;
            this.wake();
          });
          res.on('error', () => undefined);
          resolve(this);
        },
      );
      this.req.on('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  async waitFor(what: string, match: (e: WatchEvent) => boolean, timeoutMs = 5000): Promise<WatchEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.ended) throw new Error(`watch ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; saw ${this.summary()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  summary(): string {
    return this.events
      .map((e) => `${e.type} ${String((e.object.metadata as Json | undefined)?.name ?? '')}`)
      .join(', ');
  }

  close(): void {
    this.res?.destroy();
    this.req?.destroy();
  }
}

const nameOf = (o: Json): string => String((o.metadata as Json).name);
const rvOf = (o: Json): string => String((o.metadata as Json).resourceVersion);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The deploy operation's way of installing a chart: pull into a temporary folder, install from it. */
function helmScript(release: string, extra: string): string {
  return [
    'set -e',
    'd=$(mktemp -d)',
    `trap 'rm -rf "$d"' EXIT`,
    `microk8s helm3 pull oci://registry.example/charts/${release} --version 0.9.6 --untar --untardir "$d"`,
    `microk8s helm3 upgrade --install ${release} "$d"/${release} --namespace default ${extra}`,
  ].join('\n');
}

/** Every file under a folder (the lab's logs and state), for secret searches. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.size < 20_000_000) out.push(path);
  }
  return out;
}

describe('the lab for deploy and register', function () {
  this.timeout(30_000);
  let info: LabInfo;
  let upMs = 0;
  let ssh: Client;
  const watches: RawWatch[] = [];
  const watch = async (path: string): Promise<RawWatch> => {
    const w = await new RawWatch(info, path).start();
    watches.push(w);
    return w;
  };

  before(async () => {
    const started = Date.now();
    info = await lab.up({
      nodes: 3,
      state: 'joined',
      subnetPrefix: PREFIX,
      releaseReadyDelayMs: 600,
      registrationStepMs: 150,
      invalidTokens: ['revoked-token-0001'],
    });
    upMs = Date.now() - started;
    ssh = await connect(info, 1);
  });

  afterEach(() => {
    for (const w of watches.splice(0)) w.close();
  });

  after(async () => {
    ssh?.end();
    await lab.down();
  });

  // Timing goals are bench/lab's; here only that the deployed-capable lab is complete.
  it('comes up with 3 nodes', () => {
    assert.equal(info.nodes.length, 3);
    console.log(`      lab up: ${upMs} ms`);
  });

  it('serves Secrets: create (stringData → base64), get, replace, patch, delete, each seen by a watch', async () => {
    const base = '/api/v1/namespaces/default/secrets';
    const list = await request(info, 'GET', base);
    assert.equal(list.status, 200);
    assert.equal(list.json.kind, 'SecretList');
    const w = await watch(`${base}?watch=true&resourceVersion=${rvOf(list.json)}`);

    const created = await request(info, 'POST', base, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'lab-secret', labels: { purpose: 'test' } },
      stringData: { token: 's3cr3t' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.kind, 'Secret');
    assert.equal(created.json.type, 'Opaque');
    assert.deepEqual(created.json.data, { token: Buffer.from('s3cr3t').toString('base64') });
    assert.equal(created.json.stringData, undefined);

    const again = await request(info, 'POST', base, { metadata: { name: 'lab-secret' }, data: {} });
    assert.equal(again.status, 409);
    assert.equal(again.json.reason, 'AlreadyExists');

    const got = await request(info, 'GET', `${base}/lab-secret`);
    assert.equal(got.status, 200);
    assert.equal(rvOf(got.json), rvOf(created.json));

    const stale = await request(info, 'PUT', `${base}/lab-secret`, {
      metadata: { name: 'lab-secret', resourceVersion: '1' },
      data: { token: Buffer.from('x').toString('base64') },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');

    const replaced = await request(info, 'PUT', `${base}/lab-secret`, {
      metadata: { name: 'lab-secret', resourceVersion: rvOf(got.json) },
      data: { token: Buffer.from('other').toString('base64') },
      stringData: { extra: 'plain' },
    });
    assert.equal(replaced.status, 200);
    assert.deepEqual(Object.keys(replaced.json.data as Json).sort(), ['extra', 'token']);
    assert.equal((replaced.json.metadata as Json).uid, (created.json.metadata as Json).uid);

    const patched = await request(
      info,
      'PATCH',
      `${base}/lab-secret`,
      { stringData: { more: 'yes' } },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200);
    assert.equal((patched.json.data as Json).more, Buffer.from('yes').toString('base64'));

    const jsonPatched = await request(
      info,
      'PATCH',
      `${base}/lab-secret`,
      [{ op: 'remove', path: '/data/extra' }],
      'application/json-patch+json',
    );
    assert.equal(jsonPatched.status, 200);
    assert.deepEqual(Object.keys(jsonPatched.json.data as Json).sort(), ['more', 'token']);

    const deleted = await request(info, 'DELETE', `${base}/lab-secret`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.json.status, 'Success');
    assert.equal((await request(info, 'GET', `${base}/lab-secret`)).status, 404);

    await w.waitFor('the DELETED event', (e) => e.type === 'DELETED');
    const mine = w.events.filter((e) => nameOf(e.object) === 'lab-secret');
    assert.deepEqual(
      mine.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED'],
    );
    assert.ok(mine.every((e) => e.object.kind === 'Secret'));
    const rvs = mine.map((e) => Number(rvOf(e.object)));
    assert.deepEqual(
      rvs,
      [...rvs].sort((a, b) => a - b),
    );
  });

  it('refuses bad Secrets and ConfigMaps with the API server codes', async () => {
    const bad64 = await request(info, 'POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'bad' },
      data: { k: 'not base64!' },
    });
    assert.equal(bad64.status, 400);
    const badName = await request(info, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'Bad_Name' },
      data: {},
    });
    assert.equal(badName.status, 422);
    const noNamespace = await request(info, 'POST', '/api/v1/namespaces/nowhere/configmaps', {
      metadata: { name: 'x' },
    });
    assert.equal(noNamespace.status, 404);
    const notJson = await request(info, 'POST', '/api/v1/namespaces/default/configmaps', '{not json');
    assert.equal(notJson.status, 400);
    const numberValue = await request(info, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'numbers' },
      data: { n: 1 },
    });
    assert.equal(numberValue.status, 400);
    await request(info, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'target' } });
    const missingPath = await request(
      info,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/target',
      [{ op: 'remove', path: '/data/nothing' }],
      'application/json-patch+json',
    );
    assert.equal(missingPath.status, 422);
    const oddType = await request(
      info,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/target',
      {},
      'text/plain',
    );
    assert.equal(oddType.status, 415);
    const clusterWidePost = await request(info, 'POST', '/api/v1/secrets', { metadata: { name: 'x' } });
    assert.equal(clusterWidePost.status, 405);
    const badService = await request(info, 'POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'no-ports' },
      spec: { type: 'ClusterIP' },
    });
    assert.equal(badService.status, 422);
    const array = await request(info, 'PUT', '/api/v1/namespaces/default/configmaps/target', '[1,2]');
    assert.equal(array.status, 400);
    await request(info, 'DELETE', '/api/v1/namespaces/default/configmaps/target');
    // The controller is still there.
    assert.equal((await request(info, 'GET', '/api/v1/configmaps')).status, 200);
  });

  it('serves ConfigMaps cluster-wide and by name, with bookmarks and 410 for an expired resourceVersion', async () => {
    const all = await request(info, 'GET', '/api/v1/configmaps');
    assert.equal(all.json.kind, 'ConfigMapList');
    const roots = (all.json.items as Json[]).filter((o) => nameOf(o) === 'kube-root-ca.crt');
    assert.equal(roots.length, 4);
    assert.match(String((roots[0]?.data as Json)['ca.crt']), /BEGIN CERTIFICATE/);

    const base = '/api/v1/namespaces/default/configmaps';
    const w = await watch(
      `${base}?watch=true&allowWatchBookmarks=true&fieldSelector=${encodeURIComponent('metadata.name=lab-cm')}`,
    );
    await request(info, 'POST', base, { metadata: { name: 'other-cm' }, data: { a: '1' } });
    await request(info, 'POST', base, { metadata: { name: 'lab-cm' }, data: { a: '1' } });
    const patched = await request(
      info,
      'PATCH',
      `${base}/lab-cm`,
      { data: { b: '2' } },
      'application/strategic-merge-patch+json',
    );
    assert.deepEqual(patched.json.data, { a: '1', b: '2' });
    await w.waitFor('the MODIFIED event', (e) => e.type === 'MODIFIED');
    await w.waitFor('a bookmark', (e) => e.type === 'BOOKMARK', 2500);
    assert.ok(w.events.filter((e) => e.type !== 'BOOKMARK').every((e) => nameOf(e.object) === 'lab-cm'));

    const expired = await watch(`${base}?watch=true&resourceVersion=1`);
    const error = await expired.waitFor('the 410', (e) => e.type === 'ERROR');
    assert.equal(error.object.code, 410);
    await request(info, 'DELETE', `${base}/lab-cm`);
    await request(info, 'DELETE', `${base}/other-cm`);
  });

  it('works with @kubernetes/client-node 1.4.0 (Secrets and ConfigMaps)', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    const node = info.nodes[1];
    assert.ok(node);
    kc.loadFromOptions({
      clusters: [
        {
          name: 'lab',
          server: `https://${node.address}:${node.apiPort}`,
          caData: readFileSync(info.kube.caCertPath).toString('base64'),
        },
      ],
      users: [{ name: 'admin', token: info.kube.token }],
      contexts: [{ name: 'lab', cluster: 'lab', user: 'admin' }],
      currentContext: 'lab',
    });
    const core: K8s.CoreV1Api = kc.makeApiClient(k8s.CoreV1Api);
    const namespace = 'default';
    const created = await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'client-secret' }, stringData: { key: 'value' } },
    });
    assert.equal(created.data?.key, Buffer.from('value').toString('base64'));
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    const read = await core.readNamespacedSecret({ namespace, name: 'client-secret' });
    await core.replaceNamespacedSecret({
      namespace,
      name: 'client-secret',
      body: { metadata: { name: 'client-secret', namespace }, type: 'Opaque', stringData: { key: 'new' } },
    });
    const reread = await core.readNamespacedSecret({ namespace, name: 'client-secret' });
    assert.equal(Buffer.from(reread.data?.key ?? '', 'base64').toString(), 'new');
    assert.notEqual(reread.metadata?.resourceVersion, read.metadata?.resourceVersion);
    const status = await core.deleteNamespacedSecret({ namespace, name: 'client-secret' });
    assert.equal(status.status, 'Success');
    await assert.rejects(core.readNamespacedSecret({ namespace, name: 'client-secret' }), (e: unknown) => {
      return (e as { code?: number }).code === 404;
    });
    const cm = await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'client-cm' }, data: { a: 'b' } },
    });
    assert.equal(cm.data?.a, 'b');
    const services = await core.listServiceForAllNamespaces();
    assert.ok(services.items.some((s) => s.metadata?.name === 'kubernetes'));
    await core.deleteNamespacedConfigMap({ namespace, name: 'client-cm' });
  });

  it('helm refuses the ha storage values without NFS and the manager without a password', async () => {
    const storage = await exec(
      ssh,
      helmScript('gateway-persistent-storage', '-f "$d"/gateway-persistent-storage/cluster.yaml'),
    );
    assert.equal(storage.code, 1);
    assert.match(storage.stderr, /Error: INSTALLATION FAILED: .*nfs\.server and nfs\.path are required/);
    const manager = await exec(ssh, helmScript('gateway-manager', '-f "$d"/gateway-manager/cluster.yaml'));
    assert.equal(manager.code, 1);
    assert.match(manager.stderr, /secrets\.defaultPassword is required/);
    assert.deepEqual((await lab.snapshot()).releases, []);
  });

  it('installs both charts: pods turn Ready after a delay, the Service gets the floating IP', async () => {
    const pods = await request(info, 'GET', '/api/v1/namespaces/default/pods');
    const podWatch = await watch(
      `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rvOf(pods.json)}&labelSelector=${encodeURIComponent('app.kubernetes.io/instance=gateway-manager')}`,
    );
    const services = await request(info, 'GET', '/api/v1/namespaces/default/services');
    const serviceWatch = await watch(
      `/api/v1/namespaces/default/services?watch=true&resourceVersion=${rvOf(services.json)}`,
    );
    const storage = await exec(
      ssh,
      helmScript(
        'gateway-persistent-storage',
        `-f "$d"/gateway-persistent-storage/cluster.yaml --set nfs.server=${PREFIX}.1 --set 'nfs.path=/srv/gateway\\,cluster'`,
      ),
    );
    assert.equal(storage.code, 0, storage.stderr);
    const started = Date.now();
    const manager = await exec(
      ssh,
      helmScript('gateway-manager', '-f "$d"/gateway-manager/cluster.yaml -f -'),
      `secrets:\n  defaultPassword: ${JSON.stringify(PASSWORD)}\n`,
    );
    assert.equal(manager.code, 0, manager.stderr);
    assert.match(
      manager.stdout,
      /Release "gateway-manager" does not exist\. Installing it now\.\nNAME: gateway-manager\n/,
    );

    const ready = (e: WatchEvent): boolean =>
      ((e.object.status as Json | undefined)?.conditions as Json[] | undefined)?.some(
        (c) => c.type === 'Ready' && c.status === 'True',
      ) ?? false;
    const running = await podWatch.waitFor(
      'a Running, not yet Ready pod',
      (e) => (e.object.status as Json).phase === 'Running' && !ready(e),
    );
    assert.ok(running);
    await podWatch.waitFor('a Ready pod', ready, 5000);
    const readyAfter = Date.now() - started;
    assert.ok(readyAfter >= 500, `Ready after ${readyAfter} ms`);
    const readyNames = new Set<string>();
    await podWatch.waitFor('both pods Ready', (e) => {
      if (ready(e)) readyNames.add(nameOf(e.object));
      return readyNames.size === 2;
    });

    const withIp = await serviceWatch.waitFor('the gateway-manager Service with an address', (e) => {
      const ingress = ((e.object.status as Json).loadBalancer as Json).ingress as Json[] | undefined;
      return nameOf(e.object) === 'gateway-manager' && Boolean(ingress?.[0]?.ip);
    });
    const spec = withIp.object.spec as Json;
    assert.equal(spec.type, 'LoadBalancer');
    assert.equal((spec.ports as Json[])[0]?.port, 5480);
    assert.equal(
      (((withIp.object.status as Json).loadBalancer as Json).ingress as Json[])[0]?.ip,
      info.floatingIp,
    );

    const list = await exec(ssh, 'microk8s helm3 list --namespace default --output json');
    const releases = JSON.parse(list.stdout) as Array<{ name: string; chart: string; status: string }>;
    assert.deepEqual(
      releases.map((r) => [r.name, r.chart, r.status]),
      [
        ['gateway-persistent-storage', 'gateway-persistent-storage-0.9.6', 'deployed'],
        ['gateway-manager', 'gateway-manager-0.9.6', 'deployed'],
      ],
    );
    const table = await exec(ssh, 'microk8s helm3 list');
    assert.match(table.stdout, /^NAME\s+NAMESPACE\s+REVISION/);

    const snapshot = await lab.snapshot();
    const storageRelease = snapshot.releases.find((r) => r.name === 'gateway-persistent-storage');
    assert.deepEqual(storageRelease?.values, {
      'nfs.server': `${PREFIX}.1`,
      'nfs.path': '/srv/gateway,cluster',
    });
    assert.equal(snapshot.releases.find((r) => r.name === 'gateway-manager')?.passwordGiven, true);
    assert.deepEqual(
      snapshot.services.find((s) => s.name === 'gateway-manager'),
      {
        namespace: 'default',
        name: 'gateway-manager',
        type: 'LoadBalancer',
        clusterIP: String(spec.clusterIP),
        loadBalancerIp: info.floatingIp,
      },
    );
    // The deploy script's temporary folder is gone: the pulled chart belonged to the caller.
    const leftovers = await exec(ssh, 'ls /tmp');
    assert.equal(leftovers.stdout.trim(), '');
  });

  it('a second upgrade counts revisions and keeps the Service address', async () => {
    const again = await exec(
      ssh,
      helmScript('gateway-manager', '-f "$d"/gateway-manager/cluster.yaml -f -'),
      `secrets:\n  defaultPassword: ${JSON.stringify(PASSWORD)}\n`,
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /has been upgraded/);
    const snapshot = await lab.snapshot();
    assert.equal(snapshot.releases.find((r) => r.name === 'gateway-manager')?.revision, 2);
    assert.equal(
      snapshot.services.find((s) => s.name === 'gateway-manager')?.loadBalancerIp,
      info.floatingIp,
    );
  });

  async function registration(token: string | null): Promise<RawWatch> {
    const base = '/api/v1/namespaces/default/configmaps';
    const current = await request(info, 'GET', base);
    const w = await watch(
      `${base}?watch=true&resourceVersion=${rvOf(current.json)}&fieldSelector=${encodeURIComponent('metadata.name=gateway-registration-status')}`,
    );
    const secrets = '/api/v1/namespaces/default/secrets';
    if (token === null) {
      const deleted = await request(info, 'DELETE', `${secrets}/gateway-registration`);
      assert.equal(deleted.status, 200);
      return w;
    }
    const body = {
      metadata: { name: 'gateway-registration' },
      type: 'Opaque',
      stringData: { activationToken: token },
    };
    const existing = await request(info, 'GET', `${secrets}/gateway-registration`);
    const written =
      existing.status === 404
        ? await request(info, 'POST', secrets, body)
        : await request(info, 'PUT', `${secrets}/gateway-registration`, body);
    assert.ok(written.status === 201 || written.status === 200, JSON.stringify(written.json));
    return w;
  }

  const states = (w: RawWatch): string[] =>
    w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => String((e.object.data as Json).state));

  it('registers: pending → connecting → connected, a few hundred ms apart', async () => {
    const started = Date.now();
    const w = await registration(TOKEN);
    await w.waitFor('connected', (e) => (e.object.data as Json).state === 'connected');
    assert.deepEqual(states(w), ['pending', 'connecting', 'connected']);
    assert.ok(Date.now() - started >= 300);
    assert.deepEqual((await lab.snapshot()).registration?.state, 'connected');
  });

  it('fails a token the lab marks invalid, with the Gateway Manager message', async () => {
    for (const token of ['invalid-token-0000', 'revoked-token-0001']) {
      const w = await registration(token);
      const failed = await w.waitFor('failed', (e) => (e.object.data as Json).state === 'failed');
      assert.deepEqual(states(w), ['pending', 'connecting', 'failed']);
      assert.equal((failed.object.data as Json).message, 'Activation token is invalid or expired.');
    }
    await lab.inject({ kind: 'invalidToken', token: TOKEN });
    const w = await registration(TOKEN);
    await w.waitFor('failed', (e) => (e.object.data as Json).state === 'failed');
    assert.equal((await lab.snapshot()).registration?.message, 'Activation token is invalid or expired.');
  });

  it('de-registers: deleting the Secret moves the state to disconnected', async () => {
    const w = await registration(null);
    await w.waitFor('disconnected', (e) => (e.object.data as Json).state === 'disconnected');
    const snapshot = await lab.snapshot();
    assert.deepEqual(snapshot.registration, { state: 'disconnected' });
    assert.equal(
      snapshot.secrets.some((s) => s.name === 'gateway-registration'),
      false,
    );
  });

  it('keeps no secret value in its state, logs or snapshot', async () => {
    const snapshot = JSON.stringify(await lab.snapshot());
    const files = filesUnder(join(info.dir, 'logs')).concat(join(info.dir, 'state.json'));
    // state.json is saved at most every 200 ms: wait until it holds the last change (the de-registration).
    const deadline = Date.now() + 3000;
    while (!readFileSync(join(info.dir, 'state.json'), 'utf8').includes('disconnected')) {
      assert.ok(Date.now() < deadline, 'state.json never caught up');
      await sleep(50);
    }
    for (const secret of [PASSWORD, TOKEN]) {
      assert.ok(!snapshot.includes(secret), 'snapshot holds a secret');
      for (const file of files)
        assert.ok(!readFileSync(file, 'utf8').includes(secret), `${file} holds a secret`);
    }
  });

  it('lets sudo append proxy lines to containerd-env; microk8s stop/start in between shows not running', async () => {
    const path = '/var/snap/microk8s/current/args/containerd-env';
    const before = await exec(ssh, `cat ${path}`);
    assert.equal(before.code, 0);
    assert.match(before.stdout, /ulimit -n 65536/);
    const denied = await exec(ssh, `tee -a ${path}`, 'HTTPS_PROXY=http://proxy.lab:3128\n');
    assert.notEqual(denied.code, 0);
    const appended = await exec(ssh, `sudo -n tee -a ${path}`, 'HTTPS_PROXY=http://proxy.lab:3128\n');
    assert.equal(appended.code, 0, appended.stderr);
    assert.match((await exec(ssh, `cat ${path}`)).stdout, /^HTTPS_PROXY=http:\/\/proxy\.lab:3128$/m);
    // Another node's file is its own.
    const other = await connect(info, 2);
    try {
      assert.doesNotMatch((await exec(other, `cat ${path}`)).stdout, /^HTTPS_PROXY=http:\/\/proxy\.lab/m);
    } finally {
      other.end();
    }

    assert.equal((await exec(ssh, 'microk8s stop')).stdout, 'Stopped.\n');
    assert.equal(
      (await exec(ssh, 'microk8s status')).stdout,
      'microk8s is not running, try microk8s start\n',
    );
    assert.equal((await request(info, 'GET', '/api/v1/configmaps')).status, 503);
    assert.equal((await exec(ssh, 'microk8s start')).stdout, 'Started.\n');
    const waited = await exec(ssh, 'microk8s status --wait-ready --timeout 30');
    assert.match(waited.stdout, /^microk8s is running\n/);
    assert.equal((await request(info, 'GET', '/api/v1/configmaps')).status, 200);
  });

  it('takes the address back when metallb is disabled and gives it again when enabled', async () => {
    const service = '/api/v1/namespaces/default/services/gateway-manager';
    const ipOf = async (): Promise<string | undefined> => {
      const reply = await request(info, 'GET', service);
      const ingress = ((reply.json.status as Json).loadBalancer as Json).ingress as Json[] | undefined;
      return ingress?.[0]?.ip as string | undefined;
    };
    const until = async (want: string | undefined): Promise<void> => {
      const deadline = Date.now() + 3000;
      while ((await ipOf()) !== want) {
        assert.ok(Date.now() < deadline, `address is not ${want ?? 'gone'}`);
        await sleep(50);
      }
    };
    // The /32 pool has one address: a second LoadBalancer Service waits without one.
    const extra = await request(info, 'POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'extra-lb' },
      spec: { type: 'LoadBalancer', ports: [{ port: 8443 }] },
    });
    assert.equal(extra.status, 201);
    assert.equal(((extra.json.spec as Json).ports as Json[])[0]?.protocol, 'TCP');
    assert.ok(Number(((extra.json.spec as Json).ports as Json[])[0]?.nodePort) >= 30000);
    // MetalLB says so with an event once its reconcile ran: then the Service is known to stay without one.
    const failed = async () => {
      const events = await request(
        info,
        'GET',
        '/api/v1/namespaces/default/events?fieldSelector=reason=AllocationFailed',
      );
      return ((events.json.items ?? []) as Json[]).some(
        (e) => (e.involvedObject as Json).name === 'extra-lb',
      );
    };
    const deadline = Date.now() + 3000;
    while (!(await failed())) {
      assert.ok(Date.now() < deadline, 'no AllocationFailed event for extra-lb');
      await sleep(50);
    }
    const pending = await request(info, 'GET', '/api/v1/namespaces/default/services/extra-lb');
    assert.deepEqual((pending.json.status as Json).loadBalancer, {});
    assert.equal((await request(info, 'DELETE', '/api/v1/namespaces/default/services/extra-lb')).status, 200);
    assert.equal((await exec(ssh, 'microk8s disable metallb')).code, 0);
    await until(undefined);
    const pools = await request(
      info,
      'GET',
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools',
    );
    assert.equal(pools.status, 404);
    assert.equal((await exec(ssh, `microk8s enable metallb:${info.floatingIp}/32`)).code, 0);
    await until(info.floatingIp);
    const enabled = await request(
      info,
      'GET',
      '/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools',
    );
    assert.deepEqual(((enabled.json.items as Json[])[0]?.spec as Json).addresses, [`${info.floatingIp}/32`]);
  });

  it('starts `deployed` with both releases, their pods Ready, the Service addressed, unregistered', async () => {
    await lab.reset('deployed');
    const snapshot = await lab.snapshot();
    assert.deepEqual(
      snapshot.releases.map((r) => r.name),
      ['gateway-persistent-storage', 'gateway-manager'],
    );
    const releasePods = snapshot.pods.filter((p) => p.name.startsWith('gateway-'));
    assert.equal(releasePods.length, 3);
    assert.ok(releasePods.every((p) => p.ready));
    assert.equal(
      snapshot.services.find((s) => s.name === 'gateway-manager')?.loadBalancerIp,
      info.floatingIp,
    );
    assert.equal(snapshot.registration, null);
    const w = await registration(TOKEN.replace('lab-', 'fresh-'));
    await w.waitFor('connected', (e) => (e.object.data as Json).state === 'connected');
  });
});
