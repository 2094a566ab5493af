// The cluster lifecycle's plans over scripted nodes and API: validate-cluster's checks (each runs, each failure
// says what to do), the runner's checks that do not stop a run, diagnostics with a node down, reset's survey
// and its second run that finds nothing, delete's refusals, and the events table.
import assert from 'node:assert/strict';
import { Masker } from '../../../src/remote/masker';
import {
  OperationsEngine,
  foreignWorkloads,
  runPlan,
  undoList,
  type ArtifactFolder,
  type ClusterApi,
  type DiagnosticsResult,
  type NodeCommand,
  type NodeExecResult,
  type Plan,
  type RunEvent,
  type Step,
} from '../../../src/ops';
import { eventsTable } from '../../../src/ops/plans/events-table';
import { labModel } from './fake-cluster';

const ok = (stdout = ''): NodeExecResult => ({ code: 0, stdout, stderr: '' });

/** Every API call answers nothing unless the test says otherwise. */
function api(over: Partial<ClusterApi> = {}): ClusterApi {
  const none = { stop: () => undefined };
  return {
    listNodes: async () => [],
    watchNodes: (onChange) => (setImmediate(() => onChange([])), none),
    deleteNode: async () => undefined,
    readSecret: async () => undefined,
    applySecret: async () => undefined,
    deleteSecret: async () => false,
    readConfigMap: async () => undefined,
    applyConfigMap: async () => undefined,
    watchConfigMap: (_n, _c, onChange) => (setImmediate(() => onChange(undefined)), none),
    podsOfRelease: async () => [],
    watchPodsOfRelease: () => none,
    watchPods: () => none,
    drainNode: async () => ({ evicted: [] }),
    uncordonNode: async () => undefined,
    serviceLoadBalancerIps: async () => undefined,
    watchService: () => none,
    metallbAddressRanges: async () => undefined,
    setMetallbAddressRanges: async () => undefined,
    deleteConfigMap: async () => false,
    listWorkloads: async () => [],
    listClaims: async () => [],
    listPods: async () => [],
    getRaw: async () => ({ items: [] }),
    podLog: async () => '',
    close: () => undefined,
    ...over,
  };
}

type Answer = (node: string, text: string) => NodeExecResult | Promise<NodeExecResult>;

function engineWith(cluster: ClusterApi, answer: Answer, extra: Record<string, unknown> = {}) {
  const events: RunEvent[] = [];
  const sent: string[] = [];
  const engine = new OperationsEngine({
    nodes: {
      exec: async (node, command: NodeCommand) => {
        const text = 'argv' in command ? command.argv.join(' ') : command.script;
        sent.push(`${node.hostname}: ${text}`);
        return answer(node.hostname, text);
      },
    },
    secrets: { get: async () => undefined },
    kubeconfig: { read: async () => 'k', store: async () => undefined },
    api: { connect: async () => cluster },
    masker: new Masker(),
    onEvent: (e) => events.push(e),
    confirm: async () => true,
    ...extra,
  });
  return { engine, events, sent };
}

const HELM_DEPLOYED = JSON.stringify([
  { name: 'gateway-persistent-storage', chart: 'gateway-persistent-storage-0.9.6', status: 'deployed' },
  { name: 'gateway-manager', chart: 'gateway-manager-0.9.6', status: 'deployed' },
]);
const STATUS_HA =
  'microk8s is running\nhigh-availability: yes\naddons:\n  enabled:\n    dns   # (core)\n    metallb   # (core)\n';

