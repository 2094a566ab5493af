import assert from 'node:assert/strict';
import { Backoff, backoffDelay } from '../../../src/timing';
import { prng } from '../../support/prng';

describe('timing: backoff', () => {
  it('grows exponentially with jitter up to a cap', () => {
    assert.equal(
      backoffDelay(0, 1000, 30_000, () => 0.5),
      1000,
    );
    assert.equal(
      backoffDelay(3, 1000, 30_000, () => 0.5),
      8000,
    );
    assert.equal(
      backoffDelay(10, 1000, 30_000, () => 1),
      30_000,
    );
    assert.equal(
      backoffDelay(0, 1000, 30_000, () => 0),
      800,
    );
  });

  it('never exceeds its cap, jitter included', () => {
    // The watch caches' old Backoff went to 1.2 × its cap with the most jitter.
    assert.equal(new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 }).next(), 120);
    const atCap = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    const delays = Array.from({ length: 12 }, () => atCap.next());
    assert.equal(Math.max(...delays), 1000);
    const random = prng(7);
    for (let i = 0; i < 2000; i++) {
      const attempt = i % 20;
      const d = backoffDelay(attempt, 250, 10_000, random);
      assert.ok(d <= 10_000, `attempt ${attempt}: ${d} ms`);
      assert.ok(d >= Math.min(10_000, 250 * 2 ** attempt) * 0.8 - 0.5, `attempt ${attempt}: ${d} ms`);
    }
  });

  // Was kube/coalesce.ts's test: the watch caches' defaults (100 ms doubling, 1 s cap).
  it('backs off exponentially with jitter up to a cap, and resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 });
    const delays = Array.from({ length: 6 }, () => b.next());
    assert.ok(delays[0]! >= 80 && delays[0]! <= 120);
    assert.ok(delays[3]! >= 640 && delays[3]! <= 960);
    assert.ok(delays[5]! <= 1200);
    assert.ok(delays[5]! <= 1000, 'the cap holds with jitter');
    assert.equal(b.attempts, 6);
    b.reset();
    assert.ok(b.next() <= 120);
  });

  it('doubles exactly without jitter (the runner waiting for a watch to come back)', () => {
    const b = new Backoff({ initialMs: 250, maxMs: 5000, jitter: 0 });
    assert.deepEqual(
      Array.from({ length: 7 }, () => b.next()),
      [250, 500, 1000, 2000, 4000, 5000, 5000],
    );
  });
});
