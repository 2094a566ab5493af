import assert from 'node:assert/strict';
import { mock } from 'node:test';
import { Backoff, Coalescer } from '../../../src/kube/coalesce';
import { isEvictable } from '../../../src/kube/actions';
import { serverOf, withServer } from '../../../src/kube/kubeconfig';
import { kubeconfigWithUser } from './fixtures';

const KUBECONFIG = kubeconfigWithUser('    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n');

describe('kube/pure parts', () => {
  it('points the kubeconfig at a node address and keeps the rest', () => {
    const rewritten = withServer(KUBECONFIG, '10.0.0.12');
    assert.equal(serverOf(rewritten), 'https://10.0.0.12:16443');
    assert.match(rewritten, /client-key-data: S0VZ/);
    assert.equal(serverOf(withServer(KUBECONFIG, 'fd00::1', 6443)), 'https://[fd00::1]:6443');
    assert.throws(() => withServer('kind: Config\n', '10.0.0.1'), /no clusters/);
  });

  it('coalesces a burst into one batch, quickly after a quiet spell', () => {
    // Mocked clock and timers: the windows are exact, whatever the load on the machine running the test.
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    try {
      const batches: number[][] = [];
      const c = new Coalescer<number>((b) => batches.push(b), 100, 10);
      for (let i = 0; i < 50; i++) c.push(i);
      mock.timers.tick(9);
      assert.equal(batches.length, 0, 'the burst is gathered for the settle time');
      mock.timers.tick(1);
      assert.equal(batches.length, 1);
      assert.equal(batches[0]!.length, 50);
      c.push(99);
      mock.timers.tick(99);
      assert.equal(batches.length, 1, 'a second batch inside the window waits');
      mock.timers.tick(1);
      assert.deepEqual(batches[1], [99]);
      c.push(1);
      c.dispose();
      mock.timers.tick(1000);
      assert.equal(batches.length, 2);
    } finally {
      mock.timers.reset();
    }
  });

  it('backs off exponentially with jitter up to a cap, and resets', () => {
    const b = new Backoff(100, 1000);
    const delays = Array.from({ length: 6 }, () => b.next());
    assert.ok(delays[0]! >= 80 && delays[0]! <= 120);
    assert.ok(delays[3]! >= 640 && delays[3]! <= 960);
    assert.ok(delays[5]! <= 1200);
    b.reset();
    assert.ok(b.next() <= 120);
  });

  it('leaves DaemonSet, mirror and finished pods out of a drain', () => {
    assert.equal(isEvictable({ metadata: { name: 'a' }, status: { phase: 'Running' } }), true);
    assert.equal(
      isEvictable({
        metadata: { ownerReferences: [{ kind: 'DaemonSet', name: 'x', uid: 'u', apiVersion: 'apps/v1' }] },
      }),
      false,
    );
    assert.equal(isEvictable({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'h' } } }), false);
    assert.equal(isEvictable({ metadata: {}, status: { phase: 'Succeeded' } }), false);
  });
});