/** A healthy 3-node cluster as the checks read it. */
function healthy(over: Partial<ClusterApi> = {}) {
  const model = labModel(3);
  const cluster = api({
    listNodes: async () =>
      model.nodes.map((n) => ({ name: n.hostname, ready: true, addresses: [n.address] })),
    podsOfRelease: async (_ns, release) => [{ name: `${release}-0`, phase: 'Running', ready: true }],
    listClaims: async () => [
      { name: 'data-0', phase: 'Bound', release: 'gateway-manager', storageClass: 'nfs-client' },
    ],
    serviceLoadBalancerIps: async () => [model.network.floatingIp],
    readConfigMap: async (_ns, name) =>
      name === 'gateway-registration-status'
        ? { data: { state: 'connected' }, resourceVersion: '1' }
        : undefined,
    ...over,
  });
  const answer: Answer = (node, text) => {
    if (text.startsWith('microk8s helm3 list')) return ok(HELM_DEPLOYED);
    if (text === 'microk8s status') return ok(STATUS_HA);
    if (text.startsWith('getent hosts'))
      return ok(
        model.nodes
          .filter((n) => n.hostname !== node)
          .map((n) => `${n.address} ${n.hostname}`)
          .join('\n'),
      );
    if (text.startsWith('for t in')) return ok('reachable x\n');
    return ok();
  };
  return { model, cluster, answer };
}

