// Conformance: what an operator does with the real kubectl 1.33 against a `deployed` lab — describe with
// events, drain (DaemonSet pods stay, the rest move) and a drain a disruption budget blocks, rollout
// restart, watches that see a deletion and an object leaving their selector.
import assert from 'node:assert/strict';
import { eventually, rows, startKubectlLab, type KubectlLab } from './support/kubectl-lab';

const DAEMONS = /^(calico-node|speaker)-/;

describe('conformance: kubectl operates the lab', function () {
  this.timeout(120_000);
  let t: KubectlLab;

  before(async function () {
    this.timeout(180_000);
    t = await startKubectlLab('gclabcg', '10.250.42');
  });

  after(async function () {
    this.timeout(60_000);
    await t?.dispose();
  });

  const podsOn = async (node: string) => (await t.lab.snapshot()).pods.filter((p) => p.nodeName === node);

  it('describe pod: the new pod of a deleted one, with its scheduling and start events', async () => {
    const before = (await t.lab.snapshot()).pods;
    const victim = before.find((p) => p.name.startsWith('sample-web-'));
    assert.ok(victim);
    await t.lab.deletePod('default', victim.name);
    const fresh = await eventually('the replacement Ready', async () =>
      (await t.lab.snapshot()).pods.find(
        (p) => p.name.startsWith('sample-web-') && p.ready && !before.some((q) => q.name === p.name),
      ),
    );
    const described = (await t.kubectl(['describe', 'pod', fresh.name])).stdout;
    assert.match(described, /Controlled By:\s+ReplicaSet\/sample-web-/);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started'])
      assert.match(described, new RegExp(`Normal\\s+${reason}\\s`), `${reason} in:\n${described}`);
    assert.match(described, /default-scheduler\s+Successfully assigned default\/sample-web-\S+ to gw-\d/);
  });

  it('describe node: NotReady and Ready events after MicroK8s stopped and started there', async () => {
    await t.lab.inject({ kind: 'stopMicrok8s', node: 3 });
    await eventually('gw-3 NotReady', async () =>
      /gw-3\s+NotReady/.test((await t.kubectl(['get', 'nodes'])).stdout) ? true : undefined,
    );
    await t.lab.inject({ kind: 'startMicrok8s', node: 3 });
    await eventually('gw-3 Ready', async () =>
      /gw-3\s+Ready\s/.test((await t.kubectl(['get', 'nodes'])).stdout) ? true : undefined,
    );
    const r = await t.kubectl(['describe', 'node', 'gw-3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /NodeNotReady\s+\S+\s+node-controller\s+Node gw-3 status is now: NodeNotReady/);
    assert.match(r.stdout, /NodeReady\s+\S+\s+kubelet\s+Node gw-3 status is now: NodeReady/);
    assert.match(r.stdout, /Non-terminated Pods:\s+\(\d+ in total\)/);
  });

  it('drain --ignore-daemonsets: the node empties but for its DaemonSet pods, which stay', async () => {
    const before = await podsOn('gw-3');
    assert.ok(
      before.some((p) => !DAEMONS.test(p.name)),
      'gw-3 runs more than DaemonSet pods',
    );
    const r = await t.kubectl(['drain', 'gw-3', '--ignore-daemonsets', '--timeout=60s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /ignoring DaemonSet-managed Pods: .*calico-node-/);
    assert.match(r.stdout, /node\/gw-3 drained/);
    const after = await podsOn('gw-3');
    assert.deepEqual(
      after.map((p) => p.name).sort(),
      before
        .filter((p) => DAEMONS.test(p.name))
        .map((p) => p.name)
        .sort(),
    );
    await eventually('every moved pod Ready elsewhere', async () => {
      const snapshot = await t.lab.snapshot();
      return snapshot.pods.length >= before.length && snapshot.pods.every((p) => p.ready) ? true : undefined;
    });
    const nodes = rows((await t.kubectl(['get', 'nodes'])).stdout);
    assert.equal(nodes.find((n) => n.NAME === 'gw-3')?.STATUS, 'Ready,SchedulingDisabled');
    assert.equal((await t.kubectl(['uncordon', 'gw-3'])).code, 0);
  });

  it('a drain that a disruption budget blocks: 429 on eviction, the pods stay', async () => {
    const web = (await t.lab.snapshot()).pods.filter((p) => p.name.startsWith('sample-web-'));
    const budget = [
      'apiVersion: policy/v1',
      'kind: PodDisruptionBudget',
      'metadata: {name: web-budget, namespace: default}',
      `spec: {minAvailable: ${web.length}, selector: {matchLabels: {app: sample-web}}}`,
    ].join('\n');
    const created = await t.kubectl(['create', '-f', '-'], budget);
    assert.equal(created.code, 0, created.stderr);
    await eventually('the budget allows no disruption', async () => {
      const r = await t.kubectl(['get', 'pdb', 'web-budget']);
      return rows(r.stdout)[0]?.['ALLOWED DISRUPTIONS'] === '0' ? true : undefined;
    });
    const node = web[0]?.nodeName ?? 'gw-1';
    const onNode = web.filter((p) => p.nodeName === node).map((p) => p.name);
    const r = await t.kubectl(['drain', node, '--ignore-daemonsets', '--timeout=7s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Cannot evict pod as it would violate the pod's disruption budget/);
    const still = (await podsOn(node)).map((p) => p.name);
    for (const name of onNode) assert.ok(still.includes(name), `${name} was not evicted`);
    assert.equal((await t.kubectl(['delete', 'pdb', 'web-budget'])).code, 0);
    assert.equal((await t.kubectl(['uncordon', node])).code, 0);
  });

  it('rollout restart: a new ReplicaSet takes over every replica', async () => {
    const r = await t.kubectl(['rollout', 'restart', 'deployment/sample-worker']);
    assert.equal(r.code, 0, r.stderr);
    const status = await t.kubectl(['rollout', 'status', 'deployment/sample-worker', '--timeout=60s']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /successfully rolled out/);
    const sets = rows((await t.kubectl(['get', 'rs', '-l', 'app=sample-worker'])).stdout);
    assert.equal(sets.length, 2);
    const current = sets.find((s) => s.DESIRED !== '0');
    assert.ok(current);
    assert.equal(current.READY, current.DESIRED);
    const hash = current.NAME?.replace('sample-worker-', '');
    const pods = (await t.kubectl(['get', 'pods', '-l', 'app=sample-worker', '-o', 'name'])).stdout
      .trim()
      .split('\n');
    assert.ok(
      pods.every((p) => p.startsWith(`pod/sample-worker-${hash}-`)),
      pods.join(' '),
    );
    const revision = await t.kubectl([
      'get',
      'deploy',
      'sample-worker',
      '-o',
      'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
    ]);
    assert.equal(revision.stdout, '2');
  });

  it('get pods -w sees a deletion', async () => {
    const watch = t.start(['get', 'pods', '-w', '-l', 'app=sample-web', '--output-watch-events']);
    try {
      const victim = await eventually(
        'the watch lists the pods',
        () => (/ADDED\s+(sample-web-\S+)/.exec(watch.output()) ?? [])[1],
      );
      await t.lab.deletePod('default', victim);
      await eventually(`DELETED ${victim}`, () =>
        new RegExp(`DELETED\\s+${victim}\\s`).test(watch.output()) ? true : undefined,
      );
    } finally {
      watch.child.kill();
    }
  });

  it('a watch sees DELETED when an object stops matching its label selector', async () => {
    const pod = (await t.lab.snapshot()).pods.find((p) => p.name.startsWith('sample-web-') && p.ready);
    assert.ok(pod);
    assert.equal((await t.kubectl(['label', 'pod', pod.name, 'conformance=watched'])).code, 0);
    const watch = t.start(['get', 'pods', '-w', '-l', 'conformance=watched', '--output-watch-events']);
    try {
      await eventually('ADDED', () =>
        new RegExp(`ADDED\\s+${pod.name}`).test(watch.output()) ? true : undefined,
      );
      assert.equal((await t.kubectl(['label', 'pod', pod.name, 'conformance-'])).code, 0);
      await eventually('DELETED', () =>
        new RegExp(`DELETED\\s+${pod.name}`).test(watch.output()) ? true : undefined,
      );
      assert.equal(
        (await t.kubectl(['get', 'pod', pod.name, '-o', 'name'])).stdout.trim(),
        `pod/${pod.name}`,
      );
    } finally {
      watch.child.kill();
    }
  });
});
