import assert from 'node:assert/strict';
import { backoffDelay, Coalescer, Retrier } from '../../../src/tree/core';
import { FakeTimers } from './fake-timers';

describe('tree model: Coalescer', () => {
  it('sends the first change after a quiet spell at once, then at most one flush per window', () => {
    const timers = new FakeTimers();
    const flushes: Array<string[] | undefined> = [];
    const coalescer = new Coalescer<string>(300, (keys) => flushes.push(keys), timers, 20);
    coalescer.add('pod-a');
    coalescer.add('pod-b');
    timers.advance(19);
    assert.equal(flushes.length, 0, 'the settle time gathers what comes with the first change');
    timers.advance(1);
    assert.deepEqual(flushes, [['pod-a', 'pod-b']]);
    // A burst right after: one flush when the window since the last flush (t = 20) ends, each key once.
    timers.advance(80);
    coalescer.add('pod-c');
    coalescer.add('pod-a');
    coalescer.add('pod-c');
    timers.advance(219);
    assert.equal(flushes.length, 1);
    timers.advance(1);
    assert.deepEqual(flushes[1], ['pod-c', 'pod-a']);
    assert.equal(timers.pending, 0);
    // After a quiet spell longer than the window, the next change goes out after the settle time again.
    timers.advance(1000);
    coalescer.add('pod-d');
    timers.advance(20);
    assert.deepEqual(flushes[2], ['pod-d']);
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
