import assert from 'node:assert/strict';
import { backoffDelay, Coalescer, Retrier } from '../../../src/tree/model';
import { FakeTimers } from './fake-timers';

describe('tree model: Coalescer', () => {
  it('flushes a burst of changes once per window, each key once', () => {
    const timers = new FakeTimers();
    const flushes: Array<string[] | undefined> = [];
    const coalescer = new Coalescer<string>(300, (keys) => flushes.push(keys), timers);
    coalescer.add('pod-a');
    timers.advance(100);
    coalescer.add('pod-b');
    coalescer.add('pod-a');
    timers.advance(199);
    assert.equal(flushes.length, 0);
    timers.advance(1);
    assert.deepEqual(flushes, [['pod-a', 'pod-b']]);
    assert.equal(timers.pending, 0);
  });

  it('does not starve under a steady stream', () => {
    const timers = new FakeTimers();
    let flushes = 0;
    const coalescer = new Coalescer<number>(300, () => flushes++, timers);
    for (let t = 0; t < 1000; t += 50) {
      coalescer.add(t);
      timers.advance(50);
    }
    assert.ok(flushes >= 3, `flushed ${flushes} times`);
  });

  it('turns an undefined key into a whole refresh and stops after dispose', () => {
    const timers = new FakeTimers();
    const flushes: Array<number[] | undefined> = [];
    const coalescer = new Coalescer<number>(300, (keys) => flushes.push(keys), timers);
    coalescer.add(1);
    coalescer.add(undefined);
    coalescer.fire();
    assert.deepEqual(flushes, [undefined]);
    coalescer.add(2);
    coalescer.dispose();
    timers.advance(1000);
    assert.equal(flushes.length, 1);
    assert.equal(coalescer.hasPending, false);
  });
});

describe('tree model: backoff', () => {
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

  it('retries until the action succeeds, then resets', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const delays: number[] = [];
    const retrier = new Retrier(
      async () => {
        calls++;
        if (calls < 3) throw new Error('down');
      },
      { baseMs: 100, maxMs: 1000, onRetry: (d) => delays.push(d) },
      timers,
    );
    retrier.failed();
    for (let i = 0; i < 5; i++) {
      timers.advance(1000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(calls, 3);
    assert.equal(delays.length, 3);
    assert.ok(delays[1]! > delays[0]!, `delays ${delays.join(',')}`);
    assert.equal(retrier.scheduled, false);
  });

  it('never restarts after stop, even when a failure arrives late', () => {
    const timers = new FakeTimers();
    let calls = 0;
    const retrier = new Retrier(async () => void calls++, {}, timers);
    retrier.failed();
    retrier.stop();
    assert.equal(retrier.failed(), undefined);
    retrier.retryNow();
    timers.advance(60_000);
    assert.equal(calls, 0);
    assert.equal(retrier.isStopped, true);
  });
});