describe('ops: the cluster lifecycle', () => {
  it('runs the checks after a failed check, ends failed with the first failure, and a cancel still stops', async () => {
    const ran: string[] = [];
    const step = (id: string, fail: boolean, continueOnFailure = true): Step => ({
      id,
      title: id,
      continueOnFailure,
      run: async () => {
        ran.push(id);
        if (fail) throw new Error(`${id} broke`);
      },
      preview: () => [],
    });
    const plan: Plan = {
      operation: 'validate-cluster',
      cluster: 'lab',
      model: labModel(1),
      steps: [step('a', false), step('b', true), step('c', true), step('d', false)],
    };
    const { engine } = engineWith(api(), () => ok());
    const result = await engine.run(plan);
    assert.deepEqual(ran, ['a', 'b', 'c', 'd']);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.step, 'b');
    assert.deepEqual(
      result.transcript.steps.map((s) => s.state),
      ['succeeded', 'failed', 'failed', 'succeeded'],
    );
    const controller = new AbortController();
    ran.length = 0;
    const cancelling: Step = { ...step('x', false), run: async () => void controller.abort() };
    const cancelled = await runPlan(
      { ...plan, steps: [cancelling, step('y', false)] },
      { ...engineDeps(), onEvent: () => undefined },
      { signal: controller.signal },
    );
    assert.equal(cancelled.outcome, 'cancelled');
    assert.deepEqual(ran, []);
  });

  it('validate-cluster passes a healthy cluster with one line per check', async () => {
    const { model, cluster, answer } = healthy();
    const { engine, events } = engineWith(cluster, answer, {
      https: { get: async () => ({ status: 200 }) },
    });
    const result = await engine.run(engine.plan('validate-cluster', model));
    assert.equal(result.outcome, 'succeeded', result.error?.message);
    const lines = events.flatMap((e) =>
      e.type === 'succeeded' && !e.node ? [`${e.step}: ${e.summary}`] : [],
    );
    assert.deepEqual(lines, [
      'nodes: 3/3 Ready · high availability',
      'reach: undefined',
      'releases: gateway-persistent-storage, gateway-manager 0.9.6 deployed',
      'pods: 2 pods Ready',
      'storage: data-0 Bound (nfs-client)',
      'manager: HTTP 200 from https://10.250.2.5:5480',
      'registration: connected (management profile "Lab")',
    ]);
  });

  it('validate-cluster names every broken check with what to do, and runs them all', async () => {
    const { model, cluster, answer } = healthy({
      listNodes: async () => [
        { name: 'gw-1', ready: true, addresses: [] },
        { name: 'gw-2', ready: false, addresses: [] },
        { name: 'gw-3', ready: true, addresses: [] },
      ],
      listClaims: async () => [{ name: 'data-0', phase: 'Pending', release: 'gateway-manager' }],
      readConfigMap: async () => undefined,
    });
    const { engine } = engineWith(
      cluster,
      (node, text) =>
        text.startsWith('microk8s helm3 list')
          ? ok(HELM_DEPLOYED.replace('gateway-manager-0.9.6', 'gateway-manager-0.9.5'))
          : answer(node, text),
      { https: { get: async () => Promise.reject(new Error('connect ECONNREFUSED 10.250.2.5:5480')) } },
    );
    const result = await engine.run(engine.plan('validate-cluster', model));
    assert.equal(result.outcome, 'failed');
    const failures = Object.fromEntries(
      result.transcript.steps
        .filter((s) => s.failure)
        .map((s) => [s.id, `${s.failure!.message} | ${s.failure!.hint}`]),
    );
    assert.deepEqual(Object.keys(failures), ['nodes', 'releases', 'storage', 'manager', 'registration']);
    assert.match(failures.nodes!, /^gw-2 is NotReady\. \| Start MicroK8s there/);
    assert.match(
      failures.releases!,
      /gateway-manager runs gateway-manager-0\.9\.5, the spec asks for gateway-manager-0\.9\.6\. \| Run Deploy/,
    );
    assert.match(failures.storage!, /data-0 is Pending\. \| Check the storage chart/);
    assert.match(failures.manager!, /Nothing answers at https:\/\/10\.250\.2\.5:5480: connect ECONNREFUSED/);
    assert.match(failures.registration!, /not registered\. \| Register it with its activation token/);
    assert.equal(result.failure?.step, 'nodes');
    assert.equal(result.transcript.steps.find((s) => s.id === 'pods')?.state, 'succeeded');
  });

  it('diagnostics names a node that is down and collects the others', async () => {
    const model = labModel(3);
    const written = new Map<string, string>();
    const downloads: string[] = [];
    const folder: ArtifactFolder = {
      path: '/ws/.gateway-cluster/diagnostics/t',
      write: async (relative, content) => {
        written.set(relative, content);
        return {
          path: `/ws/.gateway-cluster/diagnostics/t/${relative}`,
          bytes: content.length,
          sha256: 'ab'.repeat(32),
        };
      },
      download: async (node, remote, relative) => {
        downloads.push(`${node.hostname} ${remote} ${relative}`);
        return {
          path: `/ws/.gateway-cluster/diagnostics/t/${relative}`,
          bytes: 2048,
          sha256: 'cd'.repeat(32),
        };
      },
    };
    const cluster = api({
      podsOfRelease: async (_ns, release) => [
        { name: `${release}-0`, phase: 'Running', ready: true, namespace: 'default' },
      ],
      podLog: async (_ns, name) => `line of ${name}\n`,
      getRaw: async () => ({
        items: [
          {
            type: 'Normal',
            reason: 'Started',
            message: 'Started container',
            lastTimestamp: '2026-01-01T00:00:00Z',
            involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' },
          },
        ],
      }),
    });
    const { engine } = engineWith(
      cluster,
      (node) => {
        if (node === 'gw-3')
          throw Object.assign(new Error('connect EHOSTUNREACH 10.250.2.13:22'), { kind: 'connect' });
        return ok(
          `Inspecting system\nBuilding the report tarball\n  Report tarball is at /var/snap/microk8s/7394/inspection-report-20260101_120000.tar.gz\n`,
        );
      },
      { artifacts: { open: async () => folder } },
    );
    const result = await engine.run(engine.plan('diagnostics', model));
    assert.equal(result.outcome, 'failed');
    assert.equal(result.failure?.node, 'gw-3');
    assert.deepEqual(downloads.sort(), [
      'gw-1 /var/snap/microk8s/7394/inspection-report-20260101_120000.tar.gz gw-1/inspection-report-20260101_120000.tar.gz',
      'gw-2 /var/snap/microk8s/7394/inspection-report-20260101_120000.tar.gz gw-2/inspection-report-20260101_120000.tar.gz',
    ]);
    const summary = JSON.parse(written.get('summary.json')!) as DiagnosticsResult;
    assert.deepEqual(
      summary.missing.map((m) => m.node),
      ['gw-3'],
    );
    assert.match(summary.missing[0]!.reason, /EHOSTUNREACH/);
    assert.deepEqual(summary.files.map((f) => f.file).sort(), [
      'events.json',
      'events.txt',
      'gw-1/inspection-report-20260101_120000.tar.gz',
      'gw-2/inspection-report-20260101_120000.tar.gz',
      'logs/gateway-manager-0.log',
      'logs/gateway-persistent-storage-0.log',
    ]);
    assert.match(
      written.get('events.txt')!,
      /^TIME {2,}TYPE {2,}REASON {2,}OBJECT {2,}MESSAGE\n2026-01-01T00:00:00Z {2}Normal {2}Started {2}pod\/default\/p {2}Started container\n$/,
    );
    const last = result.transcript.steps.at(-1)!;
    assert.equal(last.summary, '2 of 3 nodes collected (not gw-3) into /ws/.gateway-cluster/diagnostics/t');
  });

  it("refuses a report path that is not MicroK8s' own", async () => {
    const folder: ArtifactFolder = {
      path: '/d',
      write: async (r) => ({ path: `/d/${r}`, bytes: 0, sha256: '' }),
      download: async () => assert.fail('nothing is downloaded'),
    };
    const { engine } = engineWith(api(), () => ok('  Report tarball is at /etc/shadow\n'), {
      artifacts: { open: async () => folder },
    });
    const result = await engine.run(engine.plan('diagnostics', labModel(1)));
    assert.match(result.transcript.steps[0]!.failure!.message, /named no report tarball/);
  });

  it('reset lists what it undoes, asks, undoes it, and a second reset finds nothing', async () => {
    const model = labModel(3);
    const state = {
      registered: true,
      releases: ['gateway-manager', 'gateway-persistent-storage'],
      addons: new Set(['dns', 'metallb']),
      members: new Set(['gw-1', 'gw-2', 'gw-3']),
      left: new Set<string>(),
      records: new Set(['gateway-cluster-applied']),
    };
    const nodes = () => [...state.members].map((name) => ({ name, ready: true, addresses: [] }));
    const cluster = api({
      listNodes: async () => nodes(),
      watchNodes: (onChange) => (setImmediate(() => onChange(nodes())), { stop: () => undefined }),
      readSecret: async () => (state.registered ? { activationToken: 'x' } : undefined),
      deleteSecret: async () => ((state.registered = false), true),
      readConfigMap: async (_ns, name) =>
        state.records.has(name) ? { data: {}, resourceVersion: '1' } : undefined,
      deleteConfigMap: async (_ns, name) => state.records.delete(name),
      // A tenant's workload: reset does not undo it, and says so.
      listWorkloads: async () => [
        { kind: 'Deployment', namespace: 'shop', name: 'web' },
        { kind: 'Deployment', namespace: 'gateway', name: 'gateway-manager', release: 'gateway-manager' },
      ],
    });
    const answer: Answer = (node, text) => {
      const helm = state.releases.map((name) => ({ name, chart: `${name}-0.9.6`, status: 'deployed' }));
      if (text.startsWith('microk8s helm3 list')) return ok(JSON.stringify(helm));
      if (text.startsWith('microk8s helm3 uninstall')) {
        state.releases = state.releases.filter((r) => r !== text.split(' ')[3]);
        return ok();
      }
      if (text === 'microk8s status')
        return ok(
          `microk8s is running\naddons:\n  enabled:\n${[...state.addons].map((a) => `    ${a}   # (core)\n`).join('')}`,
        );
      if (text.startsWith('microk8s disable')) return (state.addons.delete(text.split(' ')[2]!), ok());
      if (text === 'microk8s kubectl get nodes')
        return ok(state.left.has(node) ? `NAME\n${node}\n` : `NAME\n${[...state.members].join('\n')}\n`);
      if (text === 'microk8s leave') return (state.left.add(node), ok());
      if (text.startsWith('microk8s remove-node')) return (state.members.delete(text.split(' ')[2]!), ok());
      return ok();
    };
    const asked: string[] = [];
    const counted: Array<number | undefined> = [];
    const { engine, sent } = engineWith(cluster, answer, {
      confirm: async (q: { title: string; detail: string; undoes?: number }) => (
        asked.push(`${q.title}\n${q.detail}`),
        counted.push(q.undoes),
        true
      ),
    });
    const first = await engine.run(engine.plan('reset', model));
    assert.equal(first.outcome, 'succeeded', first.error?.message);
    assert.equal(asked.length, 1);
    assert.deepEqual(counted, [7], 'the count the typed-name box names');
    assert.match(
      asked[0]!,
      /^Reset lab\? It undoes 7 things:\n• de-register the cluster \(its registration is registered\)\n• uninstall the release gateway-manager \(gateway-manager-0\.9\.6\)\n• uninstall the release gateway-persistent-storage/,
    );
    assert.match(
      asked[0]!,
      /• make gw-2, gw-3 leave the cluster \(microk8s leave, then remove-node on gw-1\)/,
    );
    assert.match(
      asked[0]!,
      /\nNot undone: shop\/web \(Deployment\) — workloads other than the gateway's stay, on gw-1/,
    );
    assert.ok(
      !asked[0]!.includes('gateway/gateway-manager'),
      "the gateway's own release is undone, not kept",
    );
    assert.ok(
      sent.indexOf('gw-3: microk8s leave') < sent.indexOf('gw-2: microk8s leave'),
      'the last joined leaves first',
    );
    assert.deepEqual([...state.members], ['gw-1']);
    const second = await engine.run(engine.plan('reset', model));
    assert.equal(second.outcome, 'succeeded');
    assert.equal(asked.length, 1, 'nothing to undo: nothing asked');
    const states = second.transcript.steps.map((s) => `${s.id}:${s.state}`);
    assert.deepEqual(
      states.filter((s) => !s.endsWith(':skipped')),
      ['survey:succeeded'],
    );
    assert.equal(second.transcript.steps[1]!.summary, 'nothing to undo: the VMs are as after spin-up');
    assert.deepEqual(
      undoList(model, { releases: [], addons: [], members: [], strangers: [], records: [] }),
      [],
    );
  });

  it('delete is refused while registered or while other workloads run, naming them', async () => {
    const model = labModel(1);
    const answer: Answer = (_node, text) =>
      text.startsWith('microk8s helm3 list') ? ok(HELM_DEPLOYED) : ok('microk8s is running\n');
    const local = {
      list: async () => ({ secrets: ['kubeconfig'], hostKeys: [] }),
      forget: async () => assert.fail('nothing is forgotten'),
    };
    const registered = engineWith(
      api({ readConfigMap: async () => ({ data: { state: 'connected' }, resourceVersion: '1' }) }),
      answer,
      { local },
    );
    const refused = await registered.engine.run(registered.engine.plan('delete', model));
    assert.equal(refused.outcome, 'failed');
    // Refused by its read-only survey: the run changed nothing, and its record says so (the tree's state).
    assert.equal(refused.transcript.changed, false);
    assert.match(refused.failure!.message, /registered \(gateway-registration-status says connected\)/);
    assert.match(refused.failure!.hint, /De-register it first/);
    assert.ok(!registered.sent.some((c) => /uninstall|leave|disable/.test(c)), 'nothing was undone');
    const busy = engineWith(
      api({
        listWorkloads: async () => [
          { kind: 'Deployment', namespace: 'default', name: 'gateway-manager', release: 'gateway-manager' },
          { kind: 'Deployment', namespace: 'default', name: 'sample-web' },
          { kind: 'DaemonSet', namespace: 'kube-system', name: 'calico-node' },
        ],
      }),
      answer,
      { local },
    );
    const workloads = await busy.engine.run(busy.engine.plan('delete', model));
    assert.match(
      workloads.failure!.message,
      /Workloads other than the gateway's run on the cluster: default\/sample-web \(Deployment\)\.$/,
    );
    assert.deepEqual(foreignWorkloads([{ kind: 'StatefulSet', namespace: 'metallb-system', name: 'x' }]), []);
  });

  it('records whether a step that changes things ran: not for a declined confirmation, yes once one ran', async () => {
    const model = labModel(1);
    const answer: Answer = (_node, text) =>
      text.startsWith('microk8s helm3 list') ? ok(HELM_DEPLOYED) : ok('microk8s is running\n');
    const declined = engineWith(api(), answer, { confirm: async () => false });
    const no = await declined.engine.run(declined.engine.plan('reset', model));
    assert.equal(no.outcome, 'failed');
    assert.match(no.failure!.message, /was not confirmed; nothing was undone/);
    assert.equal(no.transcript.changed, false);
    // Confirmed, it fails while uninstalling: a step that changes things ran.
    const failing = engineWith(api(), (node, text) =>
      text.startsWith('microk8s helm3 uninstall')
        ? { code: 1, stdout: '', stderr: 'boom' }
        : answer(node, text),
    );
    const yes = await failing.engine.run(failing.engine.plan('reset', model));
    assert.equal(yes.outcome, 'failed');
    assert.equal(yes.transcript.changed, true);
  });

  it('the migration refuses a cluster registered already, before it writes anything', async () => {
    const model = labModel(1);
    const written: string[] = [];
    const registered = engineWith(
      api({
        readConfigMap: async () => ({ data: { state: 'connected' }, resourceVersion: '1' }),
        readSecret: async () => ({ activationToken: 'act-0123456789' }),
        applySecret: async (_ns, name) => void written.push(name),
      }),
      () => ok(),
      { secrets: { get: async () => 'act-0123456789' } },
    );
    const plan = registered.engine.plan('register', model, { migration: true });
    const refused = await registered.engine.run(plan);
    assert.equal(refused.outcome, 'failed');
    assert.equal(refused.failure?.step, 'not-registered');
    assert.match(
      refused.failure!.message,
      /^lab is registered already \(gateway-registration-status says connected\)/,
    );
    assert.match(refused.failure!.hint, /roll it back first \(Roll Back to Classic\)/);
    assert.deepEqual(written, []);
    assert.equal(refused.transcript.changed, false);
    // A plain register has no such step; the migration's re-run (it registered the cluster) skips it.
    const steps = (args?: { migration?: boolean }) =>
      registered.engine.plan('register', model, args).steps.map((s) => s.id);
    assert.deepEqual(steps(), ['kubeconfig', 'register']);
    const again = await registered.engine.run(
      registered.engine.plan('register', model, { migration: false }),
    );
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    assert.equal(again.transcript.steps.find((s) => s.id === 'not-registered')?.state, 'skipped');
  });

  it('writes events oldest first with absolute times', () => {
    const table = eventsTable({
      items: [
        {
          type: 'Warning',
          reason: 'NodeNotReady',
          message: 'Node is\nnot ready',
          count: 3,
          lastTimestamp: '2026-01-02T00:00:00Z',
          involvedObject: { kind: 'Node', name: 'gw-2' },
        },
        {
          type: 'Normal',
          reason: 'Scheduled',
          message: 'ok',
          eventTime: '2026-01-01T00:00:00.000000Z',
          involvedObject: { kind: 'Pod', namespace: 'default', name: 'a' },
        },
      ],
    });
    assert.equal(table.count, 2);
    assert.deepEqual(table.text.split('\n').slice(1, 3), [
      '2026-01-01T00:00:00.000000Z  Normal   Scheduled     pod/default/a  ok',
      '2026-01-02T00:00:00Z         Warning  NodeNotReady  node/gw-2      Node is not ready (x3)',
    ]);
  });
});

function engineDeps() {
  return {
    nodes: { exec: async () => ok() },
    secrets: { get: async () => undefined },
    kubeconfig: { read: async () => undefined, store: async () => undefined },
    api: { connect: async () => api() },
    masker: new Masker(),
  };
}
