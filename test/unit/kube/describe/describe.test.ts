import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeNode, describePod, humanDuration, rfc1123z, tabwrite } from '../../../../src/kube/describe';

// Fixtures: objects from the lab's API and `kubectl describe` of the same objects by the real kubectl 1.33
// (TZ=UTC), captured between the two times in captured-at.txt.
const dir = join(__dirname, 'fixtures');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
const json = (name: string) => JSON.parse(text(name)) as { items?: unknown[] };
const [capturedFrom, capturedTo] = text('captured-at.txt').trim().split('\n').map(Number) as [number, number];

/** kubectl measured its ages at some moment of the capture: one of them gives exactly its output. */
function matchesAtSomeMoment(render: (now: number) => string, expected: string): void {
  let last = '';
  for (let now = capturedFrom - 1000; now <= capturedTo + 1000; now += 100) {
    last = render(now);
    if (last === expected) return;
  }
  assert.equal(last, expected);
}

describe('kubectl describe, rendered from API objects', () => {
  it('aligns columns as Go tabwriter does (padding 2, blocks of consecutive lines)', () => {
    assert.equal(
      tabwrite('Name:\tx\nNamespace:\tdefault\nIPs:\n  IP:\t1.2.3.4'),
      'Name:       x\nNamespace:  default\nIPs:\n  IP:  1.2.3.4',
    );
    assert.equal(tabwrite('a\tb\tc\naaa\t\tc'), 'a    b  c\naaa     c');
  });

  it('formats ages as apimachinery HumanDuration and times as RFC 1123 with zone', () => {
    assert.equal(humanDuration(45_000), '45s');
    assert.equal(humanDuration(119_000), '119s');
    assert.equal(humanDuration(150_000), '2m30s');
    assert.equal(humanDuration(15 * 60_000), '15m');
    assert.equal(humanDuration((5 * 60 + 20) * 60_000), '5h20m');
    assert.equal(humanDuration(10 * 3_600_000), '10h');
    assert.equal(humanDuration(76 * 3_600_000), '3d4h');
    assert.equal(humanDuration(30 * 86_400_000), '30d');
    assert.equal(humanDuration(-3000), '<invalid>');
    assert.equal(rfc1123z('2026-12-05T14:15:43Z', 'utc'), 'Sat, 05 Dec 2026 14:15:43 +0000');
  });

  it('describes a simple pod exactly as kubectl 1.33', () => {
    const pod = json('pod-web.json');
    const events = json('pod-web.events.json').items;
    matchesAtSomeMoment((now) => describePod(pod, events, { now, zone: 'utc' }), text('pod-web.txt'));
  });

  it('describes a pod with args, ports, resources, env from secrets and config maps, mounts', () => {
    const pod = json('pod-rich.json');
    const events = json('pod-rich.events.json').items;
    matchesAtSomeMoment((now) => describePod(pod, events, { now, zone: 'utc' }), text('pod-rich.txt'));
  });

  it('describes a node exactly as kubectl 1.33 (conditions, addresses, capacity, pods, no lease)', () => {
    const input = {
      node: json('node.json'),
      pods: json('node.pods.json').items ?? [],
      lease: { error: 'the server could not find the requested resource' },
      events: json('node.events.json').items,
    };
    matchesAtSomeMoment((now) => describeNode(input, { now, zone: 'utc' }), text('node.txt'));
  });

  it('shows state, last termination, restarts, volumes, taints, lease and events with repeats', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const pod = {
      metadata: {
        name: 'p',
        namespace: 'default',
        deletionTimestamp: '2026-01-01T11:59:30Z',
        deletionGracePeriodSeconds: 30,
      },
      spec: {
        nodeName: 'gw-1',
        containers: [{ name: 'c', image: 'redis:7.2', ports: [{ containerPort: 6379, protocol: 'TCP' }] }],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'redis-data' } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
      status: {
        phase: 'Running',
        hostIP: '10.0.0.1',
        containerStatuses: [
          {
            name: 'c',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: {
                reason: 'Error',
                exitCode: 1,
                startedAt: '2026-01-01T11:58:00Z',
                finishedAt: '2026-01-01T11:59:00Z',
              },
            },
          },
        ],
      },
    };
    const events = [
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        count: 7,
        firstTimestamp: '2026-01-01T11:50:00Z',
        lastTimestamp: '2026-01-01T11:59:00Z',
        source: { component: 'kubelet' },
      },
    ];
    const out = describePod(pod, events, { now, zone: 'utc' });
    assert.match(out, /^Status:\s+Terminating \(lasts 30s\)$/m);
    assert.match(out, /^Termination Grace Period:\s+30s$/m);
    assert.match(out, /^ {4}State:\s+Waiting\n {6}Reason:\s+CrashLoopBackOff$/m);
    assert.match(out, /^ {4}Last State:\s+Terminated\n {6}Reason:\s+Error\n {6}Exit Code:\s+1$/m);
    assert.match(out, /^ {4}Restart Count:\s+3$/m);
    assert.match(out, /^ {4}Port:\s+6379\/TCP$/m);
    assert.match(out, /ClaimName:\s+redis-data/);
    assert.match(out, /EmptyDir \(a temporary directory that shares a pod's lifetime\)/);
    assert.match(
      out,
      /^ {2}Warning {2}BackOff {2}60s \(x7 over 10m\) {2}kubelet {2}Back-off restarting failed container$/m,
    );
    const node = describeNode(
      {
        node: {
          metadata: { name: 'gw-1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
          spec: {
            taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
            unschedulable: true,
          },
        },
        pods: [],
        lease: { spec: { holderIdentity: 'gw-1', renewTime: '2026-01-01T11:59:50Z' } },
        events: [],
      },
      { now, zone: 'utc' },
    );
    assert.match(node, /^Roles:\s+control-plane$/m);
    assert.match(node, /^Taints:\s+node.kubernetes.io\/unschedulable:NoSchedule$/m);
    assert.match(node, /^Unschedulable:\s+true$/m);
    assert.match(
      node,
      /^ {2}HolderIdentity:\s+gw-1\n {2}AcquireTime:\s+<unset>\n {2}RenewTime:\s+Thu, 01 Jan 2026 11:59:50 \+0000$/m,
    );
    assert.match(node, /^Events:\s+<none>$/m);
  });
});
