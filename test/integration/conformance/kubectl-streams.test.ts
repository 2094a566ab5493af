// What this issue added to the lab's API, held to the real clients: `kubectl exec` over WebSocket (output,
// stdin, exit codes, a missing bash), `kubectl get events` after a pod is deleted, the real helm reading the
// lab's release Secrets, and the product's Describe equal to `kubectl describe` for the same live objects.
import assert from 'node:assert/strict';
import { KubeClient, describeNode, describePod } from '../../../src/kube';
import { rows, startKubectlLab, type KubectlLab } from './support/kubectl-lab';

describe('conformance: exec, events, helm and describe against the real kubectl 1.33 and helm', function () {
  this.timeout(120_000);
  let t: KubectlLab;
  let client: KubeClient;

  before(async function () {
    this.timeout(180_000);
    t = await startKubectlLab('gclabci', '10.250.48');
    client = await KubeClient.connect({
      endpoints: t.info.nodes.map((n) => ({ name: n.hostname, address: n.address })),
      kubeconfig: { read: async () => t.kubeconfigText, store: async () => undefined },
    });
  });
  after(() => t?.dispose());

  const running = async (prefix: string) => {
    const pods = rows((await t.kubectl(['get', 'pods', '-n', 'default', '--no-headers=false'])).stdout);
    const pod = pods.find((p) => p.NAME?.startsWith(prefix) && p.STATUS === 'Running');
    assert.ok(pod, `a running ${prefix} pod`);
    return pod.NAME!;
  };

  it('kubectl exec: output, the exit code, stdin, and containerd’s words for a missing bash', async () => {
    const web = await running('sample-web-');
    const ok = await t.kubectl([
      'exec',
      '-n',
      'default',
      web,
      '--',
      'sh',
      '-c',
      'echo "in $HOSTNAME"; echo err >&2',
    ]);
    assert.deepEqual([ok.code, ok.stdout, ok.stderr], [0, `in ${web}\n`, 'err\n']);
    const failed = await t.kubectl(['exec', '-n', 'default', web, '--', 'sh', '-c', 'exit 3']);
    assert.equal(failed.code, 3);
    assert.match(failed.stderr, /command terminated with exit code 3/);
    const stdin = await t.kubectl(['exec', '-i', '-n', 'default', web, '--', 'sh'], 'echo from-stdin\n');
    assert.deepEqual([stdin.code, stdin.stdout], [0, 'from-stdin\n']);
    const worker = await running('sample-worker-');
    const missing = await t.kubectl(['exec', '-n', 'default', worker, '--', 'bash', '-c', 'true']);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /OCI runtime exec failed: .*exec: "bash": executable file not found in \$PATH/,
    );
    const wrong = await t.kubectl(['exec', '-n', 'default', web, '-c', 'nope', '--', 'true']);
    assert.match(wrong.stderr, /container nope is not valid for pod/);
  });

  it('kubectl get events: a deleted pod’s Killing and its successor’s Scheduled', async () => {
    const victim = await running('sample-web-');
    assert.equal((await t.kubectl(['delete', 'pod', '-n', 'default', victim])).code, 0);
    const table = (await t.kubectl(['get', 'events', '-n', 'default'])).stdout;
    const events = rows(table);
    assert.deepEqual(Object.keys(events[0] ?? {}), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.ok(
      events.some(
        (e) =>
          e.REASON === 'Killing' && e.OBJECT === `pod/${victim}` && e.MESSAGE === 'Stopping container web',
      ),
    );
    assert.ok(
      events.some(
        (e) => e.REASON === 'Scheduled' && e.MESSAGE?.startsWith('Successfully assigned default/sample-web-'),
      ),
    );
  });

  it('helm list and helm get values read the lab’s releases from their Secrets', async () => {
    const list = await t.helm(['list', '-A']);
    assert.equal(list.code, 0, list.stderr);
    const releases = list.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t').map((c) => c.trim()));
    assert.deepEqual(
      releases.map((r) => [r[0], r[1], r[2], r[4], r[5]]),
      [
        ['gateway-manager', 'default', '1', 'deployed', 'gateway-manager-0.9.6'],
        ['gateway-persistent-storage', 'default', '1', 'deployed', 'gateway-persistent-storage-0.9.6'],
      ],
    );
    const values = await t.helm([
      'get',
      'values',
      'gateway-persistent-storage',
      '-n',
      'default',
      '-o',
      'json',
    ]);
    assert.deepEqual(JSON.parse(values.stdout), {
      nfs: { path: '/srv/gateway-cluster', server: `${t.info.subnetPrefix}.1` },
    });
  });

  it('the product’s Describe is kubectl describe’s output for the same live pod and node', async () => {
    const web = await running('sample-web-');
    const compare = async (args: string[], render: (now: number) => Promise<string>) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const from = Date.now();
        const [theirs, mine] = await Promise.all([t.kubectl(args).then((r) => r.stdout), render(from)]);
        if (theirs === mine) return;
        if (attempt === 2) assert.equal(mine, theirs);
      }
    };
    const env = { zone: 'utc' as const };
    process.env.TZ = 'UTC';
    await compare(['describe', 'pod', '-n', 'default', web], async (now) => {
      const pod = await client.getRaw(`/api/v1/namespaces/default/pods/${web}`);
      const events = await client.getRaw(
        `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${web}`)}`,
      );
      return describePod(pod, events.items as unknown[], { now, ...env });
    });
    await compare(['describe', 'node', 'gw-2'], async (now) => {
      const node = await client.getRaw('/api/v1/nodes/gw-2');
      const pods = await client.getRaw(
        `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=gw-2,status.phase!=Succeeded,status.phase!=Failed')}`,
      );
      const events = await client.getRaw(
        `/api/v1/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Node,involvedObject.name=gw-2')}`,
      );
      const lease = await client
        .getRaw('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/gw-2')
        .catch((error: unknown) => ({ error: (error as Error).message }));
      return describeNode(
        { node, pods: pods.items as unknown[], events: events.items as unknown[], lease },
        { now, ...env },
      );
    });
  });
});
