// Conformance: the real kubectl 1.33 reads a `deployed` lab as it reads a real MicroK8s — discovery without
// errors, the server-printed columns, field selectors (and a 400 for one the kind does not support), the
// apps/v1 workloads, logs, and watches the server ends itself.
import assert from 'node:assert/strict';
import { connect, exec } from '../support/lab-ssh';
import { eventually, header, rows, startKubectlLab, type KubectlLab } from './support/kubectl-lab';

describe('conformance: kubectl reads the lab', function () {
  this.timeout(120_000);
  let t: KubectlLab;

  before(async function () {
    this.timeout(180_000);
    t = await startKubectlLab('gclabcf', '10.250.41');
  });

  after(async function () {
    this.timeout(60_000);
    await t?.dispose();
  });

  it('version: the 1.33 client and the lab server, nothing on stderr', async () => {
    const r = await t.kubectl(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Client Version: v1\.33\./);
    assert.match(r.stdout, /Server Version: v1\.32\.3/);
    assert.equal(r.stderr, '');
  });

  it('api-resources: every advertised group answers (no discovery error)', async () => {
    const r = await t.kubectl(['api-resources']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no "couldn\'t get resource list" warning');
    const byName = rows(r.stdout).map((row) => `${row.NAME} ${row.APIVERSION} ${row.KIND}`);
    for (const expected of [
      'pods v1 Pod',
      'events v1 Event',
      'deployments apps/v1 Deployment',
      'replicasets apps/v1 ReplicaSet',
      'statefulsets apps/v1 StatefulSet',
      'daemonsets apps/v1 DaemonSet',
      'poddisruptionbudgets policy/v1 PodDisruptionBudget',
      'events events.k8s.io/v1 Event',
    ])
      assert.ok(byName.includes(expected), `${expected} in:\n${r.stdout}`);
  });

  it('get nodes: the real columns, every node Ready', async () => {
    const r = await t.kubectl(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(header(r.stdout), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const nodes = rows(r.stdout);
    assert.deepEqual(
      nodes.map((n) => [n.NAME, n.STATUS, n.ROLES, n.VERSION]),
      ['gw-1', 'gw-2', 'gw-3'].map((n) => [n, 'Ready', '<none>', 'v1.32.3']),
    );
    assert.ok(
      nodes.every((n) => /^\d+[smhd]/.test(n.AGE ?? '')),
      r.stdout,
    );
  });

  it('get pods -A -o wide: READY, STATUS, RESTARTS, IP and NODE of every pod', async () => {
    const r = await t.kubectl(['get', 'pods', '-A', '-o', 'wide']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(header(r.stdout), [
      'NAMESPACE',
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    const pods = rows(r.stdout);
    const snapshot = await t.lab.snapshot();
    assert.equal(pods.length, snapshot.pods.length);
    for (const pod of pods) {
      const known = snapshot.pods.find((p) => p.name === pod.NAME);
      assert.ok(known, `${pod.NAME} is a lab pod`);
      assert.equal(pod.NODE, known.nodeName);
      assert.equal(pod.READY, '1/1');
      assert.equal(pod.STATUS, 'Running');
      assert.equal(pod.RESTARTS, '0');
      assert.match(pod.IP ?? '', /^10\.1\.\d+\.\d+$/);
    }
  });

  it("field selectors: the tree's spec.nodeName, and a 400 for a field pods do not support", async () => {
    const r = await t.kubectl(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=gw-2', '-o', 'name']);
    assert.equal(r.code, 0, r.stderr);
    const expected = (await t.lab.snapshot()).pods
      .filter((p) => p.nodeName === 'gw-2')
      .map((p) => `pod/${p.name}`);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), expected.sort());
    const bad = await t.kubectl(['get', 'pods', '--field-selector', 'metadata.foo=bar']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Error from server \(BadRequest\).*field label not supported: metadata\.foo/);
    const raw = await t.kubectl(['get', '--raw', '/api/v1/nodes?fieldSelector=spec.nodeName%3Dgw-1']);
    assert.match(raw.stderr, /BadRequest|field label not supported: spec\.nodeName/);
  });

  it('get deploy,rs,sts,ds: the workloads as on a real MicroK8s, owners and all', async () => {
    const r = await t.kubectl(['get', 'deploy,rs,sts,ds', '-A']);
    assert.equal(r.code, 0, r.stderr);
    for (const name of [
      'deployment.apps/coredns',
      'deployment.apps/calico-kube-controllers',
      'deployment.apps/controller',
      'deployment.apps/gateway-manager',
      'deployment.apps/sample-web',
      'statefulset.apps/gateway-manager-redis',
      'daemonset.apps/calico-node',
      'daemonset.apps/speaker',
    ])
      assert.match(r.stdout, new RegExp(`\\s${name.replace('.', '\\.')}\\s`), `${name} in:\n${r.stdout}`);
    const ds = await t.kubectl(['get', 'ds', 'calico-node', '-n', 'kube-system']);
    assert.deepEqual(header(ds.stdout), [
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
    ]);
    assert.equal(rows(ds.stdout)[0]?.READY, '3');
    const owner = await t.kubectl([
      'get',
      'pods',
      '-l',
      'app=sample-web',
      '-o',
      'jsonpath={.items[0].metadata.ownerReferences[0].kind}',
    ]);
    assert.equal(owner.stdout, 'ReplicaSet');
    const redis = await t.kubectl(['get', 'pod', 'gateway-manager-redis-0', '-o', 'name']);
    assert.equal(redis.stdout.trim(), 'pod/gateway-manager-redis-0');
  });

  it('logs --tail: the last lines only', async () => {
    const pod = (await t.lab.snapshot()).pods.find((p) => p.name.startsWith('sample-web-'));
    assert.ok(pod);
    const r = await t.kubectl(['logs', pod.name, '--tail=3']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.includes(pod.name)));
  });

  it('a watch ends when its timeoutSeconds are up (the server ends it, the client resumes)', async () => {
    const started = Date.now();
    const r = await t.kubectl([
      'get',
      '--raw',
      '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started < 15_000);
    assert.match(r.stdout, /"type":"ADDED"/);
  });

  it('microk8s kubectl on a node runs the real kubectl against that node', async () => {
    const client = await connect(t.info, 2);
    try {
      const r = await exec(client, 'microk8s kubectl get nodes -o wide');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(header(r.stdout).slice(0, 6), [
        'NAME',
        'STATUS',
        'ROLES',
        'AGE',
        'VERSION',
        'INTERNAL-IP',
      ]);
      assert.equal(rows(r.stdout).find((n) => n.NAME === 'gw-2')?.['INTERNAL-IP'], t.info.nodes[1]?.address);
      const version = await exec(client, 'microk8s kubectl version --client');
      assert.match(version.stdout, /Client Version: v1\.33\./);
    } finally {
      client.end();
    }
  });

  it('get events: what the lab controllers just did, in both event APIs', async () => {
    const pod = (await t.lab.snapshot()).pods.find((p) => p.name.startsWith('sample-worker-'));
    assert.ok(pod);
    await t.lab.deletePod('default', pod.name);
    const events = await eventually('the Killing event', async () => {
      const r = await t.kubectl(['get', 'events', '-A']);
      return r.stdout.includes(`pod/${pod.name}`) && /Killing/.test(r.stdout) ? r : undefined;
    });
    assert.deepEqual(header(events.stdout), [
      'NAMESPACE',
      'LAST SEEN',
      'TYPE',
      'REASON',
      'OBJECT',
      'MESSAGE',
    ]);
    await eventually('SuccessfulCreate of the replacement', async () => {
      const r = await t.kubectl(['get', 'events', '--field-selector', 'reason=SuccessfulCreate']);
      return /replicaset\/sample-worker-\S+\s+Created pod: sample-worker-/.test(r.stdout) ? r : undefined;
    });
    const v1 = await t.kubectl(['get', 'events.v1.events.k8s.io', '-o', 'jsonpath={.items[*].reason}']);
    assert.equal(v1.code, 0, v1.stderr);
    assert.match(v1.stdout, /Killing/);
  });
});
